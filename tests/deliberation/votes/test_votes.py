"""Votes: who may vote, when, rationales of objections, the group snapshot and the history."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import Conflict, InvalidInput, NotAllowed
from definition.models import Draft, Membership
from deliberation.models import Comment, Vote
from deliberation.votes.services import cast_vote, retract_vote
from tests.factories import DefinitionFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db



def test_a_verified_member_casts_a_vote_with_their_group(member, clause):
    vote = cast_vote(actor=member, clause=clause, position="support")

    row = Vote.objects.get(clause=clause, voter=member)
    assert row.pk == vote.pk
    assert (row.position, row.rationale, row.group.slug) == ("support", "", "developers")
    assert row.membership == Membership.objects.get(user=member)
    assert not Comment.objects.exists()


def test_casting_again_changes_the_one_vote(member, clause):
    cast_vote(actor=member, clause=clause, position="support")
    cast_vote(actor=member, clause=clause, position="abstain")

    assert list(Vote.objects.filter(clause=clause).values_list("position", flat=True)) == [
        "abstain"
    ]


def test_each_member_has_their_own_vote(members, clause):
    cast_vote(actor=members["developers-1"], clause=clause, position="support")
    cast_vote(actor=members["lawyers-2"], clause=clause, position="accept")

    assert sorted(Vote.objects.values_list("group__slug", "position")) == [
        ("developers", "support"),
        ("lawyers", "accept"),
    ]


def test_a_member_retracts_their_vote(member, clause):
    cast_vote(actor=member, clause=clause, position="support")

    retract_vote(actor=member, clause=clause)

    assert Vote.objects.filter(clause=clause).count() == 0


def test_retracting_without_a_vote_is_refused(member, clause):
    with pytest.raises(InvalidInput) as exc:
        retract_vote(actor=member, clause=clause)

    assert exc.value.field == "position"


def test_an_unknown_position_is_refused(member, clause):
    with pytest.raises(InvalidInput) as exc:
        cast_vote(actor=member, clause=clause, position="maybe")

    assert exc.value.field == "position"
    assert Vote.objects.count() == 0


@pytest.mark.parametrize("status", ["pending", "rejected", "revoked"])
def test_only_verified_members_vote(definition, clause, status):
    person = UserFactory(username=f"person-{status}")
    MembershipFactory(user=person, definition=definition, status=status)

    with pytest.raises(NotAllowed):
        cast_vote(actor=person, clause=clause, position="support")

    assert Vote.objects.count() == 0


def test_a_registered_non_member_cannot_vote(user, clause):
    with pytest.raises(NotAllowed):
        cast_vote(actor=user, clause=clause, position="support")

    assert Vote.objects.count() == 0


def test_an_anonymous_visitor_cannot_vote(clause):
    with pytest.raises(NotAllowed):
        cast_vote(actor=AnonymousUser(), clause=clause, position="support")
    with pytest.raises(NotAllowed):
        retract_vote(actor=AnonymousUser(), clause=clause)

    assert Vote.objects.count() == 0


def test_a_member_of_another_definition_cannot_vote(clause):
    outsider = UserFactory(username="outsider")
    MembershipFactory(user=outsider, definition=DefinitionFactory(slug="other"))

    with pytest.raises(NotAllowed):
        cast_vote(actor=outsider, clause=clause, position="support")

    assert Vote.objects.count() == 0


def test_a_facilitator_who_is_not_a_member_cannot_vote(facilitator, clause):
    with pytest.raises(NotAllowed):
        cast_vote(actor=facilitator, clause=clause, position="support")

    assert Vote.objects.count() == 0


def test_a_revoked_member_cannot_retract(member, facilitator, clause):
    cast_vote(actor=member, clause=clause, position="support")
    Membership.objects.filter(user=member).update(status="revoked")

    with pytest.raises(NotAllowed):
        retract_vote(actor=member, clause=clause)

    assert Vote.objects.filter(voter=member).count() == 1


@pytest.mark.parametrize("status", ["editing", "closed", "final"])
def test_it_rejects_a_vote_on_a_draft_that_is_not_open(member, editing_draft, status):
    Draft.objects.filter(pk=editing_draft.pk).update(status=status)
    clause = editing_draft.clauses.get(key="freedoms")

    with pytest.raises(Conflict) as exc:
        cast_vote(actor=member, clause=clause, position="support")

    assert exc.value.field == "draft"
    assert Vote.objects.count() == 0


def test_it_rejects_a_vote_after_the_comment_period_ended(member, clause):
    Draft.objects.filter(pk=clause.draft_id).update(closes_at=timezone.now() - timedelta(seconds=1))
    clause.draft.refresh_from_db()

    with pytest.raises(Conflict) as exc:
        cast_vote(actor=member, clause=clause, position="support")

    assert exc.value.field == "draft"
    assert Vote.objects.count() == 0


def test_it_rejects_a_retraction_on_a_closed_draft(member, clause):
    cast_vote(actor=member, clause=clause, position="support")
    Draft.objects.filter(pk=clause.draft_id).update(status="closed")
    clause.draft.refresh_from_db()

    with pytest.raises(Conflict):
        retract_vote(actor=member, clause=clause)

    assert Vote.objects.filter(voter=member).count() == 1


@pytest.mark.parametrize("position", ["oppose", "block"])
@pytest.mark.parametrize("rationale", ["", "   \n "])
def test_an_objection_needs_a_rationale(member, clause, position, rationale):
    with pytest.raises(InvalidInput) as exc:
        cast_vote(actor=member, clause=clause, position=position, rationale=rationale)

    assert exc.value.field == "rationale"
    assert Vote.objects.count() == 0
    assert Comment.objects.count() == 0


def test_a_rationale_longer_than_the_limit_is_refused(member, clause):
    with pytest.raises(InvalidInput) as exc:
        cast_vote(actor=member, clause=clause, position="oppose", rationale="x" * 10001)

    assert exc.value.field == "rationale"


@pytest.mark.parametrize("position", ["oppose", "block"])
def test_the_database_requires_a_rationale_for_an_objection(member, clause, position):
    membership = Membership.objects.get(user=member)

    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(
            clause=clause,
            voter=member,
            membership=membership,
            group=membership.group,
            position=position,
            rationale="",
        )

    assert Vote.objects.count() == 0


def test_the_database_refuses_an_unknown_position(member, clause):
    membership = Membership.objects.get(user=member)

    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(
            clause=clause,
            voter=member,
            membership=membership,
            group=membership.group,
            position="maybe",
        )


def test_the_database_allows_one_vote_per_member_and_clause(member, clause):
    cast_vote(actor=member, clause=clause, position="support")
    membership = Membership.objects.get(user=member)

    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(
            clause=clause,
            voter=member,
            membership=membership,
            group=membership.group,
            position="accept",
        )

    assert Vote.objects.filter(clause=clause, voter=member).count() == 1


def test_a_member_votes_on_each_clause_separately(member, published_draft):
    for clause in published_draft.clauses.exclude(body=""):  # sections take no vote
        cast_vote(actor=member, clause=clause, position="accept")

    assert Vote.objects.filter(voter=member).count() == 2


def test_the_group_at_voting_time_stays_when_the_member_changes_group(member, definition, clause):
    vote = cast_vote(actor=member, clause=clause, position="support")

    Membership.objects.filter(user=member).update(group=definition.groups.get(slug="lawyers"))

    vote.refresh_from_db()
    assert vote.group.slug == "developers"


def test_history_keeps_the_earlier_group_when_a_member_revotes_from_a_new_group(
    member, definition, clause
):
    cast_vote(actor=member, clause=clause, position="support")
    Membership.objects.filter(user=member).update(group=definition.groups.get(slug="lawyers"))

    vote = cast_vote(actor=member, clause=clause, position="support")

    assert vote.group.slug == "lawyers"
    groups = [h.group.slug for h in vote.history.order_by("history_id")]
    assert groups == ["developers", "lawyers"]


def test_every_change_of_a_vote_is_kept_in_history(member, clause):
    cast_vote(actor=member, clause=clause, position="support")
    cast_vote(actor=member, clause=clause, position="accept")
    cast_vote(actor=member, clause=clause, position="accept")  # no change, no history row
    vote = cast_vote(actor=member, clause=clause, position="oppose", rationale="Too vague.")
    cast_vote(actor=member, clause=clause, position="oppose", rationale="Far too vague.")
    retract_vote(actor=member, clause=clause)

    rows = Vote.history.filter(id=vote.pk).order_by("history_id")
    assert [(r.history_type, r.position, r.rationale) for r in rows] == [
        ("+", "support", ""),
        ("~", "accept", ""),
        ("~", "oppose", "Too vague."),
        ("~", "oppose", "Far too vague."),
        ("-", "oppose", "Far too vague."),
    ]
    assert Vote.objects.count() == 0


@pytest.mark.parametrize("position", ["oppose", "block"])
def test_an_objection_becomes_a_comment_linked_to_the_vote(member, clause, position):
    vote = cast_vote(
        actor=member, clause=clause, position=position, rationale="  It excludes training data.  "
    )

    objection = Comment.objects.get()
    assert objection.vote == vote
    assert (objection.kind, objection.body, objection.author) == (
        "objection",
        "It excludes training data.",
        member,
    )
    assert objection.clause == clause
    assert objection.author_verified is True
    assert objection.edited is False
    assert vote.rationale == "It excludes training data."


def test_changing_the_rationale_updates_the_objection(member, clause):
    cast_vote(actor=member, clause=clause, position="oppose", rationale="First reason.")

    vote = cast_vote(actor=member, clause=clause, position="block", rationale="Second reason.")

    objection = Comment.objects.get()
    assert objection.vote == vote
    assert objection.body == "Second reason."
    assert objection.edited is True
    assert [h.body for h in objection.history.order_by("history_id")] == [
        "First reason.",
        "Second reason.",
    ]


def test_changing_only_the_position_keeps_the_objection_unedited(member, clause):
    cast_vote(actor=member, clause=clause, position="oppose", rationale="Same reason.")

    cast_vote(actor=member, clause=clause, position="block", rationale="Same reason.")

    objection = Comment.objects.get()
    assert objection.edited is False
    assert Vote.objects.get().position == "block"


def test_approving_votes_create_no_objection(member, clause):
    cast_vote(actor=member, clause=clause, position="support", rationale="Well put.")
    cast_vote(actor=member, clause=clause, position="abstain")

    assert Comment.objects.count() == 0


def test_a_retracted_objection_stays_as_a_comment(member, clause):
    cast_vote(actor=member, clause=clause, position="block", rationale="Unacceptable.")

    retract_vote(actor=member, clause=clause)

    objection = Comment.objects.get()
    assert objection.vote is None
    assert objection.body == "Unacceptable."


def test_an_objection_after_a_retraction_is_a_new_comment(member, clause):
    cast_vote(actor=member, clause=clause, position="block", rationale="Unacceptable.")
    retract_vote(actor=member, clause=clause)

    vote = cast_vote(actor=member, clause=clause, position="oppose", rationale="Still unclear.")

    assert Comment.objects.count() == 2
    assert Comment.objects.get(vote=vote).body == "Still unclear."
