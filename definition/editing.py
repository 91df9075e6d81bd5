"""Every edit of a draft's clauses while it is `editing`: add, change, delete, place, and the
editor's operations beyond them: split, merge, move, rename, and starting the next draft.

`derived_from` names keys of the draft this one is based on (PRODUCT.md §2). A clause carries its
*lineage* into what is made of it: its own key when the previous draft has it, else the keys it
already declared (a clause added in this draft has none).
"""


import string

from django.db import transaction
from django.db.models import Max

from core.errors import Conflict, InvalidInput
from core.validation import check_text
from definition import selectors
from definition.models import Clause, Definition, Draft
from definition.permissions import require_facilitator
from definition.services import SLUG_RE, _check_slug, create_draft, require_editing

MAX_PARTS = len(string.ascii_lowercase)
CLAUSE_FIELDS = {"key", "heading", "body", "parent", "position", "derived_from", "kind"}


def _editable_draft(actor, draft: Draft) -> Draft:
    require_facilitator(actor, draft.definition)
    draft = Draft.objects.select_for_update().get(pk=draft.pk)
    require_editing(draft)
    return draft


def _check_clause_fields(draft: Draft, fields: dict, *, clause: Clause | None = None) -> dict:
    unknown = set(fields) - CLAUSE_FIELDS
    if unknown:
        raise InvalidInput("Unknown field.", field=sorted(unknown)[0])
    if "key" in fields:
        _check_slug(fields["key"], "key", 80)
        taken = draft.clauses.filter(key=fields["key"]).exclude(pk=getattr(clause, "pk", None))
        if taken.exists():
            raise Conflict(f"Key {fields['key']!r} is taken in this draft.", field="key")
    check_text(fields.get("heading", ""), "heading", 300)
    check_text(fields.get("body", ""), "body", 20000)
    check_text(fields.get("kind", ""), "kind", 20)
    if "derived_from" in fields:
        _check_derived_from(fields["derived_from"])
    if "position" in fields:
        position = fields["position"]
        if (
            not isinstance(position, int)
            or isinstance(position, bool)
            or not 0 <= position <= 100000
        ):
            raise InvalidInput("A whole number from 0 to 100000.", field="position")
    if "parent" in fields:
        fields["parent"] = _resolve_parent(draft, fields["parent"], clause)
    return fields


def _check_derived_from(keys) -> None:
    if not isinstance(keys, list) or not all(isinstance(k, str) and SLUG_RE.match(k) for k in keys):
        raise InvalidInput("A list of clause keys.", field="derived_from")
    if len(keys) > 50:
        raise InvalidInput("At most 50 keys.", field="derived_from")


def _resolve_parent(draft: Draft, parent_key: str | None, clause: Clause | None) -> Clause | None:
    if parent_key in (None, ""):
        return None
    parent = draft.clauses.filter(key=parent_key).first()
    if parent is None:
        raise InvalidInput(f"No clause {parent_key!r} in this draft.", field="parent")
    ancestor = parent
    while ancestor is not None and clause is not None:
        if ancestor.pk == clause.pk:
            raise InvalidInput("A clause cannot be placed inside itself.", field="parent")
        ancestor = ancestor.parent
    return parent


@transaction.atomic
def add_clause(
    *,
    actor,
    draft: Draft,
    key: str,
    heading: str = "",
    body: str = "",
    parent: str | None = None,
    position: int | None = None,
    derived_from: list | None = None,
    kind: str = "paragraph",
) -> Clause:
    """Add a clause to an editing draft; by default it goes last among its siblings."""
    draft = _editable_draft(actor, draft)
    fields = _check_clause_fields(
        draft,
        {
            "key": key,
            "heading": heading,
            "body": body,
            "parent": parent,
            "derived_from": derived_from or [],
            "kind": kind,
        },
    )
    if not (heading.strip() or body.strip()):
        raise InvalidInput("A clause needs a heading or a body.", field="body")
    if position is None:
        position = _next_position(draft, fields["parent"])
    else:
        _check_clause_fields(draft, {"position": position})
        _shift_siblings(draft, fields["parent"], position)
    return Clause.objects.create(draft=draft, position=position, **fields)


def _next_position(draft: Draft, parent: Clause | None, *, exclude: Clause | None = None) -> int:
    """The position after the last sibling (positions may have gaps after moves and deletes)."""
    siblings = draft.clauses.filter(parent=parent).exclude(pk=getattr(exclude, "pk", None))
    last = siblings.aggregate(last=Max("position"))["last"]
    return 0 if last is None else last + 1


