"""The Atom feed of drafts and decisions at /d/{d}/feed.atom."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from definition.services import publish_draft
from deliberation.discussion.services import hide_comment, post_comment

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(client, url="/d/osaid/feed.atom"):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)
    return root, root.findall(f"{ATOM}entry")


def test_the_feed_lists_publications_and_decisions_newest_first(client, facilitator, member,
                                                               next_draft):
    next_draft.changelog = "Renamed the freedoms."
    next_draft.save()
    publish_draft(actor=facilitator, draft=next_draft, closes_at=timezone.now() + timedelta(days=5))
    next_draft.refresh_from_db()
    comment = post_comment(actor=member, clause=next_draft.clauses.get(key="freedoms"), body="x")
    hide_comment(actor=facilitator, comment=comment, reason="Off topic.")

    root, entries = _entries(client)

    assert root.find(f"{ATOM}title").text == "Open Source AI Definition: drafts and decisions"
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert titles[:3] == [f"Comment #{comment.pk} hidden", "Draft 0.0.9 published",
                          "Draft 0.0.8 closed"]
    hidden, published = entries[0], entries[1]
    assert hidden.find(f"{ATOM}summary").text == "Reason: Off topic."
    assert hidden.find(f"{ATOM}author/{ATOM}name").text == "facilitator"
    assert published.find(f"{ATOM}link").get("href") == "http://testserver/d/osaid/v/0.0.9/"
    assert published.find(f"{ATOM}summary").text == "Renamed the freedoms."
    assert published.find(f"{ATOM}category").get("term") == "draft-published"


def test_the_feed_of_an_unknown_definition_is_404(client, definition):
    assert client.get("/d/nope/feed.atom").status_code == 404


def test_the_feed_is_wired_at_its_documented_path(definition):
    from django.urls import reverse

    assert reverse("definition:feed", args=["osaid"]) == "/d/osaid/feed.atom"


def test_the_feed_takes_a_fixed_number_of_queries(client, facilitator, member, published_draft,
                                                  django_assert_num_queries):
    clause = published_draft.clauses.get(key="freedoms")

    def hide_some(n):
        for _ in range(n):
            hide_comment(actor=facilitator, reason="No.",
                         comment=post_comment(actor=member, clause=clause, body="x"))

    hide_some(1)
    with django_assert_num_queries(2):
        client.get("/d/osaid/feed.atom")
    hide_some(10)
    with django_assert_num_queries(2):
        _, entries = _entries(client)
    assert len(entries) == 11


def test_feed_entries_carry_reasons_and_changelogs_as_text_never_as_html(
        client, facilitator, member, next_draft):
    """Atom readers render `type="html"` content: raw reasons and changelogs must not be that."""
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    next_draft.changelog = f"Changed {payload}"
    next_draft.save()
    publish_draft(actor=facilitator, draft=next_draft, closes_at=timezone.now() + timedelta(days=5))
    next_draft.refresh_from_db()
    comment = post_comment(actor=member, clause=next_draft.clauses.get(key="freedoms"), body="x")
    hide_comment(actor=facilitator, comment=comment, reason=f"Spam {payload}")

    _root, entries = _entries(client)

    hidden, published = entries[0], entries[1]
    for entry, text in ((hidden, f"Reason: Spam {payload}"), (published, f"Changed {payload}")):
        summary = entry.find(f"{ATOM}summary")
        assert summary.get("type") == "text"
        assert summary.text == text  # shown literally by every reader, never run
    assert all(e.find(f"{ATOM}summary").get("type") != "html" for e in entries)
