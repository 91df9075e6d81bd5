"""The cast of the API tests, each with a real token, and helpers to call the API as them."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from definition.models import Draft, Membership
from deliberation.models import Disposition
from tests.factories import (
    ClauseFactory,
    CommentFactory,
    DefinitionFactory,
    DraftFactory,
    MembershipFactory,
    UserFactory,
    VoteFactory,
)


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle counters live in the cache; each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def api():
    """`api(user)` is a client authenticated by token as that user; `api()` is a visitor."""
    return client_for


@pytest.fixture
def other_definition(db):
    return DefinitionFactory(slug="other", title="Another Definition")


@pytest.fixture
def cast(definition, facilitator, admin_user, user, other_definition):
    """One user per role of the permission table, keyed by role."""
    pending = MembershipFactory(user=UserFactory(username="pending"), definition=definition,
                                status=Membership.Status.PENDING).user
    member = MembershipFactory(user=UserFactory(username="member"), definition=definition).user
    outsider = MembershipFactory(user=UserFactory(username="outsider"),
                                 definition=other_definition).user
    other_facilitator = UserFactory(username="other-facilitator")
    other_definition.facilitators.add(other_facilitator)
    return {"visitor": None, "user": user, "pending": pending, "member": member,
            "outsider": outsider, "other_facilitator": other_facilitator,
            "facilitator": facilitator, "admin": admin_user}


@pytest.fixture
def world(cast, definition, published_draft):
    """osaid with a closed 0.0.7, an open 0.0.8 and an editing 0.0.9 based on it; a vote, a
    comment with a disposition, a suggestion and a hidden comment on 0.0.8's `freedoms`."""
    closed = DraftFactory(definition=definition, version="0.0.7")
    ClauseFactory(draft=closed, key="freedoms", body="Use and study.", position=0)
    Draft.objects.filter(pk=closed.pk).update(
        status=Draft.Status.CLOSED, created_at=published_draft.created_at - timedelta(days=30))
    editing = DraftFactory(definition=definition, version="0.0.9", based_on=published_draft)
    for clause in published_draft.clauses.filter(parent=None):
        ClauseFactory(draft=editing, key=clause.key, heading=clause.heading, body=clause.body,
                      position=clause.position)
    freedoms = published_draft.clauses.get(key="freedoms")
    member = cast["member"]
    VoteFactory(clause=freedoms, membership=member.memberships.get(), position="support")
    comment = CommentFactory(clause=freedoms, author=member, author_verified=True)
    Disposition.objects.create(comment=comment, status="deferred", response="Later.",
                               decided_at=timezone.now(), decided_by=cast["facilitator"])
    suggestion = CommentFactory(clause=freedoms, author=cast["user"], kind="suggestion",
                                proposed_text="Use, study, change and share.")
    hidden = CommentFactory(clause=freedoms, author=cast["user"], hidden=True,
                            hidden_reason="Off topic.")
    return {"comment": comment, "suggestion": suggestion, "hidden": hidden,
            "pending": Membership.objects.get(user=cast["pending"]),
            "membership": member.memberships.get(), "freedoms": freedoms}
