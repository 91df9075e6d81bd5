"""The desk's counts kept by database triggers equal the counts of the comments, through every
way the comments and their dispositions change (on SQLite and, in CI, on PostgreSQL)."""

import pytest
from django.db.models import Count, Q

from deliberation.discussion import counts, grouping
from deliberation.discussion.services import (
    edit_comment,
    endorse_comment,
    hide_comment,
    post_comment,
    record_disposition,
    restore_comment,
    withdraw_endorsement,
)
from deliberation.models import Comment, CommentCount, CommentItemCount, Disposition
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

TEXT = "The definition must require the training data to be open."


def live(clause_ids) -> dict[int, dict[str, int]]:
    """The counts read from the comments themselves (what the triggers must agree with)."""
    open_ = Q(parent=None, hidden=False, disposition__isnull=True)
    rows = (Comment.objects.filter(clause_id__in=clause_ids).values("clause_id").annotate(
        n_comments=Count("pk", filter=open_),
        n_objections=Count("pk", filter=open_ & Q(kind="objection")),
        n_suggestions=Count("pk", filter=open_ & Q(kind="suggestion")),
        n_hidden=Count("pk", filter=Q(parent=None, hidden=True)),
        n_items=Count("pk", filter=open_ & Q(similar_lead=None)),
        n_objection_items=Count("pk", filter=open_ & Q(similar_lead=None, kind="objection")),
        n_suggestion_items=Count("pk", filter=open_ & Q(similar_lead=None, kind="suggestion")),
    ).order_by())
    result = {pk: dict.fromkeys(counts.FIELDS, 0) for pk in clause_ids}
    result.update({row["clause_id"]: {name: row[f"n_{name}"] for name in counts.FIELDS}
                   for row in rows})
    return result


@pytest.fixture
def clauses(published_draft):
    return list(published_draft.clauses.order_by("position").values_list("pk", flat=True))


def live_items(clause_ids) -> dict[tuple, tuple[int, int]]:
    """(clause, item, kind, group) -> (open comments, endorsements), from the comments."""
    result: dict[tuple, tuple[int, int]] = {}
    for c in Comment.objects.filter(clause_id__in=clause_ids, parent=None, hidden=False,
                                    disposition__isnull=True).annotate(e=Count("endorsements")):
        key = (c.clause_id, c.similar_lead_id or c.pk, c.kind, c.group_id)
        n, e = result.get(key, (0, 0))
        result[key] = (n + 1, e + c.e)
    return result


def agree(clauses):
    assert counts.by_clause(clauses) == live(clauses)
    assert counts.item_counts(clauses) == live_items(clauses)


