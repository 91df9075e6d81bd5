"""Benchmark data and timings for the consensus engine (PRODUCT.md §8), PostgreSQL only.

Builds a throwaway definition with one open draft, N clauses and members who vote on every clause
(fixed seed), bulk-loaded with COPY; then times the full recompute against the plain SQL GROUP BY
over the same rows, interleaved, and the recompute of one clause after one vote.
"""

import statistics
import time
import tracemalloc
from dataclasses import dataclass

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from definition.models import Clause, Definition, Draft, Membership, StakeholderGroup
from deliberation import tasks
from deliberation.consensus import one_clause, recompute
from deliberation.models import (
    Appeal,
    ClauseChange,
    Comment,
    Disposition,
    Endorsement,
    Flag,
    Vote,
)
from deliberation.votes import services as vote_services

POSITIONS = np.array(["support", "accept", "abstain", "oppose", "block"])
GROUP_SHARES = {"developers": 0.4, "lawyers": 0.25, "legislators": 0.15, "companies": 0.2}
SLUG = "bench-consensus"
BASELINE_SQL = """
    SELECT v.clause_id, v.group_id, v.position, count(*)
    FROM deliberation_vote v JOIN definition_clause c ON c.id = v.clause_id
    WHERE c.draft_id = %s GROUP BY 1, 2, 3
"""


@dataclass
class BenchData:
    draft_id: int
    clause_ids: list[int]
    members: int
    votes: int


