"""Facilitator pages of definitions: member decisions, the draft editor's actions, Markdown import,
closing and finalizing. Views parse a form, call one service and redirect (PRG); htmx requests
get a fragment back instead. Pages that need deliberation data (the desk, the editor page, the
publishing page) live in `workspace.views`: imports flow definition <- deliberation.
"""

from functools import wraps
from urllib.parse import parse_qs, urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from core.errors import DomainError, InvalidInput
from core.messages import EDITOR_LABELS
from core.messages import error_text as field_error_text
from definition import editing, memberships, selectors, services
from definition.models import Draft
from definition.permissions import is_facilitator
from definition.rendering import render_markdown
from deliberation.pages.definition_views import domain_pages

MAX_UPLOAD = 1_000_000


def error_text(error: DomainError) -> str:
    return field_error_text(error, EDITOR_LABELS)


def facilitator_only(view):
    """Visitors go to sign in; signed-in people who do not facilitate the definition get 403.
    The view receives the definition instead of its slug."""

    @wraps(view)
    def wrapper(request, d: str, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        definition = selectors.get_definition(slug=d)
        if not is_facilitator(request.user, definition):
            raise PermissionDenied(_("Only a facilitator of this definition may do this."))
        return view(request, definition, *args, **kwargs)

    return domain_pages(wrapper)


def draft_of(request, definition, version: str) -> Draft:
    draft = selectors.get_draft(definition=definition, version=version, viewer=request.user)
    draft.definition = definition
    return draft


def finish(request, url: str, *, done: str = "", error: DomainError | None = None,
           scope: str = ""):
    """PRG: a message and a redirect; htmx gets the `done` fragment, or a reload on an error.
    An error carries `at-<scope>` so the page shows it beside the form it came from."""
    if error is not None:
        messages.error(request, error_text(error), extra_tags=f"at-{scope}")
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    if request.htmx:
        return render(request, "workspace/_done.html", {"message": done})
    messages.success(request, done)
    return redirect(url)


def desk_url(definition) -> str:
    return reverse("workspace:desk", args=[definition.slug])


def back_to_desk(request, definition) -> str:
    """The desk with the queue and filters the form was sent from (its Referer), else the desk."""
    url = desk_url(definition)
    referer = urlsplit(request.META.get("HTTP_REFERER", ""))
    if referer.path == url and referer.netloc in ("", request.get_host()) and referer.query:
        return f"{url}?{referer.query}"
    return url


def editor_url(draft, anchor: str = "", *, key: str = "", only: str = "") -> str:
    """The editor; with `key`, the page holding that clause, opened, at its anchor `e-<key>`
    (or `anchor`); `only` keeps the filter ("changed", "suggestions") it was shown with."""
    url = reverse("workspace:editor", args=[draft.definition.slug, draft.version])
    query = urlencode([(name, value) for name, value in (("only", only), ("c", key)) if value])
    anchor = anchor or (f"e-{key}" if key else "")
    return url + (f"?{query}" if query else "") + (f"#{anchor}" if anchor else "")


def back_to_editor(request, draft, anchor: str = "", *, key: str = "") -> str:
    """`editor_url` with the filter of the editor page the form was sent from (its Referer)."""
    referer = urlsplit(request.META.get("HTTP_REFERER", ""))
    only = ""
    if referer.path == editor_url(draft) and referer.netloc in ("", request.get_host()):
        only = parse_qs(referer.query).get("only", [""])[0]
    return editor_url(draft, anchor, key=key, only=only if only in EDITOR_FILTERS else "")


EDITOR_FILTERS = ("changed", "suggestions")


# Members -----------------------------------------------------------------------------------------


@facilitator_only
@require_POST
def decide_member(request, definition, pk: int, decision: str):
    """Verify or reject a pending membership (the reason is public, optional to verify)."""
    membership = selectors.get_membership(definition=definition, pk=pk)
    decide = {"verify": memberships.verify_membership,
              "reject": memberships.reject_membership}[decision]
    try:
        decide(actor=request.user, membership=membership, reason=request.POST.get("reason", ""))
    except DomainError as error:
        return finish(request, back_to_desk(request, definition), error=error,
                      scope=f"member-{pk}")
    done = (_("%(user)s verified.") if decision == "verify" else _("%(user)s rejected.")) % {
        "user": membership.user.username}
    return finish(request, back_to_desk(request, definition), done=done)


# Drafts ------------------------------------------------------------------------------------------


@facilitator_only
@require_POST
def new_draft(request, definition):
    """Create the next draft from the current one (every clause copied with its key)."""
    back = request.POST.get("from", "")
    try:
        draft = editing.start_next_draft(actor=request.user, definition=definition,
                                         version=request.POST.get("version", "").strip())
    except DomainError as error:
        url = editor_url(draft_of(request, definition, back)) if back else desk_url(definition)
        return finish(request, url, error=error, scope="next")
    draft.definition = definition
    messages.success(request, _("Draft %(version)s created.") % {"version": draft.version})
    return redirect(editor_url(draft))


@facilitator_only
@require_POST
def lifecycle(request, definition, v: str, action: str):
    """Close an open draft, or finalize a closed one."""
    draft = draft_of(request, definition, v)
    change = {"close": services.close_draft, "finalize": services.finalize_draft}[action]
    url = reverse("workspace:publish", args=[definition.slug, draft.version])
    try:
        change(actor=request.user, draft=draft, reason=request.POST.get("reason", ""))
    except DomainError as error:
        return finish(request, url, error=error, scope=action)
    done = _("Draft %(version)s closed.") if action == "close" else _(
        "Draft %(version)s finalized.")
    return finish(request, url, done=done % {"version": draft.version})


# The editor's actions ----------------------------------------------------------------------------


@facilitator_only
@require_POST
def preview(request, definition, v: str):
    """The sanitised HTML of the posted Markdown `body` (the editor's live preview)."""
    html = render_markdown(request.POST.get("body", "")[:20000], doc_id="preview")
    return HttpResponse(html or "")


@facilitator_only
@require_POST
def add_clause(request, definition, v: str):
    draft = draft_of(request, definition, v)
    data = request.POST
    try:
        clause = editing.add_clause(actor=request.user, draft=draft,
                                     key=data.get("key", "").strip(),
                                     heading=data.get("heading", ""), body=data.get("body", ""),
                                     parent=data.get("parent", "").strip() or None)
    except DomainError as error:
        return finish(request, back_to_editor(request, draft, "add"), error=error, scope="add")
    return finish(request, back_to_editor(request, draft, key=clause.key),
                  done=_("Clause %(key)s added.") % {"key": clause.key})


@facilitator_only
@require_POST
def clause_action(request, definition, v: str, k: str, action: str):
    """Save, move, delete, rename or split one clause of an editing draft."""
    draft = draft_of(request, definition, v)
    clause = selectors.get_clause(draft=draft, key=k)
    clause.draft = draft
    try:
        done, key = CLAUSE_ACTIONS[action](request, clause)
    except DomainError as error:
        return finish(request, back_to_editor(request, draft, key=k), error=error,
                      scope=f"clause-{k}")
    return finish(request, back_to_editor(request, draft, key=key), done=done)


@facilitator_only
def clause_forms(request, definition, v: str, k: str):
    """The forms of one clause of an editing draft, loaded by htmx when the facilitator opens
    it; without htmx, the editor page with that clause opened."""
    draft = draft_of(request, definition, v)
    clause = selectors.get_clause(draft=draft, key=k)
    if not request.htmx or draft.status != Draft.Status.EDITING:
        return redirect(editor_url(draft, key=clause.key))
    clause.parent_key = clause.parent.key if clause.parent else None
    return render(request, "workspace/_editor_clause.html",
                  {"definition": definition, "draft": draft, "clause": clause})


def _save(request, clause):
    changes = {"heading": request.POST.get("heading", ""), "body": request.POST.get("body", ""),
               "parent": request.POST.get("parent", "").strip() or None}
    editing.update_clause(actor=request.user, clause=clause, changes=changes)
    return _("Clause %(key)s saved.") % {"key": clause.key}, clause.key


def _move(request, clause):
    editing.move_clause(actor=request.user, clause=clause,
                        direction=request.POST.get("direction", ""))
    return _("Clause %(key)s moved.") % {"key": clause.key}, clause.key


def _delete(request, clause):
    """Deleted: back to the clause before it (or after it, for the first), on its page."""
    keys = [c.key for c in selectors.list_clauses(draft=clause.draft)]
    at = keys.index(clause.key)
    neighbour = keys[at - 1] if at else (keys[1] if len(keys) > 1 else "")
    editing.delete_clause(actor=request.user, clause=clause)
    return _("Clause %(key)s deleted.") % {"key": clause.key}, neighbour


def _rename(request, clause):
    old = clause.key
    renamed = editing.rename_clause_key(actor=request.user, clause=clause,
                                        key=request.POST.get("key", "").strip())
    return _("Clause %(old)s is now %(new)s.") % {"old": old, "new": renamed.key}, renamed.key


def _split(request, clause):
    text = request.POST.get("parts", "").replace("\r\n", "\n")
    parts = [part.strip() for part in _split_on_rule(text)]
    created = editing.split_clause(actor=request.user, clause=clause,
                                   parts=[p for p in parts if p])
    return _("Clause %(key)s split in %(n)s.") % {"key": clause.key, "n": len(created)}, \
        created[0].key


def _split_on_rule(text: str) -> list[str]:
    """Parts are separated by a line holding only `---`."""
    parts, current = [], []
    for line in text.split("\n"):
        if line.strip() == "---":
            parts.append("\n".join(current))
            current = []
        else:
            current.append(line)
    return [*parts, "\n".join(current)]


CLAUSE_ACTIONS = {"save": _save, "move": _move, "delete": _delete, "rename": _rename,
                  "split": _split}


@facilitator_only
@require_POST
def merge(request, definition, v: str):
    """Merge the ticked clauses into one, under the key given."""
    draft = draft_of(request, definition, v)
    try:
        merged = editing.merge_clauses_by_key(actor=request.user, draft=draft,
                                              keys=request.POST.getlist("clauses"),
                                              key=request.POST.get("key", "").strip())
    except DomainError as error:
        ticked = request.POST.getlist("clauses")[:1]
        return finish(request, back_to_editor(request, draft, "merge", key="".join(ticked)),
                      error=error, scope="merge")
    return finish(request, back_to_editor(request, draft, key=merged.key),
                  done=_("Clauses merged into %(key)s.") % {"key": merged.key})


# Markdown import ---------------------------------------------------------------------------------


@facilitator_only
def import_markdown(request, definition):
    """Paste or upload Markdown, preview the clauses and the keys matched to the draft it
    continues, then import it as a new editing draft."""
    drafts = list(selectors.list_drafts(definition=definition, viewer=request.user))
    current = selectors.get_current_draft(definition)
    context = {"definition": definition, "drafts": drafts, "markdown": request.POST.get(
        "markdown", ""), "version": request.POST.get("version", ""), "based_on": request.POST.get(
        "based_on", current.version if current and request.method != "POST" else "")}
    if request.method != "POST":
        return render(request, "workspace/import.html", context)
    try:
        markdown, based_on = _import_input(request, definition)
        context["markdown"] = markdown
        if request.POST.get("commit"):
            return _commit_import(request, definition, markdown, based_on)
        context["preview"] = _import_preview(markdown, based_on, _edited_keys(request))
    except DomainError as error:
        context["error"] = error
        return render(request, "workspace/import.html", context, status=error.status_code)
    return render(request, "workspace/import.html", context)


def _import_input(request, definition) -> tuple[str, Draft | None]:
    upload = request.FILES.get("file")
    if upload is not None:
        if upload.size > MAX_UPLOAD:
            raise InvalidInput(_("The file is larger than 1 MB."), field="markdown")
        try:
            markdown = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput(_("The file is not UTF-8 text."), field="markdown") from None
    else:
        markdown = request.POST.get("markdown", "")
    if not markdown.strip():
        raise InvalidInput(_("Paste Markdown or choose a file."), field="markdown")
    version = request.POST.get("based_on", "")
    return markdown, draft_of(request, definition, version) if version else None


def _edited_keys(request) -> dict[str, str]:
    """The keys the facilitator changed in the preview: proposed key -> typed key."""
    return {name[4:]: value.strip() for name, value in request.POST.items()
            if name.startswith("key:") and value.strip() and value.strip() != name[4:]}


def _import_preview(markdown: str, based_on: Draft | None, keys: dict[str, str]) -> list[dict]:
    """One row per clause to import; `proposed` is the key as derived or matched (the name of
    its key field), `clause.key` the key it will get."""
    proposed, found = services.preview_import(markdown, based_on=based_on)
    parsed, _ = services.preview_import(markdown, based_on=based_on, keys=keys) if keys else (
        proposed, found)
    matches = {m.new_key: m for m in found}
    depth: dict[str, int] = {}
    rows = []
    for before, clause in zip(proposed.clauses, parsed.clauses, strict=True):
        depth[clause.key] = depth.get(clause.parent_key, -1) + 1 if clause.parent_key else 0
        rows.append({"clause": clause, "proposed": before.key, "depth": depth[clause.key],
                     "match": matches.get(before.key)})
    return rows


def _commit_import(request, definition, markdown: str, based_on: Draft | None):
    draft, _matches = services.import_draft(
        actor=request.user, definition=definition, version=request.POST.get("version", "").strip(),
        markdown=markdown, based_on=based_on, keys=_edited_keys(request))
    draft.definition = definition
    messages.success(request, _("Draft %(version)s imported.") % {"version": draft.version})
    return redirect(editor_url(draft))

