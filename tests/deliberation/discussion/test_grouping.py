"""The stored grouping of similar comments: one lead per group, kept current after each change."""

import pytest
from django.db import models

from deliberation.discussion import grouping
from deliberation.discussion.services import (
    edit_comment,
    hide_comment,
    post_comment,
    record_disposition,
    restore_comment,
)
from deliberation.models import Comment, CommentGrouping, Disposition
from deliberation.votes.services import cast_vote
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

TEXT = "The definition must require the training data to be open."


def leads(*comments) -> list[int | None]:
    return [Comment.objects.get(pk=c.pk).similar_lead_id for c in comments]


@pytest.fixture
def similar(clause, members):
    return [CommentFactory(clause=clause, author=members[name], body=TEXT + suffix)
            for name, suffix in (("lawyers-1", ""), ("developers-1", " Really."),
                                 ("companies-1", " We agree."))]


def test_similar_comments_get_the_oldest_as_their_lead(clause, members, similar):
    lone = CommentFactory(clause=clause, author=members["lawyers-2"], body="Typo in line two.")
    assert grouping.stale_clause_ids([clause.pk]) == [clause.pk]

    assert grouping.regroup_clause(clause.pk) == 2

    first = similar[0]
    assert leads(*similar, lone) == [None, first.pk, first.pk, None]
    assert grouping.stale_clause_ids([clause.pk]) == []
    assert grouping.regroup_clause(clause.pk) == 0  # nothing changed, nothing written


def test_regrouping_writes_no_history(clause, similar):
    before = Comment.history.count()
    grouping.regroup_clause(clause.pk)
    assert Comment.history.count() == before


def test_comments_on_other_clauses_never_share_a_lead(published_draft, members, similar):
    why = published_draft.clauses.get(key="why")
    elsewhere = CommentFactory(clause=why, author=members["lawyers-2"], body=TEXT)
    assert grouping.regroup_stale(draft_id=published_draft.pk) == len(
        published_draft.clauses.all())
    assert leads(elsewhere) == [None]
    assert grouping.regroup_stale(draft_id=published_draft.pk) == 0


def test_a_disposed_comment_leaves_its_group(clause, facilitator, similar,
                                            django_capture_on_commit_callbacks):
    grouping.regroup_clause(clause.pk)
    with django_capture_on_commit_callbacks(execute=True):
        record_disposition(actor=facilitator, comment=similar[0], status="declined",
                           response="No.")
    assert leads(*similar) == [None, None, similar[1].pk]
    assert CommentGrouping.objects.get(clause=clause).stamp == grouping.current_stamps(
        [clause.pk])[clause.pk]


def test_a_new_comment_joins_a_group_or_stands_alone(clause, members, similar,
                                                     django_capture_on_commit_callbacks):
    grouping.regroup_clause(clause.pk)
    with django_capture_on_commit_callbacks(execute=True):
        joining = post_comment(actor=members["legislators-1"], clause=clause, body=TEXT)
        alone = post_comment(actor=members["legislators-1"], clause=clause,
                             body="Number the clauses.")
        reply = post_comment(actor=members["lawyers-2"], clause=clause, body=TEXT,
                             parent=alone)
    assert leads(joining, alone, reply) == [similar[0].pk, None, None]


def test_an_edit_can_take_a_comment_out_of_its_group(clause, members, similar,
                                                     django_capture_on_commit_callbacks):
    grouping.regroup_clause(clause.pk)
    with django_capture_on_commit_callbacks(execute=True):
        edit_comment(actor=members["companies-1"], comment=similar[2],
                     changes={"body": "Nothing to do with the others at all."})
    assert leads(*similar) == [None, similar[0].pk, None]


def test_a_hidden_comment_leaves_and_a_restored_one_comes_back(
        clause, facilitator, similar, django_capture_on_commit_callbacks):
    grouping.regroup_clause(clause.pk)
    with django_capture_on_commit_callbacks(execute=True):
        hide_comment(actor=facilitator, comment=similar[1], reason="Spam")
    assert leads(*similar) == [None, None, similar[0].pk]
    with django_capture_on_commit_callbacks(execute=True):
        restore_comment(actor=facilitator, comment=Comment.objects.get(pk=similar[1].pk))
    assert leads(*similar) == [None, similar[0].pk, similar[0].pk]


