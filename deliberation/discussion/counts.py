"""The desk's counts per clause, as database triggers keep them (`CommentCount`, migration 0008).

The triggers insert, for every change to the top-level comments and their dispositions, what it
adds and takes away per clause; a clause's counts are the sums of its rows. Reading them costs a
scan of those rows (one per clause once folded), not of the comments, so the desk's counts do not
grow with the queue. `fold` sums each clause's rows into one; the regrouping job calls it, and a
fold that never runs only leaves more rows to add up.
"""

from django.db import connection, transaction
from django.db.models import Count, Sum

from deliberation.discussion.models import CommentCount

FIELDS = ("comments", "objections", "suggestions", "hidden", "items", "objection_items",
          "suggestion_items")


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


@transaction.atomic
def fold(clause_ids=None) -> int:
    """Sum the rows of each clause (those listed, or every clause with more than one row) into
    one; returns how many rows went. Rows the triggers insert meanwhile stay as they are: a
    `DELETE … RETURNING` takes only the rows it removes, so nothing is counted twice or lost."""
    if clause_ids is None:
        clause_ids = list(CommentCount.objects.values("clause_id").annotate(n=Count("pk"))
                          .filter(n__gt=1).values_list("clause_id", flat=True).order_by())
    clause_ids = sorted(set(clause_ids))
    if not clause_ids:
        return 0
    table = connection.ops.quote_name(CommentCount._meta.db_table)
    marks = ", ".join(["%s"] * len(clause_ids))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE clause_id IN ({marks}) "
                       f"RETURNING clause_id, {', '.join(FIELDS)}", clause_ids)
        removed = cursor.fetchall()
    sums: dict[int, list[int]] = {}
    for clause_id, *values in removed:
        total = sums.setdefault(clause_id, [0] * len(FIELDS))
        for index, value in enumerate(values):
            total[index] += value
    CommentCount.objects.bulk_create(
        CommentCount(clause_id=clause_id, **dict(zip(FIELDS, values, strict=True)))
        for clause_id, values in sums.items() if any(values))
    return len(removed)
