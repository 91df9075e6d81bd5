"""Reads of votes, comments and stored consensus summaries."""

import math
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from config.errors import NotAllowed, NotFound
from config.transactions import prepared_cursor
from definition.models import Clause, Definition, Draft, Membership
from definition.permissions import is_facilitator
from definition.selectors import list_clauses

from .consensus.math import GroupCounts, summarize_clause
from .consensus.trend import build_trend, movement
from .models import ClauseSummary, Comment, Flag, GroupSummary, Vote, with_pending_changes
from .recompute import GROUP_FIELDS, SUMMARY_FIELDS, thresholds_for

# The §5.1 summary shape: what is stored, less the count of quorate groups.
SUMMARY_KEYS = tuple(field for field in SUMMARY_FIELDS if field != "quorate_groups")


def get_open_clause(*, slug: str, version: str, key: str) -> Clause | None:
    """A clause of an open draft with its draft and definition, in one query (None otherwise).

    The vote's hot path: the same rows as `select_related("draft__definition")`, from SQL written
    once (compiling that queryset costs more CPU than the database spends answering it)."""
    with prepared_cursor() as cursor:
        cursor.execute(_open_clause_sql(), [slug, version, key, Draft.Status.OPEN])
        row = cursor.fetchone()
    if row is None:
        return None
    clause, draft, definition = (_from_row(model, row, start)
                                 for model, start in _OPEN_CLAUSE_SLICES)
    draft._state.fields_cache["definition"] = definition
    clause._state.fields_cache["draft"] = draft
    return clause


_OPEN_CLAUSE_MODELS = (Clause, Draft, Definition)
_OPEN_CLAUSE_SLICES: list[tuple[type, int]] = []
_open_clause_query: list[str] = []
_converters: dict[type, list] = {}


def _open_clause_sql() -> str:
    if not _open_clause_query:
        start, columns = 0, []
        for model, alias in zip(_OPEN_CLAUSE_MODELS, "cdf", strict=True):
            _OPEN_CLAUSE_SLICES.append((model, start))
            columns += [f"{alias}.{connection.ops.quote_name(f.column)}"
                        for f in model._meta.concrete_fields]
            start += len(model._meta.concrete_fields)
        q = connection.ops.quote_name
        _open_clause_query.append(
            f"SELECT {', '.join(columns)} FROM {q(Clause._meta.db_table)} c "
            f"JOIN {q(Draft._meta.db_table)} d ON d.id = c.draft_id "
            f"JOIN {q(Definition._meta.db_table)} f ON f.id = d.definition_id "
            f"WHERE f.slug = %s AND d.version = %s AND c.{q('key')} = %s AND d.status = %s "
            "LIMIT 1")
    return _open_clause_query[0]


def _from_row(model, row, start: int):
    """A model instance from its columns, converted as the ORM converts them."""
    fields = model._meta.concrete_fields
    if model not in _converters:
        _converters[model] = [
            (col, connection.ops.get_db_converters(col) + col.get_db_converters(connection))
            for col in (f.get_col(model._meta.db_table) for f in fields)]
    values = list(row[start:start + len(fields)])
    for n, (col, converters) in enumerate(_converters[model]):
        for convert in converters:
            values[n] = convert(values[n], col, connection)
    return model.from_db(connection.alias, [f.attname for f in fields], values)


def _stored_summaries(draft: Draft, clause_ids=None) -> dict[int, ClauseSummary]:
    summaries = with_pending_changes(ClauseSummary.objects.filter(draft=draft)).prefetch_related(
        Prefetch("groups", queryset=GroupSummary.objects.select_related("group")
                 .order_by("group__slug")))
    if clause_ids is not None:
        summaries = summaries.filter(clause_id__in=clause_ids)
    return {s.clause_id: s for s in summaries}


def _summary_dict(key: str, summary: ClauseSummary | None, empty: dict, draft: Draft) -> dict:
    if summary is None or summary.computed_at is None:
        stale = summary is not None
        return {"key": key, **empty, "computed_at": None, "stale": stale}
    summary.draft = draft  # `stale` reads the definition's membership version
    data = {"key": key, **{name: getattr(summary, name) for name in SUMMARY_KEYS}}
    data["groups"] = [{"group": g.group.slug, **{name: getattr(g, name) for name in GROUP_FIELDS}}
                      for g in summary.groups.all()]
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


def get_draft_consensus(*, draft: Draft) -> dict:
    """Every clause's stored summary in reading order (PRODUCT.md §5.1), in a fixed few queries."""
    clauses = list_clauses(draft=draft)
    stored = _stored_summaries(draft)
    empty = empty_figures(draft)
    rows = [_summary_dict(c.key, stored.get(c.pk), empty, draft) for c in clauses]
    times = [row["computed_at"] for row in rows if row["computed_at"]]
    return {"draft": draft.version, "computed_at": max(times) if times else None,
            "stale": any(row["stale"] for row in rows), "clauses": rows}


