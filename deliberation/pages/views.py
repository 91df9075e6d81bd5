"""Pages of deliberation: overview, reader, clause, votes, comments, consensus, opinion groups,
dispositions, search and the profile. Views parse, call one service or selector, and render."""

from celery import current_app as celery_app
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.conditional import conditional
from core.errors import DomainError
from core.messages import error_text
from definition import selectors as definition_selectors
from definition.models import Draft
from definition.permissions import is_facilitator
from definition.rendering import find_passage
from deliberation.consensus import selectors as consensus_selectors
from deliberation.consensus.models import Level
from deliberation.discussion import appeals
from deliberation.discussion import selectors as discussion_selectors
from deliberation.discussion import services as discussion_services
from deliberation.models import DISAPPROVING, Comment, Disposition
from deliberation.pages import paging
from deliberation.pages import selectors as pages
from deliberation.pages.definition_views import domain_pages, load_draft
from deliberation.votes import selectors as vote_selectors
from deliberation.votes import services as vote_services
from deliberation.votes.revote import list_revote_marks, list_still_to_vote, revote_help


def _back(request, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = fallback
    return HttpResponseRedirect(target)


def _clause_url(clause, anchor: str = "") -> str:
    draft = clause.draft
    url = reverse("deliberation:clause", args=[draft.definition.slug, draft.version, clause.key])
    return f"{url}#{anchor}" if anchor else url


CLOSED = (Draft.Status.CLOSED, Draft.Status.FINAL)

# Overview and reader ----------------------------------------------------------------------------


@domain_pages
def overview(request, d: str):
    """Drafts timeline, the current draft's heat map and the latest decisions."""
    definition = definition_selectors.get_definition(slug=d)
    facilitating = is_facilitator(request.user, definition)
    drafts = pages.list_live_drafts(definition=definition, viewer=request.user)
    current = pages.get_current_of([x for x in drafts if x.status != Draft.Status.EDITING])
    context = {"definition": definition, "drafts": drafts, "current": current,
               "facilitating": facilitating,
               "events": definition_selectors.attach_event_targets(
                   definition_selectors.list_events(definition=definition,
                                                    viewer=request.user)[:8])}
    if current is not None:
        current.definition = definition
        votable = definition.sections_votable
        clauses = [c for c in definition_selectors.list_clauses(draft=current)
                   if votable or not c.is_section]  # sections are not mapped (PRODUCT.md §2)
        context.update(pages.get_reader_rows(draft=current, user=request.user,
                                        clauses=clauses[:paging.LIST_PAGE_SIZE]),
                       map_total=len(clauses))
    return render(request, "deliberation/definition_overview.html", context)


@domain_pages
def reader(request, d: str, v: str):
    """A page of whole sections of a draft (the one asked for by `?page=`, or holding clause
    `?c=`), each clause with its bars, the viewer's position buttons and comment count, and the
    draft's table of pages. A closed draft answers conditional GETs (it no longer changes)."""
    draft = load_draft(request, d, v)
    clauses = definition_selectors.list_clauses(draft=draft)
    sections = paging.section_pages(clauses)
    page = paging.pick(sections, number=request.GET.get("page", ""), key=request.GET.get("c", ""))

    def render_page():
        context = {"definition": draft.definition, "draft": draft, "pages": sections,
                   "page": page, **pages.get_reader_rows(draft=draft, user=request.user,
                                                         clauses=page.items)}
        context.update(revote_help(draft=draft, rows=context["rows"], user=request.user,
                                   clauses=clauses))
        return render(request, "deliberation/draft_reader.html", _with_voting(context, draft))

    if draft.status not in CLOSED:
        return render_page()
    return conditional(request, etag=pages.reader_etag(request, draft=draft, page=page),
                       last_modified=None, render=render_page)


def _with_voting(context: dict, draft: Draft) -> dict:
    context["can_vote"] = context["membership"] is not None and draft.status == Draft.Status.OPEN
    context["poll"] = not celery_app.conf.task_always_eager
    return context


# The clause page --------------------------------------------------------------------------------


@domain_pages
def clause_page(request, d: str, v: str, k: str):
    """A clause: text, vote, threads, figures, trend and history."""
    draft = load_draft(request, d, v)
    clause = definition_selectors.get_numbered_clause(draft=draft, key=k)
    context = _clause_context(request, clause)
    context["edit_error"] = _pop_edit_error(request, clause)
    return render(request, "deliberation/clause_detail.html", context)


# A refused edit of one's comment comes back to the clause page (post, redirect, get) with its
# error beside the field and the typed text kept; the session carries them over the redirect.
EDIT_ERROR = "comment_edit_error"
EDIT_FIELDS = ("body", "proposed_text")


def _keep_edit_error(request, target, error: DomainError) -> None:
    request.session[EDIT_ERROR] = {
        "pk": target.pk, "clause": target.clause_id,
        "field": error.field if error.field in EDIT_FIELDS else "",
        "message": error_text(error),
        "body": request.POST.get("body", "")[:40000],
        "proposed_text": request.POST.get("proposed_text", target.proposed_text)[:40000]}


def _pop_edit_error(request, clause) -> dict | None:
    kept = request.session.get(EDIT_ERROR) if hasattr(request, "session") else None
    if not kept or kept.get("clause") != clause.pk:
        return None
    del request.session[EDIT_ERROR]
    return kept


def _clause_context(request, clause) -> dict:
    draft = clause.draft
    summary = consensus_selectors.get_clause_consensus(clause=clause)
    discussion = pages.thread_page(clause=clause, number=request.GET.get("threads", ""))
    threads = discussion_selectors.attach_appeals(comments=discussion["threads"])
    context = {
        "definition": draft.definition, "draft": draft, "clause": clause,
        "item": {"clause": clause, "summary": summary,
                 "vote": pages.get_my_vote(user=request.user, clause=clause),
                 "section": clause.is_section and not draft.definition.sections_votable},
        "summary": summary, "threads": threads, "discussion": discussion,
        "groups": pages.list_group_names(draft.definition),
        **pages.get_memberships(user=request.user, definition=draft.definition),
        "moderator": is_facilitator(request.user, draft.definition),
        "see_voters": vote_selectors.can_see_voters(request.user, draft.definition),
        "intent": request.GET.get("intent", ""), "comment_kinds": _comment_kinds(),
        "my_endorsements": discussion_selectors.list_endorsed_ids(user=request.user,
                                                                  clause=clause),
    }
    # Re-voting help, as on the reader: new, changed (the diff one click away) or unchanged.
    context["item"]["revote"] = list_revote_marks(draft=draft, clauses=[clause],
                                                  user=request.user).get(clause.pk)
    context["history"] = definition_selectors.list_clause_history(
        definition=draft.definition, key=clause.key, viewer=request.user)
    context["ballot"] = (pages.ballot_page(actor=request.user, clause=clause,
                                           number=request.GET.get("ballot", ""))
                         if context["see_voters"] else None)
    return _with_voting(context, draft)


def _comment_kinds():
    return [(k, label) for k, label in Comment.Kind.choices if k != Comment.Kind.OBJECTION]


# Voting -----------------------------------------------------------------------------------------


def _load_clause(request, d, v, k):
    draft = load_draft(request, d, v)
    clause = definition_selectors.get_numbered_clause(draft=draft, key=k)
    return draft, clause


@domain_pages
@require_POST
def vote(request, d: str, v: str, k: str):
    """Cast, change or retract a position. htmx gets the clause's vote block back; a plain form
    post is redirected back (to the clause page, with the rationale open, on an error)."""
    draft, clause = _load_clause(request, d, v, k)
    position = request.POST.get("position", "")
    error = _cast(request.user, clause, position, request.POST.get("rationale", ""))
    if request.htmx:
        return _vote_block(request, draft, clause, error=error, intent=position)
    if error is not None:  # without JavaScript: the clause page, the error beside the field
        context = _clause_context(request, clause)
        context.update(error=error_text(error), error_field=error.field or "",
                       intent=position if position in DISAPPROVING else "",
                       rationale=request.POST.get("rationale", ""))
        return render(request, "deliberation/clause_detail.html", context,
                      status=error.status_code)
    return _back(request, _clause_url(clause, f"vote-{clause.key}"))


def _cast(user, clause, position: str, rationale: str) -> DomainError | None:
    try:
        if position == "retract":
            vote_services.retract_vote(actor=user, clause=clause)
        else:
            vote_services.cast_vote(actor=user, clause=clause, position=position,
                                    rationale=rationale)
    except DomainError as error:
        return error
    return None


@domain_pages
def vote_block(request, d: str, v: str, k: str):
    """The clause's vote block alone: htmx polls it while the figures are being recomputed."""
    draft, clause = _load_clause(request, d, v, k)
    return _vote_block(request, draft, clause)


def _vote_block(request, draft, clause, *, error=None, intent=""):
    context = {"definition": draft.definition, "draft": draft,
               **pages.get_memberships(user=request.user, definition=draft.definition),
               "groups": pages.list_group_names(draft.definition),
               "item": {"clause": clause, "summary": pages.get_clause_summary(clause=clause),
                        "vote": pages.get_my_vote(user=request.user, clause=clause)},
               "error": error_text(error) if error else "",
               "error_field": getattr(error, "field", ""),
               "intent": intent if error and intent in DISAPPROVING else "",
               "rationale": request.POST.get("rationale", "")}
    return render(request, "deliberation/_vote_block.html", _with_voting(context, draft))


# Comments ---------------------------------------------------------------------------------------


@domain_pages
@require_POST
def comment(request, d: str, v: str, k: str):
    """Post a comment, question or suggestion on a clause, or a reply to a comment."""
    clause = _load_clause(request, d, v, k)[1]
    try:
        posted = discussion_services.post_comment(actor=request.user, clause=clause,
                                       **_comment_input(request.POST, clause))
    except DomainError as error:
        messages.error(request, error_text(error))
        return redirect(_clause_url(clause, "discussion"))
    messages.success(request, _("Your comment was posted."))
    return redirect(_clause_url(clause, f"comment-{posted.pk}"))


def _comment_input(data, clause) -> dict:
    kind = data.get("kind", "comment")
    parent_id = data.get("parent", "")
    parent = None
    if parent_id.isdigit():
        parent = discussion_selectors.get_reply_parent(clause=clause, pk=int(parent_id))
        kind = "comment"
    quote = data.get("quote", "").strip()
    if quote:
        quote = find_passage(quote, clause.body) or find_passage(quote, clause.heading) or quote
    proposed = data.get("proposed_text", "") if kind == Comment.Kind.SUGGESTION else ""
    return {"body": data.get("body", ""), "kind": kind, "parent": parent, "quote": quote,
            "proposed_text": proposed}


@domain_pages
@require_POST
def comment_action(request, pk: int, action: str):
    """Endorse (or withdraw), edit, flag or acknowledge a comment; back to it on its clause."""
    target = discussion_selectors.get_comment(pk=pk)
    try:
        _ACTIONS[action](request, target)
    except DomainError as error:
        if action == "edit":
            # No #fragment: browsers skip `autofocus` on a page opened at one; the focus on
            # the invalid field scrolls it into view.
            _keep_edit_error(request, target, error)
            return redirect(_clause_url(target.clause))
        messages.error(request, error_text(error))
    return redirect(_clause_url(target.clause, f"comment-{target.pk}"))


def _endorse(request, target):
    discussion_services.endorse_comment(actor=request.user, comment=target)
    messages.success(request, _("You endorsed this suggestion."))


def _unendorse(request, target):
    discussion_services.withdraw_endorsement(actor=request.user, comment=target)
    messages.success(request, _("You withdrew your endorsement."))


def _edit(request, target):
    changes = {"body": request.POST.get("body", "")}
    if target.kind == Comment.Kind.SUGGESTION and "proposed_text" in request.POST:
        changes["proposed_text"] = request.POST["proposed_text"]
    discussion_services.edit_comment(actor=request.user, comment=target, changes=changes)
    messages.success(request,
                     _("Your comment was updated; the earlier text is kept in its history."))


def _flag(request, target):
    discussion_services.flag_comment(actor=request.user, comment=target,
                          reason=request.POST.get("reason", ""))
    messages.success(request, _("Thank you: the facilitators will review this comment."))


def _acknowledge(request, target):
    satisfied = {"yes": True, "no": False}.get(request.POST.get("satisfied", ""))
    discussion_services.acknowledge_disposition(actor=request.user, comment=target,
                                                satisfied=satisfied,
                                                note=request.POST.get("note", ""))
    messages.success(request, _("Your acknowledgement was recorded."))


def _appeal(request, target):
    appeals.file_appeal(actor=request.user, comment=target, reason=request.POST.get("reason", ""))
    messages.success(request, _("Your appeal was filed: the admins will decide it."))


_ACTIONS = {"endorse": _endorse, "unendorse": _unendorse, "edit": _edit, "flag": _flag,
            "acknowledge": _acknowledge, "appeal": _appeal}


# Consensus, opinion groups, dispositions ---------------------------------------------------------

LEVEL_FILTERS = ("contested", "blocked", "insufficient", "opposed", "strong", "rough", "none")


@domain_pages
def consensus(request, d: str, v: str):
    """The heat map with filters (level, weakest group) and every clause's headline figures."""
    draft = load_draft(request, d, v)
    level, group = request.GET.get("level", ""), request.GET.get("group", "")
    votable = draft.definition.sections_votable
    clauses = [c for c in definition_selectors.list_clauses(draft=draft)
               if votable or not c.is_section]  # sections are not counted (PRODUCT.md §2)
    headlines = consensus_selectors.list_levels(draft=draft)
    matching = [c for c in clauses if _matches(headlines.get(c.pk), level, group)]
    page, offset, pages_count = paging.page_of_list(len(matching), request.GET.get("page", ""))
    shown = matching[offset:offset + paging.LIST_PAGE_SIZE]
    context = {"definition": draft.definition, "draft": draft,
               **pages.get_reader_rows(draft=draft, user=request.user, clauses=shown)}
    context.update(level=level, group=group, levels=LEVEL_FILTERS, total=len(clauses),
                   matching=len(matching), page=page, pages=pages_count,
                   query=request.GET.copy())
    return render(request, "deliberation/consensus_dashboard.html", context)


def _matches(headline: tuple[str, str | None] | None, level: str, group: str) -> bool:
    """Whether a clause's stored (level, weakest group) passes the filters; a clause without
    computed figures is `insufficient` with no weakest group."""
    clause_level, weakest = headline or (Level.INSUFFICIENT, None)
    if level and clause_level != level:
        return False
    return not group or weakest == group


@domain_pages
def opinion_groups(request, d: str, v: str):
    """The stored latent opinion-group analysis: scatter, bridging and divisive clauses."""
    draft = load_draft(request, d, v)
    analysis = pages.get_opinion_analysis(draft=draft, viewer=request.user)
    clauses = {c.key: c for c in definition_selectors.list_clauses(draft=draft)}
    voted = [c for c in clauses.values() if c.body]
    page, offset, pages_count = paging.page_of_list(len(voted), request.GET.get("page", ""))
    return render(request, "deliberation/opinion_groups.html", {
        "definition": draft.definition, "draft": draft, "analysis": analysis,
        "clauses": clauses, "approval_rows": voted[offset:offset + paging.LIST_PAGE_SIZE],
        "page": page, "pages": pages_count, "query": request.GET.copy(),
        **pages.get_memberships(user=request.user, definition=draft.definition)})


@domain_pages
def dispositions(request, d: str, v: str):
    """Every top-level comment of the draft with its disposition and the author's answer."""
    draft = load_draft(request, d, v)
    status = request.GET.get("status", "")
    comments = pages.list_top_level_comments(draft=draft, status=status)
    return render(request, "deliberation/dispositions.html", {
        "definition": draft.definition, "draft": draft,
        "comments": discussion_selectors.attach_appeals(comments=comments),
        "status": status, "statuses": Disposition.Status.choices,
        **pages.get_memberships(user=request.user, definition=draft.definition),
        "see_voters": vote_selectors.can_see_voters(request.user, draft.definition)})


# Search and profile -----------------------------------------------------------------------------


def search(request):
    """Full-text search over clauses of published drafts and visible comments."""
    query = request.GET.get("q", "").strip()[:200]
    results = pages.search(query=query) if query else None
    return render(request, "deliberation/search.html", {"q": query, "results": results})


@login_required
def profile(request):
    """The viewer's memberships, votes and comments."""
    if not request.user.is_active:
        raise PermissionDenied
    return render(request, "deliberation/profile.html", {
        **pages.profile(user=request.user), "still_to_vote": list_still_to_vote(user=request.user)})
