"""Pages of definitions: home, join, decision log, compare. Views parse, call, render."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import DomainError, NotAllowed, NotFound
from definition import memberships, selectors
from definition.models import Draft


def domain_pages(view):
    """Turn a domain NotFound into a 404 page and NotAllowed into a 403 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except NotFound as error:
            raise Http404(error.message) from None
        except NotAllowed as error:
            raise PermissionDenied(error.message) from None

    return wrapper


def load_draft(request, d: str, v: str) -> Draft:
    """The draft, with its definition, if the visitor may see it (the selector decides)."""
    definition = selectors.get_definition(slug=d)
    draft = selectors.get_draft(definition=definition, version=v, viewer=request.user)
    draft.definition = definition
    return draft


def home(request):
    """Every definition with its current draft and the state of its comment period."""
    definitions = selectors.list_definitions().prefetch_related("drafts").order_by("title")
    rows = []
    for definition in definitions:
        published = [d for d in definition.drafts.all() if d.status != Draft.Status.EDITING]
        current = [d for d in published if d.version == definition.current_version]
        rows.append({"definition": definition, "current": (current or [None])[0]})
    return render(request, "deliberation/home.html", {"rows": rows})


@domain_pages
def activity(request, d: str):
    """The public decision log, newest first, fifty to a page."""
    definition = selectors.get_definition(slug=d)
    events = selectors.list_events(definition=definition, viewer=request.user)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    page.object_list = selectors.attach_event_targets(page.object_list)
    return render(request, "deliberation/activity.html", {
        "definition": definition, "page": page, "draft": selectors.get_current_draft(definition),
        "applied": selectors.get_live_membership(user=request.user, definition=definition)})


@domain_pages
def compare(request, d: str, v1: str, v2: str):
    """The redline between two drafts of a definition."""
    old, new = load_draft(request, d, v1), load_draft(request, d, v2)
    changes = selectors.get_comparison(old=old, new=new)
    drafts = selectors.list_drafts(definition=old.definition, viewer=request.user).exclude(
        status=Draft.Status.EDITING)
    return render(request, "deliberation/compare.html", {
        "definition": old.definition, "old": old, "new": new, "changes": changes,
        "drafts": drafts, "counts": _change_counts(changes),
        "applied": selectors.get_live_membership(user=request.user, definition=old.definition)})


def _change_counts(changes) -> dict[str, int]:
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.status] = counts.get(change.status, 0) + 1
    return counts


@domain_pages
def compare_pick(request, d: str):
    """Pick two versions; with ?from=&to= (the form, also without JavaScript) go to the redline."""
    old, new = request.GET.get("from", ""), request.GET.get("to", "")
    if old and new:
        return redirect("deliberation:compare", d=d, v1=old, v2=new)
    definition = selectors.get_definition(slug=d)
    drafts = list(selectors.list_drafts(definition=definition, viewer=request.user).exclude(
        status=Draft.Status.EDITING))
    picked_from, picked_to = _default_pair(drafts)
    return render(request, "deliberation/compare_pick.html", {
        "definition": definition, "drafts": drafts, "draft": _current(drafts),
        "picked_from": picked_from, "picked_to": picked_to,
        "applied": selectors.get_live_membership(user=request.user, definition=definition),
        "error": _("Choose two drafts to compare.") if (old or new) else ""})


def _current(drafts: list[Draft]) -> Draft | None:
    """As `selectors.get_current_draft`, over drafts already read."""
    for status in (Draft.Status.OPEN, Draft.Status.FINAL, Draft.Status.CLOSED):
        matching = [x for x in drafts if x.status == status]
        if matching:
            return matching[-1]
    return None


def _default_pair(drafts: list[Draft]) -> tuple[str, str]:
    """The latest draft and the one it was based on (else the one before it)."""
    if len(drafts) < 2:
        return "", ""
    latest = drafts[-1]
    base = latest.based_on if latest.based_on_id in {x.pk for x in drafts} else drafts[-2]
    return base.version, latest.version


@domain_pages
@require_http_methods(["GET", "POST"])
def join(request, d: str):
    """Apply to one stakeholder group of the definition."""
    definition = selectors.get_definition(slug=d)
    error = None
    if request.method == "POST":
        if not request.user.is_authenticated:
            return login_required(lambda r: None)(request)
        try:
            memberships.apply_membership(
                user=request.user, definition=definition,
                group_slug=request.POST.get("group", ""),
                affiliation=request.POST.get("affiliation", ""),
                conflict_of_interest=request.POST.get("conflict_of_interest", ""))
        except DomainError as failure:
            error = failure
        else:
            messages.success(request, _("Your application was sent to the facilitators."))
            return redirect("deliberation:join", d=d)
    return render(request, "deliberation/join.html", {
        "definition": definition, "groups": definition.groups.all(), "error": error,
        "draft": selectors.get_current_draft(definition),
        "membership": selectors.get_live_membership(user=request.user, definition=definition),
        "form": request.POST},
        status=error.status_code if error else 200)
