import pytest
from django.test import Client

from deliberation.consensus.recompute import ensure_summaries
from tests.factories import ClauseFactory, DraftFactory, open_draft


@pytest.fixture
def member_client(member):
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def user_client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def make_draft(definition):
    """An open draft of `n` clauses (one section holding the rest) with empty summaries."""

    def make(n: int, version: str = "1.0"):
        draft = DraftFactory(definition=definition, version=version)
        section = ClauseFactory(draft=draft, key="section", heading="Section", body="", position=0)
        for i in range(1, n):
            ClauseFactory(draft=draft, key=f"k{i}", body=f"Clause number {i} text.",
                          parent=section if i % 2 else None, position=i)
        draft = open_draft(draft)
        ensure_summaries(draft)
        return draft

    return make


def url(name: str, draft, key: str | None = None) -> str:
    from django.urls import reverse

    args = [draft.definition.slug, draft.version] + ([key] if key else [])
    return reverse(f"deliberation:{name}", args=args)
