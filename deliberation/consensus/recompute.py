"""Computing and storing consensus summaries (PRODUCT.md §4) from SQL aggregates.

Never a Python loop over vote rows: one GROUP BY over the votes of the clauses in question, one
small query over the (few) dispositions of objections, one over group sizes, then the pure math of
`consensus.math`. The recompute of a few clauses (the one after a vote) reads all of that and the
pending changes in one statement (`SCOPED_SQL`) and, on PostgreSQL, writes in one (`_write_scoped`):
7 statements in all, where it took 17. The recompute of one clause of the open draft, the one after
a vote, goes without the lock in three (`one_clause`, compare-and-set).
"""

import logging
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, F, IntegerField, Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone

from core.transactions import atomic_with_retry, prepared_cursor
from definition.models import Clause, Draft
from definition.services import members_now
from deliberation.consensus.math import ClauseFigures, Thresholds, summarize_many
from deliberation.models import (
    DISAPPROVING,
    ClauseChange,
    ClauseSummary,
    Disposition,
    GroupSummary,
    Position,
    Vote,
)

log = logging.getLogger(__name__)

GROUP_FIELDS = ("support", "accept", "abstain", "oppose", "block", "decisive", "approval",
                "wilson_low", "wilson_high", "quorate", "participation")
SUMMARY_FIELDS = ("level", "balanced_approval", "pooled_approval", "bridging", "floor",
                  "weakest_group", "divergence", "enthusiasm", "sustained_blocks",
                  "open_objections", "quorate_groups")
ENDS_BLOCK = ("resolved", "overruled")


def thresholds_for(definition) -> Thresholds:
    return Thresholds.from_settings(quorum=definition.quorum, min_groups=definition.min_groups,
                                    thresholds=definition.thresholds or {})


def ensure_summaries(draft: Draft) -> None:
    """Create the (empty, stale) summary row of every clause of the draft that lacks one."""
    missing = Clause.objects.filter(draft=draft, summary__isnull=True).values_list("pk", flat=True)
    ClauseSummary.objects.bulk_create(
        [ClauseSummary(clause_id=pk, draft=draft) for pk in missing], ignore_conflicts=True)


def ensure_summary(clause: Clause) -> None:
    """The (empty, stale) summary row of a clause that just got its first vote from someone:
    readers then see the figures as out of date. INSERT ... ON CONFLICT DO NOTHING: an existing
    row is neither written nor locked."""
    row = ClauseSummary(clause_id=clause.pk, draft_id=clause.draft_id)
    ClauseSummary.objects.bulk_create([row], ignore_conflicts=True)


def mark_stale(clause_ids: Iterable[int]) -> None:
    """Record that what these clauses' summaries count changed (inside the writing transaction).

    One appended row per clause: concurrent writers never touch the same row."""
    ClauseChange.objects.bulk_create([ClauseChange(clause_id=pk) for pk in sorted(set(clause_ids))])


def pending_clause_ids(draft_id: int) -> list[int]:
    """The clauses of a draft with changes their summaries have not counted yet."""
    return sorted(set(ClauseChange.objects.filter(clause__draft_id=draft_id)
                      .values_list("clause_id", flat=True)))


def pending_in_draft_of(clause_id: int) -> list[tuple[int, int]]:
    """(clause id, draft id) of the clauses with pending changes in the draft of this clause."""
    return list(ClauseChange.objects.filter(clause__draft__clauses=clause_id)
                .values_list("clause_id", "clause__draft_id").distinct())


def _scope(draft: Draft, clause_ids: list[int] | None, prefix: str = "") -> dict:
    if clause_ids is None:
        return {f"{prefix}clause__draft_id": draft.pk}
    return {f"{prefix}clause_id__in": clause_ids}


