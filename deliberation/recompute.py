"""Computing and storing consensus summaries (PRODUCT.md §4) from SQL aggregates.

Never a Python loop over vote rows: one GROUP BY over the votes of the clauses in question, one
small query over the (few) dispositions of objections, one over group sizes, then the pure math of
`consensus.math`.
"""

import logging
from collections import defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from definition.models import Clause, Draft, Membership

from .consensus.math import ClauseFigures, Thresholds, summarize_many
from .models import DISAPPROVING, ClauseSummary, Disposition, GroupSummary, Position, Vote

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


def mark_stale(clause_ids: Iterable[int]) -> None:
    """Record that votes on these clauses changed (inside the writing transaction)."""
    ids = sorted(set(clause_ids))  # a fixed order, so concurrent writers never deadlock
    updated = ClauseSummary.objects.filter(clause_id__in=ids).update(
        dirty_version=F("dirty_version") + 1)
    if updated < len(ids):
        for draft in Draft.objects.filter(clauses__pk__in=ids).distinct():
            ensure_summaries(draft)
        ClauseSummary.objects.filter(clause_id__in=ids, dirty_version=0).update(dirty_version=1)


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


def _stored(draft: Draft, clause_ids: list[int] | None) -> dict[int, tuple[int, int]]:
    """clause id -> (summary id, dirty version) of the stored summaries."""
    stored = ClauseSummary.objects.filter(draft=draft)
    if clause_ids is not None:
        stored = stored.filter(clause_id__in=clause_ids)
    return {c: (pk, v) for c, pk, v in stored.values_list("clause_id", "pk", "dirty_version")}


def _load(draft: Draft, clause_ids: list[int] | None) -> dict[int, tuple[int, int]]:
    stored = _stored(draft, clause_ids)
    expected = set(clause_ids) if clause_ids is not None else set(
        Clause.objects.filter(draft=draft).values_list("pk", flat=True))
    if expected - stored.keys():
        ensure_summaries(draft)
        stored = _stored(draft, clause_ids)
    return stored


def recompute(*, draft_id: int, clause_ids: list[int] | None = None) -> int:
    """Recompute and store the summaries of some (or all) clauses of a draft.

    Safe to run twice or concurrently: each summary is written only if the votes it read are at
    least as recent as those of the stored one. Returns how many summaries were written."""
    draft = Draft.objects.select_related("definition").filter(pk=draft_id).first()
    if draft is None:
        return 0
    stored = _load(draft, clause_ids)
    slugs = dict(draft.definition.groups.values_list("pk", "slug"))
    membership_version = draft.definition.membership_version
    figures = compute_figures(draft, sorted(stored), slugs, whole_draft=clause_ids is None)
    return _store(figures, stored, slugs, membership_version)


@transaction.atomic
def _store(figures: dict[int, ClauseFigures], stored: dict[int, tuple[int, int]],
           slugs: dict[int, str], membership_version: int) -> int:
    """Write the figures of each summary not already newer than what was read, in a few
    statements: lock the rows (in id order), keep those whose watermark allows, bulk update."""
    now = timezone.now()
    watermark_of = {summary_id: (clause_id, mark) for clause_id, (summary_id, mark) in
                    stored.items() if clause_id in figures}
    summaries = list(ClauseSummary.objects.select_for_update().filter(pk__in=watermark_of)
                     .order_by("pk").only("pk", "clause_id", "computed_version"))
    writable = [s for s in summaries if s.computed_version <= watermark_of[s.pk][1]]
    _bulk_write([(s.pk, *(getattr(figures[s.clause_id], f) for f in SUMMARY_FIELDS),
                  watermark_of[s.pk][1], membership_version, now) for s in writable])
    _store_groups(figures, writable, slugs)
    return len(writable)