def get_clause_consensus(*, clause: Clause) -> dict:
    """One clause's summary with its per-group figures and its trend across drafts."""
    draft = clause.draft
    stored = _stored_summaries(draft, [clause.pk]).get(clause.pk)
    data = _summary_dict(clause.key, stored, empty_figures(draft), draft)
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
    return {"points": [p.as_dict() for p in build_trend(points)], "movement": moves}


def _positions(clause: Clause) -> dict:
    rows = Vote.objects.filter(clause=clause).values_list("voter_id", "group__slug", "position")
    return {voter: (group, position) for voter, group, position in rows}


def _movement(before: Clause, after: Clause) -> dict:
    return movement(_positions(before), _positions(after))


# Reads for the REST API: ballots and comment threads -------------------------------------------


def can_see_voters(actor, definition) -> bool:
    """Who voted what is public unless the definition says otherwise; facilitators always see."""
    return definition.votes_public or is_facilitator(actor, definition)


def list_ballot(*, actor, clause: Clause):
    """The current votes on a clause, with voter and group; facilitators only when not public."""
    if not can_see_voters(actor, clause.draft.definition):
        raise NotAllowed("Votes on this definition are not public.")
    return Vote.objects.filter(clause=clause).select_related("voter", "group")


def _comments():
    return Comment.objects.select_related(
        "author", "clause__draft", "disposition__addressed_in", "disposition__decided_by"
    ).annotate(endorsement_count=Count("endorsements"))


def list_threads(*, clause: Clause):
    """The top-level comments of a clause, oldest first (paginate these, then `attach_replies`)."""
    return _comments().filter(clause=clause, parent=None).order_by("created_at", "id")


def attach_replies(*, clause: Clause, threads) -> list[Comment]:
    """Give each thread `.thread_replies`: every comment under it, oldest first, in one query."""
    replies = list(_comments().filter(clause=clause, parent__isnull=False)
                   .order_by("created_at", "id"))
    parent_of = {reply.pk: reply.parent_id for reply in replies}
    by_root: dict[int, list[Comment]] = {}
    for reply in replies:
        root = reply.parent_id
        while root in parent_of:
            root = parent_of[root]
        by_root.setdefault(root, []).append(reply)
    threads = list(threads)
    for thread in threads:
        thread.thread_replies = by_root.get(thread.pk, [])
    return threads


def get_comment(*, pk: int) -> Comment:
    comment = _comments().select_related("clause__draft__definition").filter(pk=pk).first()
    if comment is None:
        raise NotFound(f"No comment {pk}.", field="id")
    return comment


def opinion_result_for(analysis, *, viewer) -> dict:
    """The stored analysis with members named when votes are public (or for facilitators), and
    anonymous otherwise."""
    definition = analysis.draft.definition
    result = dict(analysis.result)
    named = definition.votes_public or is_facilitator(viewer, definition)
    users = {}
    if named:
        ids = [p["member"] for p in result.get("positions", [])]
        users = dict(get_user_model().objects.filter(pk__in=ids).values_list("pk", "username"))
    result["positions"] = [{**p, "member": users.get(p["member"]) if named else None}
                           for p in result.get("positions", [])]
    return result


# The facilitators' workspace: disposition of comments, the desk ----------------------------------

REPORT_FIELDS = ("id", "clause", "number", "kind", "position", "author", "author_verified",
                 "created_at", "hidden", "hidden_reason", "body", "proposed_text", "status",
                 "response", "addressed_in", "duplicate_of", "decided_by", "decided_at",
                 "acknowledgement", "acknowledgement_note", "acknowledged_at")


def list_dispositioned_comments(*, draft: Draft):
    """Every top-level comment, suggestion and objection of a draft, with its disposition, in
    reading order of the clauses (paginate this, then `disposition_rows`)."""
    return (Comment.objects.filter(clause__draft=draft, parent=None)
            .select_related("author", "clause", "vote", "disposition__addressed_in",
                            "disposition__decided_by")
            .order_by("clause__position", "clause_id", "created_at", "id"))


def _acknowledgement(disposition) -> str | None:
    if disposition is None or disposition.acknowledged_satisfied is None:
        return None
    return "satisfied" if disposition.acknowledged_satisfied else "not-satisfied"


