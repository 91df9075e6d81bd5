"""Emails: exactly the right people, exactly once, through the real task path (eager)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from core.errors import Conflict
from definition.models import Membership, NotificationSent
from definition.services import publish_draft
from deliberation import tasks
from deliberation.discussion.services import (
    apply_suggestion,
    post_comment,
    record_disposition,
    record_duplicates,
)
from deliberation.votes.services import cast_vote
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _to(outbox) -> list[str]:
    return sorted(address for message in outbox for address in message.to)


def _publish(facilitator, draft, capture):
    with capture(execute=True):
        publish_draft(actor=facilitator, draft=draft, closes_at=timezone.now() + timedelta(days=9))


# New draft ---------------------------------------------------------------------------------------


def test_publishing_emails_every_verified_member_once(
    facilitator, members, next_draft, mailbox, django_capture_on_commit_callbacks
):
    MembershipFactory(user=UserFactory(username="applicant"), definition=next_draft.definition,
                      status=Membership.Status.PENDING)
    members["lawyers-2"].notify_new_draft = False
    members["lawyers-2"].save()

    _publish(facilitator, next_draft, django_capture_on_commit_callbacks)

    expected = sorted(f"{name}@example.org" for name in members if name != "lawyers-2")
    assert _to(mailbox) == expected
    assert mailbox[0].subject == "[Open Source AI Definition] Draft 0.0.9 is open for comments"
    assert "/d/osaid/v/0.0.9/" in mailbox[0].body


def test_running_the_announcement_again_sends_nothing(
    facilitator, members, next_draft, mailbox, django_capture_on_commit_callbacks
):
    _publish(facilitator, next_draft, django_capture_on_commit_callbacks)
    sent = len(mailbox)

    from definition.tasks import announce_draft_task
    assert announce_draft_task.delay(next_draft.pk).get() == 0

    assert len(mailbox) == sent == 8
    assert NotificationSent.objects.filter(kind="new-draft").count() == 8


def test_the_announcement_carries_the_changelog(
    facilitator, member, next_draft, mailbox, django_capture_on_commit_callbacks
):
    next_draft.changelog = "### Changed\n\n- 2 freedoms"
    next_draft.save()

    _publish(facilitator, next_draft, django_capture_on_commit_callbacks)

    assert "### Changed\n\n- 2 freedoms" in mailbox[0].body


def test_a_failed_publication_emails_nobody(
    facilitator, members, next_draft, mailbox, django_capture_on_commit_callbacks
):
    next_draft.clauses.all().delete()

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Conflict):
        publish_draft(actor=facilitator, draft=next_draft,
                      closes_at=timezone.now() + timedelta(days=9))

    assert mailbox == []


# Replies -----------------------------------------------------------------------------------------


def test_a_reply_emails_the_author_of_the_comment_replied_to(
    members, clause, mailbox, django_capture_on_commit_callbacks
):
    author, replier = members["lawyers-1"], members["developers-1"]
    comment = post_comment(actor=author, clause=clause, body="Why four?")

    with django_capture_on_commit_callbacks(execute=True):
        reply = post_comment(actor=replier, clause=clause, body="Tradition.", parent=comment)

    assert _to(mailbox) == ["lawyers-1@example.org"]
    assert mailbox[0].subject == "[Open Source AI Definition] developers-1 replied to you"
    assert "Tradition." in mailbox[0].body
    assert f"/d/osaid/v/0.0.8/c/freedoms/#comment-{reply.pk}" in mailbox[0].body


def test_replying_to_yourself_or_posting_top_level_emails_nobody(
    member, clause, mailbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        comment = post_comment(actor=member, clause=clause, body="Point.")
        post_comment(actor=member, clause=clause, body="And another.", parent=comment)

    assert mailbox == []


def test_a_reply_emails_only_the_direct_parent_and_respects_the_opt_out(
    members, clause, mailbox, django_capture_on_commit_callbacks
):
    first = post_comment(actor=members["lawyers-1"], clause=clause, body="A.")
    second = post_comment(actor=members["lawyers-2"], clause=clause, body="B.", parent=first)
    User.objects.filter(username="lawyers-2").update(notify_replies=False)

    with django_capture_on_commit_callbacks(execute=True):
        post_comment(actor=members["developers-1"], clause=clause, body="C.", parent=second)

    assert mailbox == []


def test_the_reply_task_twice_sends_once(members, clause, mailbox):
    comment = post_comment(actor=members["lawyers-1"], clause=clause, body="A.")
    reply = post_comment(actor=members["developers-1"], clause=clause, body="B.", parent=comment)

    results = [tasks.notify_reply_task.delay(reply.pk).get() for _ in range(2)]

    assert results == [True, False]
    assert _to(mailbox) == ["lawyers-1@example.org"]


# Dispositions ------------------------------------------------------------------------------------


def test_a_disposition_emails_the_author_once_per_decision(
    facilitator, member, clause, mailbox, django_capture_on_commit_callbacks
):
    comment = post_comment(actor=member, clause=clause, body="Add data.")

    with django_capture_on_commit_callbacks(execute=True):
        record_disposition(actor=facilitator, comment=comment, status="deferred",
                           response="Next draft.")
    with django_capture_on_commit_callbacks(execute=True):
        record_disposition(actor=facilitator, comment=comment, status="accepted",
                           response="Done.")

    assert _to(mailbox) == ["developers-1@example.org"] * 2
    assert [m.subject for m in mailbox] == [
        f"[Open Source AI Definition] Your comment #{comment.pk}: deferred",
        f"[Open Source AI Definition] Your comment #{comment.pk}: accepted"]
    assert "Next draft." in mailbox[0].body


def test_a_superseded_or_repeated_disposition_task_sends_nothing(facilitator, member, clause,
                                                                 mailbox):
    comment = post_comment(actor=member, clause=clause, body="Add data.")
    first = record_disposition(actor=facilitator, comment=comment, status="deferred",
                               response="Later.")
    stale = first.decided_at.isoformat()
    current = record_disposition(actor=facilitator, comment=comment, status="declined",
                                 response="No.").decided_at.isoformat()
    mailbox.clear()

    assert tasks.notify_disposition_task.delay(comment.pk, stale).get() is False
    assert tasks.notify_disposition_task.delay(comment.pk, current).get() is True
    assert tasks.notify_disposition_task.delay(comment.pk, current).get() is False
    assert len(mailbox) == 1


def test_an_objection_author_hears_of_the_overruling(
    facilitator, member, clause, mailbox, django_capture_on_commit_callbacks
):
    objection = cast_vote(actor=member, clause=clause, position="block",
                          rationale="Not open.").objection
    with django_capture_on_commit_callbacks(execute=True):
        record_disposition(actor=facilitator, comment=objection, status="overruled",
                           response="Rough consensus.")

    assert _to(mailbox) == ["developers-1@example.org"]
    assert "overruled" in mailbox[0].subject


def test_dispositions_respect_the_opt_out_and_skip_self(
    facilitator, member, clause, mailbox, django_capture_on_commit_callbacks
):
    User.objects.filter(pk=member.pk).update(notify_dispositions=False)
    theirs = post_comment(actor=member, clause=clause, body="Point.")
    MembershipFactory(user=facilitator, definition=clause.draft.definition)
    own = post_comment(actor=facilitator, clause=clause, body="My own point.")

    with django_capture_on_commit_callbacks(execute=True):
        record_disposition(actor=facilitator, comment=theirs, status="declined", response="No.")
        record_disposition(actor=facilitator, comment=own, status="declined", response="No.")

    assert mailbox == []


def test_bulk_duplicates_email_each_author_once(
    facilitator, members, clause, mailbox, django_capture_on_commit_callbacks
):
    first = post_comment(actor=members["developers-1"], clause=clause, body="Data.")
    others = [post_comment(actor=members[f"{g}-1"], clause=clause, body="Data!")
              for g in ("lawyers", "legislators")]

    with django_capture_on_commit_callbacks(execute=True):
        record_duplicates(actor=facilitator, comments=others, of=first, response="See #1.")

    assert _to(mailbox) == ["lawyers-1@example.org", "legislators-1@example.org"]


def test_applying_a_suggestion_emails_its_author(
    facilitator, members, clause, next_draft, mailbox, django_capture_on_commit_callbacks
):
    suggestion = post_comment(actor=members["companies-2"], clause=clause, body="Reword.",
                              kind="suggestion", proposed_text="Better words.")

    with django_capture_on_commit_callbacks(execute=True):
        apply_suggestion(actor=facilitator, comment=suggestion, draft=next_draft)

    assert _to(mailbox) == ["companies-2@example.org"]
    assert "addressed in draft 0.0.9" in mailbox[0].body


def test_the_api_path_sends_the_disposition_email(
    api, facilitator, member, clause, mailbox, django_capture_on_commit_callbacks
):
    comment = post_comment(actor=member, clause=clause, body="Point.")

    with django_capture_on_commit_callbacks(execute=True):
        response = api(facilitator).post(f"/api/v1/comments/{comment.pk}/disposition/",
                                         {"status": "declined", "response": "No."},
                                         format="json")

    assert response.status_code == 200
    assert _to(mailbox) == ["developers-1@example.org"]


# Closing reminders -------------------------------------------------------------------------------


def test_members_who_have_not_voted_on_every_clause_are_reminded_once(
    members, published_draft, mailbox
):
    published_draft.closes_at = timezone.now() + timedelta(hours=30)
    published_draft.save()
    for clause in published_draft.clauses.exclude(body=""):  # sections take no vote
        cast_vote(actor=members["developers-1"], clause=clause, position="support")
    cast_vote(actor=members["lawyers-1"], clause=published_draft.clauses.get(key="why"),
              position="accept")
    User.objects.filter(username="companies-2").update(notify_closing=False)
    User.objects.filter(username="companies-1").update(email="")

    sent = [tasks.remind_closing_task.delay().get() for _ in range(2)]

    expected = sorted(f"{name}@example.org" for name in members
                      if name not in ("developers-1", "companies-1", "companies-2"))
    assert sent == [len(expected), 0]
    assert _to(mailbox) == expected
    lawyer = next(m for m in mailbox if m.to == ["lawyers-1@example.org"])
    assert "You have voted on 1 of its 2 clauses." in lawyer.body  # the section is not voted on
    assert "Still to vote: http://127.0.0.1:8000/d/osaid/v/0.0.8/?show=to-vote#still-to-vote" in (
        lawyer.body)
    assert lawyer.subject == "[Open Source AI Definition] 0.0.8 closes in 30 hours"


def test_no_reminder_while_the_close_is_more_than_48_hours_away(members, published_draft,
                                                                 mailbox):
    published_draft.closes_at = timezone.now() + timedelta(hours=49)
    published_draft.save()

    assert tasks.remind_closing_task.delay().get() == 0
    assert mailbox == []


def test_the_reminder_is_scheduled():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["remind-closing"]
    assert entry["task"] == "deliberation.tasks.remind_closing_task"
