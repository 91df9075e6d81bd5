"""Carry a member's positions forward to a new draft: one new vote (with its own history) per
unchanged clause, each through the vote service."""

from django.db import transaction

from definition.models import Draft
from definition.selectors import list_clauses
from deliberation.models import Vote
from deliberation.rules import require_member, require_open
from deliberation.votes.revote import UNCHANGED, list_revote_marks, votable
from deliberation.votes.services import cast_vote


@transaction.atomic
def carry_positions_forward(*, actor, draft: Draft, keys: list[str] | None = None) -> list[Vote]:
    """Cast again, on every clause of `draft` left unchanged since the draft it was based on
    (only those of `keys` when given) and not voted on yet, the position and rationale the actor
    holds on that clause in the previous draft. All or nothing; returns the new votes."""
    require_open(draft, "votes")
    require_member(actor, draft.definition)
    clauses = list_clauses(draft=draft)
    marks = list_revote_marks(draft=draft, clauses=clauses, user=actor)
    voted = set(Vote.objects.filter(clause__draft=draft, voter=actor)
                .values_list("clause_id", flat=True))
    votes = []
    for clause in clauses:
        mark = marks.get(clause.pk)
        if (mark is None or mark["status"] != UNCHANGED or mark["previous_vote"] is None
                or clause.pk in voted or not votable(clause)
                or (keys is not None and clause.key not in keys)):
            continue
        clause.draft = draft
        previous = mark["previous_vote"]
        votes.append(cast_vote(actor=actor, clause=clause, position=previous.position,
                               rationale=previous.rationale))
    return votes
