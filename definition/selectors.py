"""Reads of definitions, drafts and clauses."""

from collections import defaultdict

from django.db.models import Case, F, OuterRef, Subquery, Value, When

from core.errors import NotAllowed, NotFound
from definition import diffing
from definition.models import Clause, Definition, Draft, Event, Membership
from definition.numbering import number_tree
from definition.permissions import can_see_draft, is_facilitator


def get_definition(*, slug: str) -> Definition:
    try:
        return Definition.objects.get(slug=slug)
    except Definition.DoesNotExist:
        raise NotFound(f"No definition {slug!r}.", field="definition") from None


# Who sees which draft: a draft in `editing` exists only for its definition's facilitators and the
# admins (PRODUCT.md §1). Every read of a draft, its clauses, history, comparison, export or the
# decision log passes the `viewer` through these selectors; nobody else applies the rule.


def get_draft(*, definition: Definition, version: str, viewer) -> Draft:
    draft = (Draft.objects.select_related("definition", "based_on")
             .filter(definition=definition, version=version).first())
    if draft is None or not can_see_draft(viewer, draft):
        raise NotFound(f"No draft {version!r} in {definition.slug}.", field="version")
    return draft


def find_draft(*, definition: Definition, version: str) -> Draft | None:
    """The draft of that version, whatever its state (for a facilitator's form), or None."""
    return Draft.objects.filter(definition=definition, version=version).first()


def visible_drafts(queryset, *, viewer, definition: Definition, path: str = ""):
    """`queryset` (of drafts, or of rows reaching a draft by `path`, e.g. "draft__") without the
    drafts in `editing`, unless `viewer` facilitates `definition`."""
    if is_facilitator(viewer, definition):
        return queryset
    return queryset.exclude(**{f"{path}status": Draft.Status.EDITING})


def get_clause(*, draft: Draft, key: str) -> Clause:
    try:
        return Clause.objects.select_related("draft", "parent").get(draft=draft, key=key)
    except Clause.DoesNotExist:
        raise NotFound(f"No clause {key!r} in draft {draft.version}.", field="key") from None


def get_current_draft(definition: Definition) -> Draft | None:
    """The open draft, else the latest final, else the latest closed one."""
    drafts = list(definition.drafts.exclude(status=Draft.Status.EDITING))
    for status in (Draft.Status.OPEN, Draft.Status.FINAL, Draft.Status.CLOSED):
        matching = [d for d in drafts if d.status == status]
        if matching:
            return matching[-1]
    return None


def list_clauses(*, draft: Draft) -> list[Clause]:
    """Every clause of the draft in reading order (pre-order), each with `.number` and `.depth`."""
    clauses = list(Clause.objects.filter(draft=draft).select_related(None))
    return order_clauses(clauses)


def order_clauses(clauses: list[Clause]) -> list[Clause]:
    by_id = {c.pk: c for c in clauses}
    numbers = number_tree((c.pk, c.parent_id, c.position) for c in clauses)
    children = defaultdict(list)
    for clause in clauses:
        children[clause.parent_id if clause.parent_id in by_id else None].append(clause)
    ordered: list[Clause] = []

    def walk(parent_id, depth):
        for clause in sorted(children.get(parent_id, []), key=lambda c: (c.position, c.pk)):
            clause.number = numbers[clause.pk]
            clause.depth = depth
            clause.parent_key = by_id[clause.parent_id].key if clause.parent_id in by_id else None
            ordered.append(clause)
            walk(clause.pk, depth + 1)

    walk(None, 0)
    return ordered


def get_comparison(*, old: Draft, new: Draft) -> list[diffing.ClauseChange]:
    """Per clause key: added, removed, changed (with a word diff), unchanged or renamed."""
    return diffing.compare_clauses(list_clauses(draft=old), list_clauses(draft=new))


# Reads for the API -----------------------------------------------------------------------------


def _with_current_version(queryset):
    """Annotate `current_version` as `current_draft` chooses it, in the same query."""
    rank = Case(
        When(status=Draft.Status.OPEN, then=Value(0)),
        When(status=Draft.Status.FINAL, then=Value(1)),
        default=Value(2),
    )
    drafts = (
        Draft.objects.filter(definition=OuterRef("pk"))
        .exclude(status=Draft.Status.EDITING)
        .annotate(rank=rank)
        .order_by("rank", "-created_at", "-id")
    )
    return queryset.annotate(current_version=Subquery(drafts.values("version")[:1]))


def list_definitions():
    return _with_current_version(Definition.objects.all())


def get_definition_detail(*, slug: str) -> Definition:
    """A definition with `current_version` and its facilitators, in two queries."""
    queryset = _with_current_version(Definition.objects.prefetch_related("facilitators"))
    try:
        return queryset.get(slug=slug)
    except Definition.DoesNotExist:
        raise NotFound(f"No definition {slug!r}.", field="definition") from None


