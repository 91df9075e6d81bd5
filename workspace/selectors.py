"""Reads that only the facilitator pages need, each in a fixed number of queries."""

from django.db.models import Count, Q

from definition.models import Definition, Draft
from definition.selectors import list_clauses
from deliberation.models import Appeal, Comment, Disposition
from deliberation.pages.paging import section_pages
from workspace.desk import PER_PAGE, Pager

APPLICABLE = (Disposition.Status.ACCEPTED, Disposition.Status.PARTIALLY_ACCEPTED)
EDITOR_PAGE_SIZE = 50
EDITOR_FILTERS = {"changed": lambda clause: clause.changed,
                  "suggestions": lambda clause: clause.suggestion_count > 0}


def get_editor_page(*, draft: Draft, only: str = "", number: str = "", key: str = "") -> dict:
    """One page of the editor: whole sections of at most `EDITOR_PAGE_SIZE` clauses (the filter
    `only` applied first), the one asked for by `number`, else the one holding clause `key`
    (by key or by a key it derives from), which is then `opened`; and the suggestions aimed at
    the page's clauses (those that have no clause here on the first page); `parent_choices`, the
    keys offered as parents (the clauses that hold others, and the page's). A clause asked for
    that the filter hides drops the filter, so the clause is always shown."""
    rows = get_editor_rows(draft=draft)
    clauses = rows["clauses"]
    opened = next((c for c in clauses if key and c.key == key), None) or next(
        (c for c in clauses if key and key in c.derived_from), None)
    keep = EDITOR_FILTERS.get(only)
    if keep is None or (opened is not None and not keep(opened)):
        only, keep = "", None
    shown = [c for c in clauses if keep is None or keep(c)]
    pages = section_pages(shown, size=EDITOR_PAGE_SIZE)
    page = _pick(pages, number, opened)
    on_page = {c.pk for c in page.items}
    suggestions = [s for s in rows["suggestions"] if (s.target.pk in on_page if s.target else
                                                      page.number == 1)]
    holders = {c.parent_id for c in clauses}
    return {"clauses": clauses, "pages": pages, "page": page, "shown": page.items,
            "parent_choices": [c for c in clauses if c.pk in holders or c.pk in on_page],
            "suggestions": suggestions, "suggestion_total": len(rows["suggestions"]),
            "opened": opened.key if opened is not None and opened.pk in on_page else "",
            "editor_filter": only}


def _pick(pages: list, number: str, opened):
    if number.isdigit() and 1 <= int(number) <= len(pages):
        return pages[int(number) - 1]
    return next((p for p in pages if opened in p.items), pages[0])


def get_editor_rows(*, draft: Draft) -> dict:
    """The clauses of an editing draft in order and the suggestions on the draft it is based
    on that can be applied (accepted, partially accepted or without disposition), each with
    the clause of this draft it would change (`target`, None when there is none)."""
    clauses = list_clauses(draft=draft)
    by_key = {c.key: c for c in clauses}
    derived = {}
    for clause in clauses:
        for key in clause.derived_from:
            derived.setdefault(key, clause)
    suggestions = []
    if draft.based_on_id is not None:
        suggestions = list(
            Comment.objects.filter(clause__draft_id=draft.based_on_id, parent=None, hidden=False,
                                   kind=Comment.Kind.SUGGESTION)
            .filter(Q(disposition__isnull=True) | Q(disposition__status__in=APPLICABLE))
            .select_related("author", "clause", "disposition__addressed_in")
            .annotate(endorsement_count=Count("endorsements"))
            .order_by("clause__position", "clause_id", "created_at", "id"))
    for suggestion in suggestions:
        key = suggestion.clause.key
        suggestion.target = by_key.get(key) or derived.get(key)
    _mark_states(suggestions)
    _mark_clauses(clauses, suggestions, draft)
    return {"clauses": clauses, "suggestions": suggestions}


def _mark_states(suggestions: list) -> None:
    """Each suggestion's `state`: `applied` (the clause holds its text), `conflicting` (the
    clause changed since it was made: `.applied_instead` names the applied suggestion, if one
    is), `open`; or None when this draft has no clause for it."""
    applied = {}
    for s in suggestions:
        if s.target is not None and s.target.body == s.proposed_text:
            applied.setdefault(s.target.pk, s)
    for s in suggestions:
        s.applied_instead = None
        if s.target is None:
            s.state = None
        elif s.target.body == s.proposed_text:
            s.state = "applied"
        elif s.target.body != s.clause.body:
            s.state, s.applied_instead = "conflicting", applied.get(s.target.pk)
        else:
            s.state = "open"


def _mark_clauses(clauses: list, suggestions: list, draft: Draft) -> None:
    """Each clause's `changed` (new, or its heading or text differs from the same key, or the
    key it derives from, in `based_on`) and `suggestion_count` (one query)."""
    before = {}
    if draft.based_on_id is not None:
        before = {c.key: (c.heading, c.body) for c in list_clauses(draft=draft.based_on)}
    counts = {}
    for s in suggestions:
        if s.target is not None:
            counts[s.target.pk] = counts.get(s.target.pk, 0) + 1
    for clause in clauses:
        sources = [clause.key, *clause.derived_from]
        old = next((before[k] for k in sources if k in before), None)
        clause.changed = old != (clause.heading, clause.body)
        clause.suggestion_count = counts.get(clause.pk, 0)


def list_comments_of(*, definition, ids: list[int]) -> list[Comment]:
    """The comments of the definition among `ids` (what a bulk answer names), with their draft."""
    return list(Comment.objects.filter(pk__in=ids, clause__draft__definition=definition)
                .select_related("clause__draft__definition"))


def list_open_appeals(*, definition: str = "", page: int = 1) -> dict:
    """The open appeals of every definition, oldest first, 25 a page (of one definition, by
    slug, when `definition` names one), each with `desk_page`: the page of its definition's
    appeals queue on the desk where it is decided; and every definition with open appeals and
    their count. Three queries whatever the number of appeals."""
    rows = list(Appeal.objects.filter(status=Appeal.Status.OPEN).order_by("created_at", "id")
                .values_list("pk", "comment__clause__draft__definition_id"))
    place, per_definition = {}, {}
    for pk, definition_id in rows:
        place[pk] = per_definition.get(definition_id, 0) // PER_PAGE + 1
        per_definition[definition_id] = per_definition.get(definition_id, 0) + 1
    definitions = {d.pk: d for d in Definition.objects.filter(pk__in=per_definition)}
    chosen = next((d for d in definitions.values() if d.slug == definition), None)
    wanted = [pk for pk, definition_id in rows if chosen is None or definition_id == chosen.pk]
    pages = max(1, -(-len(wanted) // PER_PAGE))
    number = min(max(page, 1), pages)
    shown = wanted[(number - 1) * PER_PAGE:number * PER_PAGE]
    full = (Appeal.objects.filter(pk__in=shown)
            .select_related("author", "comment__clause__draft__definition", "answered_by",
                            "disposition_decided_by").in_bulk())
    appeals = [full[pk] for pk in shown]
    for appeal in appeals:
        appeal.desk_page = place[appeal.pk]
    counts = sorted(((definitions[pk], n) for pk, n in per_definition.items()),
                    key=lambda item: item[0].title.lower())
    return {"appeals": appeals, "definitions": counts, "chosen": chosen, "total": len(rows),
            "pager": Pager(number, pages, len(wanted))}