def _shift_siblings(
    draft: Draft, parent: Clause | None, from_position: int, *, exclude: Clause | None = None
) -> None:
    siblings = draft.clauses.filter(parent=parent, position__gte=from_position).exclude(
        pk=getattr(exclude, "pk", None)
    )
    for sibling in siblings.order_by("-position"):
        sibling.position += 1
        sibling.save(update_fields=["position"])


@transaction.atomic
def update_clause(*, actor, clause: Clause, changes: dict) -> Clause:
    """Edit, move or re-parent a clause of an editing draft.

    A changed key is recorded in derived_from. A new position moves the clause before the sibling
    that held it; a new parent without a position puts the clause last among its new siblings."""
    draft = _editable_draft(actor, clause.draft)
    clause = Clause.objects.select_for_update().get(pk=clause.pk)
    changes = _check_clause_fields(draft, dict(changes), clause=clause)
    if "key" in changes and changes["key"] != clause.key and "derived_from" not in changes:
        changes["derived_from"] = _derived_after_rename(draft, clause, changes["key"])
    _place(draft, clause, changes)
    for field, value in changes.items():
        setattr(clause, field, value)
    if not (clause.heading.strip() or clause.body.strip()):
        raise InvalidInput("A clause needs a heading or a body.", field="body")
    clause.save()
    return clause


def _derived_after_rename(draft: Draft, clause: Clause, new_key: str) -> list[str]:
    """derived_from names keys of the draft this one is based on: a rename records the old key
    only when that draft has it (an intermediate name, or a draft based on nothing, is not)."""
    derived = set(clause.derived_from)
    if Clause.objects.filter(draft_id=draft.based_on_id, key=clause.key).exists():
        derived.add(clause.key)
    return sorted(derived - {new_key})


def _place(draft: Draft, clause: Clause, changes: dict) -> None:
    parent = changes.get("parent", clause.parent)
    if "position" in changes:
        _shift_siblings(draft, parent, changes["position"], exclude=clause)
    elif "parent" in changes and getattr(parent, "pk", None) != clause.parent_id:
        changes["position"] = _next_position(draft, parent, exclude=clause)


@transaction.atomic
def delete_clause(*, actor, clause: Clause) -> None:
    """Delete a clause (and the clauses inside it) from an editing draft."""
    _editable_draft(actor, clause.draft)
    clause.delete()


def _lineage(draft: Draft, clause: Clause) -> list[str]:
    if Clause.objects.filter(draft_id=draft.based_on_id, key=clause.key).exists():
        return [clause.key]
    return list(clause.derived_from)


def _check_parts(parts) -> list[str]:
    if not isinstance(parts, list) or not 2 <= len(parts) <= MAX_PARTS:
        raise InvalidInput(f"Give 2 to {MAX_PARTS} parts.", field="parts")
    for part in parts:
        if not isinstance(part, str) or not part.strip():
            raise InvalidInput("Every part needs text.", field="parts")
        check_text(part, "parts", 20000)
    return [part.strip() for part in parts]


def _part_keys(draft: Draft, key: str, count: int) -> list[str]:
    stem = key[: 80 - 2].rstrip("-")
    keys = [f"{stem}-{letter}" for letter in string.ascii_lowercase[:count]]
    taken = set(draft.clauses.filter(key__in=keys).values_list("key", flat=True))
    if taken:
        raise Conflict(f"Key {sorted(taken)[0]!r} is taken in this draft.", field="parts")
    return keys


@transaction.atomic
def split_clause(*, actor, clause: Clause, parts: list[str]) -> list[Clause]:
    """Replace a clause by one clause per part, keyed `<key>-a`, `<key>-b`…, in its place.

    Each part derives from the clause's lineage; the first keeps the heading and any clauses
    inside it. The original clause is removed."""
    draft = _editable_draft(actor, clause.draft)
    clause = Clause.objects.select_for_update().get(pk=clause.pk, draft=draft)
    parts = _check_parts(parts)
    keys = _part_keys(draft, clause.key, len(parts))
    lineage = _lineage(draft, clause)
    for _ in parts[1:]:
        _shift_siblings(draft, clause.parent, clause.position + 1, exclude=clause)
    created = [
        Clause.objects.create(
            draft=draft,
            key=key,
            heading=clause.heading if index == 0 else "",
            body=part,
            kind=clause.kind,
            parent=clause.parent,
            position=clause.position + index,
            derived_from=lineage,
        )
        for index, (key, part) in enumerate(zip(keys, parts, strict=True))
    ]
    clause.children.update(parent=created[0])
    clause.delete()
    return created


