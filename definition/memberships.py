"""Writes of memberships: apply to a group, and the facilitators' decisions (verify, reject,
revoke), each written to the decision log."""

from celery import current_app
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from core.errors import Conflict, InvalidInput, NotAllowed
from core.validation import check_text
from definition import notifications
from definition.models import (
    Definition,
    Event,
    Membership,
)
from definition.permissions import require_facilitator
from definition.services import log_event


@transaction.atomic
def apply_membership(
    *,
    user,
    definition: Definition,
    group_slug: str,
    affiliation: str = "",
    conflict_of_interest: str = "",
) -> Membership:
    """A signed-in user applies to join one stakeholder group of a definition."""
    if not getattr(user, "is_authenticated", False):
        raise NotAllowed("Sign in to apply.")
    group = definition.groups.filter(slug=group_slug).first()
    if group is None:
        raise InvalidInput(f"No group {group_slug!r} in this definition.", field="group")
    check_text(affiliation, "affiliation", 200)
    check_text(conflict_of_interest, "conflict_of_interest", 2000)
    live = Membership.objects.filter(user=user, definition=definition).exclude(
        status=Membership.Status.REJECTED
    )
    if live.exists():
        raise Conflict("You already have a membership in this definition.", field="group")
    try:
        with transaction.atomic():
            return Membership.objects.create(
                user=user,
                definition=definition,
                group=group,
                affiliation=affiliation,
                conflict_of_interest=conflict_of_interest,
            )
    except IntegrityError:
        raise Conflict("You already have a membership in this definition.", field="group") from None


def _decide(
    *, actor, membership: Membership, status: str, allowed_from: tuple, kind: str, reason: str = ""
) -> Membership:
    require_facilitator(actor, membership.definition)
    check_text(reason, "reason", 2000)
    updated = Membership.objects.filter(pk=membership.pk, status__in=allowed_from).update(
        status=status, decided_by=actor, decided_at=timezone.now(), decision_reason=reason
    )
    if not updated:
        membership.refresh_from_db()
        raise Conflict(
            f"This membership is {membership.status}; it cannot become {status}.", field="status"
        )
    membership.refresh_from_db()
    membership.save()  # records the decision in the history table
    if status != Membership.Status.REJECTED:  # an applicant never voted nor counted
        _members_changed(membership.definition_id)
    log_event(
        definition=membership.definition,
        kind=kind,
        actor=actor,
        reason=reason,
        summary=f"{membership.user.username} ({membership.group.slug}): {status}",
        data={"membership": membership.pk, "group": membership.group.slug},
    )
    return membership


# Deliberation owns the figures (imports flow definition <- deliberation): its task is queued by
# name, and runs in-process when tasks are eager (no worker), like every other task.
REFRESH_FIGURES_TASK = "deliberation.tasks.refresh_open_draft_task"


def _members_changed(definition_id: int) -> None:
    """Mark the open draft's figures stale (participation, or a revoked voter's votes) and have
    them recomputed on commit. Closed drafts count the members at their close: not touched."""
    Definition.objects.filter(pk=definition_id).update(
        membership_version=F("membership_version") + 1)
    task = current_app.signature(REFRESH_FIGURES_TASK)
    transaction.on_commit(lambda: notifications.enqueue(task, definition_id))


@transaction.atomic
def verify_membership(*, actor, membership: Membership, reason: str = "") -> Membership:
    return _decide(
        actor=actor,
        membership=membership,
        status=Membership.Status.VERIFIED,
        allowed_from=(Membership.Status.PENDING,),
        kind=Event.Kind.MEMBER_VERIFIED,
        reason=reason,
    )


@transaction.atomic
def reject_membership(*, actor, membership: Membership, reason: str = "") -> Membership:
    return _decide(
        actor=actor,
        membership=membership,
        status=Membership.Status.REJECTED,
        allowed_from=(Membership.Status.PENDING,),
        kind=Event.Kind.MEMBER_REJECTED,
        reason=reason,
    )


@transaction.atomic
def revoke_membership(*, actor, membership: Membership, reason: str) -> Membership:
    """Revoke a verified member; their votes stop counting (they stay in history)."""
    check_text(reason, "reason", 2000, required=True)
    return _decide(
        actor=actor,
        membership=membership,
        status=Membership.Status.REVOKED,
        allowed_from=(Membership.Status.VERIFIED,),
        kind=Event.Kind.MEMBER_REVOKED,
        reason=reason,
    )
