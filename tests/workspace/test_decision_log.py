"""Every facilitator decision lands in the public decision log, with actor, time and reason."""

from datetime import timedelta

import pytest
from django.utils import timezone

from definition.memberships import reject_membership, verify_membership
from definition.models import Event, Membership
from definition.services import close_draft, finalize_draft, publish_draft
from deliberation.discussion.services import (
    hide_comment,
    post_comment,
    record_disposition,
    resolve_flags,
    restore_comment,
)
from deliberation.votes.services import cast_vote
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _pending(definition, name):
    return MembershipFactory(user=UserFactory(username=name), definition=definition,
                             status=Membership.Status.PENDING)


def _publish(facilitator, next_draft, **_):
    publish_draft(actor=facilitator, draft=next_draft, closes_at=timezone.now() + timedelta(days=3))
    return "draft-published", "Draft 0.0.9 published", ""


def _close(facilitator, published_draft, **_):
    close_draft(actor=facilitator, draft=published_draft, reason="Enough.")
    return "draft-closed", "Draft 0.0.8 closed", "Enough."


def _finalize(facilitator, published_draft, **_):
    close_draft(actor=facilitator, draft=published_draft)
    finalize_draft(actor=facilitator, draft=published_draft, reason="Ratified.")
    return "draft-finalized", "Draft 0.0.8 finalized", "Ratified."


def _verify(facilitator, definition, **_):
    verify_membership(actor=facilitator, membership=_pending(definition, "ann"), reason="Known.")
    return "member-verified", "ann (developers): verified", "Known."


def _reject(facilitator, definition, **_):
    reject_membership(actor=facilitator, membership=_pending(definition, "bob"), reason="Spam.")
    return "member-rejected", "bob (developers): rejected", "Spam."


def _disposition(facilitator, member, clause, **_):
    comment = post_comment(actor=member, clause=clause, body="Point.")
    record_disposition(actor=facilitator, comment=comment, status="declined", response="No.")
    return "disposition", f"Comment #{comment.pk}: declined", "No."


def _overrule(facilitator, member, clause, **_):
    block = cast_vote(actor=member, clause=clause, position="block", rationale="No.").objection
    record_disposition(actor=facilitator, comment=block, status="overruled",
                       response="Every group else agrees.")
    return "block-overruled", f"Objection #{block.pk}: overruled", "Every group else agrees."


def _hide(facilitator, member, clause, **_):
    comment = post_comment(actor=member, clause=clause, body="Rude.")
    hide_comment(actor=facilitator, comment=comment, reason="Rude.")
    return "comment-hidden", f"Comment #{comment.pk} hidden", "Rude."


def _restore(facilitator, member, clause, **_):
    comment = post_comment(actor=member, clause=clause, body="Fine.")
    hide_comment(actor=facilitator, comment=comment, reason="Oops.")
    restore_comment(actor=facilitator, comment=comment, reason="It was fine.")
    return "comment-restored", f"Comment #{comment.pk} restored", "It was fine."


def _dismiss_flags(facilitator, member, user, clause, **_):
    from deliberation.discussion.services import flag_comment

    comment = post_comment(actor=member, clause=clause, body="Blunt.")
    flag_comment(actor=user, comment=comment, reason="Rude?")
    resolve_flags(actor=facilitator, comment=comment, reason="Blunt is fine.")
    return "flags-resolved", f"Flags on comment #{comment.pk} dismissed", "Blunt is fine."


@pytest.mark.parametrize("decide", [_publish, _close, _finalize, _verify, _reject, _disposition,
                                    _overrule, _hide, _restore, _dismiss_flags],
                         ids=lambda f: f.__name__.strip("_"))
def test_each_decision_is_logged_with_actor_and_reason(decide, api, facilitator, member, user,
                                                       definition, clause, published_draft,
                                                       next_draft):
    before = timezone.now()
    kind, summary, reason = decide(facilitator=facilitator, member=member, user=user,
                                   definition=definition, clause=clause,
                                   published_draft=published_draft, next_draft=next_draft)

    event = Event.objects.filter(kind=kind).latest("created_at")
    assert (event.actor, event.summary, event.reason) == (facilitator, summary, reason)
    assert event.created_at >= before
    logged = api().get("/api/v1/definitions/osaid/activity/").json()["results"]
    assert any(e["kind"] == kind and e["summary"] == summary for e in logged)