def vote_counts(scope: dict, uncounted: list[int]) -> list[tuple[int, int, str, int]]:
    """(clause_id, group_id, position, count) of the counted votes.

    Votes come only from verified members, and a membership can only leave `verified` by being
    revoked; so excluding the (few) revoked memberships counts exactly the verified members'
    votes, without joining memberships (the plain GROUP BY is what this must stay close to)."""
    votes = Vote.objects.filter(**scope)
    if uncounted:
        votes = votes.exclude(membership_id__in=uncounted)
    return list(votes.values_list("clause_id", "group_id", "position")
                .annotate(n=Count("*")).order_by())


def counted_members(draft: Draft) -> tuple[list[int], dict[int, int]]:
    """(memberships whose votes do not count, verified members per group id) of a draft's figures.

    A closed draft counts the members as they were when it closed (it takes no more votes, so its
    figures are final: a later verification or revocation neither changes nor stales them); the
    open draft counts them as they are now."""
    members = draft.members_at_close
    if members is None:
        members = members_now(draft.definition_id)
    return members["revoked"], {int(group): n for group, n in members["verified"].items()}


def objection_counts(rows, scope: dict, uncounted: list[int]
                     ) -> tuple[dict[int, int], dict[int, int]]:
    """Per clause: sustained blocks, and open objections (without any disposition).

    Every oppose or block is an objection; those with a disposition are few, so we count them
    from the dispositions and subtract. `scope` filters comments, keys prefixed `comment__`;
    `uncounted` are the memberships whose votes `rows` left out."""
    answered = (Disposition.objects.filter(
        **scope, comment__kind="objection", comment__vote__position__in=DISAPPROVING)
        .exclude(comment__vote__membership_id__in=uncounted)
        .values_list("comment__vote__clause_id", "comment__vote__position", "status"))
    return _objections(rows, answered)


def _objections(rows, answered) -> tuple[dict[int, int], dict[int, int]]:
    """Sustained blocks and open objections per clause, from the vote counts and the
    (clause_id, position, status) of the dispositions of objections."""
    blocks: dict[int, int] = defaultdict(int)
    objections: dict[int, int] = defaultdict(int)
    for clause_id, _, position, n in rows:
        if position in DISAPPROVING:
            objections[clause_id] += n
            blocks[clause_id] += n if position == Position.BLOCK else 0
    for clause_id, position, status in answered:
        objections[clause_id] -= 1
        if position == Position.BLOCK and status in ENDS_BLOCK:
            blocks[clause_id] -= 1
    return ({c: n for c, n in blocks.items() if n}, {c: n for c, n in objections.items() if n})


def compute_figures(draft: Draft, clause_ids: list[int], slugs: dict[int, str],
                    *, whole_draft: bool) -> dict[int, ClauseFigures]:
    """The figures of the given clauses, keyed by clause id (groups by slug)."""
    scoped = None if whole_draft else clause_ids
    uncounted, members = counted_members(draft)
    rows = vote_counts(_scope(draft, scoped), uncounted)
    blocks, open_objections = objection_counts(rows, _scope(draft, scoped, "comment__"),
                                               uncounted)
    return summarize_many(
        [(c, slugs[g], p, n) for c, g, p, n in rows], groups=slugs.values(), clauses=clause_ids,
        verified_members={slugs[g]: n for g, n in members.items() if g in slugs},
        sustained_blocks=blocks, open_objections=open_objections,
        thresholds=thresholds_for(draft.definition),
    )


def _load(draft: Draft, clause_ids: list[int] | None) -> None:
    """Make sure every clause in question has its summary row (created empty, stale)."""
    missing = Clause.objects.filter(draft=draft, summary__isnull=True)
    if clause_ids is not None:
        missing = missing.filter(pk__in=clause_ids)
    if missing.exists():
        ensure_summaries(draft)


def recompute(*, draft_id: int, clause_ids: list[int] | None = None) -> int:
    """Recompute and store the summaries of some (or all) clauses of a draft.

    Safe to run twice or concurrently: recomputes of the same summaries take their row locks (in
    id order) before reading anything, so they run one after the other and each counts at least
    what the one before counted; the stored figures never go back. Returns how many summaries
    were written."""
    draft = Draft.objects.select_related("definition").filter(pk=draft_id).first()
    if draft is None:
        return 0
    if not _scoped(draft, clause_ids):
        _load(draft, clause_ids)
    return _recompute_locked(draft, clause_ids)[0]


