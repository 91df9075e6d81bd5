"""Emails to people about a definition, each sent at most once (see `NotificationSent`).

The new-draft announcement lives here because it needs only definitions and accounts; the kinds
about comments live in `deliberation.discussion.notifications` and deliver through `deliver` below.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from core.degraded import Unavailable, broker_breaker
from definition.models import Draft, Membership, NotificationSent

log = logging.getLogger(__name__)

# The User preference that turns each kind off.
PREFERENCE = {
    NotificationSent.Kind.NEW_DRAFT: "notify_new_draft",
    NotificationSent.Kind.REPLY: "notify_replies",
    NotificationSent.Kind.DISPOSITION: "notify_dispositions",
    NotificationSent.Kind.CLOSING: "notify_closing",
}


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def wants(user, kind: str) -> bool:
    """Whether this person can and wants to get this kind of email."""
    return bool(user.email) and user.is_active and getattr(user, PREFERENCE[kind])


def deliver(*, user, kind: str, key: str, subject: str, body: str, draft=None) -> bool:
    """Send one email unless it was sent before (or the person opted out). True when sent.

    The claim row and the email share a transaction: if sending fails, the claim rolls back and a
    retry sends it."""
    if not wants(user, kind):
        return False
    try:
        with transaction.atomic():
            NotificationSent.objects.create(user=user, kind=kind, key=key, draft=draft)
            send_mail(subject[:200], body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except IntegrityError:
        return False
    return True


def enqueue(task, *args) -> None:
    """Queue a notification task; a dead broker loses an email, never the write that caused it."""
    try:
        broker_breaker.call(task.apply_async, args, retry=False)
    except Unavailable as down:  # the decision is committed; the email is best effort
        if down.cause is None:
            log.info("task queue down: %s%r not sent", task.name, args)
        else:
            log.warning("could not queue %s%r", task.name, args)


def announce_draft(*, draft_id: int) -> int:
    """Tell every verified member of the definition that a draft is open. Returns emails sent."""
    draft = Draft.objects.select_related("definition").filter(pk=draft_id).first()
    if draft is None or draft.status != Draft.Status.OPEN:
        return 0
    memberships = Membership.objects.filter(
        definition=draft.definition_id, status=Membership.Status.VERIFIED
    ).select_related("user")
    subject, body = _announcement(draft)
    return sum(
        deliver(
            user=m.user,
            kind=NotificationSent.Kind.NEW_DRAFT,
            key=f"draft:{draft.pk}",
            subject=subject,
            body=body,
            draft=draft,
        )
        for m in memberships
    )


def _announcement(draft: Draft) -> tuple[str, str]:
    definition = draft.definition
    subject = f"[{definition.title}] Draft {draft.version} is open for comments"
    closes = draft.closes_at.strftime("%Y-%m-%d %H:%M %Z") if draft.closes_at else "not set"
    lines = [
        f"Draft {draft.version} of “{definition.title}” is open for comments and votes.",
        f"The comment period closes on {closes}.",
        "",
        f"Read and vote: {site_url(f'/d/{definition.slug}/v/{draft.version}/')}",
    ]
    if draft.changelog.strip():
        lines += ["", "What changed:", "", draft.changelog.strip()]
    lines += ["", _footer()]
    return subject, "\n".join(lines)


def _footer() -> str:
    return (
        f"You get this email as a member. Choose which emails you get on your profile: "
        f"{site_url('/accounts/profile/')}"
    )
