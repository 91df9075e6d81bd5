"""The desk and the editor read a fixed number of queries, pinned at 5 and 200 items."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from definition.models import Clause, Membership
from definition.services import create_draft
from deliberation.consensus.recompute import ensure_summaries
from deliberation.models import Comment, Flag
from tests.factories import UserFactory, open_draft

pytestmark = pytest.mark.django_db

DESK_QUERIES = {"comments": 13, "objections": 12, "suggestions": 13, "members": 13, "flags": 14,
                "appeals": 13, "hidden": 13}  # no objection: no page of them to read
EDITOR_QUERIES = 9  # +1: the draft selector asks whether the viewer may see an editing draft;
# +1: the clauses of based_on, to mark the changed ones (#15)


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


def _fill(editing_draft, facilitator, members, n: int):
    """0.0.8 open with n more clauses, a comment and a suggestion on each; 0.0.9 copied from it;
    n pending applications; flags and some hidden comments."""
    group = editing_draft.definition.groups.get(slug="lawyers")
    author = members["lawyers-1"]
    old = Clause.objects.bulk_create([Clause(draft=editing_draft, key=f"k{i}", body=f"Clause {i}.",
                                             position=10 + i) for i in range(n)])
    published_draft = open_draft(editing_draft)
    create_draft(actor=facilitator, definition=published_draft.definition, version="0.0.9",
                 based_on=published_draft)
    Comment.objects.bulk_create([Comment(clause=c, author=author, body="Point", kind=kind,
                                         proposed_text="New text." if kind == "suggestion" else "")
                                 for c in old for kind in ("comment", "suggestion")])
    Flag.objects.bulk_create([Flag(comment=c, user=members["developers-1"], reason="Look")
                              for c in Comment.objects.filter(kind="comment")])
    Membership.objects.bulk_create([Membership(user=UserFactory(), definition=group.definition,
                                               group=group, status="pending") for _ in range(n)])
    Comment.objects.filter(pk__in=Comment.objects.filter(kind="comment")[:n // 5 + 1]
                           .values("pk")).update(hidden=True, hidden_reason="Off topic")
    ensure_summaries(published_draft)


@pytest.mark.parametrize("size", [5, 200])
@pytest.mark.parametrize("queue", DESK_QUERIES)
def test_the_desk_reads_a_fixed_number_of_queries(fac, editing_draft, facilitator, members,
                                                  size, queue):
    _fill(editing_draft, facilitator, members, size)
    assert _count(fac, f"/d/osaid/facilitate/?queue={queue}") == DESK_QUERIES[queue]


def test_the_desk_page_stays_small_at_200_clauses(fac, editing_draft, facilitator, members):
    _fill(editing_draft, facilitator, members, 200)
    for queue in DESK_QUERIES:
        html = fac.get(f"/d/osaid/facilitate/?queue={queue}").content
        assert len(html) < 150_000, (queue, len(html))
        assert html.count(b'class="desk-item') <= 25


@pytest.mark.parametrize("size", [5, 200])
def test_the_editor_reads_a_fixed_number_of_queries(fac, editing_draft, facilitator, members,
                                                    size):
    _fill(editing_draft, facilitator, members, size)
    response = fac.get("/d/osaid/v/0.0.9/edit/")
    assert response.content.decode().count('class="suggestion-item"') == min(size, 47)  # a page
    assert _count(fac, "/d/osaid/v/0.0.9/edit/") == EDITOR_QUERIES
