"""Computing and storing consensus summaries (PRODUCT.md §4) from SQL aggregates.

Never a Python loop over vote rows: one GROUP BY over the votes of the clauses in question, one
small query over the (few) dispositions of objections, one over group sizes, then the pure math of
`consensus.math`.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection
from django.db.models import Count, F, Q
from django.utils import timezone

from core.transactions import atomic_with_retry
from definition.models import Clause, Draft, Membership
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


def uncounted_memberships(definition_id: int) -> list[int]:
    return list(Membership.objects.filter(definition_id=definition_id).exclude(
        status=Membership.Status.VERIFIED).values_list("pk", flat=True))


def objection_counts(rows, scope: dict) -> tuple[dict[int, int], dict[int, int]]:
    """Per clause: sustained blocks, and open objections (without any disposition).

    Every oppose or block is an objection; those with a disposition are few, so we count them
    from the dispositions and subtract. `scope` filters comments, keys prefixed `comment__`."""
    blocks: dict[int, int] = defaultdict(int)
    objections: dict[int, int] = defaultdict(int)
    for clause_id, _, position, n in rows:
        if position in DISAPPROVING:
            objections[clause_id] += n
            blocks[clause_id] += n if position == Position.BLOCK else 0
    answered = (Disposition.objects.filter(
        **scope, comment__kind="objection", comment__vote__position__in=DISAPPROVING,
        comment__vote__membership__status=Membership.Status.VERIFIED)
        .values_list("comment__vote__clause_id", "comment__vote__position", "status"))
    for clause_id, position, status in answered:
        objections[clause_id] -= 1
        if position == Position.BLOCK and status in ENDS_BLOCK:
            blocks[clause_id] -= 1
    return ({c: n for c, n in blocks.items() if n}, {c: n for c, n in objections.items() if n})


def verified_per_group(definition_id: int) -> dict[int, int]:
    rows = (Membership.objects.filter(definition_id=definition_id,
                                      status=Membership.Status.VERIFIED)
            .values_list("group_id").annotate(n=Count("id")).order_by())
    return dict(rows)


def compute_figures(draft: Draft, clause_ids: list[int], slugs: dict[int, str],
                    *, whole_draft: bool) -> dict[int, ClauseFigures]:
    """The figures of the given clauses, keyed by clause id (groups by slug)."""
    scoped = None if whole_draft else clause_ids
    rows = vote_counts(_scope(draft, scoped), uncounted_memberships(draft.definition_id))
    blocks, open_objections = objection_counts(rows, _scope(draft, scoped, "comment__"))
    members = verified_per_group(draft.definition_id)
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
    _load(draft, clause_ids)
    return _recompute_locked(draft, clause_ids)[0]


@atomic_with_retry
def _recompute_locked(draft: Draft, clause_ids: list[int] | None, *, verify: bool = False
                      ) -> tuple[int, list[int]]:
    """Lock the summaries, take the pending changes, count the votes, write, consume the changes.

    A change committed after the pending ones were read stays pending (the summary stays stale)
    until the next recompute counts it. With `verify`, also returns the clauses whose fresh
    stored figures differ from what the votes give now."""
    summaries = list(ClauseSummary.objects.select_for_update(of=("self",))
                     .filter(draft=draft, **({} if clause_ids is None
                                             else {"clause_id__in": clause_ids}))
                     .order_by("pk"))
    if not summaries:
        return 0, []
    changes = ClauseChange.objects.filter(**_scope(draft, clause_ids))
    pending: dict[int, list[int]] = defaultdict(list)
    for change_id, clause_id in changes.values_list("id", "clause_id"):
        pending[clause_id].append(change_id)
    definition = draft.definition  # its membership version was read before the votes are
    slugs = dict(definition.groups.values_list("pk", "slug"))
    figures = compute_figures(draft, sorted(s.clause_id for s in summaries), slugs,
                              whole_draft=clause_ids is None)
    mismatched = []
    if verify:
        mismatched = [s.clause_id for s in summaries
                      if _fresh(s, draft, pending) and _differs(s, figures[s.clause_id])]
    now = timezone.now()
    _bulk_write([(s.pk, *(getattr(figures[s.clause_id], f) for f in SUMMARY_FIELDS),
                  max([s.computed_version, 0, *pending.get(s.clause_id, [])]),
                  definition.membership_version, now) for s in summaries])
    _store_groups(figures, summaries, slugs)
    consumed = sorted(change_id for ids in pending.values() for change_id in ids)
    for start in range(0, len(consumed), 5000):
        ClauseChange.objects.filter(pk__in=consumed[start:start + 5000]).delete()
    return len(summaries), mismatched


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
            cursor.execute(f"UPDATE {table} SET {assign} FROM {_unnest(WRITE_COLUMNS)} "
                           f"WHERE {table}.id = v.id", _columns(rows, len(names)))
            return
        cell = "(" + ", ".join(["%s"] * len(names)) + ")"
        for start in range(0, len(rows), 500):
            chunk = rows[start:start + 500]
            cursor.execute(f"WITH v({', '.join(names)}) AS (VALUES "
                           + ", ".join([cell] * len(chunk))
                           + f") UPDATE {table} SET {assign} FROM v WHERE {table}.id = v.id",
                           [value for row in chunk for value in row])


def _unnest(columns) -> str:
    """`unnest(%s::type[], ...) AS v(names)`: rows passed as one array per column.

    A statement with one parameter per value (13,000 for the 2,000 group rows of a 500-clause
    draft) spends most of its time being parsed and planned; one array per column does not."""
    arrays = ", ".join(f"%s::{kind}[]" for _, kind in columns)
    return f"unnest({arrays}) AS v({', '.join(name for name, _ in columns)})"


def _columns(rows: list[tuple], width: int) -> list[list]:
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
        cursor.execute(f"INSERT INTO {table} ({names}) SELECT * FROM {_unnest(GROUP_COLUMNS)} "
                       f"ON CONFLICT (summary_id, group_id) DO UPDATE SET {assign} "
                       f"WHERE ({old}) IS DISTINCT FROM ({new})",
                       _columns(rows, len(GROUP_COLUMNS)))


def stale_clause_ids() -> dict[int, list[int]]:
    """Draft id -> ids of its clauses whose stored summary is stale (or missing, with changes)."""
    rows = set(ClauseSummary.objects.filter(
        Q(computed_version__lt=0)
        | Q(membership_version__lt=F("draft__definition__membership_version"))
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
