"""Reads that only the facilitator pages need, each in a fixed number of queries."""

from django.db.models import Count, Q

from definition.models import Draft
from definition.selectors import list_clauses
from deliberation.models import Comment, Disposition

APPLICABLE = (Disposition.Status.ACCEPTED, Disposition.Status.PARTIALLY_ACCEPTED)


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
    _mark_states(suggestions)
    _mark_clauses(clauses, suggestions, draft)
    return {"clauses": clauses, "suggestions": suggestions}


def _mark_states(suggestions: list) -> None:
    """Each suggestion's `state`: `applied` (the clause holds its text), `conflicting` (the
    clause changed since it was made: `.applied_instead` names the applied suggestion, if one
    is), `open`; or None when this draft has no clause for it."""
    applied = {}
    for s in suggestions:
        if s.target is not None and s.target.body == s.proposed_text:
            applied.setdefault(s.target.pk, s)
    for s in suggestions:
        s.applied_instead = None
        if s.target is None:
            s.state = None
        elif s.target.body == s.proposed_text:
            s.state = "applied"
        elif s.target.body != s.clause.body:
            s.state, s.applied_instead = "conflicting", applied.get(s.target.pk)
        else:
            s.state = "open"


def _mark_clauses(clauses: list, suggestions: list, draft: Draft) -> None:
    """Each clause's `changed` (new, or its heading or text differs from the same key, or the
    key it derives from, in `based_on`) and `suggestion_count` (one query)."""
    before = {}
    if draft.based_on_id is not None:
        before = {c.key: (c.heading, c.body) for c in list_clauses(draft=draft.based_on)}
    counts = {}
    for s in suggestions:
        if s.target is not None:
            counts[s.target.pk] = counts.get(s.target.pk, 0) + 1
    for clause in clauses:
        sources = [clause.key, *clause.derived_from]
        old = next((before[k] for k in sources if k in before), None)
        clause.changed = old != (clause.heading, clause.body)
        clause.suggestion_count = counts.get(clause.pk, 0)


def list_comments_of(*, definition, ids: list[int]) -> list[Comment]:
    """The comments of the definition among `ids` (what a bulk answer names), with their draft."""
    return list(Comment.objects.filter(pk__in=ids, clause__draft__definition=definition)
                .select_related("clause__draft__definition"))
