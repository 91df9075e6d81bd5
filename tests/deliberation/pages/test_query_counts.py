"""Every page reads a fixed number of queries whatever the data size: pinned at 5 and 200 clauses.

The counts include the session and user lookups of a signed-in viewer."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from definition.models import Event
from deliberation.consensus.opinions import compute_opinion_groups
from deliberation.consensus.recompute import recompute
from deliberation.models import Comment, Vote
from tests.helpers import url

pytestmark = pytest.mark.django_db

# A signed-in viewer costs one query more per list that may hold an editing draft (its drafts, the
# clause history, the decision log): the selectors ask whether they facilitate the definition.
# The definition tabs cost a signed-in viewer one query (their membership: no "Join" for members)
# and activity/join one more for anyone (the current draft, for the draft tabs).
PAGES = {  # name: (url builder, queries for a visitor, queries for a member)
    "home": (lambda d, k: reverse("deliberation:home"), 2, 4),
    "overview": (lambda d, k: reverse("deliberation:overview", args=["osaid"]), 11, 18),
    "reader": (lambda d, k: url("reader", d), 10, 15),  # + the member's votes on the whole draft
    # the clause page counts its ballot and its threads to show one page of each (issue #13)
    "clause": (lambda d, k: url("clause", d, k), 19, 26),  # appeals, endorsed, trend per group
    "compare": (lambda d, k: reverse("deliberation:compare", args=["osaid", d.version,
                                                                 d.version]), 7, 11),
    "consensus": (lambda d, k: url("consensus", d) + "?level=insufficient", 11, 15),
    "opinion_groups": (lambda d, k: url("opinion_groups", d), 4, 7),
    "dispositions": (lambda d, k: url("dispositions", d), 4, 7),  # + the appeals
    "activity": (lambda d, k: reverse("deliberation:activity", args=["osaid"]), 4, 8),
    "join": (lambda d, k: reverse("deliberation:join", args=["osaid"]), 3, 6),
    "search": (lambda d, k: reverse("deliberation:search") + "?q=number", 2, 4),
    "vote_block": (lambda d, k: url("vote_block", d, k), 9, 13),  # no trend read for nothing
}


def _fill(draft, members, facilitator):
    """Two votes and one comment with a reply on every clause, an event per clause."""
    clauses = list(draft.clauses.exclude(body=""))
    voters = [m.memberships.get() for m in list(members.values())[:2]]
    Vote.objects.bulk_create([Vote(clause=c, voter=m.user, membership=m, group=m.group,
                                   position="support") for c in clauses for m in voters])
    tops = Comment.objects.bulk_create([Comment(clause=c, author=voters[0].user, body="A point")
                                        for c in clauses])
    Comment.objects.bulk_create([Comment(clause=t.clause, author=voters[1].user, parent=t,
                                         body="A reply") for t in tops])
    Event.objects.bulk_create([Event(definition=draft.definition, kind="disposition",
                                     actor=facilitator, summary=f"e{c.pk}") for c in clauses])
    recompute(draft_id=draft.pk)
    compute_opinion_groups(draft_id=draft.pk)
    return clauses[len(clauses) // 2].key


def _count(client, path) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.mark.parametrize("size", [5, 200])
@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "member"])
def test_every_page_uses_a_fixed_number_of_queries(client, make_draft, members, facilitator,
                                                   member, size, signed_in):
    draft = make_draft(size)
    key = _fill(draft, members, facilitator)
    if signed_in:
        client.force_login(member)
    counts = {name: _count(client, build(draft, key)) for name, (build, *_) in PAGES.items()}
    expected = {name: pinned[1 if signed_in else 0] for name, (_, *pinned) in PAGES.items()}
    assert counts == expected


def test_profile_uses_a_fixed_number_of_queries(client, make_draft, members, facilitator,
                                                member):
    client.force_login(member)
    for size, version in ((5, "1.0"), (200, "2.0")):
        draft = make_draft(size, version)
        _fill(draft, members, facilitator)
        draft.__class__.objects.filter(pk=draft.pk).update(status="closed")
        assert _count(client, reverse("deliberation:profile")) == 6  # + the open drafts to vote on
