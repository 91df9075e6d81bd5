import pytest
from django.test import Client

from definition.services import create_draft
from tests.factories import MembershipFactory, UserFactory


def client_of(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def fac(facilitator):
    return client_of(facilitator)


@pytest.fixture
def next_draft(facilitator, published_draft):
    """0.0.9 in `editing`, copied from the open 0.0.8 (keys preamble, why, freedoms)."""
    draft = create_draft(actor=facilitator, definition=published_draft.definition,
                         version="0.0.9", based_on=published_draft)
    draft.definition = published_draft.definition
    return draft


@pytest.fixture
def applicant(definition):
    """A pending application to the lawyers' group."""
    return MembershipFactory(user=UserFactory(username="applicant"), definition=definition,
                             group=definition.groups.get(slug="lawyers"), status="pending",
                             affiliation="Example Law LLP",
                             conflict_of_interest="Advises an AI vendor")
