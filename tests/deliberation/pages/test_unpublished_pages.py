"""The pages ask the same selectors as the API: a draft in `editing`, its clauses' history and the
log entry of its creation are for its facilitators only (issue #11, finding 2)."""

import pytest

from definition.editing import update_clause
from definition.services import create_draft
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SECRET = "Unannounced wording under discussion"
PAGES = {
    "reader": "/d/osaid/v/0.1.0/",
    "clause": "/d/osaid/v/0.1.0/c/freedoms/",
    "consensus": "/d/osaid/v/0.1.0/consensus/",
    "compare": "/d/osaid/compare/0.0.8...0.1.0/",
}
LISTS = {  # each page lists drafts, versions of a clause or log entries
    "overview": "/d/osaid/",
    "activity": "/d/osaid/activity/",
    "published clause": "/d/osaid/v/0.0.8/c/freedoms/",
    "feed": "/d/osaid/feed.atom",
}


@pytest.fixture
def unpublished(facilitator, published_draft):
    draft = create_draft(actor=facilitator, definition=published_draft.definition,
                         version="0.1.0", based_on=published_draft)
    update_clause(actor=facilitator, clause=draft.clauses.get(key="freedoms"),
                  changes={"body": SECRET})
    return draft


@pytest.mark.parametrize("viewer", ["visitor", "signed-in", "facilitator"])
def test_an_editing_draft_is_found_on_the_pages_by_its_facilitators_only(client, unpublished,
                                                                         facilitator, viewer):
    if viewer != "visitor":
        client.force_login(facilitator if viewer == "facilitator" else UserFactory())
    seen = viewer == "facilitator"

    statuses = {name: client.get(url).status_code for name, url in PAGES.items()}
    mentions = {name: "0.1.0" in client.get(url).content.decode() or SECRET in client.get(
        url).content.decode() for name, url in LISTS.items() if name != "feed"}
    feed = client.get(LISTS["feed"]).content.decode()

    assert statuses == {name: 200 if seen else 404 for name in PAGES}
    assert mentions == {name: seen for name in LISTS if name != "feed"}
    assert "0.1.0" not in feed  # the feed is public, whoever reads it
