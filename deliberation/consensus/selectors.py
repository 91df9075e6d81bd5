"""Reads of the stored consensus: a draft's and a clause's summaries, the trend across drafts,
the opinion groups as a viewer may see them."""

from collections import defaultdict

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Q

from core.paging import page_of_list
from definition.models import Clause, Draft, Membership
from definition.permissions import is_facilitator
from definition.selectors import list_clauses
from deliberation.consensus.math import GroupCounts, summarize_clause
from deliberation.consensus.opinion import MemberPosition, map_cells
from deliberation.consensus.recompute import GROUP_FIELDS, SUMMARY_FIELDS, thresholds_for
from deliberation.consensus.trend import build_trend, movement
from deliberation.models import (
    ClauseSummary,
    GroupSummary,
    OpinionAnalysis,
    Vote,
    with_pending_changes,
)

# The §5.1 summary shape: what is stored, less the count of quorate groups.
SUMMARY_KEYS = tuple(field for field in SUMMARY_FIELDS if field != "quorate_groups")


def _stored_summaries(draft: Draft, clause_ids=None) -> dict[int, ClauseSummary]:
    """The summaries, each with `group_rows`: its per-group figures as plain dicts, by group
    slug (two queries; the group rows are read as values, not as models, since a page of 50
    clauses has 200 of them)."""
    summaries = with_pending_changes(ClauseSummary.objects.filter(draft=draft))
    if clause_ids is not None:
        summaries = summaries.filter(clause_id__in=clause_ids)
    summaries = list(summaries)
    rows = defaultdict(list)
    for row in (GroupSummary.objects.filter(summary__in=[s.pk for s in summaries])
                .order_by("summary_id", "group__slug")
                .values("summary_id", "group__slug", *GROUP_FIELDS)):
        summary_id = row.pop("summary_id")
        rows[summary_id].append({"group": row.pop("group__slug"), **row})
    for summary in summaries:
        summary.group_rows = rows.get(summary.pk, [])
    return {s.clause_id: s for s in summaries}


def _summary_dict(key: str, summary: ClauseSummary | None, empty: dict, draft: Draft) -> dict:
    if summary is None or summary.computed_at is None:
        stale = summary is not None
        return {"key": key, **empty, "computed_at": None, "stale": stale}
    summary.draft = draft  # `stale` reads the definition's membership version
    data = {"key": key, **{name: getattr(summary, name) for name in SUMMARY_KEYS}}
    data["groups"] = summary.group_rows
    data.update(computed_at=summary.computed_at, stale=summary.stale)
    return data


def empty_figures(draft: Draft) -> dict:
    """The figures of a clause nobody has voted on yet (no computation needed)."""
    verified = dict(Membership.objects.filter(definition=draft.definition_id,
                                              status=Membership.Status.VERIFIED)
                    .values_list("group__slug").annotate(n=Count("id")).order_by())
    groups = [GroupCounts(slug, verified_members=verified.get(slug, 0))
              for slug in draft.definition.groups.values_list("slug", flat=True)]
    return summarize_clause(groups, thresholds=thresholds_for(draft.definition)).as_dict()


def takes_votes(clause: Clause, draft: Draft) -> bool:
    """Whether a clause is on the ballot and has figures: sections (a heading without body) are
    not, unless the definition's `sections_votable` says so (PRODUCT.md §2)."""
    return draft.definition.sections_votable or not clause.is_section


def get_draft_consensus(*, draft: Draft, clauses: list[Clause] | None = None,
                        leave_out=()) -> dict:
    """Every clause's stored summary in reading order (PRODUCT.md §5.1), in a fixed few queries.

    With `clauses` (a page of the draft's clauses), only theirs are read; `computed_at` and
    `stale` still describe the whole draft (one aggregate query more) less the clause ids in
    `leave_out`."""
    whole = clauses is None
    clauses = list_clauses(draft=draft) if whole else clauses
    stored = _stored_summaries(draft, None if whole else [c.pk for c in clauses])
    empty = empty_figures(draft)
    rows = [_summary_dict(c.key, stored.get(c.pk), empty, draft) for c in clauses]
    if not whole:
        return {"draft": draft.version, **draft_freshness(draft=draft, leave_out=leave_out),
                "clauses": rows}
    times = [row["computed_at"] for row in rows if row["computed_at"]]
    return {"draft": draft.version, "computed_at": max(times) if times else None,
            "stale": any(row["stale"] for row in rows), "clauses": rows}


DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


def get_draft_consensus_page(*, draft: Draft, page: int = 1,
                             page_size: int = DEFAULT_PAGE_SIZE) -> dict:
    """One page of `get_draft_consensus` (the API's `?page=&page_size=`): the consensus of the
    page's clauses, how many clauses the draft has, and the previous and next page numbers.
    A page past the end is empty. Sections are left out (and not counted) unless they take
    votes in this definition, as on the pages."""
    every = list_clauses(draft=draft)
    clauses = [c for c in every if takes_votes(c, draft)]
    sections = [c.pk for c in every if not takes_votes(c, draft)]
    start = (page - 1) * page_size
    shown = clauses[start:start + page_size]
    consensus = get_draft_consensus(draft=draft, clauses=shown, leave_out=sections)
    links = {"previous": page - 1 if page > 1 else None,
             "next": page + 1 if start + page_size < len(clauses) else None}
    return {"consensus": consensus, "count": len(clauses), "links": links}


def draft_freshness(*, draft: Draft, leave_out=()) -> dict:
    """`computed_at` (the newest summary) and `stale` (any summary stale) of a whole draft (less
    the clause ids in `leave_out`), in one query: the same as reading every summary, without
    reading them."""
    stale = (Q(computed_at=None) | Q(computed_version__lt=0) | Q(pending_changes=True)
             | Q(membership_version__lt=draft.definition.membership_version))
    summaries = ClauseSummary.objects.filter(draft=draft)
    if leave_out:
        summaries = summaries.exclude(clause_id__in=list(leave_out))
    figures = with_pending_changes(summaries).aggregate(
        latest=Max("computed_at"), stale_rows=Count("pk", filter=stale))
    return {"computed_at": figures["latest"], "stale": bool(figures["stale_rows"])}


def list_levels(*, draft: Draft) -> dict[int, tuple[str, str | None]]:
    """(level, weakest group) of every clause with a computed summary, by clause id: what the
    dashboard filters on, without the per-group rows."""
    rows = (ClauseSummary.objects.filter(draft=draft).exclude(computed_at=None)
            .values_list("clause_id", "level", "weakest_group"))
    return {clause_id: (level, weakest) for clause_id, level, weakest in rows}


def get_clause_consensus(*, clause: Clause, trend: bool = True) -> dict:
    """One clause's summary with its per-group figures and (unless `trend` is false) its trend
    across drafts."""
    draft = clause.draft
    stored = _stored_summaries(draft, [clause.pk]).get(clause.pk)
    data = _summary_dict(clause.key, stored, empty_figures(draft), draft)
    if trend:
        data["trend"] = get_trend(clause=clause)
    return data


def _lineage(clause: Clause) -> list[Clause]:
    """The clause in every published draft up to its own, oldest first (same key, or a key it
    was derived from)."""
    keys = {clause.key, *clause.derived_from}
    candidates = (Clause.objects.filter(draft__definition=clause.draft.definition_id, key__in=keys,
                                        draft__created_at__lte=clause.draft.created_at)
                  .exclude(draft__status=Draft.Status.EDITING).exclude(draft=clause.draft)
                  .select_related("draft", "summary").order_by("draft__created_at", "draft_id"))
    by_draft: dict[int, Clause] = {}
    for candidate in candidates:
        if candidate.key == clause.key or candidate.draft_id not in by_draft:
            by_draft[candidate.draft_id] = candidate
    current = Clause.objects.select_related("draft", "summary").get(pk=clause.pk)
    return [*by_draft.values(), current]


