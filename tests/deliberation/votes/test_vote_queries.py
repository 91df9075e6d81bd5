"""The vote API's cost in queries, pinned: a vote is a handful of statements on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from deliberation.models import Vote

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

    # PostgreSQL tries the one-statement change first (no vote yet: nothing written), then the
    # transactional path: savepoint, membership + draft state, upsert (with the summary row),
    # release
    expected = 6 if connection.vendor == "postgresql" else 8
    assert len(statements) == expected, "\n".join(statements)