def test_the_counts_follow_every_change(published_draft, clauses, members, facilitator,
                                        django_capture_on_commit_callbacks):
    first, second = published_draft.clauses.order_by("position")[:2]
    agree(clauses)
    with django_capture_on_commit_callbacks(execute=True):  # the regrouping runs: leads change
        a = post_comment(actor=members["lawyers-1"], clause=first, body=TEXT)
        b = post_comment(actor=members["developers-1"], clause=first, body=TEXT + " Yes.")
        c = post_comment(actor=members["companies-1"], clause=first, body="Number them.",
                         kind="suggestion", proposed_text="1. The first.")
        post_comment(actor=members["lawyers-2"], clause=first, body="A reply.", parent=a)
        d = post_comment(actor=members["legislators-1"], clause=first, body="Number them too.",
                         kind="suggestion", proposed_text="1. The first.")
    agree(clauses)
    endorse_comment(actor=members["lawyers-2"], comment=c)
    endorse_comment(actor=members["developers-2"], comment=c)
    endorse_comment(actor=members["lawyers-2"], comment=d)
    withdraw_endorsement(actor=members["developers-2"], comment=c)
    agree(clauses)
    with django_capture_on_commit_callbacks(execute=True):  # regrouped: c and d one item
        edit_comment(actor=members["legislators-1"], comment=d, changes={"body": "Number them."})
    assert Comment.objects.get(pk=d.pk).similar_lead_id == c.pk
    assert Comment.objects.get(pk=b.pk).similar_lead_id == a.pk
    agree(clauses)
    with django_capture_on_commit_callbacks(execute=True):
        hide_comment(actor=facilitator, comment=a, reason="Spam")
    agree(clauses)
    with django_capture_on_commit_callbacks(execute=True):
        record_disposition(actor=facilitator, comment=Comment.objects.get(pk=a.pk),
                           status="declined", response="No.")  # hidden and disposed
        record_disposition(actor=facilitator, comment=c, status="accepted", response="Yes.")
        record_disposition(actor=facilitator, comment=c, status="declined",
                           response="On second thoughts, no.")  # revised: counted once
    agree(clauses)
    with django_capture_on_commit_callbacks(execute=True):
        restore_comment(actor=facilitator, comment=Comment.objects.get(pk=a.pk))
        Disposition.objects.filter(comment=c).delete()  # an upheld appeal reopens it
        edit_comment(actor=members["developers-1"], comment=Comment.objects.get(pk=b.pk),
                     changes={"body": "Something else entirely."})
    agree(clauses)
    # Paths that skip the services: a bulk load, a bulk update, a move, a deletion.
    Comment.objects.bulk_create([Comment(clause=second, author=a.author, body=f"Bulk {n}.",
                                         kind="objection") for n in range(3)])
    Comment.objects.filter(clause=second).update(hidden=True, hidden_reason="Bulk")
    agree(clauses)
    Comment.objects.filter(clause=second).update(hidden=False, hidden_reason="")
    Comment.objects.filter(pk=b.pk).update(clause=second, similar_lead=a)
    Comment.objects.filter(pk=a.pk).update(kind="objection")
    agree(clauses)
    Comment.objects.filter(clause=first).delete()
    agree(clauses)


def test_folding_keeps_the_sums_and_leaves_one_row_per_clause(clause, members, clauses):
    for n in range(4):
        CommentFactory(clause=clause, author=members["lawyers-1"], body=f"Point {n}.")
    before = counts.by_clause(clauses)
    assert CommentCount.objects.filter(clause=clause).count() > 1
    assert counts.fold() > 1
    assert counts.by_clause(clauses) == before == live(clauses)
    assert CommentCount.objects.filter(clause=clause).count() == 1
    assert counts.fold() == 0  # nothing to fold


def test_a_comment_that_nets_to_nothing_leaves_no_row(clause, members):
    before = CommentCount.objects.count()
    CommentFactory(clause=clause, author=members["lawyers-1"], body="Hidden at once.",
                   hidden=True, hidden_reason="Spam")
    Comment.objects.filter(clause=clause).update(body="An edit changes no count.")
    assert CommentCount.objects.count() == before + 1  # the hidden one only


def test_regrouping_folds_its_clause(clause, members, clauses):
    for name in ("lawyers-1", "developers-1", "companies-1"):
        CommentFactory(clause=clause, author=members[name], body=TEXT)
    grouping.regroup_clause(clause.pk)
    assert CommentCount.objects.filter(clause=clause).count() == 1
    assert counts.by_clause(clauses) == live(clauses)
    assert counts.by_clause([clause.pk])[clause.pk]["items"] == 1


def test_the_periodic_regrouping_folds_what_changed_no_grouping(clause, members, published_draft,
                                                               django_capture_on_commit_callbacks):
    from deliberation.tasks import regroup_stale_task

    with django_capture_on_commit_callbacks(execute=True):
        suggestion = post_comment(actor=members["lawyers-1"], clause=clause, body="Number them.",
                                  kind="suggestion", proposed_text="1. The first.")
    for name in ("developers-1", "companies-1", "legislators-1"):
        endorse_comment(actor=members[name], comment=suggestion)  # the grouping stays current
    assert CommentItemCount.objects.filter(item=suggestion).count() > 1
    before = counts.item_counts([clause.pk])
    regroup_stale_task()
    assert CommentItemCount.objects.filter(item=suggestion).count() == 1
    assert counts.item_counts([clause.pk]) == before == live_items([clause.pk])
