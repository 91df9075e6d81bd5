"""The vote API's cost in queries, pinned: a vote is a handful of statements on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from deliberation.models import ClauseChange, ClauseSummary, Comment, Vote

pytestmark = pytest.mark.django_db


def _put(client, clause, position, rationale=""):
    url = (f"/api/v1/definitions/{clause.draft.definition.slug}/drafts/{clause.draft.version}"
           f"/clauses/{clause.key}/vote/")
    with CaptureQueriesContext(connection) as queries:
        response = client.put(url, {"position": position, "rationale": rationale}, format="json")
    assert response.status_code == 200, response.content
    return [q["sql"] for q in queries.captured_queries]


def test_changing_a_vote_costs_a_fixed_few_statements(member, clause):
    client = APIClient()
    client.force_authenticate(member)
    _put(client, clause, "support")

    statements = _put(client, clause, "accept")

    # PostgreSQL: clause (with draft and definition), then one autocommitted statement (voter and
    # draft check, update, history row, change mark). SQLite: clause, BEGIN (here a savepoint),
    # membership + draft state, the upsert, the history row, the change mark, COMMIT
    expected = 2 if connection.vendor == "postgresql" else 7
    assert len(statements) == expected, "\n".join(statements)
    assert Vote.objects.get(clause=clause, voter=member).position == "accept"
    assert Vote.history.filter(voter=member).count() == 2


def test_a_first_vote_adds_only_the_summary_row_check(member, clause):
    client = APIClient()
    client.force_authenticate(member)

    statements = _put(client, clause, "support")

    # PostgreSQL: clause, then the one statement (it also creates the summary row). SQLite: the
    # transactional path, with the summary row check
    expected = 2 if connection.vendor == "postgresql" else 8
    assert len(statements) == expected, "\n".join(statements)
    assert ClauseSummary.objects.filter(clause=clause, computed_version__lt=0).exists()


def test_an_objection_writes_its_comment_in_the_same_statement(member, clause):
    client = APIClient()
    client.force_authenticate(member)

    first = _put(client, clause, "oppose", " Too vague. ")
    same = _put(client, clause, "oppose", "Too vague.")
    block = _put(client, clause, "block", "Far too vague.")
    support = _put(client, clause, "support")

    if connection.vendor == "postgresql":  # clause + one statement, whatever the change
        assert [len(first), len(same), len(block), len(support)] == [2, 2, 2, 2]
    vote = Vote.objects.get(clause=clause, voter=member)
    objection = Comment.objects.get(vote=vote)
    assert (objection.kind, objection.body, objection.author_id) == ("objection",
                                                                     "Far too vague.", member.pk)
    assert objection.author_verified and objection.edited_at is not None
    assert [h.history_type for h in objection.history.order_by("history_id")] == ["+", "~"]
    assert [h.history_type for h in Vote.history.filter(voter=member).order_by("history_id")] \
        == ["+", "~", "~"]
    assert ClauseChange.objects.filter(clause=clause).count() == 3
