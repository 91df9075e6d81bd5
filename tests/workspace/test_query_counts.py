"""The desk and the editor read a fixed number of queries whatever the data size: every queue
(and its filters, sorts and pages), every editor view (pages, filters, the clause opened, the
forms of one clause) makes the same number of queries at 10 and at 300 of everything, with full
pages at both sizes, so that a query per item would show."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from definition.models import Clause, Membership
from definition.services import create_draft
from deliberation.consensus.recompute import ensure_summaries
from deliberation.models import Appeal, Comment, Disposition, Endorsement, Flag, Vote
from tests.factories import UserFactory, open_draft

pytestmark = pytest.mark.django_db

DESK = "/d/osaid/facilitate/?queue="
DESK_QUERIES = {  # the drafts, the groups, the counts (2), the levels, the session, the user,
    # the definition, the facilitator check, messages; a comment queue's clause choices, its page
    # of items (by their leads, or grouped in SQL with their total; one clause's: and its count
    # of items), their comments' ids, sizes and groups, and the page in full; another queue's
    # count and page
    "comments": 13, "comments&sort=support": 13, "comments&page=2": 13,
    "comments&group=lawyers": 13, "comments&kind=suggestion": 13, "comments&age=3": 13,
    "comments&draft=all": 13, "comments&clause=k3": 14,
    "objections": 13, "objections&sort=support": 13, "suggestions": 13,
    "members": 11, "members&group=lawyers": 11, "members&page=2": 11,
    "flags": 12, "flags&page=2": 12, "appeals": 11, "appeals&page=2": 11, "hidden": 11,
}
EDITOR = "/d/osaid/v/0.0.9/edit/"
EDITOR_QUERIES = {"": 9, "?page=2": 9, "?only=changed": 9, "?only=suggestions": 9,
                  "?c=k5": 9, "c/k5/": 7}  # a page: the clauses, those of based_on (to mark the
# changed ones) and the suggestions on them, read once whatever the page; the forms of one
# clause (htmx): the clause with its parent, besides the session, user, definition and draft


def _count(client, path, **headers) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **headers)
    assert response.status_code == 200, path
    return len(queries)


def _fill(editing_draft, facilitator, members, n: int):
    """0.0.8 open with n more clauses, each with an undisposed comment, a suggestion endorsed
    twice, a block (an objection of a verified member) and an answered comment under appeal,
    three days old; 0.0.9 copied from it, every other clause edited; n pending applications;
    flags on every comment; n // 5 + 1 comments hidden."""
    group = editing_draft.definition.groups.get(slug="lawyers")
    author, blocker = members["lawyers-1"], members["companies-1"]
    old = Clause.objects.bulk_create([Clause(draft=editing_draft, key=f"k{i}", body=f"Clause {i}.",
                                             position=10 + i) for i in range(n)])
    published_draft = open_draft(editing_draft)
    draft = create_draft(actor=facilitator, definition=published_draft.definition,
                         version="0.0.9", based_on=published_draft)
    Clause.objects.filter(draft=draft, key__in=[f"k{i}" for i in range(0, n, 2)]).update(
        body="Edited.")
    membership = Membership.objects.get(user=blocker, definition=editing_draft.definition)
    votes = Vote.objects.bulk_create([Vote(clause=c, voter=blocker, membership=membership,
                                           group=membership.group, position="block",
                                           rationale=f"Never {c.key}.") for c in old])
    Comment.objects.bulk_create(
        [Comment(clause=c, author=author, body=f"Point on {c.key}", kind="comment") for c in old]
        + [Comment(clause=c, author=author, body=f"Wording of {c.key}", kind="suggestion",
                   proposed_text="New text.") for c in old]
        + [Comment(clause=v.clause, author=blocker, body=v.rationale, kind="objection", vote=v)
           for v in votes]
        + [Comment(clause=c, author=author, body=f"Answered on {c.key}", kind="question")
           for c in old])
    Comment.objects.update(created_at=timezone.now() - timedelta(days=4))
    suggestions = Comment.objects.filter(kind="suggestion")
    Endorsement.objects.bulk_create([Endorsement(comment=s, user=members[name]) for s in suggestions
                                     for name in ("developers-1", "legislators-1")])
    answered = list(Comment.objects.filter(kind="question"))
    now = timezone.now()
    Disposition.objects.bulk_create([
        Disposition(comment=c, status="declined", response="No.", decided_by=facilitator,
                    decided_at=now, acknowledged_satisfied=False) for c in answered])
    Appeal.objects.bulk_create([
        Appeal(comment=c, author=author, reason="Unfair.", disposition_status="declined",
               disposition_response="No.", disposition_decided_by=facilitator,
               disposition_decided_at=now) for c in answered])
    Flag.objects.bulk_create([Flag(comment=c, user=members["developers-1"], reason="Look")
                              for c in Comment.objects.filter(kind="comment")])
    Membership.objects.bulk_create([Membership(user=UserFactory(), definition=group.definition,
                                               group=group, status="pending") for _ in range(n)])
    Comment.objects.filter(pk__in=Comment.objects.filter(kind="comment")[:n // 5 + 1]
                           .values("pk")).update(hidden=True, hidden_reason="Off topic")
    ensure_summaries(published_draft)


@pytest.mark.parametrize("size", [10, 300])
def test_the_desk_reads_a_fixed_number_of_queries(fac, editing_draft, facilitator, members,
                                                  size):
    _fill(editing_draft, facilitator, members, size)
    counts = {query: _count(fac, DESK + query) for query in DESK_QUERIES}
    assert counts == DESK_QUERIES
    html = fac.get(DESK + "appeals").content.decode()
    assert html.count('class="desk-item desk-appeal"') == min(size, 25)  # full pages


def test_the_desk_page_stays_small_at_300(fac, editing_draft, facilitator, members):
    _fill(editing_draft, facilitator, members, 300)
    for queue in ("comments", "objections", "suggestions", "members", "flags", "appeals",
                  "hidden"):
        html = fac.get(DESK + queue).content
        assert len(html) < 150_000, (queue, len(html))
        assert 1 <= html.count(b'class="desk-item') <= 25, queue


@pytest.mark.parametrize("size", [10, 300])
def test_the_editor_reads_a_fixed_number_of_queries(fac, editing_draft, facilitator, members,
                                                    size):
    _fill(editing_draft, facilitator, members, size)
    html = fac.get(EDITOR).content.decode()
    assert html.count('class="suggestion-item"') == min(size, 47)  # a page of clauses
    counts = {query: _count(fac, EDITOR + query, HTTP_HX_REQUEST="true") for query in
              EDITOR_QUERIES}
    assert counts == EDITOR_QUERIES
