"""Comments: posting, replying, quoting, suggesting, editing, endorsing, flagging and moderation."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import Conflict, InvalidInput, NotAllowed
from definition.models import Definition, Draft, Event
from deliberation.discussion.services import (
    edit_comment,
    endorse_comment,
    flag_comment,
    hide_comment,
    post_comment,
    restore_comment,
)
from deliberation.models import Comment, Endorsement, Flag
from deliberation.votes.services import cast_vote
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

WORDING = "Use, study, modify and share for any purpose."



@pytest.fixture
def comment(member, clause):
    return post_comment(actor=member, clause=clause, body="Which uses?")


@pytest.fixture
def suggestion(member, clause):
    return post_comment(
        actor=member, clause=clause, kind="suggestion", body="Be explicit.", proposed_text=WORDING
    )


def test_a_member_comments_on_a_clause(member, clause):
    comment = post_comment(actor=member, clause=clause, body="  Which uses?  ", kind="question")

    row = Comment.objects.get()
    assert row.pk == comment.pk
    assert (row.clause, row.author, row.kind, row.body) == (
        clause,
        member,
        "question",
        "Which uses?",
    )
    assert row.author_verified is True
    assert (row.parent, row.quote, row.proposed_text, row.hidden, row.edited) == (
        None,
        "",
        "",
        False,
        False,
    )


def test_a_registered_non_member_comments_marked_unverified(user, clause):
    comment = post_comment(actor=user, clause=clause, body="An outside view.")

    assert Comment.objects.get(pk=comment.pk).author_verified is False


@pytest.mark.parametrize("status", ["pending", "rejected", "revoked"])
def test_an_unverified_applicant_comments_marked_unverified(definition, clause, status):
    person = UserFactory(username=f"applicant-{status}")
    MembershipFactory(user=person, definition=definition, status=status)

    comment = post_comment(actor=person, clause=clause, body="Hello.")

    assert comment.author_verified is False


def test_an_anonymous_visitor_cannot_comment(clause):
    with pytest.raises(NotAllowed):
        post_comment(actor=AnonymousUser(), clause=clause, body="Hi.")

    assert Comment.objects.count() == 0


def test_members_only_comments_refuse_non_members(user, member, definition, clause):
    Definition.objects.filter(pk=definition.pk).update(comments_members_only=True)
    clause.draft.definition.refresh_from_db()

    with pytest.raises(NotAllowed):
        post_comment(actor=user, clause=clause, body="Let me in.")
    post_comment(actor=member, clause=clause, body="I am in.")

    assert list(Comment.objects.values_list("author__username", flat=True)) == ["developers-1"]


def test_a_member_replies_to_a_comment(comment, members, clause):
    reply = post_comment(
        actor=members["lawyers-1"], clause=clause, body="All uses.", parent=comment
    )

    assert reply.parent == comment
    assert list(comment.replies.values_list("body", flat=True)) == ["All uses."]


def test_a_reply_must_be_on_the_same_clause(comment, member, published_draft):
    other_clause = published_draft.clauses.get(key="why")

    with pytest.raises(InvalidInput) as exc:
        post_comment(actor=member, clause=other_clause, body="Elsewhere.", parent=comment)

    assert exc.value.field == "parent"
    assert Comment.objects.count() == 1


def test_a_comment_quotes_an_exact_passage(member, clause):
    comment = post_comment(
        actor=member, clause=clause, body="Why only these?", quote="study, modify"
    )

    assert comment.quote == "study, modify"


def test_a_quote_may_come_from_the_heading(member, published_draft):
    section = published_draft.clauses.get(key="preamble")

    comment = post_comment(actor=member, clause=section, body="Rename?", quote="Pream")

    assert comment.quote == "Pream"


@pytest.mark.parametrize("quote", ["study and modify", "use, study", "Share.", "freedoms"])
def test_a_quote_that_is_not_an_exact_passage_is_refused(member, clause, quote):
    with pytest.raises(InvalidInput) as exc:
        post_comment(actor=member, clause=clause, body="Hmm.", quote=quote)

    assert exc.value.field == "quote"
    assert Comment.objects.count() == 0


def test_a_suggestion_carries_proposed_text(suggestion):
    row = Comment.objects.get(pk=suggestion.pk)

    assert (row.kind, row.proposed_text) == ("suggestion", WORDING)


@pytest.mark.parametrize(
    "kind, proposed_text",
    [("suggestion", ""), ("suggestion", "   "), ("comment", WORDING), ("question", WORDING)],
)
def test_proposed_text_belongs_to_suggestions_only(member, clause, kind, proposed_text):
    with pytest.raises(InvalidInput) as exc:
        post_comment(
            actor=member, clause=clause, kind=kind, body="Text.", proposed_text=proposed_text
        )

    assert exc.value.field == "proposed_text"
    assert Comment.objects.count() == 0


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"body": ""}, "body"),
        ({"body": "  \n"}, "body"),
        ({"body": "x" * 20001}, "body"),
        ({"body": "Fine.", "kind": "rant"}, "kind"),
        ({"body": "Fine.", "quote": "x" * 5001}, "quote"),
    ],
)
def test_it_validates_a_comment(member, clause, kwargs, field):
    with pytest.raises(InvalidInput) as exc:
        post_comment(actor=member, clause=clause, **kwargs)

    assert exc.value.field == field
    assert Comment.objects.count() == 0


def test_the_database_refuses_a_suggestion_without_proposed_text(member, clause):
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(clause=clause, author=member, kind="suggestion", body="x")


def test_the_database_refuses_proposed_text_on_a_comment(member, clause):
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.create(
            clause=clause, author=member, kind="comment", body="x", proposed_text="y"
        )


@pytest.mark.parametrize("status", ["editing", "closed", "final"])
def test_comments_need_an_open_draft(member, editing_draft, status):
    Draft.objects.filter(pk=editing_draft.pk).update(status=status)
    clause = editing_draft.clauses.get(key="freedoms")

    with pytest.raises(Conflict) as exc:
        post_comment(actor=member, clause=clause, body="Too early or too late.")

    assert exc.value.field == "draft"
    assert Comment.objects.count() == 0


def test_comments_end_with_the_comment_period(member, clause):
    Draft.objects.filter(pk=clause.draft_id).update(closes_at=timezone.now() - timedelta(minutes=1))
    clause.draft.refresh_from_db()

    with pytest.raises(Conflict) as exc:
        post_comment(actor=member, clause=clause, body="Too late.")

    assert exc.value.field == "draft"


def test_the_author_edits_a_comment_and_the_history_keeps_the_old_text(comment, member):
    edited = edit_comment(actor=member, comment=comment, changes={"body": "Which uses, exactly?"})

    row = Comment.objects.get(pk=comment.pk)
    assert row.body == "Which uses, exactly?"
    assert row.edited_at is not None
    assert row.edited is True
    assert edited.edited_at == row.edited_at
    assert [h.body for h in row.history.order_by("history_id")] == [
        "Which uses?",
        "Which uses, exactly?",
    ]


def test_the_author_edits_a_suggestion_wording(suggestion, member):
    edit_comment(actor=member, comment=suggestion, changes={"proposed_text": "Use freely."})

    assert Comment.objects.get(pk=suggestion.pk).proposed_text == "Use freely."


@pytest.mark.parametrize("actor_name", ["facilitator", "user", "anonymous", "other_member"])
def test_only_the_author_edits_a_comment(request, comment, members, actor_name):
    actor = {"anonymous": AnonymousUser(), "other_member": members["lawyers-1"]}.get(actor_name)
    actor = actor or request.getfixturevalue(actor_name)

    with pytest.raises(NotAllowed):
        edit_comment(actor=actor, comment=comment, changes={"body": "Hijacked."})

    row = Comment.objects.get(pk=comment.pk)
    assert (row.body, row.edited_at) == ("Which uses?", None)


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"body": ""}, "body"),
        ({"quote": "not in the clause"}, "quote"),
        ({"proposed_text": "x"}, "proposed_text"),
        ({"kind": "suggestion"}, "kind"),
        ({"author": 1}, "author"),
    ],
)
def test_it_validates_an_edit(comment, member, changes, field):
    with pytest.raises(InvalidInput) as exc:
        edit_comment(actor=member, comment=comment, changes=changes)

    assert exc.value.field == field
    row = Comment.objects.get(pk=comment.pk)
    assert (row.body, row.kind, row.edited_at) == ("Which uses?", "comment", None)


def test_an_objection_is_edited_through_the_vote(member, clause):
    vote = cast_vote(actor=member, clause=clause, position="oppose", rationale="Too narrow.")

    with pytest.raises(Conflict) as exc:
        edit_comment(actor=member, comment=vote.objection, changes={"body": "Changed."})

    assert exc.value.field == "body"
    assert Comment.objects.get().body == "Too narrow."


def test_members_endorse_a_suggestion_once(suggestion, members):
    first = endorse_comment(actor=members["lawyers-1"], comment=suggestion)
    again = endorse_comment(actor=members["lawyers-1"], comment=suggestion)
    endorse_comment(actor=members["companies-2"], comment=suggestion)

    assert first.pk == again.pk
    assert sorted(suggestion.endorsements.values_list("user__username", flat=True)) == [
        "companies-2",
        "lawyers-1",
    ]


@pytest.mark.parametrize("actor_name", ["user", "facilitator", "anonymous"])
def test_only_verified_members_endorse(request, suggestion, actor_name):
    actor = AnonymousUser() if actor_name == "anonymous" else request.getfixturevalue(actor_name)

    with pytest.raises(NotAllowed):
        endorse_comment(actor=actor, comment=suggestion)

    assert Endorsement.objects.count() == 0


def test_only_suggestions_are_endorsed(comment, members):
    with pytest.raises(InvalidInput) as exc:
        endorse_comment(actor=members["lawyers-1"], comment=comment)

    assert exc.value.field == "comment"
    assert Endorsement.objects.count() == 0


def test_the_database_allows_one_endorsement_per_user(suggestion, member):
    Endorsement.objects.create(comment=suggestion, user=member)

    with pytest.raises(IntegrityError), transaction.atomic():
        Endorsement.objects.create(comment=suggestion, user=member)


def test_any_signed_in_user_flags_a_comment_once(comment, user, members):
    first = flag_comment(actor=user, comment=comment, reason="Off topic.")
    again = flag_comment(actor=user, comment=comment, reason="Really off topic.")
    flag_comment(actor=members["lawyers-1"], comment=comment)

    assert first.pk == again.pk
    assert Flag.objects.get(pk=first.pk).reason == "Off topic."
    assert comment.flags.count() == 2
    assert comment.flags.filter(resolved=False).count() == 2


def test_an_anonymous_visitor_cannot_flag(comment):
    with pytest.raises(NotAllowed):
        flag_comment(actor=AnonymousUser(), comment=comment)

    assert Flag.objects.count() == 0


def test_a_flag_reason_has_a_limit(comment, user):
    with pytest.raises(InvalidInput) as exc:
        flag_comment(actor=user, comment=comment, reason="x" * 501)

    assert exc.value.field == "reason"


def test_a_facilitator_hides_a_comment_with_a_public_reason(comment, facilitator, user):
    flag_comment(actor=user, comment=comment)

    hide_comment(actor=facilitator, comment=comment, reason="  Personal attack.  ")

    row = Comment.objects.get(pk=comment.pk)
    assert (row.hidden, row.hidden_reason, row.hidden_by) == (True, "Personal attack.", facilitator)
    assert row.body == "Which uses?"
    assert comment.flags.get().resolved is True
    event = Event.objects.get(kind=Event.Kind.COMMENT_HIDDEN)
    assert (event.actor, event.draft_id, event.data) == (
        facilitator,
        comment.clause.draft_id,
        {"comment": comment.pk},
    )
    assert event.reason.strip() == "Personal attack."


def test_hiding_needs_a_reason(comment, facilitator):
    with pytest.raises(InvalidInput) as exc:
        hide_comment(actor=facilitator, comment=comment, reason=" ")

    assert exc.value.field == "reason"
    assert Comment.objects.get(pk=comment.pk).hidden is False
    assert not Event.objects.filter(kind=Event.Kind.COMMENT_HIDDEN).exists()


def test_the_database_refuses_a_hidden_comment_without_reason(comment):
    with pytest.raises(IntegrityError), transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(hidden=True, hidden_reason="")


@pytest.mark.parametrize("actor_name", ["member", "user"])
def test_only_a_facilitator_hides(request, comment, actor_name):
    with pytest.raises(NotAllowed):
        hide_comment(actor=request.getfixturevalue(actor_name), comment=comment, reason="Mine.")

    assert Comment.objects.get(pk=comment.pk).hidden is False


def test_a_facilitator_restores_a_hidden_comment(comment, facilitator):
    hide_comment(actor=facilitator, comment=comment, reason="Spam?")

    restore_comment(actor=facilitator, comment=comment, reason="Not spam.")

    row = Comment.objects.get(pk=comment.pk)
    assert (row.hidden, row.hidden_reason, row.hidden_by) == (False, "", None)
    event = Event.objects.get(kind=Event.Kind.COMMENT_RESTORED)
    assert (event.actor, event.reason) == (facilitator, "Not spam.")
    assert [h.hidden for h in row.history.order_by("history_id")] == [False, True, False]


def test_restoring_a_visible_comment_is_a_conflict(comment, facilitator):
    with pytest.raises(Conflict) as exc:
        restore_comment(actor=facilitator, comment=comment)

    assert exc.value.field == "hidden"
    assert not Event.objects.filter(kind=Event.Kind.COMMENT_RESTORED).exists()


def test_only_a_facilitator_restores(comment, facilitator, member):
    hide_comment(actor=facilitator, comment=comment, reason="Spam?")

    with pytest.raises(NotAllowed):
        restore_comment(actor=member, comment=comment)

    assert Comment.objects.get(pk=comment.pk).hidden is True
