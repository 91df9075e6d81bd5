"""Sign up. Sign in and out are Django's own views (`accounts/` in config.urls)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.forms import SignUpForm
from accounts.services import (
    NOTIFICATION_KINDS,
    lockout_message,
    register_user,
    sign_out_everywhere,
    update_notifications,
)
from core.errors import DomainError


@require_http_methods(["GET", "POST"])
def signup(request):
    """Create an account and sign in with it."""
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = register_user(**form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(_after_signup(request))
    return render(request, "accounts/signup.html",
                  {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
                  status=400 if form.errors else 200)


def _after_signup(request) -> str:
    """Where a new account goes next: applying to a group of the definition whose page it came
    from (`next`), else that page, else the list of definitions to choose one."""
    target = request.POST.get("next", "")
    if not target or not url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                         require_https=request.is_secure()):
        return reverse(settings.HOME_URL)
    try:
        slug = resolve(urlsplit(target).path).kwargs.get("d")
    except Resolver404:
        slug = None
    return reverse(settings.JOIN_URL, args=[slug]) if slug else target


@login_required
@require_http_methods(["POST"])
def notifications(request):
    """The profile's e-mail switches: every kind not ticked is turned off."""
    update_notifications(user=request.user, choices={
        kind: kind in request.POST for kind in NOTIFICATION_KINDS})
    messages.success(request, _("Your e-mail preferences were saved."))
    return redirect(settings.PROFILE_URL)


@login_required
@require_http_methods(["POST"])
def sign_out_everywhere_view(request):
    """End every other session of the viewer and revoke their API token; this one stays."""
    user = sign_out_everywhere(user=request.user)
    update_session_auth_hash(request, user)
    messages.success(request, _("You were signed out of every other session, and your API token "
                                "was revoked."))
    return redirect(settings.PROFILE_URL)


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers a locked-out sign-in (AXES_LOCKOUT_CALLABLE): a page, 429."""
    return render(request, "registration/locked_out.html", {"message": lockout_message()},
                  status=429)
