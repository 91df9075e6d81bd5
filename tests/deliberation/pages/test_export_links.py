"""Every page that shows a draft, a comparison or a report links its exports, and every link
downloads the file it names (#14 item 5); the compare picker and the definition tabs."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from definition.models import Draft
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import url

pytestmark = pytest.mark.django_db


def _downloads(html: str) -> list[str]:
    nav = re.search(r'<nav class="exports".*?</nav>', html, re.DOTALL)
    assert nav, "the page has no downloads"
    return [unescape(href) for href in re.findall(r'href="([^"]+)"', nav.group(0))]


def _fetch_all(client, links) -> dict[str, tuple[int, str]]:
    results = {}
    for link in links:
        response = client.get(link)
        results[link] = (response.status_code, response["Content-Type"].split(";")[0])
    return results


@pytest.fixture
def two_drafts(published_draft, next_draft, facilitator):
    """0.0.8 closed, 0.0.9 open, its freedoms clause reworded."""
    next_draft.clauses.filter(key="freedoms").update(body="Use, study, **modify** and share.")
    Draft.objects.filter(pk=published_draft.pk).update(status="closed")
    Draft.objects.filter(pk=next_draft.pk).update(status="open")
    return published_draft, next_draft


def test_the_reader_links_markdown_and_pdf_with_and_without_annexes(client, published_draft):
    links = _downloads(client.get(url("reader", published_draft)).content.decode())
    base = reverse("api-draft-export", args=["osaid", "0.0.8"])
    assert links == [f"{base}?format=md", f"{base}?format=md&annex=consensus,dispositions",
                     f"{base}?format=pdf", f"{base}?format=pdf&annex=consensus,dispositions"]
    fetched = _fetch_all(client, links)
    assert [fetched[link] for link in links] == [
        (200, "text/markdown"), (200, "text/markdown"), (200, "application/pdf"),
        (200, "application/pdf")]


def test_compare_links_the_redline_in_markdown_and_pdf(client, two_drafts):
    page = client.get(reverse("deliberation:compare", args=["osaid", "0.0.8", "0.0.9"]))
    links = _downloads(page.content.decode())
    assert len(links) == 2
    fetched = _fetch_all(client, links)
    assert sorted(fetched.values()) == [(200, "application/pdf"), (200, "text/markdown")]
    redline = client.get(links[0]).content.decode()
    assert "to: 0.0.9" in redline and "freedoms" in redline
    # The text's own bold is not taken for an insertion (#14 item 6): only markup changed.
    assert "Use, study, modify and share." in redline and "**" not in redline.split("# ")[-1]


def test_dispositions_link_csv_markdown_and_json(client, voted_draft):
    links = _downloads(client.get(url("dispositions", voted_draft)).content.decode())
    fetched = _fetch_all(client, links)
    assert [fetched[link] for link in links] == [
        (200, "text/csv"), (200, "text/markdown"), (200, "application/json")]


def test_the_consensus_page_links_the_ballot_and_comments_csv(client, voted_draft):
    links = _downloads(client.get(url("consensus", voted_draft)).content.decode())
    fetched = _fetch_all(client, links)
    assert [fetched[link][0] for link in links] == [200, 200, 200]
    assert "format=ballot-csv" in links[0] and "format=comments-csv" in links[1]
    ballot = client.get(links[0]).content.decode()
    assert ballot.count("\n") == 1 + 16  # the header and two votes of eight members


def test_the_overview_links_the_public_archive_and_facilitators_the_complete_one(
        client, published_draft, facilitator):
    overview = reverse("deliberation:overview", args=["osaid"])
    public = _downloads(client.get(overview).content.decode())
    assert [link.split("?")[1] for link in public] == ["audience=public"]
    assert client.get(public[0]).status_code == 200
    client.force_login(facilitator)
    links = _downloads(client.get(overview).content.decode())
    assert [link.split("?")[1] for link in links] == ["audience=public", "audience=complete"]
    assert [status for status, _ in _fetch_all(client, links).values()] == [200, 200]


def test_the_compare_picker_offers_the_versions_and_defaults_to_the_latest_change(
        client, two_drafts):
    page = client.get(reverse("deliberation:compare_pick", args=["osaid"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert re.search(r'<option value="0.0.8" selected>', html)
    assert re.search(r'<option value="0.0.9" selected>', html)
    assert 'aria-current="page">Compare</a>' in html
    redirect = client.get(reverse("deliberation:compare_pick", args=["osaid"]),
                          {"from": "0.0.8", "to": "0.0.9"})
    assert redirect.status_code == 302
    assert redirect["Location"] == reverse("deliberation:compare", args=["osaid", "0.0.8", "0.0.9"])


def test_the_compare_picker_says_so_when_there_is_one_draft(client, published_draft):
    page = client.get(reverse("deliberation:compare_pick", args=["osaid"]))
    assert page.status_code == 200
    assert "nothing to compare yet" in page.content.decode()


def test_the_compare_picker_marks_a_half_filled_form_invalid(client, two_drafts):
    page = client.get(reverse("deliberation:compare_pick", args=["osaid"]), {"from": "0.0.8"})
    html = page.content.decode()
    assert 'aria-invalid="true"' in html and 'id="compare-error" role="alert"' in html


@pytest.mark.parametrize("name", ["activity", "join"])
def test_activity_and_join_keep_the_draft_tabs(client, published_draft, name):
    html = client.get(reverse(f"deliberation:{name}", args=["osaid"])).content.decode()
    tabs = re.search(r'<nav class="subnav".*?</nav>', html, re.DOTALL).group(0)
    assert url("reader", published_draft) in tabs
    assert url("consensus", published_draft) in tabs
    assert reverse("deliberation:compare_pick", args=["osaid"]) in tabs


def _tabs(client, path) -> str:
    html = client.get(path).content.decode()
    return re.sub(r"\s+", " ", re.search(r'<nav class="subnav".*?</nav>', html, re.DOTALL).group(0))


@pytest.mark.parametrize("page", ["reader", "consensus", "dispositions", "opinion_groups"])
def test_members_are_not_invited_to_join(published_draft, member, page):
    tabs = _tabs(Client(), url(page, published_draft))
    assert ">Join</a>" in tabs
    client = Client()
    client.force_login(member)
    tabs = _tabs(client, url(page, published_draft))
    assert ">Join</a>" not in tabs and "Application pending" not in tabs


def test_a_pending_applicant_sees_the_pending_state_not_join(published_draft, applicant):
    client = Client()
    client.force_login(applicant.user)
    for path in (url("reader", published_draft), reverse("deliberation:activity", args=["osaid"])):
        tabs = _tabs(client, path)
        assert ">Application pending</a>" in tabs and ">Join</a>" not in tabs
    reader = client.get(url("reader", published_draft)).content.decode()
    assert "Your application to Lawyers is waiting for a facilitator" in reader
    assert "Join a group" not in reader


def test_a_signed_in_non_member_is_still_invited_to_join(published_draft):
    client = Client()
    client.force_login(MembershipFactory(user=UserFactory(username="gone"),
                                         definition=published_draft.definition,
                                         status="rejected").user)
    assert ">Join</a>" in _tabs(client, url("reader", published_draft))


def test_decision_log_entries_link_their_object_and_name_the_clause(client, voted_draft,
                                                                   facilitator):
    from deliberation.discussion.services import record_disposition
    from deliberation.models import Comment

    comment = Comment.objects.get(clause__key="why", kind="comment")
    record_disposition(actor=facilitator, comment=comment, status="accepted", response="Thanks.")
    for path in (reverse("deliberation:activity", args=["osaid"]),
                 reverse("deliberation:overview", args=["osaid"])):
        html = client.get(path).content.decode()
        target = url("clause", voted_draft, "why") + f"#comment-{comment.pk}"
        entry = re.search(rf'<a href="{re.escape(target)}">Comment #{comment.pk}: accepted</a>'
                          r'\s*<span class="event-clause">([^<]*)</span>', html)
        assert entry, path
        assert entry.group(1) == "on “Open Source has demonstrated benefits.” (0.0.8)"