def _merge_sources(draft: Draft, clauses) -> list[Clause]:
    """The clauses to merge, locked, in reading order; refused if one lies inside another."""
    ids = {c.pk for c in clauses}
    if len(ids) < 2:
        raise InvalidInput("Choose at least two clauses to merge.", field="clauses")
    ordered = [c for c in selectors.list_clauses(draft=draft) if c.pk in ids]
    if len(ordered) != len(ids):
        raise InvalidInput("Every clause must belong to this draft.", field="clauses")
    locked = {c.pk: c for c in Clause.objects.select_for_update().filter(pk__in=ids)}
    by_id = {c.pk: c for c in selectors.list_clauses(draft=draft)}
    for clause in ordered:
        ancestor = by_id.get(clause.parent_id)
        while ancestor is not None:
            if ancestor.pk in ids:
                raise InvalidInput(
                    "A clause cannot be merged with a clause inside it.", field="clauses"
                )
            ancestor = by_id.get(ancestor.parent_id)
    return [locked[c.pk] for c in ordered]


@transaction.atomic
def merge_clauses(*, actor, clauses: list[Clause], key: str) -> Clause:
    """Merge clauses of one editing draft into one clause `key`, in the place of the first.

    Bodies join in reading order; the heading is the first one given; clauses inside any of
    them move inside the merged clause. derived_from is the union of their lineages."""
    if not clauses:
        raise InvalidInput("Choose at least two clauses to merge.", field="clauses")
    draft = _editable_draft(actor, clauses[0].draft)
    sources = _merge_sources(draft, clauses)
    _check_slug(key, "key", 80)
    source_ids = [c.pk for c in sources]
    if draft.clauses.filter(key=key).exclude(pk__in=source_ids).exists():
        raise Conflict(f"Key {key!r} is taken in this draft.", field="key")
    target, others = sources[0], sources[1:]
    derived = list(dict.fromkeys(k for c in sources for k in _lineage(draft, c)))
    body = "\n\n".join(c.body.strip() for c in sources if c.body.strip())
    check_text(body, "body", 20000)
    heading = next((c.heading for c in sources if c.heading.strip()), "")
    _adopt_children(target, sources)
    Clause.objects.filter(pk__in=[c.pk for c in others]).delete()
    target.key, target.heading, target.body, target.derived_from = key, heading, body, derived
    target.save()
    return target


def merge_clauses_by_key(*, actor, draft: Draft, keys: list[str], key: str) -> Clause:
    """`merge_clauses` with the clauses named by their keys in `draft`."""
    found = {c.key: c for c in draft.clauses.filter(key__in=keys)}
    missing = [k for k in keys if k not in found]
    if missing:
        raise InvalidInput(f"No clause {missing[0]!r} in draft {draft.version}.", field="clauses")
    for clause in found.values():
        clause.draft = draft
    return merge_clauses(actor=actor, clauses=[found[k] for k in keys], key=key)


def _adopt_children(target: Clause, sources: list[Clause]) -> None:
    children = Clause.objects.filter(parent__in=sources).order_by("position", "id")
    order = {c.pk: index for index, c in enumerate(sources)}
    for position, child in enumerate(sorted(children, key=lambda c: order[c.parent_id])):
        child.parent, child.position = target, position
        child.save(update_fields=["parent", "position"])


@transaction.atomic
def move_clause(*, actor, clause: Clause, direction: str) -> Clause:
    """Swap a clause with the sibling before (`up`) or after (`down`) it; at an end, no change.

    Siblings are renumbered 0, 1, 2… in their new order."""
    if direction not in ("up", "down"):
        raise InvalidInput("Choose up or down.", field="direction")
    draft = _editable_draft(actor, clause.draft)
    siblings = list(
        Clause.objects.select_for_update()
        .filter(draft=draft, parent=clause.parent_id)
        .order_by("position", "id")
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == clause.pk)
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(siblings):
        siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])
    return next(sibling for sibling in siblings if sibling.pk == clause.pk)


def rename_clause_key(*, actor, clause: Clause, key: str) -> Clause:
    """Give a clause a new key; the old one goes into derived_from when the previous draft has
    it (see `services.update_clause`)."""
    return update_clause(actor=actor, clause=clause, changes={"key": key})


def start_next_draft(*, actor, definition: Definition, version: str) -> Draft:
    """A new editing draft copied from the current draft (the open one, else the latest final or
    closed one); an empty draft when there is none yet."""
    return create_draft(
        actor=actor,
        definition=definition,
        version=version,
        based_on=selectors.get_current_draft(definition),
    )
