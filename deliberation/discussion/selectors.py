"""Reads of comments: threads with their replies, one comment, the disposition-of-comments
rows."""

from django.db.models import Case, Count, IntegerField, OuterRef, Prefetch, Subquery, When
from django.db.models.functions import Coalesce

from core.errors import NotFound
from definition.models import Clause, Draft
from definition.permissions import is_facilitator
from definition.selectors import list_clauses
from deliberation.models import (
    Appeal,
    Comment,
    Endorsement,
)


def endorsement_count():
    """The number of endorsements of each comment, as a correlated subquery: unlike a joined
    `Count`, it groups nothing and is computed for the rows a page shows, not for every
    comment of the clause."""
    counted = (Endorsement.objects.filter(comment=OuterRef("pk")).order_by()
               .values("comment").annotate(n=Count("*")).values("n"))
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def _comments():
    return Comment.objects.select_related(
        "author", "clause__draft", "disposition__addressed_in", "disposition__decided_by"
    ).annotate(endorsement_count=endorsement_count())


def list_threads(*, clause: Clause):
    """The top-level comments of a clause, oldest first (paginate these, then `attach_replies`)."""
    return _comments().filter(clause=clause, parent=None).order_by("created_at", "id")


def attach_replies(*, clause: Clause, threads) -> list[Comment]:
    """Give each thread `.thread_replies`: every comment under it, oldest first, in one query."""
    replies = list(_comments().filter(clause=clause, parent__isnull=False)
                   .order_by("created_at", "id"))
    parent_of = {reply.pk: reply.parent_id for reply in replies}
    by_root: dict[int, list[Comment]] = {}
    for reply in replies:
        root = reply.parent_id
        while root in parent_of:
            root = parent_of[root]
        by_root.setdefault(root, []).append(reply)
    threads = list(threads)
    for thread in threads:
        thread.thread_replies = by_root.get(thread.pk, [])
    return threads


def get_reply_parent(*, clause: Clause, pk: int) -> Comment | None:
    """The comment of this clause a reply answers, or None."""
    return Comment.objects.filter(pk=pk, clause=clause).first()


