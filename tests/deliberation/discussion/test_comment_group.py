"""The group a comment speaks for, as database triggers keep it (`Comment.group`), equals its
definition (its vote's group, else its author's verified membership's), however it was written
and whatever happens to the vote and the membership afterwards."""

import pytest

from definition.memberships import apply_membership, revoke_membership, verify_membership
from definition.models import Membership
from deliberation.discussion.services import post_comment
from deliberation.models import Comment, Vote
from deliberation.votes.services import cast_vote, retract_vote
from tests.factories import CommentFactory, UserFactory

pytestmark = pytest.mark.django_db


def expected(comment: Comment) -> int | None:
    comment = Comment.objects.select_related("clause__draft").get(pk=comment.pk)
    if comment.vote_id is not None:
        return Vote.objects.get(pk=comment.vote_id).group_id
    membership = Membership.objects.filter(
        user=comment.author_id, definition=comment.clause.draft.definition_id,
        status=Membership.Status.VERIFIED).first()
    return membership.group_id if membership else None


def stored(comment: Comment) -> int | None:
    return Comment.objects.get(pk=comment.pk).group_id


def agree(*comments) -> None:
    assert [stored(c) for c in comments] == [expected(c) for c in comments]


def test_a_comment_speaks_for_its_authors_group_or_its_votes(clause, members, definition):
    lawyer = members["lawyers-1"]
    comment = post_comment(actor=lawyer, clause=clause, body="A point.")
    vote = cast_vote(actor=members["developers-1"], clause=clause, position="block",
                     rationale="This breaks the four freedoms.")
    objection = Comment.objects.get(vote=vote)
    agree(comment, objection)
    assert stored(comment) == definition.groups.get(slug="lawyers").pk
    assert stored(objection) == definition.groups.get(slug="developers").pk
    # Other ways in: a factory and a bulk load set no group; the database gives it.
    made = CommentFactory(clause=clause, author=lawyer, body="Made.")
    Comment.objects.bulk_create([Comment(clause=clause, author=lawyer, body="Bulk.")])
    agree(made, Comment.objects.get(body="Bulk."))
    # A retracted vote leaves its objection speaking for the author's group.
    retract_vote(actor=members["developers-1"], clause=clause)
    agree(objection)


def test_a_membership_decision_changes_what_the_comments_speak_for(
        clause, definition, facilitator, members):
    newcomer = UserFactory(username="newcomer")
    membership = apply_membership(user=newcomer, definition=definition, group_slug="companies")
    comment = CommentFactory(clause=clause, author=newcomer, body="Before I was verified.")
    assert stored(comment) is None
    verify_membership(actor=facilitator, membership=membership)
    assert stored(comment) == definition.groups.get(slug="companies").pk
    revoke_membership(actor=facilitator, membership=Membership.objects.get(pk=membership.pk),
                      reason="Left the company.")
    assert stored(comment) is None
    Comment.objects.filter(pk=comment.pk).update(group=definition.groups.first())  # by hand
    assert stored(comment) is None  # the database keeps it derived
