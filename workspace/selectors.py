"""Reads that only the facilitator pages need, each in a fixed number of queries."""

from django.db.models import Count, Q

from definition.models import Draft
from definition.selectors import list_clauses
from deliberation.models import Comment, Disposition

APPLICABLE = (Disposition.Status.ACCEPTED, Disposition.Status.PARTIALLY_ACCEPTED)


def editor_rows(*, draft: Draft) -> dict:
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