def _scoped(draft: Draft, clause_ids: list[int] | None) -> bool:
    """Whether the recompute takes the one-statement path (`SCOPED_SQL`): a few clauses of the
    open draft, which counts the members as they are now. A closed draft counts the members
    frozen at its close (`counted_members`), through the general queries."""
    return (clause_ids is not None and len(clause_ids) <= SCOPED_MAX
            and draft.status == Draft.Status.OPEN and draft.members_at_close is None)


@atomic_with_retry
def _recompute_locked(draft: Draft, clause_ids: list[int] | None, *, verify: bool = False
                      ) -> tuple[int, list[int]]:
    """Lock the summaries, take the pending changes, count the votes, write, consume the changes.

    A change committed after the pending ones were read stays pending (the summary stays stale)
    until the next recompute counts it. With `verify`, also returns the clauses whose fresh
    stored figures differ from what the votes give now."""
    scoped = _scoped(draft, clause_ids)
    summaries = _lock_summaries(draft, clause_ids)
    if scoped and len(summaries) < len(set(clause_ids)):  # a clause without its summary row
        _load(draft, clause_ids)
        summaries = _lock_summaries(draft, clause_ids)
    if not summaries:
        return 0, []
    definition = draft.definition  # its membership version was read before the votes are
    if scoped:
        pending, slugs, figures = scoped_figures(draft.definition_id, thresholds_for(definition),
                                                 sorted(s.clause_id for s in summaries))
    else:
        changes = ClauseChange.objects.filter(**_scope(draft, clause_ids))
        pending = defaultdict(list)
        for change_id, clause_id in changes.values_list("id", "clause_id"):
            pending[clause_id].append(change_id)
        slugs = dict(definition.groups.values_list("pk", "slug"))
        figures = compute_figures(draft, sorted(s.clause_id for s in summaries), slugs,
                                  whole_draft=clause_ids is None)
    mismatched = []
    if verify:
        mismatched = [s.clause_id for s in summaries
                      if _fresh(s, draft, pending) and _differs(s, figures[s.clause_id])]
    now = timezone.now()
    rows = [(s.pk, *(getattr(figures[s.clause_id], f) for f in SUMMARY_FIELDS),
             max([s.computed_version, 0, *pending.get(s.clause_id, [])]),
             definition.membership_version, now) for s in summaries]
    consumed = sorted(change_id for ids in pending.values() for change_id in ids)
    if scoped and connection.vendor == "postgresql":
        _write_scoped(rows, group_rows(figures, summaries, slugs), consumed)
        return len(summaries), mismatched
    _bulk_write(rows)
    _store_groups(figures, summaries, slugs)
    for start in range(0, len(consumed), 5000):
        ClauseChange.objects.filter(pk__in=consumed[start:start + 5000]).delete()
    return len(summaries), mismatched


def _lock_summaries(draft: Draft, clause_ids: list[int] | None) -> list[ClauseSummary]:
    return list(ClauseSummary.objects.select_for_update(of=("self",))
                .filter(draft=draft, **({} if clause_ids is None
                                        else {"clause_id__in": clause_ids}))
                .order_by("pk"))


# A recompute of at most this many clauses (the per-vote one) reads what it counts in one
# statement and, on PostgreSQL, writes in one statement; larger ones go through the queries above.
SCOPED_MAX = 100

