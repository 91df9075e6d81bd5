"""Facilitator pages that show deliberation: the desk, the draft editor, publishing; and the
actions on comments (dispositions, moderation, applying a suggestion, recomputing figures).
Views parse a form, call one service or selector, and redirect or render."""

from datetime import datetime, timedelta

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError, InvalidInput, NotFound
from definition import selectors as definition_selectors
from definition.models import Draft
from definition.services import publish_draft
from deliberation.consensus import services as consensus_services
from deliberation.discussion import selectors as discussion_selectors
from deliberation.discussion import services as discussion_services
from deliberation.models import Disposition
from workspace import selectors as desk_selectors
from workspace.changelog import generate_changelog
from workspace.drafts_views import desk_url, draft_of, editor_url, facilitator_only, finish

DEFAULT_PERIOD = timedelta(days=14)


@facilitator_only
def desk(request, definition):
    """What the facilitators have to act on, each item actionable in place."""
    summary = desk_selectors.get_desk_summary(definition=definition)
    drafts = desk_selectors.list_drafts_for_answers(definition=definition)
    return render(request, "workspace/desk.html", {
        "definition": definition, "desk": summary, "drafts": drafts, "draft": summary.draft,
        "editing": [d for d in drafts if d.status == Draft.Status.EDITING],
        "hidden": desk_selectors.list_hidden_comments(definition=definition),
        "statuses": Disposition.Status.choices})


@facilitator_only
def editor(request, definition, v: str):
    """Clauses in order with Markdown and preview; add, move, re-parent, rename, split, merge,
    delete; the suggestions of the previous draft to apply."""
    draft = draft_of(request, definition, v)
    context = {"definition": definition, "draft": draft, "editable":
               draft.status == Draft.Status.EDITING, **desk_selectors.get_editor_rows(draft=draft)}
    return render(request, "workspace/editor.html", context)


# Publishing --------------------------------------------------------------------------------------


@facilitator_only
def publish(request, definition, v: str):
    """Publish with a closing date and an editable changelog generated from the comparison with
    the previous draft; close an open draft; finalize a closed one."""
    draft = draft_of(request, definition, v)
    context = {"definition": definition, "draft": draft, "error": None}
    if request.method == "POST" and draft.status == Draft.Status.EDITING:
        changelog = request.POST.get("changelog", "")
        try:
            publish_draft(actor=request.user, draft=draft, changelog=changelog,
                          closes_at=_closes_at(request.POST.get("closes_at", "")))
        except DomainError as error:
            context.update(error=error, closes_at=request.POST.get("closes_at", ""),
                           changelog=changelog)
            return render(request, "workspace/publish.html", context, status=error.status_code)
        url = reverse("deliberation:reader", args=[definition.slug, draft.version])
        return finish(request, url, done=_("Draft %(version)s is open for comments.") % {
            "version": draft.version})
    if draft.status == Draft.Status.EDITING:
        local = timezone.localtime(timezone.now() + DEFAULT_PERIOD)
        context.update(closes_at=local.strftime("%Y-%m-%dT%H:%M"),
                       changelog=draft.changelog or generate_changelog(draft=draft))
    return render(request, "workspace/publish.html", context)


def _closes_at(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(_("Enter a date and time."), field="closes_at") from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


# Comments ----------------------------------------------------------------------------------------


def _comment_of(definition, pk: int):
    comment = discussion_selectors.get_comment(pk=pk)
    if comment.clause.draft.definition_id != definition.pk:
        raise NotFound(f"No comment {pk} in {definition.slug}.", field="comment")
    return comment


@facilitator_only
@require_POST
def comment_action(request, definition, pk: int, action: str):
    """Disposition (or overrule), hide, restore, or dismiss the flags of a comment."""
    comment = _comment_of(definition, pk)
    try:
        done = COMMENT_ACTIONS[action](request, definition, comment)
    except DomainError as error:
        return finish(request, desk_url(definition), error=error, scope=f"comment-{pk}")
    return finish(request, desk_url(definition), done=done)


def _disposition(request, definition, comment) -> str:
    version = request.POST.get("addressed_in", "")
    addressed_in = definition_selectors.find_draft(definition=definition, version=version)
    if version and addressed_in is None:
        raise InvalidInput(_("No such draft."), field="addressed_in")
    disposition = discussion_services.record_disposition(
        actor=request.user, comment=comment, status=request.POST.get("status", ""),
        response=request.POST.get("response", ""), addressed_in=addressed_in)
    return _("Comment #%(id)s: %(status)s.") % {"id": comment.pk, "status": disposition.status}


def _hide(request, definition, comment) -> str:
    discussion_services.hide_comment(actor=request.user, comment=comment,
                          reason=request.POST.get("reason", ""))
    return _("Comment #%(id)s hidden.") % {"id": comment.pk}


def _restore(request, definition, comment) -> str:
    discussion_services.restore_comment(actor=request.user, comment=comment,
                             reason=request.POST.get("reason", ""))
    return _("Comment #%(id)s restored.") % {"id": comment.pk}


def _dismiss(request, definition, comment) -> str:
    count = discussion_services.resolve_flags(actor=request.user, comment=comment,
                                   reason=request.POST.get("reason", ""))
    return _("%(n)s flag(s) dismissed.") % {"n": count}


COMMENT_ACTIONS = {"disposition": _disposition, "hide": _hide, "restore": _restore,
                   "dismiss-flags": _dismiss}


@facilitator_only
@require_POST
def apply_suggestion(request, definition, v: str, pk: int):
    """Put an accepted suggestion's proposed text into this draft, in one action."""
    draft = draft_of(request, definition, v)
    comment = _comment_of(definition, pk)
    try:
        clause = discussion_services.apply_suggestion(
            actor=request.user, comment=comment, draft=draft,
            response=request.POST.get("response", ""))
    except DomainError as error:
        return finish(request, editor_url(draft, "suggestions"), error=error,
                      scope=f"suggestion-{pk}")
    return finish(request, editor_url(draft, f"e-{clause.key}"),
                  done=_("Suggestion #%(id)s applied to %(key)s.") % {"id": pk, "key": clause.key})


@facilitator_only
@require_POST
def recompute(request, definition, v: str):
    """Ask for a full recomputation of a draft's figures."""
    draft = draft_of(request, definition, v)
    try:
        consensus_services.request_recompute(actor=request.user, draft=draft)
    except DomainError as error:
        return finish(request, desk_url(definition), error=error, scope="recompute")
    return finish(request, desk_url(definition), done=_("Recomputation requested."))
