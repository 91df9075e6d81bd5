"""Writes to accounts: registration, API tokens and sessions."""

from django.conf import settings
from django.contrib.auth import authenticate, get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import ngettext
from rest_framework.authtoken.models import Token

from core.errors import Conflict, InvalidInput, TooManyAttempts
from core.validation import check_text


@transaction.atomic
def register_user(*, username: str, email: str, password: str, display_name: str = ""):
    """Create an account; the password must pass the site's password validators."""
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise Conflict("This username is taken.", field="username")
    display_name = check_text(display_name or "", "display_name", 150).strip()
    candidate = User(username=username, email=email, display_name=display_name)
    try:
        password_validation.validate_password(password, user=candidate)
    except ValidationError as error:
        raise InvalidInput(" ".join(error.messages), field="password") from None
    candidate.set_password(password)
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError:
        raise Conflict("This username is taken.", field="username") from None
    return candidate


def lockout_message() -> str:
    """What a locked-out sign-in is told (the page says the same, registration/locked_out.html)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return ngettext(
        "Too many failed sign-in attempts. Try again in %(minutes)d minute.",
        "Too many failed sign-in attempts. Try again in %(minutes)d minutes.", minutes,
    ) % {"minutes": minutes}


def issue_token(*, request, username: str, password: str) -> Token:
    """The user's API token (created on first use) for a correct username and password.

    Not atomic around `authenticate`: the failure the sign-in lockout records (django-axes) must
    outlive this refusal. A locked-out username and address get TooManyAttempts (429)."""
    user = authenticate(request=request, username=username, password=password)
    if getattr(request, "axes_locked_out", False):
        raise TooManyAttempts(lockout_message())
    if user is None or not user.is_active:
        raise InvalidInput("Unable to sign in with this username and password.")
    token, _ = Token.objects.get_or_create(user=user)
    return token


@transaction.atomic
def revoke_token(*, user) -> bool:
    """Delete the user's API token, if any: the key stops working at once and the next sign-in
    (`issue_token`) gets a new one. A password change calls this too (`User.save`)."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)


@transaction.atomic
def sign_out_everywhere(*, user):
    """End every session of this user, on every device, and revoke the API token.

    Sessions carry a hash of the user's session generation (`User.get_session_auth_hash`);
    raising it makes every existing session fail verification, whatever the session backend.
    The caller keeps its own session with `update_session_auth_hash`."""
    user.session_generation += 1
    user.save(update_fields=["session_generation"])
    revoke_token(user=user)
    return user


NOTIFICATION_KINDS = ("notify_new_draft", "notify_replies", "notify_dispositions",
                      "notify_closing")


@transaction.atomic
def update_notifications(*, user, choices: dict[str, bool]):
    """Turn each kind of e-mail on or off for this user (history keeps the change)."""
    unknown = set(choices) - set(NOTIFICATION_KINDS)
    if unknown:
        raise InvalidInput("Unknown kind of notification.", field=sorted(unknown)[0])
    for kind, wanted in choices.items():
        setattr(user, kind, bool(wanted))
    user.save(update_fields=list(choices))
    return user