# The groups with their verified members, the votes counted (those of verified members: see
# `vote_counts`), the dispositions of objections (see `objection_counts`) and the pending changes
# of some clauses, in one statement: (kind, a, b, text1, text2, n).
SCOPED_SQL = """
SELECT 'g', g.id, NULL, g.slug, NULL, COUNT(m.id)
FROM definition_stakeholdergroup g
LEFT JOIN definition_membership m
  ON m.group_id = g.id AND m.definition_id = g.definition_id AND m.status = 'verified'
WHERE g.definition_id = %s
GROUP BY g.id, g.slug
UNION ALL
SELECT 'v', v.clause_id, v.group_id, v.position, NULL, COUNT(*)
FROM deliberation_vote v
WHERE v.clause_id IN ({clauses}) AND NOT EXISTS (
  SELECT 1 FROM definition_membership x WHERE x.id = v.membership_id AND x.status <> 'verified')
GROUP BY v.clause_id, v.group_id, v.position
UNION ALL
SELECT 'd', v.clause_id, NULL, v.position, d.status, 1
FROM deliberation_disposition d
JOIN deliberation_comment k ON k.id = d.comment_id
JOIN deliberation_vote v ON v.id = k.vote_id
JOIN definition_membership x ON x.id = v.membership_id
WHERE k.clause_id IN ({clauses}) AND k.kind = 'objection' AND v.position IN ('oppose', 'block')
  AND x.status = 'verified'
UNION ALL
SELECT 'c', c.id, c.clause_id, NULL, NULL, 0
FROM deliberation_clausechange c
WHERE c.clause_id IN ({clauses})
"""


def scoped_figures(definition_id: int, thresholds: Thresholds, clause_ids: list[int]):
    """What `compute_figures` computes for clauses of the open draft, and their pending changes,
    from one statement (a snapshot: a change is read exactly when the vote it marks is)."""
    marks = ", ".join(["%s"] * len(clause_ids))
    with prepared_cursor() as cursor:  # one text per number of clauses: planned once
        cursor.execute(SCOPED_SQL.format(clauses=marks),
                       [definition_id, *clause_ids, *clause_ids, *clause_ids])
        result = cursor.fetchall()
    slugs, members, rows, answered = {}, {}, [], []
    pending: dict[int, list[int]] = defaultdict(list)
    for kind, a, b, text, status, n in result:
        if kind == "g":
            slugs[a], members[text] = text, n
        elif kind == "v":
            rows.append((a, b, text, n))
        elif kind == "d":
            answered.append((a, text, status))
        else:
            pending[b].append(a)
    blocks, open_objections = _objections(rows, answered)
    figures = summarize_many(
        [(c, slugs[g], p, n) for c, g, p, n in rows], groups=slugs.values(), clauses=clause_ids,
        verified_members=members, sustained_blocks=blocks, open_objections=open_objections,
        thresholds=thresholds)
    return pending, slugs, figures


def group_rows(figures, summaries: list[ClauseSummary], slugs: dict[int, str]) -> list[tuple]:
    group_ids = {slug: pk for pk, slug in slugs.items()}
    return [(summary.pk, group_ids[g.group], *(getattr(g, f) for f in GROUP_FIELDS))
            for summary in summaries for g in figures[summary.clause_id].groups]


def _write_scoped(rows: list[tuple], group_rows: list[tuple], consumed: list[int]) -> None:
    """PostgreSQL: the summaries, their per-group rows (upserted; rows of groups gone deleted)
    and the consumed changes in one statement."""
    table, groups = ClauseSummary._meta.db_table, GroupSummary._meta.db_table
    cell = "(" + ", ".join(f"%s::{kind}" for _, kind in WRITE_COLUMNS) + ")"
    names = ", ".join(name for name, _ in WRITE_COLUMNS)
    assign = ", ".join(f"{name} = v.{name}" for name, _ in WRITE_COLUMNS[1:])
    parts = [f"u AS (UPDATE {table} SET {assign} FROM (VALUES {', '.join([cell] * len(rows))})"
             f" AS v({names}) WHERE {table}.id = v.id)"]
    params = [value for row in rows for value in row]
    summary_marks = ", ".join(["%s"] * len(rows))
    if group_rows:
        columns = ", ".join(("summary_id", "group_id", *GROUP_FIELDS))
        group_cell = "(" + ", ".join(["%s"] * (2 + len(GROUP_FIELDS))) + ")"
        update = ", ".join(f"{f} = excluded.{f}" for f in GROUP_FIELDS)
        parts.append(f"g AS (INSERT INTO {groups} ({columns}) VALUES "
                     f"{', '.join([group_cell] * len(group_rows))} "
                     f"ON CONFLICT (summary_id, group_id) DO UPDATE SET {update})")
        params += [value for row in group_rows for value in row]
        kept = sorted({row[1] for row in group_rows})
        parts.append(f"r AS (DELETE FROM {groups} WHERE summary_id IN ({summary_marks}) "
                     f"AND group_id NOT IN ({', '.join(['%s'] * len(kept))}))")
        params += [row[0] for row in rows] + kept
    else:
        parts.append(f"r AS (DELETE FROM {groups} WHERE summary_id IN ({summary_marks}))")
        params += [row[0] for row in rows]
    if consumed:
        parts.append(f"x AS (DELETE FROM {ClauseChange._meta.db_table} "
                     f"WHERE id IN ({', '.join(['%s'] * len(consumed))}))")
        params += consumed
    with connection.cursor() as cursor:
        cursor.execute("WITH " + ", ".join(parts) + " SELECT 1", params)


