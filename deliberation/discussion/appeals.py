"""Appeals (formal objections, after the W3C process): the author of a comment who is not
satisfied with its disposition appeals with a reason; the definition's facilitators may answer;
a site admin decides. Upheld reopens the comment (its disposition goes back to the facilitators'
queue; the disposition's history and the appeal's copy of it stay); denied keeps it. Every step
is in the public decision log and the author is emailed the decision."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.errors import Conflict, InvalidInput, NotAllowed
from core.validation import check_text
from definition.models import Event
from definition.notifications import enqueue
from definition.permissions import require_admin, require_facilitator
from definition.services import log_event
from deliberation.discussion import grouping
from deliberation.models import Appeal, Comment, Disposition
from deliberation.tasks import comments_changed, notify_appeal_task
from deliberation.votes.services import clause_votes_changed


def _log(appeal: Appeal, kind: str, actor, reason: str, summary: str, **data) -> None:
    comment = appeal.comment
    log_event(definition=comment.clause.draft.definition, draft=comment.clause.draft, kind=kind,
              actor=actor, reason=reason, summary=summary,
              data={"appeal": appeal.pk, "comment": comment.pk, "clause": comment.clause.key,
                    **data})


def _appealable(actor, comment: Comment) -> Disposition:
    if comment.author_id != getattr(actor, "pk", None):
        raise NotAllowed("Only the author may appeal the disposition of a comment.")
    disposition = Disposition.objects.select_for_update().filter(comment=comment).first()
    if disposition is None:
        raise Conflict("This comment has no disposition to appeal.", field="comment")
    if disposition.acknowledged_satisfied is not False:
        raise Conflict("Say first that the disposition does not satisfy you.", field="comment")
    if comment.appeals.filter(Q(status=Appeal.Status.OPEN)
                              | Q(disposition_decided_at=disposition.decided_at)).exists():
        raise Conflict("This disposition has been appealed already.", field="comment")
    return disposition


@transaction.atomic
def file_appeal(*, actor, comment: Comment, reason: str) -> Appeal:
    """Appeal the disposition of one's own comment, once it was acknowledged `not-satisfied`.
    One appeal per disposition; a revised disposition can be appealed again."""
    disposition = _appealable(actor, comment)
    reason = check_text(reason, "reason", 10000, required=True).strip()
    appeal = Appeal.objects.create(
        comment=comment, author=actor, reason=reason, disposition_status=disposition.status,
        disposition_response=disposition.response,
        disposition_decided_by_id=disposition.decided_by_id,
        disposition_decided_at=disposition.decided_at)
    _log(appeal, Event.Kind.APPEAL_FILED, actor, reason,
         f"Appeal #{appeal.pk} against the disposition of {comment.kind} #{comment.pk}",
         disposition=disposition.status)
    return appeal


def _open(appeal_id: int) -> Appeal:
    appeal = (Appeal.objects.select_for_update().select_related("comment__clause__draft")
              .get(pk=appeal_id))
    if appeal.status != Appeal.Status.OPEN:
        raise Conflict(f"This appeal was decided already ({appeal.status}).", field="status")
    return appeal


@transaction.atomic
def answer_appeal(*, actor, appeal: Appeal, answer: str) -> Appeal:
    """A facilitator of the definition answers an open appeal (public); the admins decide."""
    require_facilitator(actor, appeal.comment.clause.draft.definition)
    appeal = _open(appeal.pk)
    appeal.answer = check_text(answer, "answer", 10000, required=True).strip()
    appeal.answered_by, appeal.answered_at = actor, timezone.now()
    appeal.save()
    _log(appeal, Event.Kind.APPEAL_ANSWERED, actor, appeal.answer,
         f"Appeal #{appeal.pk} answered by the facilitators")
    return appeal


def _reopen(appeal: Appeal) -> None:
    comment = appeal.comment
    grouping.release(comment)
    Disposition.objects.filter(comment=comment, decided_at=appeal.disposition_decided_at).delete()
    comments_changed(comment.clause_id)  # back among the comments to answer
    if comment.vote_id is not None:  # an objection: open objections and blocks change
        clause_votes_changed(comment.clause_id)


@transaction.atomic
def decide_appeal(*, actor, appeal: Appeal, status: str, reason: str) -> Appeal:
    """A site admin decides an open appeal with public reasons: `upheld` reopens the comment
    (it needs a new disposition), `denied` keeps the disposition. Whoever recorded the
    disposition appealed against may not decide the appeal."""
    require_admin(actor)
    appeal = _open(appeal.pk)
    if appeal.disposition_decided_by_id == actor.pk:
        raise NotAllowed("You recorded this disposition: another admin decides its appeal.")
    if status not in (Appeal.Status.UPHELD, Appeal.Status.DENIED):
        raise InvalidInput("Choose upheld or denied.", field="status")
    appeal.decision_reason = check_text(reason, "reason", 10000, required=True).strip()
    appeal.status, appeal.decided_by, appeal.decided_at = status, actor, timezone.now()
    appeal.save()
    if status == Appeal.Status.UPHELD:
        _reopen(appeal)
    _log(appeal, Event.Kind.APPEAL_DECIDED, actor, appeal.decision_reason,
         f"Appeal #{appeal.pk} on {appeal.comment.kind} #{appeal.comment_id}: {status}",
         status=status)
    transaction.on_commit(lambda: enqueue(notify_appeal_task, appeal.pk))
    return appeal
