"""Emails about comments and comment periods: replies, dispositions, closing reminders.

Each goes through `definition.notifications.deliver`, so each is sent at most once per person and
thing, and only to people who kept that kind of email on.
"""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from definition.models import Draft, Membership, NotificationSent
from definition.notifications import deliver, site_url
from deliberation.models import Appeal, Comment, Disposition

CLOSING_WINDOW = timedelta(hours=48)
Kind = NotificationSent.Kind


def _clause_url(comment: Comment) -> str:
    clause = comment.clause
    path = f"/d/{clause.draft.definition.slug}/v/{clause.draft.version}/c/{clause.key}/"
    return site_url(f"{path}#comment-{comment.pk}")


def _where(comment: Comment) -> str:
    clause = comment.clause
    return f"clause `{clause.key}` of draft {clause.draft.version}"


def _comments():
    return Comment.objects.select_related("author", "parent__author", "clause__draft__definition")


def notify_reply(*, comment_id: int) -> bool:
    """Tell the author of the parent comment about a reply, unless they replied to themselves."""
    reply = _comments().filter(pk=comment_id, parent__isnull=False).first()
    if reply is None or reply.hidden or reply.parent.author_id == reply.author_id:
        return False
    title = reply.clause.draft.definition.title
    body = "\n".join([
        f"{reply.author.username} replied to your comment on {_where(reply)}:",
        "",
        reply.body,
        "",
        f"Read the thread: {_clause_url(reply)}",
    ])
    return deliver(user=reply.parent.author, kind=Kind.REPLY, key=f"comment:{reply.pk}",
                   subject=f"[{title}] {reply.author.username} replied to you",
                   body=body, draft=reply.clause.draft)


def notify_disposition(*, comment_id: int, decided_at: str) -> bool:
    """Tell the author of a comment or objection its disposition (each decision once; a revised
    decision is a new one). A superseded decision sends nothing: its successor will."""
    disposition = (Disposition.objects.select_related("comment__author", "addressed_in",
                                                      "comment__clause__draft__definition")
                   .filter(comment_id=comment_id).first())
    if disposition is None or disposition.decided_at.isoformat() != decided_at:
        return False
    comment = disposition.comment
    if comment.author_id == disposition.decided_by_id:
        return False
    return deliver(user=comment.author, kind=Kind.DISPOSITION,
                   key=f"disposition:{comment.pk}:{decided_at}",
                   subject=f"[{comment.clause.draft.definition.title}] Your {comment.kind} "
                           f"#{comment.pk}: {disposition.status}",
                   body=_disposition_body(disposition), draft=comment.clause.draft)


def _disposition_body(disposition: Disposition) -> str:
    comment = disposition.comment
    addressed = (f" (addressed in draft {disposition.addressed_in.version})"
                 if disposition.addressed_in_id else "")
    return "\n".join([
        f"The facilitators answered your {comment.kind} #{comment.pk} on {_where(comment)}:",
        "",
        f"Disposition: {disposition.status}{addressed}",
        "",
        disposition.response,
        "",
        f"Say whether this satisfies you: {_clause_url(comment)}",
    ])


def notify_appeal(*, appeal_id: int) -> bool:
    """Tell the author of an appeal how it was decided (once per appeal)."""
    appeal = (Appeal.objects.select_related("comment__author", "comment__clause__draft__definition")
              .filter(pk=appeal_id).exclude(status=Appeal.Status.OPEN).first())
    if appeal is None:
        return False
    comment = appeal.comment
    outcome = ("upheld: your comment is reopened and will get a new disposition"
               if appeal.status == Appeal.Status.UPHELD else "denied: the disposition stands")
    body = "\n".join([
        f"Your appeal #{appeal.pk} against the disposition of your {comment.kind} "
        f"#{comment.pk} on {_where(comment)} was {outcome}.",
        "",
        appeal.decision_reason,
        "",
        f"Read it: {_clause_url(comment)}",
    ])
    return deliver(user=appeal.author, kind=Kind.DISPOSITION, key=f"appeal:{appeal.pk}",
                   subject=f"[{comment.clause.draft.definition.title}] Your appeal "
                           f"#{appeal.pk}: {appeal.status}",
                   body=body, draft=comment.clause.draft)


def remind_closing(*, now=None) -> int:
    """Remind the verified members who have not voted on every clause of a draft whose comment
    period ends within 48 hours. Once per member and draft. Returns the emails sent."""
    now = now or timezone.now()
    drafts = Draft.objects.filter(status=Draft.Status.OPEN, closes_at__gt=now,
                                  closes_at__lte=now + CLOSING_WINDOW).select_related("definition")
    return sum(_remind(draft, now) for draft in drafts)


def _laggards(draft: Draft, clause_count: int):
    """Verified members with fewer votes than clauses, not yet reminded about this draft."""
    key = f"draft:{draft.pk}"
    reminded = NotificationSent.objects.filter(user=OuterRef("user"), kind=Kind.CLOSING, key=key)
    votes = Count("user__votes", filter=Q(user__votes__clause__draft=draft)
                  & ~Q(user__votes__clause__body=""))
    return (Membership.objects.filter(definition=draft.definition_id,
                                      status=Membership.Status.VERIFIED)
            .annotate(voted=votes).filter(voted__lt=clause_count)
            .exclude(Exists(reminded)).select_related("user"))


def _remind(draft: Draft, now) -> int:
    clauses = draft.clauses.all()
    if not draft.definition.sections_votable:  # sections take no vote (PRODUCT.md §2)
        clauses = clauses.exclude(body__regex=r"^\s*$")
    clause_count = clauses.count()
    hours = max(1, round((draft.closes_at - now).total_seconds() / 3600))
    url = site_url(f"/d/{draft.definition.slug}/v/{draft.version}/?show=to-vote#still-to-vote")
    sent = 0
    for membership in _laggards(draft, clause_count):
        body = "\n".join([
            f"The comment period of draft {draft.version} of “{draft.definition.title}” closes in "
            f"about {hours} hours.",
            f"You have voted on {membership.voted} of its {clause_count} clauses.",
            "",
            f"Still to vote: {url}",
        ])
        sent += deliver(user=membership.user, kind=Kind.CLOSING, key=f"draft:{draft.pk}",
                        subject=f"[{draft.definition.title}] {draft.version} closes in "
                                f"{hours} hours", body=body, draft=draft)
    return sent