WRITE_COLUMNS = (("id", "bigint"), ("level", "varchar"), ("balanced_approval", "float8"),
                 ("pooled_approval", "float8"), ("bridging", "float8"), ("floor", "float8"),
                 ("weakest_group", "varchar"), ("divergence", "float8"), ("enthusiasm", "float8"),
                 ("sustained_blocks", "integer"), ("open_objections", "integer"),
                 ("quorate_groups", "integer"), ("computed_version", "bigint"),
                 ("membership_version", "integer"), ("computed_at", "timestamptz"))


def _bulk_write(rows: list[tuple]) -> None:
    """Write the summaries in one statement: on PostgreSQL one UPDATE ... FROM unnest(arrays),
    elsewhere UPDATE ... FROM (VALUES ...) per 500 (Django's bulk_update builds a CASE per field
    and row, which costs seconds of Python for a large draft)."""
    table = ClauseSummary._meta.db_table
    names = [name for name, _ in WRITE_COLUMNS]
    assign = ", ".join(f"{name} = v.{name}" for name in names[1:])
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"UPDATE {table} SET {assign} FROM {unnest_sql(WRITE_COLUMNS)} "
                           f"WHERE {table}.id = v.id", as_columns(rows, len(names)))
            return
        cell = "(" + ", ".join(["%s"] * len(names)) + ")"
        for start in range(0, len(rows), 500):
            chunk = rows[start:start + 500]
            cursor.execute(f"WITH v({', '.join(names)}) AS (VALUES "
                           + ", ".join([cell] * len(chunk))
                           + f") UPDATE {table} SET {assign} FROM v WHERE {table}.id = v.id",
                           [value for row in chunk for value in row])


def unnest_sql(columns) -> str:
    """`unnest(%s::type[], ...) AS v(names)`: rows passed as one array per column.

    A statement with one parameter per value (13,000 for the 2,000 group rows of a 500-clause
    draft) spends most of its time being parsed and planned; one array per column does not."""
    arrays = ", ".join(f"%s::{kind}[]" for _, kind in columns)
    return f"unnest({arrays}) AS v({', '.join(name for name, _ in columns)})"


def as_columns(rows: list[tuple], width: int) -> list[list]:
    return [list(column) for column in zip(*rows, strict=True)] if rows else [[]] * width


GROUP_COLUMNS = (("summary_id", "bigint"), ("group_id", "bigint"), ("support", "integer"),
                 ("accept", "integer"), ("abstain", "integer"), ("oppose", "integer"),
                 ("block", "integer"), ("decisive", "integer"), ("approval", "float8"),
                 ("wilson_low", "float8"), ("wilson_high", "float8"), ("quorate", "boolean"),
                 ("participation", "float8"))