WRITE_COLUMNS = (("id", "bigint"), ("level", "varchar"), ("balanced_approval", "float8"),
                 ("pooled_approval", "float8"), ("bridging", "float8"), ("floor", "float8"),
                 ("weakest_group", "varchar"), ("divergence", "float8"), ("enthusiasm", "float8"),
                 ("sustained_blocks", "integer"), ("open_objections", "integer"),
                 ("quorate_groups", "integer"), ("computed_version", "bigint"),
                 ("membership_version", "integer"), ("computed_at", "timestamptz"))


def _bulk_write(rows: list[tuple]) -> None:
    """One UPDATE ... FROM (VALUES ...) per 500 summaries: Django's bulk_update builds a CASE
    per field and row, which costs seconds of Python for a large draft."""
    postgres = connection.vendor == "postgresql"
    names = ", ".join(name for name, _ in WRITE_COLUMNS)
    cell = ", ".join(f"%s::{kind}" if postgres else "%s" for _, kind in WRITE_COLUMNS)
    assign = ", ".join(f"{name} = v.{name}" for name, _ in WRITE_COLUMNS[1:])
    table = ClauseSummary._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            chunk = rows[start:start + 500]
            values = ", ".join([f"({cell})"] * len(chunk))
            cursor.execute(
                f"WITH v({names}) AS (VALUES {values}) "
                f"UPDATE {table} SET {assign} FROM v WHERE {table}.id = v.id",
                [value for row in chunk for value in row])


def _store_groups(figures, summaries: list[ClauseSummary], slugs: dict[int, str]) -> None:
    """Replace the per-group rows of the written summaries (raw INSERT: thousands of rows)."""
    group_ids = {slug: pk for pk, slug in slugs.items()}
    GroupSummary.objects.filter(summary__in=[s.pk for s in summaries]).delete()
    rows = [(summary.pk, group_ids[g.group], *(getattr(g, f) for f in GROUP_FIELDS))
            for summary in summaries for g in figures[summary.clause_id].groups]
    columns = ", ".join(("summary_id", "group_id", *GROUP_FIELDS))
    cell = "(" + ", ".join(["%s"] * (2 + len(GROUP_FIELDS))) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            chunk = rows[start:start + 1000]
            cursor.execute(f"INSERT INTO {GroupSummary._meta.db_table} ({columns}) VALUES "
                           + ", ".join([cell] * len(chunk)),
                           [value for row in chunk for value in row])


def stale_clause_ids() -> dict[int, list[int]]:
    """Draft id -> ids of its clauses whose stored summary is stale."""
    rows = ClauseSummary.objects.filter(
        Q(computed_version__lt=F("dirty_version"))
        | Q(membership_version__lt=F("draft__definition__membership_version"))
    ).values_list("draft_id", "clause_id")
    stale: dict[int, list[int]] = defaultdict(list)
    for draft_id, clause_id in rows:
        stale[draft_id].append(clause_id)
    return dict(stale)


def verify_and_repair(*, draft_id: int) -> int:
    """Recompute a whole draft, compare with the fresh stored figures, log and fix mismatches.

    Returns how many fresh summaries did not match what is computed from the votes now."""
    draft = Draft.objects.select_related("definition").filter(pk=draft_id).first()
    if draft is None:
        return 0
    stored = _load(draft, None)
    slugs = dict(draft.definition.groups.values_list("pk", "slug"))
    summaries = {s.clause_id: s for s in ClauseSummary.objects.filter(draft=draft)}
    figures = compute_figures(draft, sorted(stored), slugs, whole_draft=True)
    mismatched = [cid for cid, fig in figures.items() if _fresh(summaries[cid], draft)
                  and _differs(summaries[cid], fig)]
    for clause_id in mismatched:
        log.error("consensus mismatch on clause %s of draft %s: stored %s, computed %s",
                  clause_id, draft_id, summaries[clause_id].level, figures[clause_id].level)
    _store(figures, stored, slugs, draft.definition.membership_version)
    return len(mismatched)


def _fresh(summary: ClauseSummary, draft: Draft) -> bool:
    summary.draft = draft
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