def list_endorsed_ids(*, user, clause: Clause) -> set[int]:
    """The ids of the clause's comments the user endorsed (one query; none for a visitor)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(Endorsement.objects.filter(user=user, comment__clause=clause)
               .values_list("comment_id", flat=True))


def get_comment(*, pk: int) -> Comment:
    comment = _comments().select_related("clause__draft__definition").filter(pk=pk).first()
    if comment is None:
        raise NotFound(f"No comment {pk}.", field="id")
    return comment


REPORT_FIELDS = ("id", "clause", "number", "kind", "position", "author", "author_verified",
                 "created_at", "hidden", "hidden_reason", "body", "proposed_text", "status",
                 "response", "addressed_in", "duplicate_of", "decided_by", "decided_at",
                 "acknowledgement", "acknowledgement_note", "acknowledged_at", "appeal",
                 "appeal_reason", "appeal_decision", "appeal_decided_at")


def list_dispositioned_comments(*, draft: Draft):
    """Every top-level comment, suggestion and objection of a draft, with its disposition, in
    reading order of the clauses (paginate this, then `disposition_rows`)."""
    return (Comment.objects.filter(clause__draft=draft, parent=None)
            .select_related("author", "clause", "vote", "disposition__addressed_in",
                            "disposition__decided_by")
            .prefetch_related(Prefetch("appeals", queryset=Appeal.objects.order_by("-id"),
                                       to_attr="latest_appeals"))
            .order_by("clause__position", "clause_id", "created_at", "id"))


def _acknowledgement(disposition) -> str | None:
    if disposition is None or disposition.acknowledged_satisfied is None:
        return None
    return "satisfied" if disposition.acknowledged_satisfied else "not-satisfied"


def _report_row(comment: Comment, number: str, *, moderator: bool, see_voters: bool) -> dict:
    disposition = getattr(comment, "disposition", None)
    secret = comment.kind == Comment.Kind.OBJECTION and not see_voters
    masked = comment.hidden and not moderator
    return {
        "id": comment.pk, "clause": comment.clause.key, "number": number, "kind": comment.kind,
        "position": comment.vote.position if comment.vote_id else None,
        "author": None if secret else comment.author.username,
        "author_verified": comment.author_verified, "created_at": comment.created_at,
        "hidden": comment.hidden, "hidden_reason": comment.hidden_reason,
        "body": "" if masked else comment.body,
        "proposed_text": "" if masked else comment.proposed_text,
        "status": disposition.status if disposition else None,
        "response": disposition.response if disposition else "",
        "addressed_in": disposition.addressed_in.version
        if disposition and disposition.addressed_in_id else None,
        "duplicate_of": disposition.duplicate_of_id if disposition else None,
        "decided_by": disposition.decided_by.username
        if disposition and disposition.decided_by_id else None,
        "decided_at": disposition.decided_at if disposition else None,
        "acknowledgement": _acknowledgement(disposition),
        "acknowledgement_note": disposition.acknowledgement_note if disposition else "",
        "acknowledged_at": disposition.acknowledged_at if disposition else None,
        **_appeal_fields(comment),
    }


def _appeal_fields(comment: Comment) -> dict:
    """The latest appeal of the comment: open, upheld or denied, with its reasons."""
    appeal = (getattr(comment, "latest_appeals", None) or [None])[0]
    return {"appeal": appeal.status if appeal else None,
            "appeal_reason": appeal.reason if appeal else "",
            "appeal_decision": appeal.decision_reason if appeal else "",
            "appeal_decided_at": appeal.decided_at if appeal else None}


def list_disposition_rows(*, draft: Draft, comments, viewer) -> list[dict]:
    """The disposition-of-comments report rows as `viewer` may see them: objections name their
    author only when votes are public (or for facilitators); hidden text only for facilitators.
    Acknowledgement is `satisfied`, `not-satisfied` or null."""
    moderator = is_facilitator(viewer, draft.definition)
    see_voters = moderator or draft.definition.votes_public
    numbers = {c.pk: c.number for c in list_clauses(draft=draft)}
    return [_report_row(c, numbers.get(c.clause_id, ""), moderator=moderator,
                        see_voters=see_voters) for c in comments]




def list_appeals(*, definition, status: str = ""):
    """The appeals of a definition, open ones first, then newest decided first."""
    appeals = (Appeal.objects.filter(comment__clause__draft__definition=definition)
               .select_related("author", "comment__author", "comment__clause__draft",
                               "answered_by", "decided_by", "disposition_decided_by"))
    if status:
        appeals = appeals.filter(status=status)
    return appeals.order_by(Case(When(status=Appeal.Status.OPEN, then=0), default=1),
                            "created_at", "id")


def get_appeal(*, pk: int) -> Appeal:
    appeal = (Appeal.objects.select_related("author", "comment__author", "answered_by",
                                            "decided_by", "comment__clause__draft__definition")
              .filter(pk=pk).first())
    if appeal is None:
        raise NotFound(f"No appeal {pk}.", field="id")
    return appeal


def attach_appeals(*, comments) -> list[Comment]:
    """Give each comment `.appeal_list` (oldest first) and `.appealable` (its disposition was
    acknowledged not-satisfied and not appealed yet), in one query."""
    comments = list(comments)
    by_comment: dict[int, list[Appeal]] = {}
    for appeal in (Appeal.objects.filter(comment__in=[c.pk for c in comments])
                   .select_related("answered_by", "decided_by").order_by("created_at", "id")):
        by_comment.setdefault(appeal.comment_id, []).append(appeal)
    for comment in comments:
        comment.appeal_list = by_comment.get(comment.pk, [])
        disposition = getattr(comment, "disposition", None)
        comment.appealable = (
            disposition is not None and disposition.acknowledged_satisfied is False
            and not any(a.status == Appeal.Status.OPEN
                        or a.disposition_decided_at == disposition.decided_at
                        for a in comment.appeal_list))
    return comments