def existing(*, votes: int, clauses: int, slug: str = SLUG) -> BenchData | None:
    """The benchmark data left by an earlier `--keep` run, if it has this size."""
    draft = Draft.objects.filter(definition__slug=slug).first()
    if draft is None:
        return None
    clause_ids = list(draft.clauses.order_by("position").values_list("pk", flat=True))
    total = Vote.objects.filter(clause__draft=draft).count()
    if len(clause_ids) != clauses or total != votes:
        return None
    return BenchData(draft.pk, clause_ids, votes // clauses, total)


def _drop(slug: str, prefix: str) -> None:
    """Delete an earlier run's data. The votes and comments go by plain SQL: through the ORM,
    each of a million deleted votes writes its history row one at a time (django-simple-history
    listens to every delete), which took longer than seeding."""
    for model in (Appeal, Disposition, Endorsement, Flag):  # whatever points at those comments
        model.objects.filter(comment__clause__draft__definition__slug=slug)._raw_delete(
            connection.alias)
    Comment.objects.filter(clause__draft__definition__slug=slug)._raw_delete(connection.alias)
    Vote.objects.filter(clause__draft__definition__slug=slug)._raw_delete(connection.alias)
    ClauseChange.objects.filter(clause__draft__definition__slug=slug)._raw_delete(
        connection.alias)
    Definition.objects.filter(slug=slug).delete()
    User.objects.filter(username__startswith=prefix).delete()


def build(*, votes: int, clauses: int, seed: int, slug: str = SLUG,
          prefix: str = "bench-") -> BenchData:
    """Replace the benchmark definition with fresh data: `votes` = members x clauses (users
    named `prefix` + a number)."""
    _drop(slug, prefix)
    members = max(1, votes // clauses)
    rng = np.random.default_rng(seed)
    with transaction.atomic():
        definition, draft, clause_ids = _skeleton(clauses, slug)
        memberships = _members(definition, members, rng, prefix)
        _open(draft)
    total = _copy_votes(clause_ids, memberships, rng)
    with connection.cursor() as cursor:
        # What autovacuum does to a live database in its first minutes: fresh statistics of
        # every table (users too: the planner otherwise guesses 96 of them), the visibility map
        # (the pages' index-only comment counts need it), and no dead rows. The rows of the data
        # this run replaced (a million votes) were left dead before: the planner's look at the
        # ends of an index then walked them, and planning one recompute's read took 8 ms
        # instead of 0.5 (every page's queries paid the same).
        cursor.execute("VACUUM ANALYZE" if connection.get_autocommit() else "ANALYZE")
    return BenchData(draft.pk, clause_ids, members, total)


def _skeleton(clauses: int, slug: str = SLUG):
    definition = Definition.objects.create(slug=slug, title="Benchmark definition")
    for position, slug in enumerate(GROUP_SHARES):
        StakeholderGroup.objects.create(definition=definition, slug=slug, name=slug.title(),
                                        position=position)
    draft = Draft.objects.create(definition=definition, version="1.0")
    Clause.objects.bulk_create([Clause(draft=draft, key=f"clause-{n}", body=f"Clause {n}.",
                                       position=n) for n in range(clauses)], batch_size=1000)
    clause_ids = list(draft.clauses.order_by("position").values_list("pk", flat=True))
    return definition, draft, clause_ids


def _members(definition, count: int, rng, prefix: str = "bench-") -> list[tuple[int, int, int]]:
    """(user_id, membership_id, group_id) for `count` verified members spread over the groups."""
    groups = list(definition.groups.order_by("position"))
    shares = np.array([GROUP_SHARES[g.slug] for g in groups])
    picks = rng.choice(len(groups), size=count, p=shares / shares.sum())
    users = User.objects.bulk_create(
        [User(username=f"{prefix}{n}", password="!") for n in range(count)], batch_size=2000)
    memberships = Membership.objects.bulk_create(
        [Membership(user=u, definition=definition, group=groups[g], status="verified")
         for u, g in zip(users, picks, strict=True)], batch_size=2000)
    return [(m.user_id, m.pk, m.group_id) for m in memberships]


def _open(draft: Draft) -> None:
    Draft.objects.filter(pk=draft.pk).update(status="open", published_at=timezone.now(),
                                             closes_at=timezone.now() + timezone.timedelta(30))


def _copy_votes(clause_ids, memberships, rng) -> int:
    """COPY one vote per member and clause, then the objections of oppose and block votes.

    Each group leans its own way on each clause (a Dirichlet draw), so levels vary."""
    now = timezone.now().isoformat()
    users, member_ids, group_ids = (np.array(column) for column in zip(*memberships, strict=True))
    group_index = np.searchsorted(np.unique(group_ids), group_ids)
    leaning = rng.dirichlet(np.ones(5) * 0.8, size=(len(clause_ids), group_index.max() + 1))
    prefix = [f"\t{u}\t{m}\t{g}\t" for u, m, g in zip(users, member_ids, group_ids, strict=True)]
    columns = ("clause_id, voter_id, membership_id, group_id, position, rationale, created_at,"
               " updated_at")
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY deliberation_vote ({columns}) FROM STDIN") as copy:
            for c, clause_id in enumerate(clause_ids):
                cumulative = np.cumsum(leaning[c], axis=1)[group_index]
                drawn = (rng.random(len(users))[:, None] > cumulative[:, :4]).sum(axis=1)
                copy.write("".join(
                    f"{clause_id}{head}{ROW_TAIL[p].format(now=now)}"
                    for head, p in zip(prefix, drawn, strict=True)))
        cursor.execute("""
            INSERT INTO deliberation_comment (clause_id, author_id, kind, body, quote,
                proposed_text, vote_id, author_verified, hidden, hidden_reason, created_at)
            SELECT clause_id, voter_id, 'objection', rationale, '', '', id, true, false, '', %s
            FROM deliberation_vote v WHERE v.clause_id = ANY(%s) AND position IN ('oppose', 'block')
        """, [now, clause_ids])
    return len(users) * len(clause_ids)


ROW_TAIL = [f"{p}\t{'Bench objection.' if p in ('oppose', 'block') else ''}\t{{now}}\t{{now}}\n"
            for p in POSITIONS]


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def baseline(draft_id: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(BASELINE_SQL, [draft_id])
        return len(cursor.fetchall())


def time_full(data: BenchData, repeats: int) -> dict:
    """Interleaved: the plain GROUP BY, then the full recompute (aggregate, math, store)."""
    base, full = [], []
    recompute.recompute(draft_id=data.draft_id)  # warm caches and create the summary rows
    for _ in range(repeats):
        base.append(_timed(lambda: baseline(data.draft_id)))
        full.append(_timed(lambda: recompute.recompute(draft_id=data.draft_id)))
    return {"baseline_ms": _median_ms(base), "full_ms": _median_ms(full),
            "ratio": statistics.median(full) / statistics.median(base),
            "full_max_ms": max(full) * 1000}


def time_one_clause(data: BenchData, repeats: int, slug: str = SLUG) -> dict:
    """A member changes a vote; the recompute of that clause alone."""
    membership = Membership.objects.select_related("user").filter(
        definition__slug=slug).first()
    clause = Clause.objects.select_related("draft__definition").get(pk=data.clause_ids[0])
    samples, write = [], []
    for n in range(repeats):
        position = ("support", "accept")[n % 2]
        with tasks.recompute_deferred():  # the write alone; the recompute is timed below
            write.append(_timed(lambda p=position: vote_services.cast_vote(
                actor=membership.user, clause=clause, position=p)))
        samples.append(_timed(lambda: one_clause.recompute_clause(draft_id=data.draft_id,
                                                                  clause_id=clause.pk)))
    return {"one_clause_ms": _median_ms(samples),
            "one_clause_p95_ms": sorted(samples)[int(0.95 * (len(samples) - 1))] * 1000,
            "vote_write_ms": _median_ms(write),
            "vote_writes_per_s": 1 / statistics.median(write)}


def peak_memory(data: BenchData) -> dict:
    tracemalloc.start()
    recompute.recompute(draft_id=data.draft_id)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"recompute_peak_python_mib": peak / 2**20}


def teardown() -> None:
    Definition.objects.filter(slug=SLUG).delete()
    User.objects.filter(username__startswith="bench-").delete()