def _report_row(comment: Comment, number: str, *, moderator: bool, see_voters: bool) -> dict:
    disposition = getattr(comment, "disposition", None)
    secret = comment.kind == Comment.Kind.OBJECTION and not see_voters
    masked = comment.hidden and not moderator
    return {
        "id": comment.pk, "clause": comment.clause.key, "number": number, "kind": comment.kind,
        "position": comment.vote.position if comment.vote_id else None,
        "author": None if secret else comment.author.username,
        "author_verified": comment.author_verified, "created_at": comment.created_at,
        "hidden": comment.hidden, "hidden_reason": comment.hidden_reason,
        "body": "" if masked else comment.body,
        "proposed_text": "" if masked else comment.proposed_text,
        "status": disposition.status if disposition else None,
        "response": disposition.response if disposition else "",
        "addressed_in": disposition.addressed_in.version
        if disposition and disposition.addressed_in_id else None,
        "duplicate_of": disposition.duplicate_of_id if disposition else None,
        "decided_by": disposition.decided_by.username
        if disposition and disposition.decided_by_id else None,
        "decided_at": disposition.decided_at if disposition else None,
        "acknowledgement": _acknowledgement(disposition),
        "acknowledgement_note": disposition.acknowledgement_note if disposition else "",
        "acknowledged_at": disposition.acknowledged_at if disposition else None,
    }


def disposition_rows(*, draft: Draft, comments, viewer) -> list[dict]:
    """The disposition-of-comments report rows as `viewer` may see them: objections name their
    author only when votes are public (or for facilitators); hidden text only for facilitators.
    Acknowledgement is `satisfied`, `not-satisfied` or null."""
    moderator = is_facilitator(viewer, draft.definition)
    see_voters = moderator or draft.definition.votes_public
    numbers = {c.pk: c.number for c in list_clauses(draft=draft)}
    return [_report_row(c, numbers.get(c.clause_id, ""), moderator=moderator,
                        see_voters=see_voters) for c in comments]


@dataclass
class DeskSummary:
    """What a facilitator has to act on in one definition (see `desk_summary`)."""

    draft: Draft | None
    days_left: int | None
    pending_memberships: list
    undisposed: list
    sustained_blocks: list
    flagged: list
    clauses_by_level: dict[str, list] = field(default_factory=dict)


LEVEL_ORDER = ("blocked", "contested", "opposed", "none", "insufficient", "rough", "strong")


def _days_left(draft: Draft | None, now) -> int | None:
    """Whole days left in the comment period, rounded up (0 once it has ended)."""
    if draft is None or draft.closes_at is None:
        return None
    seconds = (draft.closes_at - now).total_seconds()
    return max(0, math.ceil(seconds / 86400))


def _clauses_by_level(draft: Draft | None) -> dict[str, list]:
    if draft is None:
        return {}
    levels = dict(ClauseSummary.objects.filter(draft=draft).values_list("clause_id", "level"))
    grouped: dict[str, list] = {level: [] for level in LEVEL_ORDER}
    for clause in list_clauses(draft=draft):
        clause.level = levels.get(clause.pk, "insufficient")
        grouped.setdefault(clause.level, []).append(clause)
    return {level: clauses for level, clauses in grouped.items() if clauses}


def _desk_comments(definition):
    return (Comment.objects.filter(clause__draft__definition=definition)
            .select_related("author", "clause__draft", "vote").order_by("created_at", "id"))


def _sustained_blocks(draft: Draft | None) -> list:
    if draft is None:
        return []
    ended = Q(disposition__status__in=("resolved", "overruled"))
    return list(_desk_comments(draft.definition_id)
                .filter(clause__draft=draft, kind=Comment.Kind.OBJECTION,
                        vote__position="block",
                        vote__membership__status=Membership.Status.VERIFIED).exclude(ended))


def _flagged(definition) -> list:
    open_flags = Flag.objects.filter(resolved=False).select_related("user").order_by("created_at")
    return list(_desk_comments(definition)
                .filter(flags__resolved=False).distinct()
                .prefetch_related(Prefetch("flags", queryset=open_flags, to_attr="open_flags")))


def desk_summary(*, definition, now=None) -> DeskSummary:
    """The facilitator desk of a definition, in a fixed number of queries whatever its size.

    Pending memberships (with affiliation and conflict of interest); top-level comments,
    suggestions and objections of any published draft without a disposition (hidden ones
    excluded); sustained blocks, clauses by consensus level and days left of the open draft;
    comments with open flags (`.open_flags`)."""
    now = now or timezone.now()
    draft = Draft.objects.filter(definition=definition, status=Draft.Status.OPEN).first()
    pending = list(Membership.objects.filter(definition=definition,
                                             status=Membership.Status.PENDING)
                   .select_related("user", "group").order_by("created_at", "id"))
    undisposed = list(_desk_comments(definition)
                      .filter(parent=None, hidden=False, disposition__isnull=True))
    return DeskSummary(draft=draft, days_left=_days_left(draft, now),
                       pending_memberships=pending, undisposed=undisposed,
                       sustained_blocks=_sustained_blocks(draft), flagged=_flagged(definition),
                       clauses_by_level=_clauses_by_level(draft))