def _store_groups(figures, summaries: list[ClauseSummary], slugs: dict[int, str]) -> None:
    """Store the per-group rows of the written summaries (raw SQL: thousands of rows)."""
    group_ids = {slug: pk for pk, slug in slugs.items()}
    rows = [(summary.pk, group_ids[g.group], *(getattr(g, f) for f in GROUP_FIELDS))
            for summary in summaries for g in figures[summary.clause_id].groups]
    if connection.vendor == "postgresql":
        _upsert_groups(rows)  # every group of the definition has a row: a deleted one cascades
        return
    GroupSummary.objects.filter(summary__in=[s.pk for s in summaries]).delete()
    names = ", ".join(name for name, _ in GROUP_COLUMNS)
    cell = "(" + ", ".join(["%s"] * len(GROUP_COLUMNS)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            chunk = rows[start:start + 1000]
            cursor.execute(f"INSERT INTO {GroupSummary._meta.db_table} ({names}) VALUES "
                           + ", ".join([cell] * len(chunk)),
                           [value for row in chunk for value in row])


def _upsert_groups(rows: list[tuple]) -> None:
    """PostgreSQL: one INSERT ... SELECT FROM unnest(arrays) ON CONFLICT DO UPDATE, writing only
    the rows whose figures changed.

    Deleting and re-inserting every row (as SQLite still does) wrote a new tuple and its index
    entries for each of the 2,000 rows of a 500-clause draft on every full recompute, most of
    them unchanged, in statements of 13,000 parameters; `IS DISTINCT FROM` skips the unchanged."""
    table = GroupSummary._meta.db_table
    names = ", ".join(name for name, _ in GROUP_COLUMNS)
    old = ", ".join(f"{table}.{f}" for f in GROUP_FIELDS)
    new = ", ".join(f"EXCLUDED.{f}" for f in GROUP_FIELDS)
    assign = ", ".join(f"{f} = EXCLUDED.{f}" for f in GROUP_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT * FROM {unnest_sql(GROUP_COLUMNS)} "
                       f"ON CONFLICT (summary_id, group_id) DO UPDATE SET {assign} "
                       f"WHERE ({old}) IS DISTINCT FROM ({new})",
                       as_columns(rows, len(GROUP_COLUMNS)))


def stale_clause_ids() -> dict[int, list[int]]:
    """Draft id -> ids of its clauses whose stored summary is stale (or missing, with changes)."""
    # The open draft counts the members as they are now, a closed one as they were at its close.
    frozen_at = Cast(KeyTextTransform("version", "draft__members_at_close"), IntegerField())
    rows = set(ClauseSummary.objects.annotate(frozen_at=frozen_at).filter(
        Q(computed_version__lt=0)
        | Q(membership_version__lt=F("draft__definition__membership_version"),
            draft__status=Draft.Status.OPEN, draft__members_at_close__isnull=True)
        | Q(membership_version__lt=F("frozen_at"))
    ).values_list("draft_id", "clause_id"))
    rows |= set(ClauseChange.objects.values_list("clause__draft_id", "clause_id").distinct())
    stale: dict[int, list[int]] = defaultdict(list)
    for draft_id, clause_id in sorted(rows):
        stale[draft_id].append(clause_id)
    return dict(stale)


def verify_and_repair(*, draft_id: int) -> int:
    """Recompute a whole draft, compare with the fresh stored figures, log and fix mismatches.

    Returns how many fresh summaries did not match what is computed from the votes now."""
    draft = Draft.objects.select_related("definition").filter(pk=draft_id).first()
    if draft is None:
        return 0
    _load(draft, None)
    _, mismatched = _recompute_locked(draft, None, verify=True)
    for clause_id in mismatched:
        log.error("consensus mismatch on clause %s of draft %s", clause_id, draft_id)
    return len(mismatched)


def _fresh(summary: ClauseSummary, draft: Draft, pending: dict[int, list[int]]) -> bool:
    summary.draft = draft
    summary.pending_changes = bool(pending.get(summary.clause_id))
    return summary.computed_at is not None and not summary.stale


def _differs(summary: ClauseSummary, figures: ClauseFigures) -> bool:
    for field in SUMMARY_FIELDS:
        stored, computed = getattr(summary, field), getattr(figures, field)
        if isinstance(computed, float) and isinstance(stored, float):
            if abs(stored - computed) > 1e-9:
                return True
        elif stored != computed:
            return True
    return False
