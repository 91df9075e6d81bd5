"""Who may do what in a definition. `access_*` fetch with a permission check; `is_*` only answer."""

from core.errors import NotAllowed
from definition.models import Definition, Draft, Membership


def is_facilitator(user, definition: Definition) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return definition.facilitators.filter(pk=user.pk).exists()


def require_facilitator(user, definition: Definition) -> None:
    if not is_facilitator(user, definition):
        raise NotAllowed("Only a facilitator of this definition may do this.")


def can_see_draft(user, draft: Draft) -> bool:
    """A draft in `editing` is seen by its definition's facilitators (and admins) only.
    `user` None asks whether anyone at all may see it."""
    return draft.status != Draft.Status.EDITING or is_facilitator(user, draft.definition)


def require_admin(user) -> None:
    if not (getattr(user, "is_authenticated", False) and user.is_superuser):
        raise NotAllowed("Only a site administrator may do this.")


def verified_membership(user, definition: Definition) -> Membership | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        Membership.objects.select_related("group")
        .filter(user=user, definition=definition, status=Membership.Status.VERIFIED)
        .first()
    )
