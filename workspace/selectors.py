"""Reads that only the facilitator pages need, each in a fixed number of queries."""

import math
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from definition.models import Draft, Membership
from definition.selectors import list_clauses
from deliberation.models import ClauseSummary, Comment, Disposition, Flag

APPLICABLE = (Disposition.Status.ACCEPTED, Disposition.Status.PARTIALLY_ACCEPTED)
HIDDEN_LIMIT = 100
LEVEL_ORDER = ("blocked", "contested", "opposed", "none", "insufficient", "rough", "strong")


def list_hidden_comments(*, definition):
    """The latest hidden comments of a definition, to restore."""
    return list(Comment.objects.filter(clause__draft__definition=definition, hidden=True)
                .select_related("author", "clause__draft", "hidden_by")
                .order_by("-created_at", "-id")[:HIDDEN_LIMIT])


def list_drafts_for_answers(*, definition) -> list[Draft]:
    """Drafts a disposition can say it was addressed in, newest first."""
    return list(Draft.objects.filter(definition=definition).order_by("-created_at", "-id"))


def get_editor_rows(*, draft: Draft) -> dict:
    """The clauses of an editing draft in order and the suggestions on the draft it is based
    on that can be applied (accepted, partially accepted or without disposition), each with
    the clause of this draft it would change (`target`, None when there is none)."""
    clauses = list_clauses(draft=draft)
    by_key = {c.key: c for c in clauses}
    derived = {}
    for clause in clauses:
        for key in clause.derived_from:
            derived.setdefault(key, clause)
    suggestions = []
    if draft.based_on_id is not None:
        suggestions = list(
            Comment.objects.filter(clause__draft_id=draft.based_on_id, parent=None, hidden=False,
                                   kind=Comment.Kind.SUGGESTION)
            .filter(Q(disposition__isnull=True) | Q(disposition__status__in=APPLICABLE))
            .select_related("author", "clause", "disposition__addressed_in")
            .annotate(endorsement_count=Count("endorsements"))
            .order_by("clause__position", "clause_id", "created_at", "id"))
    for suggestion in suggestions:
        key = suggestion.clause.key
        suggestion.target = by_key.get(key) or derived.get(key)
    return {"clauses": clauses, "suggestions": suggestions}



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


def get_desk_summary(*, definition, now=None) -> DeskSummary:
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