def list_drafts(*, definition: Definition, viewer):
    drafts = Draft.objects.filter(definition=definition).select_related("based_on")
    return visible_drafts(drafts, viewer=viewer, definition=definition)


def list_memberships(*, actor, definition: Definition, status: str | None = None):
    """Facilitators see every membership; anyone else signed in sees only their own."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAllowed("Sign in to see memberships.")
    queryset = Membership.objects.filter(definition=definition).select_related(
        "user", "group", "decided_by"
    )
    if not is_facilitator(actor, definition):
        queryset = queryset.filter(user=actor)
    if status:
        queryset = queryset.filter(status=status)
    return queryset


def get_live_membership(*, user, definition: Definition) -> Membership | None:
    """The user's membership in the definition that is not rejected (pending, verified or
    revoked), with its group; None for a visitor."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (Membership.objects.select_related("group")
            .filter(user=user, definition=definition)
            .exclude(status=Membership.Status.REJECTED).first())


def get_membership(*, definition: Definition, pk: int) -> Membership:
    membership = (
        Membership.objects.select_related("user", "group", "definition", "decided_by")
        .filter(definition=definition, pk=pk)
        .first()
    )
    if membership is None:
        raise NotFound(f"No membership {pk} in {definition.slug}.", field="id")
    return membership


def list_events(*, definition: Definition, viewer):
    """The decision log; the creation of a draft still in `editing` (or deleted before it was ever
    published) is for the facilitators only."""
    events = Event.objects.filter(definition=definition).select_related("actor", "draft")
    if is_facilitator(viewer, definition):
        return events
    return events.exclude(draft__status=Draft.Status.EDITING).exclude(
        kind=Event.Kind.DRAFT_CREATED, draft__isnull=True)


def get_numbered_clause(*, draft: Draft, key: str) -> Clause:
    """One clause with its displayed `number`, `depth` and `parent_key`, in two queries: the
    draft's outline (ids, keys, parents and positions, no texts) and the clause itself."""
    outline = list(Clause.objects.filter(draft=draft).order_by()
                   .values_list("pk", "key", "parent_id", "position"))
    clause = Clause.objects.filter(draft=draft, key=key).first()
    if clause is None:
        raise NotFound(f"No clause {key!r} in draft {draft.version}.", field="key")
    numbers = number_tree((pk, parent_id, position) for pk, _, parent_id, position in outline)
    nodes = {pk: (clause_key, parent_id) for pk, clause_key, parent_id, _ in outline}
    clause.number = numbers[clause.pk]
    clause.parent_key = nodes[clause.parent_id][0] if clause.parent_id in nodes else None
    clause.depth, parent = 0, clause.parent_id
    while parent in nodes:
        clause.depth, parent = clause.depth + 1, nodes[parent][1]
    clause.draft = draft
    return clause


def list_clause_history(*, definition: Definition, key: str, viewer) -> list[Clause]:
    """The clause of that key in every draft `viewer` may see, oldest first, each with `changed`
    and a word `diff` against the previous version that has it."""
    clauses = Clause.objects.filter(draft__definition=definition, key=key)
    versions = list(
        visible_drafts(clauses, viewer=viewer, definition=definition, path="draft__")
        .select_related("draft")
        .order_by("draft__created_at", "draft_id")
    )
    if not versions:
        raise NotFound(f"No clause {key!r} in {definition.slug}.", field="key")
    previous = None
    for clause in versions:
        old = _clause_text(previous) if previous else ""
        clause.previous_version = previous.draft.version if previous else None
        clause.changed = previous is None or old != _clause_text(clause)
        clause.diff = diffing.text_diff(old, _clause_text(clause)) if previous else []
        previous = clause
    return versions


def _clause_text(clause: Clause) -> str:
    return f"{clause.heading}\n\n{clause.body}".strip()


def attach_event_targets(events) -> list[Event]:
    """Give each event `comment_id` and `clause` (the clause it concerns, or None) so the log can
    link each entry to its object and name the clause. One query whatever the number of events."""
    events = list(events)
    comment_ids = {e.data.get("comment") for e in events if isinstance(e.data, dict)} - {None}
    clauses = {}
    if comment_ids:
        rows = (Clause.objects.filter(comments__in=comment_ids)
                .annotate(comment_id=F("comments__id")).only("id", "key", "heading", "body"))
        clauses = {row.comment_id: row for row in rows}
    for event in events:
        event.comment_id = event.data.get("comment") if isinstance(event.data, dict) else None
        event.clause = clauses.get(event.comment_id)
    return events
