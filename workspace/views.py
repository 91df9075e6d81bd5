"""Facilitator pages that show deliberation: the desk, the draft editor, publishing; and the
actions on comments (dispositions, moderation, applying a suggestion, recomputing figures).
Views parse a form, call one service or selector, and redirect or render."""

from datetime import datetime, timedelta

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import labels
from core.errors import DomainError, InvalidInput, NotFound
from definition import selectors as definition_selectors
from definition.models import Draft
from deliberation.consensus import services as consensus_services
from deliberation.discussion import appeals
from deliberation.discussion import selectors as discussion_selectors
from deliberation.discussion import services as discussion_services
from deliberation.models import Comment, Disposition
from workspace import selectors as desk_selectors
from workspace.changelog import generate_changelog
from workspace.desk import AGES, get_desk, parse_desk_query
from workspace.drafts_views import (
    back_to_desk,
    back_to_editor,
    desk_url,
    draft_of,
    facilitator_only,
    finish,
)
from workspace.publishing import get_leftovers, publish_reviewed

DEFAULT_PERIOD = timedelta(days=14)
NEXT_DRAFT = "next"


@facilitator_only
def desk(request, definition):
    """The queues of what the facilitators have to act on, one queue shown at a time, filtered,
    sorted and paginated; each item actionable in place."""
    page = get_desk(definition=definition, query=parse_desk_query(request.GET))
    return render(request, "workspace/desk.html", {
        "definition": definition, "desk": page, "draft": page.open_draft, "drafts": page.drafts,
        "editing": [d for d in page.drafts if d.status == Draft.Status.EDITING],
        "ages": AGES, "kinds": Comment.Kind.values,
        **_answer_options(page.drafts)})


def _answer_options(drafts) -> dict:
    """The options every answer form of the desk repeats, rendered once for the page: the
    dispositions (with and without overruling a block) and the drafts a comment is addressed
    in."""
    statuses = [(code, labels.label("disposition", code)) for code in Disposition.Status.values]
    return {
        "status_options": format_html_join("", '<option value="{}">{}</option>',
                                           [s for s in statuses if s[0] != "overruled"]),
        "block_status_options": format_html_join("", '<option value="{}">{}</option>', statuses),
        "addressed_options": format_html(
            '<option value="">—</option><option value="next">{}</option>{}',
            _("the next draft"), format_html_join("", '<option value="{0}">{0}</option>',
                                                  [(d.version,) for d in drafts]))}


@facilitator_only
def editor(request, definition, v: str):
    """A page of clauses in order (whole sections, at most 50), each collapsed with its forms
    loaded when opened (inline for the clause `?c=` names); add, merge; the suggestions of the
    previous draft on the page's clauses to apply."""
    draft = draft_of(request, definition, v)
    rows = desk_selectors.get_editor_page(draft=draft, only=request.GET.get("only", ""),
                                          number=request.GET.get("page", ""),
                                          key=request.GET.get("c", ""))
    context = {"definition": definition, "draft": draft, "editable":
               draft.status == Draft.Status.EDITING, **rows}
    return render(request, "workspace/editor.html", context)


# Publishing --------------------------------------------------------------------------------------


@facilitator_only
def publish(request, definition, v: str):
    """Publish with a closing date and an editable changelog generated from the comparison with
    the previous draft; close an open draft; finalize a closed one."""
    draft = draft_of(request, definition, v)
    context = {"definition": definition, "draft": draft, "error": None}
    if draft.status == Draft.Status.EDITING:
        context["leftovers"] = get_leftovers(draft=draft)
    if request.method == "POST" and draft.status == Draft.Status.EDITING:
        changelog = request.POST.get("changelog", "")
        try:
            publish_reviewed(actor=request.user, draft=draft, changelog=changelog,
                             closes_at=_closes_at(request.POST.get("closes_at", "")),
                             confirmed=request.POST.get("confirm") == "yes",
                             reason=request.POST.get("reason", ""))
        except DomainError as error:
            context.update(error=error, closes_at=request.POST.get("closes_at", ""),
                           changelog=changelog, reason=request.POST.get("reason", ""))
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
    back = back_to_desk(request, definition)
    try:
        done = COMMENT_ACTIONS[action](request, definition, comment)
    except DomainError as error:
        return finish(request, back, error=error, scope=f"comment-{pk}")
    return finish(request, back, done=done)


