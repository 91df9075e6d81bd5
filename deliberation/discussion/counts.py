"""The desk's counts per clause, as database triggers keep them (`CommentCount`, migration 0008).

The triggers insert, for every change to the top-level comments and their dispositions, what it
adds and takes away per clause; a clause's counts are the sums of its rows. Reading them costs a
scan of those rows (one per clause once folded), not of the comments, so the desk's counts do not
grow with the queue. `fold` sums each clause's rows into one; the regrouping job calls it, and a
fold that never runs only leaves more rows to add up.
"""

from django.db import connection, transaction
from django.db.models import Count, Sum

from deliberation.discussion.models import CommentCount, CommentItemCount

FIELDS = ("comments", "objections", "suggestions", "hidden", "items", "objection_items",
          "suggestion_items")
ITEM_KEYS = ("clause_id", "item_id", "kind", "group_id")  # CommentItemCount, per item and group
ITEM_FIELDS = ("comments", "endorsements")


def totals(clauses) -> dict[str, int]:
    """The counts summed over `clauses` (a queryset of clauses), in one query."""
    sums = (CommentCount.objects.filter(clause__in=clauses)
            .aggregate(**{name: Sum(name) for name in FIELDS}))
    return {name: sums[name] or 0 for name in FIELDS}


def by_clause(clause_ids) -> dict[int, dict[str, int]]:
    """Each clause's counts (a clause without rows: zeros)."""
    rows = (CommentCount.objects.filter(clause_id__in=list(clause_ids)).values("clause_id")
            .annotate(**{name: Sum(name) for name in FIELDS}).order_by())
    counts = {pk: dict.fromkeys(FIELDS, 0) for pk in clause_ids}
    counts.update({row.pop("clause_id"): row for row in rows})
    return counts


def item_counts(clause_ids) -> dict[tuple, tuple[int, int]]:
    """(clause, item, kind, group) -> (open comments, their endorsements) as kept per item and
    stakeholder group (`CommentItemCount`), without the keys that add up to nothing."""
    rows = (CommentItemCount.objects.filter(clause_id__in=list(clause_ids))
            .values_list(*ITEM_KEYS)
            .annotate(n=Sum("comments"), e=Sum("endorsements")).order_by())
    return {tuple(key): (n, e) for *key, n, e in rows if n or e}


@transaction.atomic
def fold(clause_ids=None) -> int:
    """Sum the rows of each clause (those listed, or every clause with more than one row) into
    one, and its items' rows into one per item and group; returns how many rows went. Rows the
    triggers insert meanwhile stay as they are: a `DELETE … RETURNING` takes only the rows it
    removes, so nothing is counted twice or lost."""
    return (_fold(CommentCount, ("clause_id",), FIELDS, clause_ids)
            + _fold(CommentItemCount, ITEM_KEYS, ITEM_FIELDS, clause_ids))


def _fold(model, keys: tuple, fields: tuple, clause_ids) -> int:
    if clause_ids is None:
        clause_ids = (model.objects.values(*keys).annotate(n=Count("pk")).filter(n__gt=1)
                      .values_list("clause_id", flat=True).distinct().order_by())
    clause_ids = sorted(set(clause_ids))
    if not clause_ids:
        return 0
    table = connection.ops.quote_name(model._meta.db_table)
    marks = ", ".join(["%s"] * len(clause_ids))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE clause_id IN ({marks}) "
                       f"RETURNING {', '.join((*keys, *fields))}", clause_ids)
        removed = cursor.fetchall()
    sums: dict[tuple, list[int]] = {}
    for row in removed:
        total = sums.setdefault(tuple(row[:len(keys)]), [0] * len(fields))
        for index, value in enumerate(row[len(keys):]):
            total[index] += value
    model.objects.bulk_create(
        model(**dict(zip(keys, key, strict=True)), **dict(zip(fields, values, strict=True)))
        for key, values in sums.items() if any(values))
    return len(removed)
