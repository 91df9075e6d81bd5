"""Re-voting help (#14 item 4): new / changed / unchanged clauses since the previous draft, the
member's earlier positions carried forward through the vote service, progress, still to vote."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import Conflict, NotAllowed
from definition.models import Draft
from definition.services import create_draft, publish_draft
from deliberation.models import Comment, Vote
from deliberation.votes.carry import carry_positions_forward
from deliberation.votes.revote import list_revote_marks, list_still_to_vote
from deliberation.votes.services import cast_vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def unchanged(revoted, facilitator):
    """0.1, open, copied unchanged from 0.0.8 (0.0.9 closes)."""
    third = create_draft(actor=facilitator, definition=revoted.definition, version="0.1",
                         based_on=Draft.objects.get(version="0.0.8"))
    publish_draft(actor=facilitator, draft=third, closes_at=timezone.now() + timedelta(days=7))
    third.refresh_from_db()
    return third


def _marks(draft, user):
    from definition.selectors import list_clauses

    marks = list_revote_marks(draft=draft, clauses=list_clauses(draft=draft), user=user)
    by_key = {c.key: marks[c.pk] for c in list_clauses(draft=draft)}
    return {k: (m["status"], m["previous_vote"].position if m["previous_vote"] else None)
            for k, m in by_key.items()}


def test_each_clause_is_marked_new_changed_or_unchanged_with_the_earlier_position(revoted,
                                                                                  member):
    assert _marks(revoted, member) == {"preamble": ("unchanged", None),
                                       "why": ("unchanged", "support"),
                                       "freedoms": ("changed", "oppose"),
                                       "scope": ("new", None)}


def test_a_renamed_clause_follows_its_derived_from_key(revoted, member, facilitator):
    third = create_draft(actor=facilitator, definition=revoted.definition, version="0.1",
                         based_on=Draft.objects.get(version="0.0.8"))
    third.clauses.filter(key="why").update(key="benefits", derived_from=["why"])
    assert _marks(third, member)["benefits"] == ("unchanged", "support")


def test_carrying_forward_casts_a_new_vote_on_each_unchanged_clause_only(revoted, member):
    votes = carry_positions_forward(actor=member, draft=revoted)
    assert [(v.clause.key, v.position) for v in votes] == [("why", "support")]
    carried = Vote.objects.get(clause__draft=revoted, voter=member)
    assert carried.clause.key == "why" and carried.group.slug == "developers"
    assert carried.history.count() == 1  # its own history, on the new draft
    old = Vote.objects.get(clause__draft__version="0.0.8", clause__key="why", voter=member)
    assert old.history.count() == 1  # the earlier vote is untouched
    assert carry_positions_forward(actor=member, draft=revoted) == []  # nothing left to carry


def test_carrying_an_objection_forward_raises_it_again_on_the_new_draft(unchanged, member):
    votes = carry_positions_forward(actor=member, draft=unchanged)
    assert [(v.clause.key, v.position, v.rationale) for v in votes] == [
        ("why", "support", ""), ("freedoms", "oppose", "Too broad.")]
    assert Comment.objects.filter(clause__draft=unchanged, kind="objection").count() == 1


def test_carrying_forward_named_clauses_only(revoted, member, facilitator):
    assert carry_positions_forward(actor=member, draft=revoted, keys=["freedoms"]) == []
    assert len(carry_positions_forward(actor=member, draft=revoted, keys=["why"])) == 1


def test_carrying_forward_is_for_members_of_open_drafts(revoted, user, member):
    with pytest.raises(NotAllowed):
        carry_positions_forward(actor=user, draft=revoted)
    with pytest.raises(Conflict):
        carry_positions_forward(actor=member, draft=Draft.objects.get(version="0.0.8"))
    assert Vote.objects.filter(clause__draft=revoted).count() == 0


def test_carrying_forward_is_all_or_nothing(unchanged, member, monkeypatch):
    from deliberation.votes import carry

    calls = []

    def failing_cast(**kwargs):
        calls.append(kwargs["clause"].key)
        if len(calls) == 2:
            raise Conflict("stop", field="draft")
        return cast_vote(**kwargs)

    monkeypatch.setattr(carry, "cast_vote", failing_cast)
    with pytest.raises(Conflict):
        carry_positions_forward(actor=member, draft=unchanged)
    assert calls == ["why", "freedoms"]
    assert Vote.objects.filter(clause__draft=unchanged).count() == 0


def test_still_to_vote_lists_the_open_drafts_clauses_without_a_vote(revoted, member):
    cast_vote(actor=member, clause=revoted.clauses.get(key="scope"), position="accept")
    [entry] = list_still_to_vote(user=member)
    assert entry["draft"].version == "0.0.9"
    assert (entry["voted"], entry["votable"]) == (1, 3)
    assert [c.key for c in entry["to_vote"]] == ["why", "freedoms"]