def _addressed_in(request, definition) -> dict:
    version = request.POST.get("addressed_in", "")
    if version == NEXT_DRAFT:
        return {"addressed_in": None, "addressed_in_next": True}
    addressed_in = definition_selectors.find_draft(definition=definition, version=version)
    if version and addressed_in is None:
        raise InvalidInput(_("No such draft."), field="addressed_in")
    return {"addressed_in": addressed_in, "addressed_in_next": False}


def _disposition(request, definition, comment) -> str:
    disposition = discussion_services.record_disposition(
        actor=request.user, comment=comment, status=request.POST.get("status", ""),
        response=request.POST.get("response", ""), **_addressed_in(request, definition))
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


def _comments_of(definition, values: list[str]) -> list:
    ids = [int(value) for value in values if value.isdigit()][:discussion_services.MAX_BULK]
    ids = list(dict.fromkeys(ids))
    comments = desk_selectors.list_comments_of(definition=definition, ids=ids)
    if not comments or len(comments) != len(set(ids)):
        raise InvalidInput(_("Choose comments of this definition."), field="comments")
    return sorted(comments, key=lambda c: ids.index(c.pk))


@facilitator_only
@require_POST
def answer_many(request, definition):
    """One answer to similar comments: the same disposition for each, or each a duplicate of the
    first (`mode=duplicates`), which stays to be answered."""
    back = back_to_desk(request, definition)
    try:
        comments = _comments_of(definition, request.POST.getlist("comments") + [
            value.strip() for value in request.POST.get("comment_ids", "").split(",")])
        response = request.POST.get("response", "")
        if request.POST.get("mode") == "duplicates":
            discussion_services.record_duplicates(actor=request.user, comments=comments[1:],
                                                  of=comments[0], response=response)
            done = _("%(n)s comment(s) marked duplicates of #%(id)s.") % {
                "n": len(comments) - 1, "id": comments[0].pk}
        else:
            discussion_services.record_dispositions(
                actor=request.user, comments=comments, status=request.POST.get("status", ""),
                response=response, **_addressed_in(request, definition))
            done = _("%(n)s comment(s) answered.") % {"n": len(comments)}
    except DomainError as error:
        return finish(request, back, error=error, scope=f"group-{request.POST.get('lead', '')}")
    return finish(request, back, done=done)


@facilitator_only
@require_POST
def apply_suggestion(request, definition, v: str, pk: int):
    """Put an accepted suggestion's proposed text into this draft, in one action."""
    draft = draft_of(request, definition, v)
    comment = _comment_of(definition, pk)
    try:
        clause = discussion_services.apply_suggestion(
            actor=request.user, comment=comment, draft=draft,
            response=request.POST.get("response", ""),
            replace=request.POST.get("replace") == "yes")
    except DomainError as error:
        return finish(request, back_to_editor(request, draft, f"suggestion-{pk}",
                                              key=comment.clause.key),
                      error=error, scope=f"suggestion-{pk}")
    return finish(request, back_to_editor(request, draft, key=clause.key),
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


# Appeals -----------------------------------------------------------------------------------------


@facilitator_only
@require_POST
def appeal_action(request, definition, pk: int, action: str):
    """A facilitator answers an open appeal; an admin decides it (upheld or denied)."""
    back = back_to_desk(request, definition)
    appeal = discussion_selectors.get_appeal(pk=pk)
    if appeal.comment.clause.draft.definition_id != definition.pk:
        raise NotFound(f"No appeal {pk} in {definition.slug}.", field="appeal")
    try:
        if action == "answer":
            appeals.answer_appeal(actor=request.user, appeal=appeal,
                                  answer=request.POST.get("answer", ""))
            done = _("Appeal #%(id)s answered.") % {"id": pk}
        else:
            decided = appeals.decide_appeal(actor=request.user, appeal=appeal,
                                            status=request.POST.get("status", ""),
                                            reason=request.POST.get("reason", ""))
            done = _("Appeal #%(id)s: %(status)s.") % {"id": pk, "status": decided.status}
    except DomainError as error:
        return finish(request, back, error=error, scope=f"appeal-{pk}")
    return finish(request, back, done=done)


def all_appeals(request):
    """Site admins: the open appeals of every definition in one queue, oldest first, each
    linked to where it is decided (its definition's desk). Signed-in non-admins get 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.is_superuser:
        raise PermissionDenied(_("Only a site admin may see the appeals of every definition."))
    page = request.GET.get("page", "1")
    queue = desk_selectors.list_open_appeals(
        definition=request.GET.get("definition", "")[:80],
        page=int(page) if page.isdigit() and len(page) < 8 else 1)
    return render(request, "workspace/appeals.html", queue)
