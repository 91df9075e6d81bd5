"""Every list and detail endpoint makes the same number of queries for 5 or 200 rows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import User
from definition.models import Clause, Definition, Draft, Event, Membership, StakeholderGroup
from deliberation.models import Comment, Disposition, Endorsement, Vote

pytestmark = pytest.mark.django_db

D = "/api/v1/definitions/osaid/"
K8 = D + "drafts/0.0.8/clauses/c-1/"


def _clauses(draft: Draft, n: int, prefix: str = "") -> list[Clause]:
    """n clauses: a section holding half of them, then the rest at top level."""
    section = Clause.objects.create(draft=draft, key="c-0", heading="Section", position=0)
    Clause.objects.bulk_create(
        Clause(draft=draft, key=f"c-{i}", body=f"{prefix}Text {i}.", position=i,
               parent=section if i <= n // 2 else None)
        for i in range(1, n))
    return list(draft.clauses.all())


def _members(definition: Definition, n: int) -> list[Membership]:
    users = User.objects.bulk_create(User(username=f"m{i}", password="!") for i in range(n))
    groups = list(definition.groups.all())
    return Membership.objects.bulk_create(
        Membership(user=u, definition=definition, group=groups[i % 4],
                   status=Membership.Status.VERIFIED) for i, u in enumerate(users))


def _comments(clause: Clause, memberships: list[Membership], facilitator) -> None:
    tops = Comment.objects.bulk_create(
        Comment(clause=clause, author=m.user, body=f"Point {i}.", author_verified=True,
                kind="suggestion" if i % 2 else "comment",
                proposed_text=f"Better {i}." if i % 2 else "")
        for i, m in enumerate(memberships))
    Comment.objects.bulk_create(
        Comment(clause=clause, author=m.user, body="Reply.", parent=top)
        for m, top in zip(memberships, reversed(tops), strict=True))
    Disposition.objects.bulk_create(
        Disposition(comment=top, status="deferred", response="Later.", decided_by=facilitator,
                    decided_at=timezone.now(), addressed_in=clause.draft) for top in tops[::2])
    Endorsement.objects.bulk_create(Endorsement(comment=tops[1], user=m.user)
                                    for m in memberships)


@pytest.fixture
def build(definition, facilitator):
    """The whole world at scale n: definitions, members, drafts, clauses, votes, comments, log."""

    def make(n: int) -> None:
        Definition.objects.bulk_create(Definition(slug=f"d-{i}", title=f"D {i}") for i in range(n))
        definition.facilitators.add(*User.objects.bulk_create(
            User(username=f"f{i}", password="!") for i in range(n)))
        memberships = _members(definition, n)
        StakeholderGroup.objects.bulk_create(
            StakeholderGroup(definition=definition, slug=f"g-{i}", name=f"G {i}", position=9 + i)
            for i in range(n))
        old = Draft.objects.create(definition=definition, version="0.0.8")
        old_clauses = _clauses(old, n)
        new = Draft.objects.create(definition=definition, version="0.0.9", based_on=old)
        _clauses(new, n, prefix="New ")
        Draft.objects.bulk_create(Draft(definition=definition, version=f"1.{i}", based_on=new)
                                  for i in range(n))
        for draft in Draft.objects.filter(version__startswith="1."):
            Clause.objects.create(draft=draft, key="c-1", body=f"Text {draft.version}.")
        Draft.objects.filter(pk=old.pk).update(
            status=Draft.Status.OPEN, closes_at=timezone.now() + timedelta(days=9))
        clause = next(c for c in old_clauses if c.key == "c-1")
        Vote.objects.bulk_create(Vote(clause=clause, voter=m.user, membership=m, group=m.group_id
                                      and m.group, position="support") for m in memberships)
        _comments(clause, memberships, facilitator)
        Event.objects.bulk_create(Event(definition=definition, kind="settings-changed",
                                        summary=f"Event {i}") for i in range(n))

    return make


ENDPOINTS = [
    # (url, viewer, queries)
    ("/api/v1/definitions/", None, 2),
    (D, None, 2),
    (D + "groups/", None, 3),
    (D + "memberships/", "facilitator", 4),
    (D + "drafts/", None, 3),
    (D + "drafts/0.0.8/", None, 3),
    (D + "drafts/0.0.8/clauses/", None, 3),
    (K8, None, 4),  # the draft's outline, then the clause (not every clause's text)
    (K8 + "history/", None, 4),
    (K8 + "votes/", None, 5),
    (K8 + "comments/", None, 6),
    ("/api/v1/comments/{comment}/", None, 1),
    # 0.0.9 is editing: its facilitators' only (one query says the viewer is one of them).
    (D + "compare/?from=0.0.8&to=0.0.9", "facilitator", 6),
    (D + "activity/", None, 3),
]


@pytest.mark.parametrize("n", [5, 200])
@pytest.mark.parametrize(("url", "viewer", "queries"), ENDPOINTS,
                         ids=[e[0].removeprefix(D) or "definition" for e in ENDPOINTS])
def test_the_query_count_does_not_grow_with_the_data(api, build, request, django_assert_num_queries,
                                                      url, viewer, queries, n):
    build(n)
    client = api(request.getfixturevalue(viewer) if viewer else None)
    url = url.format(comment=Comment.objects.filter(parent=None).order_by("pk")[1].pk)
    extra = 1 if viewer else 0  # the token lookup

    with django_assert_num_queries(queries + extra):
        response = client.get(url)

    assert response.status_code == 200, response.content
    body = response.json()
    assert body.get("count", 1) >= 1
