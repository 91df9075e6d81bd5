"""Reads of votes: the open clause a vote is for (one statement), the ballot, who may see
voters."""

from django.db import connection

from core.errors import NotAllowed
from core.transactions import prepared_cursor
from definition.models import Clause, Definition, Draft
from definition.permissions import is_facilitator
from deliberation.models import (
    Vote,
)

_OPEN_CLAUSE_MODELS = (Clause, Draft, Definition)


_OPEN_CLAUSE_SLICES: list[tuple[type, int]] = []


_open_clause_query: list[str] = []


_converters: dict[type, list] = {}


def get_open_clause(*, slug: str, version: str, key: str) -> Clause | None:
    """A clause of an open draft with its draft and definition, in one query (None otherwise).

    The vote's hot path: the same rows as `select_related("draft__definition")`, from SQL written
    once (compiling that queryset costs more CPU than the database spends answering it)."""
    with prepared_cursor() as cursor:
        cursor.execute(_open_clause_sql(), [slug, version, key, Draft.Status.OPEN])
        row = cursor.fetchone()
    if row is None:
        return None
    clause, draft, definition = (_from_row(model, row, start)
                                 for model, start in _OPEN_CLAUSE_SLICES)
    draft._state.fields_cache["definition"] = definition
    clause._state.fields_cache["draft"] = draft
    return clause


def _open_clause_sql() -> str:
    if not _open_clause_query:
        start, columns = 0, []
        for model, alias in zip(_OPEN_CLAUSE_MODELS, "cdf", strict=True):
            _OPEN_CLAUSE_SLICES.append((model, start))
            columns += [f"{alias}.{connection.ops.quote_name(f.column)}"
                        for f in model._meta.concrete_fields]
            start += len(model._meta.concrete_fields)
        q = connection.ops.quote_name
        _open_clause_query.append(
            f"SELECT {', '.join(columns)} FROM {q(Clause._meta.db_table)} c "
            f"JOIN {q(Draft._meta.db_table)} d ON d.id = c.draft_id "
            f"JOIN {q(Definition._meta.db_table)} f ON f.id = d.definition_id "
            f"WHERE f.slug = %s AND d.version = %s AND c.{q('key')} = %s AND d.status = %s "
            "LIMIT 1")
    return _open_clause_query[0]


def _from_row(model, row, start: int):
    """A model instance from its columns, converted as the ORM converts them."""
    fields = model._meta.concrete_fields
    if model not in _converters:
        _converters[model] = [
            (col, connection.ops.get_db_converters(col) + col.get_db_converters(connection))
            for col in (f.get_col(model._meta.db_table) for f in fields)]
    values = list(row[start:start + len(fields)])
    for n, (col, converters) in enumerate(_converters[model]):
        for convert in converters:
            values[n] = convert(values[n], col, connection)
    return model.from_db(connection.alias, [f.attname for f in fields], values)


def can_see_voters(actor, definition) -> bool:
    """Who voted what is public unless the definition says otherwise; facilitators always see."""
    return definition.votes_public or is_facilitator(actor, definition)


def list_ballot(*, actor, clause: Clause):
    """The current votes on a clause, with voter and group; facilitators only when not public."""
    if not can_see_voters(actor, clause.draft.definition):
        raise NotAllowed("Votes on this definition are not public.")
    return Vote.objects.filter(clause=clause).select_related("voter", "group")
