"""The page action of re-voting help: carry one's positions forward to a new draft."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.errors import DomainError
from deliberation.pages.definition_views import domain_pages, load_draft
from deliberation.votes.carry import carry_positions_forward


@domain_pages
@require_POST
def carry_forward(request, d: str, v: str):
    """Carry the viewer's positions on unchanged clauses (or the clauses named by `key`) forward;
    back to the reader's progress."""
    draft = load_draft(request, d, v)
    keys = request.POST.getlist("key") or None
    try:
        votes = carry_positions_forward(actor=request.user, draft=draft, keys=keys)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, ngettext(
            "%(n)d position carried forward: it counts as a new vote on this draft.",
            "%(n)d positions carried forward: each counts as a new vote on this draft.",
            len(votes)) % {"n": len(votes)})
    anchor = f"c-{keys[0]}" if keys and len(keys) == 1 else "voting-progress"
    return redirect(reverse("deliberation:reader", args=[d, v]) + f"#{anchor}")