def get_trend(*, clause: Clause) -> dict:
    """Per version: B, C, F, level, text changed; deltas; and per group the voters who moved."""
    lineage = _lineage(clause)
    points, previous = [], None
    for item in lineage:
        summary = getattr(item, "summary", None)
        figures = {name: getattr(summary, name, None) for name in SUMMARY_KEYS}
        figures["level"] = figures["level"] or "insufficient"
        changed = previous is not None and (previous.body, previous.heading) != (
            item.body, item.heading)
        points.append((item.draft.version, figures, changed))
        previous = item
    moves = _movement(lineage[-2], lineage[-1]) if len(lineage) > 1 else {}
    return {"points": [p.as_dict() for p in build_trend(points)], "movement": moves,
            "groups": _group_trend(lineage)}


def _group_trend(lineage: list[Clause]) -> list[dict]:
    """Per stakeholder group, its smoothed approval (and whether quorate) in each version of the
    lineage, oldest first (None where it has no figures: no summary, or no decisive vote, whose
    smoothed 50 % would read as a figure). One query."""
    rows = (GroupSummary.objects.filter(summary__clause__in=[c.pk for c in lineage])
            .values_list("summary__clause_id", "group__slug", "approval", "quorate", "decisive")
            .order_by("group__position", "group__slug"))
    by_group: dict[str, dict[int, tuple[float | None, bool]]] = {}
    for clause_id, slug, approval, quorate, decisive in rows:
        by_group.setdefault(slug, {})[clause_id] = (approval if decisive else None, quorate)
    return [{"group": slug, "points": [
        {"version": c.draft.version, "approval": figures.get(c.pk, (None, False))[0],
         "quorate": figures.get(c.pk, (None, False))[1]} for c in lineage]}
        for slug, figures in by_group.items()]


def _positions(clause: Clause) -> dict:
    rows = Vote.objects.filter(clause=clause).values_list("voter_id", "group__slug", "position")
    return {voter: (group, position) for voter, group, position in rows}


def _movement(before: Clause, after: Clause) -> dict:
    return movement(_positions(before), _positions(after))


def get_stored_opinion_analysis(*, draft: Draft) -> OpinionAnalysis | None:
    """The latest stored opinion-group analysis of a draft, if any."""
    return OpinionAnalysis.objects.filter(draft=draft).first()


POSITIONS_PAGE_SIZE = 200  # members per page of the analysis' positions (API `?page=`)
MAP_NAMES = 3  # names shown per cell of the map when votes are public


def get_opinion_result(analysis, *, viewer, page: str = "") -> dict:
    """The stored analysis in a size that does not grow with the members: the map binned into
    cells (`map`, each with its count and, when votes are public or for facilitators, the first
    names), and one page of the members' positions (`positions`, `positions_page`). Members are
    named when votes are public (or for facilitators), anonymous otherwise."""
    definition = analysis.draft.definition
    result = dict(analysis.result)
    named = definition.votes_public or is_facilitator(viewer, definition)
    positions = result.get("positions", [])
    cells = result.get("map")
    if cells is None:  # stored before the map was: bin it now
        cells = [{**vars(cell), "members": list(cell.members)} for cell in map_cells(
            [MemberPosition(p["member"], p["x"], p["y"], p["group"]) for p in positions])]
    number, offset, pages = page_of_list(len(positions), page, POSITIONS_PAGE_SIZE)
    shown = positions[offset:offset + POSITIONS_PAGE_SIZE]
    users = {}
    if named:
        ids = {p["member"] for p in shown}
        ids.update(m for cell in cells for m in cell.get("members", [])[:MAP_NAMES])
        users = dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "username"))
    result["positions"] = [{**p, "member": users.get(p["member"]) if named else None}
                           for p in shown]
    result["positions_page"] = {"page": number, "pages": pages, "count": len(positions),
                                "page_size": POSITIONS_PAGE_SIZE}
    result["map"] = [{"x": cell["x"], "y": cell["y"], "group": cell["group"],
                      "count": cell["count"],
                      "names": [users[m] for m in cell.get("members", [])[:MAP_NAMES]
                                if m in users] if named else []} for cell in cells]
    return result
