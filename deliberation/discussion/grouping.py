"""The stored grouping of similar comments: `Comment.similar_lead`, per clause, kept by a job.

The facilitators' desk answers similar comments together. Grouping them (`similarity`, TF-IDF)
costs time that grows with the comments, so it is done here, per clause, after the comments
change (a task: `deliberation.tasks.schedule_regroup`), and the desk groups in SQL by
`COALESCE(similar_lead_id, id)`. The grouped set is the clause's undisposed, visible top-level
comments; a group holds comments of one kind, and each member of a group of two or more points
at its lead, the oldest; a lead, a comment alone and a comment left out (disposed, hidden) has
none. Every group is led by a comment of the grouped set (`release`), so the desk lists a queue's
items by their leads.

`CommentGrouping` keeps, per clause, the stamp of the comments it grouped (how many, the newest
and the sum of their ids, their newest edit): a clause whose stamp differs now is stale. A stale
grouping is never wrong, only behind: a comment not grouped yet is an item of its own on the desk.
The column is derived: written with `QuerySet.update`, so it writes no history rows.
"""

from django.db import transaction
from django.db.models import Count, Max, Sum
from django.utils import timezone

from definition.models import Clause
from deliberation.discussion import counts, similarity
from deliberation.discussion.models import Comment, CommentGrouping

UPDATE_BATCH = 900  # comments per UPDATE (SQLite's limit on parameters, with room to spare)


def grouped_comments():
    """The comments the grouping covers: undisposed, visible, top-level."""
    return Comment.objects.filter(parent=None, hidden=False, disposition__isnull=True)


def _stamp(count: int, newest, total, edited) -> str:
    return f"{count}:{newest or 0}:{total or 0}:{edited.isoformat() if edited else ''}"


def current_stamps(clause_ids) -> dict[int, str]:
    """The stamp of each clause's grouped comments now, in one query (a clause without any: its
    stamp of none)."""
    rows = (grouped_comments().filter(clause_id__in=clause_ids).values("clause_id")
            .annotate(n=Count("pk"), newest=Max("pk"), total=Sum("pk"), edited=Max("edited_at"))
            .order_by())
    stamps = {pk: _stamp(0, None, None, None) for pk in clause_ids}
    stamps.update({row["clause_id"]: _stamp(row["n"], row["newest"], row["total"],
                                            row["edited"]) for row in rows})
    return stamps


def stale_clause_ids(clause_ids) -> list[int]:
    """The clauses among `clause_ids` whose stored grouping is behind their comments."""
    clause_ids = list(clause_ids)
    stored = dict(CommentGrouping.objects.filter(clause_id__in=clause_ids)
                  .values_list("clause_id", "stamp"))
    return sorted(pk for pk, stamp in current_stamps(clause_ids).items()
                  if stored.get(pk) != stamp)


def _lock(clause_id: int) -> CommentGrouping:
    """Take the clause's grouping row (made if need be) for this transaction: the regrouping
    and `release` take turns on it, so no regrouping can point a comment at a lead that has
    just left the grouped set."""
    row, _ = CommentGrouping.objects.select_for_update().get_or_create(
        clause_id=clause_id, defaults={"stamp": "", "computed_at": timezone.now()})
    return row


@transaction.atomic
def release(comment: Comment) -> int:
    """`comment` leaves the grouped set (disposed, hidden) or comes back (restored, reopened).
    Leaving, its group (if it led one) follows the oldest of its undisposed visible members;
    coming back, it stands alone until the next regrouping. So every group is led by an
    undisposed visible comment, its oldest, and the desk can list the items by their leads
    (`similar_lead IS NULL`). Call it in the change's transaction; returns how many comments
    changed lead."""
    _lock(comment.clause_id)
    led = Comment.objects.filter(similar_lead=comment.pk).exclude(pk=comment.pk)
    successor = (grouped_comments().filter(similar_lead=comment.pk).exclude(pk=comment.pk)
                 .order_by("created_at", "pk").values_list("pk", flat=True).first())
    changed = 0
    if successor is not None:
        changed += led.exclude(pk=successor).update(similar_lead=successor)
        changed += Comment.objects.filter(pk=successor).update(similar_lead=None)
    return changed + (Comment.objects.filter(pk=comment.pk, similar_lead__isnull=False)
                      .update(similar_lead=None))


@transaction.atomic
def regroup_clause(clause_id: int) -> int:
    """Group the clause's undisposed visible top-level comments by similarity and store each
    member's lead; returns how many comments changed lead. Reads the comments once, writes the
    changed leads in a few `UPDATE`s (no history), and the clause's stamp. A comment whose lead
    has left the grouped set gets a current one (or none) here too."""
    grouping = _lock(clause_id)
    rows = list(grouped_comments().filter(clause_id=clause_id).order_by("created_at", "pk")
                .values_list("pk", "body", "proposed_text", "similar_lead_id", "edited_at",
                             "kind"))
    # One kind per group (`similarity` groups per key): similar objections together, and apart
    # from a question in the same words, so each queue lists its items by their leads.
    texts = [similarity.Text(id=pk, clause=kind, body=f"{body}\n{proposed}")
             for pk, body, proposed, _, _, kind in rows]
    lead_of = {pk: ids[0] for ids in similarity.group_similar(texts) for pk in ids[1:]}
    changed = {pk: lead_of.get(pk) for pk, _, _, lead, *_ in rows if lead_of.get(pk) != lead}
    _write_leads(changed)
    # Comments that left the grouped set (disposed, hidden) leave their group.
    (Comment.objects.filter(clause_id=clause_id, similar_lead__isnull=False)
     .exclude(pk__in=grouped_comments().filter(clause_id=clause_id).values("pk"))
     .update(similar_lead=None))
    edits = [edited for *_, edited, _ in rows if edited is not None]
    stamp = _stamp(len(rows), max((r[0] for r in rows), default=None), sum(r[0] for r in rows),
                   max(edits, default=None))
    grouping.stamp, grouping.computed_at = stamp, timezone.now()
    grouping.save(update_fields=["stamp", "computed_at"])
    counts.fold([clause_id])  # the rows its changes of lead wrote, and those before them
    return len(changed)


def _write_leads(changed: dict[int, int | None]) -> None:
    """One UPDATE per new lead (and one for comments left alone), UPDATE_BATCH comments at a
    time: a new comment or a seeded clause changes one or two leads. (A CASE over many leads
    compares each row with every id listed: 0.2 s for 900 comments on PostgreSQL.)"""
    by_lead: dict[int | None, list[int]] = {}
    for pk, lead in sorted(changed.items()):
        by_lead.setdefault(lead, []).append(pk)
    for lead, pks in by_lead.items():
        for start in range(0, len(pks), UPDATE_BATCH):
            Comment.objects.filter(pk__in=pks[start:start + UPDATE_BATCH]).update(
                similar_lead=lead)


def regroup_stale(*, clause_ids=None, draft_id: int | None = None) -> int:
    """Regroup the clauses (those listed, or every clause of the draft) whose grouping is behind;
    returns how many were regrouped. Cheap when nothing changed: three queries."""
    # Only clauses that still exist: one may have gone (deleted, or its transaction rolled back)
    # since its regrouping was asked for.
    clauses = (Clause.objects.filter(draft_id=draft_id) if clause_ids is None
               else Clause.objects.filter(pk__in=clause_ids))
    stale = stale_clause_ids(clauses.values_list("pk", flat=True))
    for clause_id in stale:
        regroup_clause(clause_id)
    return len(stale)