def test_a_bulk_load_is_stale_until_regrouped(clause, similar):
    grouping.regroup_clause(clause.pk)
    Comment.objects.bulk_create([Comment(clause=clause, author=similar[0].author, body=TEXT)])
    assert grouping.stale_clause_ids([clause.pk]) == [clause.pk]
    assert grouping.regroup_stale(clause_ids=[clause.pk]) == 1
    assert Comment.objects.filter(clause=clause, similar_lead=similar[0]).count() == 3


def test_large_groups_are_written_in_batches(clause, members, monkeypatch):
    monkeypatch.setattr(grouping, "UPDATE_BATCH", 2)
    Comment.objects.bulk_create([Comment(clause=clause, author=members["lawyers-1"], body=TEXT)
                                 for _ in range(7)])
    grouping.regroup_clause(clause.pk)
    first = Comment.objects.filter(clause=clause).order_by("pk").first()
    assert Comment.objects.filter(clause=clause, similar_lead=first).count() == 6


def test_a_clause_gone_since_its_regrouping_was_asked_for_is_skipped(clause, similar):
    assert grouping.regroup_stale(clause_ids=[clause.pk + 10_000]) == 0
    assert not CommentGrouping.objects.exists()


def test_a_vote_objection_is_grouped_by_the_recompute_that_follows_the_vote(
        clause, members, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = cast_vote(actor=members["companies-1"], clause=clause, position="block",
                          rationale=TEXT).objection
    with django_capture_on_commit_callbacks(execute=True):
        second = cast_vote(actor=members["companies-2"], clause=clause, position="oppose",
                           rationale=TEXT + " Indeed.").objection
    assert leads(first, second) == [None, first.pk]
    assert grouping.stale_clause_ids([clause.pk]) == []


def orphans() -> list[int]:
    """Grouped comments whose lead is not grouped (disposed, hidden) or is younger than them."""
    grouped = grouping.grouped_comments()
    gone = grouped.filter(similar_lead__isnull=False).exclude(
        similar_lead__in=grouped.values("pk"))
    younger = grouped.filter(similar_lead__created_at__gt=models.F("created_at"))
    return sorted({*gone.values_list("pk", flat=True), *younger.values_list("pk", flat=True)})


def test_no_group_is_left_without_its_lead_even_before_the_regrouping(
        clause, facilitator, members, similar):
    """The desk lists items by their leads: a lead that leaves hands its group to the oldest
    member left, at once, in the same transaction (the regrouping has not run here)."""
    grouping.regroup_clause(clause.pk)
    lead, second, third = similar
    record_disposition(actor=facilitator, comment=lead, status="declined", response="No.")
    assert leads(*similar) == [None, None, second.pk] and orphans() == []
    hide_comment(actor=facilitator, comment=Comment.objects.get(pk=second.pk), reason="Spam")
    assert leads(second, third) == [None, None] and orphans() == []
    restore_comment(actor=facilitator, comment=Comment.objects.get(pk=second.pk))
    assert orphans() == []
    grouping.regroup_clause(clause.pk)
    assert leads(second, third) == [None, second.pk]


def test_a_reopened_comment_stands_alone_until_regrouped(clause, facilitator, similar):
    grouping.regroup_clause(clause.pk)
    member = similar[2]
    record_disposition(actor=facilitator, comment=member, status="declined", response="No.")
    record_disposition(actor=facilitator, comment=similar[0], status="declined",
                       response="No.")
    Comment.objects.filter(pk=member.pk).update(similar_lead=similar[0].pk)  # a stale lead
    grouping.release(member)  # as an upheld appeal does before removing the disposition
    Disposition.objects.filter(comment=member).delete()
    assert leads(member) == [None] and orphans() == []


def test_a_group_holds_comments_of_one_kind(clause, members):
    question, comment, again = (
        CommentFactory(clause=clause, author=members[name], body=TEXT, kind=kind)
        for name, kind in (("lawyers-1", "question"), ("developers-1", "comment"),
                           ("companies-1", "question")))
    grouping.regroup_clause(clause.pk)
    assert leads(question, comment, again) == [None, None, question.pk]
