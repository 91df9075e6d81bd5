"""Threads, replies, quotes, suggestions, endorsements, flags, dispositions and moderation."""

import pytest
from django.test import Client
from django.utils import timezone

from deliberation.models import Comment, Disposition, Endorsement, Flag
from tests.factories import CommentFactory, VoteFactory
from tests.helpers import url

pytestmark = pytest.mark.django_db


def _post(client, clause, **data):
    return client.post(url("comment", clause.draft, clause.key), data)


def test_member_posts_a_comment_and_a_reply(member_client, member, clause):
    response = _post(member_client, clause, body="Why not *weights*?", kind="question")
    top = Comment.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#comment-{top.pk}")
    _post(member_client, clause, body="Because of size.", parent=top.pk)
    reply = Comment.objects.get(parent=top)
    html = member_client.get(url("clause", clause.draft, clause.key)).content.decode()
    assert "<em>weights</em>" in html and "Because of size." in html
    assert html.index(f'id="comment-{top.pk}"') < html.index(f'id="comment-{reply.pk}"')


def test_registered_user_comments_are_marked_unverified(user_client, clause):
    _post(user_client, clause, body="An outside view.")
    html = user_client.get(url("clause", clause.draft, clause.key)).content.decode()
    assert "not a verified member" in html


def test_visitors_cannot_comment(client, clause):
    response = _post(client, clause, body="Anonymous")
    assert response.status_code == 302 and not Comment.objects.exists()
    assert "to comment." in client.get(url("clause", clause.draft, clause.key)).content.decode()


def test_quote_is_stored_and_highlighted_in_the_clause(member_client, clause):
    _post(member_client, clause, body="This part.", quote="study,  modify")
    assert Comment.objects.get().quote == "study, modify"  # matched back to the clause text
    html = member_client.get(url("clause", clause.draft, clause.key)).content.decode()
    assert '<mark class="quote">study, modify</mark>' in html


def test_a_quote_that_is_not_in_the_clause_names_the_field(member_client, clause):
    response = _post(member_client, clause, body="x", quote="not there")
    assert not Comment.objects.exists()
    page = member_client.get(response["Location"]).content.decode()
    assert "Quoted passage: The quote must be an exact passage of the clause." in page


def test_suggestion_is_shown_as_a_word_diff_and_can_be_endorsed(member_client, members, clause):
    _post(member_client, clause, body="Better verb.", kind="suggestion",
          proposed_text="Use, study, change and share.")
    suggestion = Comment.objects.get()
    html = member_client.get(url("clause", clause.draft, clause.key)).content.decode()
    assert "<del>modify</del><ins>change</ins>" in html
    other = Client()
    other.force_login(members["lawyers-1"])
    other.post(f"/comments/{suggestion.pk}/endorse/")
    assert Endorsement.objects.filter(comment=suggestion).count() == 1
    assert "1 endorsement" in other.get(url("clause", clause.draft, clause.key)).content.decode()


def test_a_plain_comment_ignores_the_prefilled_wording(member_client, clause):
    _post(member_client, clause, body="Just a remark.", kind="comment",
          proposed_text="Use, study, modify and share.")
    assert Comment.objects.get().proposed_text == ""


def test_html_in_comments_is_escaped(member_client, clause):
    _post(member_client, clause, body='<script>alert("x")</script> <img src=x onerror=alert(1)>')
    html = member_client.get(url("clause", clause.draft, clause.key)).content.decode()
    assert "<script>alert" not in html and "<img" not in html
    assert "&lt;script&gt;alert" in html


def test_flag_records_a_flag(user_client, user, clause):
    comment = CommentFactory(clause=clause)
    user_client.post(f"/comments/{comment.pk}/flag/", {"reason": "rude"})
    assert Flag.objects.get(comment=comment, user=user).reason == "rude"


def test_hidden_comment_shows_the_moderators_reason_not_the_text(client, clause):
    CommentFactory(clause=clause, body="Buy cheap pills", hidden=True,
                   hidden_reason="Advertising")
    html = client.get(url("clause", clause.draft, clause.key)).content.decode()
    assert "Hidden by a moderator: Advertising" in html and "Buy cheap pills" not in html


def test_disposition_is_shown_and_the_author_acknowledges_it(member_client, member, clause):
    comment = CommentFactory(clause=clause, author=member)
    Disposition.objects.create(comment=comment, status="declined", response="Out of our hands.",
                               decided_at=timezone.now())
    html = member_client.get(url("clause", clause.draft, clause.key)).content.decode()
    assert "declined" in html and "Out of our hands." in html and "Acknowledge" in html
    member_client.post(f"/comments/{comment.pk}/acknowledge/", {"satisfied": "no",
                                                                  "note": "Still wrong"})
    comment.disposition.refresh_from_db()
    assert comment.disposition.acknowledged_satisfied is False
    html = member_client.get(url("clause", clause.draft, clause.key)).content.decode()
    assert "The author is not satisfied." in html and "Still wrong" in html


def test_private_votes_hide_names_in_ballot_and_objections(client, members, clause, definition):
    definition.votes_public = False
    definition.save()
    membership = members["lawyers-1"].memberships.get()
    vote = VoteFactory(clause=clause, membership=membership, position="oppose",
                       rationale="Too vague")
    Comment.objects.create(clause=clause, author=vote.voter, kind="objection", body="Too vague",
                           vote=vote, author_verified=True)
    html = client.get(url("clause", clause.draft, clause.key)).content.decode()
    assert "Votes on this definition are not public" in html
    assert "lawyers-1" not in html and "A member" in html
    assert "lawyers-1" not in client.get(url("dispositions", clause.draft)).content.decode()
