"""Rules every participation write checks: the draft takes input, the actor is a verified
member."""

from django.utils import timezone

from core.errors import Conflict, NotAllowed
from definition.models import Draft
from definition.permissions import verified_membership


def require_open(draft: Draft, what: str) -> None:
    if draft.status != Draft.Status.OPEN:
        raise Conflict(f"Draft {draft.version} is {draft.status}: {what} are not accepted.",
                       field="draft")
    if draft.closes_at is not None and draft.closes_at <= timezone.now():
        raise Conflict(f"The comment period of {draft.version} has ended.", field="draft")


def require_member(actor, definition):
    membership = verified_membership(actor, definition)
    if membership is None:
        raise NotAllowed("Only verified members of this definition may do this.")
    return membership
