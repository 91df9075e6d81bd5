"""Long drafts and big ballots (issue #13): pages of whole sections, the ballot, threads and the
dashboard a page at a time, the overview's map bounded, and 304s for what no longer changes."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from definition.models import Draft
from definition.selectors import list_clauses
from deliberation.consensus.recompute import recompute
from deliberation.models import Comment, Vote
from deliberation.pages import paging
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import url

pytestmark = pytest.mark.django_db


def _clause(key, depth):
    return SimpleNamespace(key=key, depth=depth)


def test_pages_hold_whole_sections_up_to_the_page_size():
    clauses = [_clause("a", 0), _clause("a1", 1), _clause("a2", 1), _clause("b", 0),
               _clause("b1", 1), _clause("c", 0)]
    pages = paging.section_pages(clauses, size=3)
    assert [[c.key for c in p.items] for p in pages] == [["a", "a1", "a2"], ["b", "b1", "c"]]
    assert [s.key for s in pages[1].sections] == ["b"]


def test_a_section_longer_than_a_page_runs_over_full_pages():
    clauses = [_clause("s", 0)] + [_clause(f"s{n}", 1) for n in range(6)] + [_clause("t", 0)]
    pages = paging.section_pages(clauses, size=3)
    assert [len(p.items) for p in pages] == [3, 3, 2]
    assert paging.pick(pages, key="s4").number == 2
    assert paging.pick(pages, number="3").number == 3
    assert paging.pick(pages, number="9").number == 1


def test_list_pages_clamp_to_the_range():
    assert paging.page_of_list(120, "3", size=50) == (3, 100, 3)
    assert paging.page_of_list(120, "4", size=50) == (1, 0, 3)
    assert paging.page_of_list(0, "", size=50) == (1, 0, 1)


def test_the_reader_shows_one_page_of_a_long_draft_with_its_table_of_pages(client, make_draft):
    draft = make_draft(100)  # the section (with 50 clauses under it) and 49 top-level clauses
    assert paging.READER_PAGE_SIZE == 20
    html = client.get(url("reader", draft)).content.decode()
    assert html.count('class="clause depth-') == 20
    assert 'class="reader-pages"' in html and "Page 1 of 5" in html
    assert 'href="?page=5"' in html and 'rel="next" href="?page=2"' in html
    last = client.get(url("reader", draft) + "?page=5").content.decode()
    assert last.count('class="clause depth-') == 20  # the last 20 top-level clauses
    assert 'id="c-k98"' in last and 'id="c-k1"' not in last
    by_key = client.get(url("reader", draft) + "?c=k98").content.decode()
    assert 'id="c-k98"' in by_key and "Page 5 of 5" in by_key


def test_a_short_draft_is_one_page_without_navigation(client, published_draft):
    html = client.get(url("reader", published_draft)).content.decode()
    assert 'class="reader-pages"' not in html


def _voters(definition, n):
    group = definition.groups.get(slug="developers")
    return [MembershipFactory(user=UserFactory(), definition=definition, group=group)
            for _ in range(n)]


def test_the_clause_page_shows_the_ballot_and_threads_a_page_at_a_time(client, make_draft,
                                                                      definition):
    draft = make_draft(3)
    clause = draft.clauses.get(key="k1")
    voters = _voters(definition, 60)
    votes = Vote.objects.bulk_create([Vote(clause=clause, voter=m.user, membership=m,
                                           group=m.group, position="oppose",
                                           rationale=f"no {n}") for n, m in enumerate(voters)])
    Comment.objects.bulk_create([Comment(clause=clause, author=v.voter, kind="objection",
                                         body=v.rationale, vote=v) for v in votes])
    recompute(draft_id=draft.pk)
    html = client.get(url("clause", draft, "k1")).content.decode()
    assert html.count("<tr><td>") == paging.LIST_PAGE_SIZE  # ballot rows
    assert "60 votes, page 1 of 2" in html and 'href="?ballot=2#ballot"' in html
    assert "60 threads, page 1 of 2" in html and 'href="?threads=2#discussion"' in html
    second = client.get(url("clause", draft, "k1") + "?ballot=2").content.decode()
    assert second.count("<tr><td>") == 10
    later = client.get(url("clause", draft, "k1") + "?threads=2").content.decode()
    assert later.count('class="thread"') == 10


def test_the_dashboard_filters_then_pages(client, make_draft):
    draft = make_draft(80)  # a section and 79 clauses: the section is not counted
    recompute(draft_id=draft.pk)
    html = client.get(url("consensus", draft) + "?level=insufficient").content.decode()
    assert "79 of 79 clauses shown" in html and "Page 1 of 2" in html
    # the dashboard's table and the heat map's table alternative: a row per clause each
    assert html.count('<th scope="row">') == 2 * paging.LIST_PAGE_SIZE
    assert "level=insufficient&amp;page=2" in html
    second = client.get(url("consensus", draft) + "?level=insufficient&page=2").content.decode()
    assert second.count('<th scope="row">') == 2 * 29
    none = client.get(url("consensus", draft) + "?level=strong").content.decode()
    assert "0 of 79 clauses shown" in none


def test_the_overview_maps_the_first_clauses_and_links_the_rest(client, make_draft):
    draft = make_draft(80)
    html = client.get(reverse("deliberation:overview", args=[draft.definition.slug])).content
    html = html.decode()
    assert html.count('data-group="lawyers"') == paging.LIST_PAGE_SIZE
    assert "The first 50 clauses of 79." in html


def _closed(draft):
    Draft.objects.filter(pk=draft.pk).update(status="closed")
    return Draft.objects.get(pk=draft.pk)


def test_a_closed_draft_reader_answers_a_conditional_get_with_304(client, make_draft):
    draft = _closed(make_draft(5))
    first = client.get(url("reader", draft))
    assert first.status_code == 200 and first["ETag"]
    again = client.get(url("reader", draft), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    other_page = client.get(url("reader", draft) + "?page=2", HTTP_IF_NONE_MATCH=first["ETag"])
    assert other_page.status_code == 200


def test_the_closed_reader_etag_changes_when_a_comment_is_hidden(client, make_draft, member):
    draft = _closed(make_draft(5))
    comment = Comment.objects.create(clause=draft.clauses.get(key="k1"), author=member, body="x")
    etag = client.get(url("reader", draft))["ETag"]
    Comment.objects.filter(pk=comment.pk).update(hidden=True, hidden_reason="spam")
    assert client.get(url("reader", draft), HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_an_open_draft_reader_has_no_etag(client, make_draft):
    assert "ETag" not in client.get(url("reader", make_draft(5)))


def test_the_published_draft_api_answers_304_with_etag_or_last_modified(api, make_draft):
    draft = make_draft(5)
    path = f"/api/v1/definitions/{draft.definition.slug}/drafts/{draft.version}/"
    first = api().get(path)
    assert first.status_code == 200 and first["Last-Modified"]
    assert api().get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert api().get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_the_draft_consensus_api_pages_its_clauses(api, make_draft):
    draft = make_draft(131)  # a section and 130 clauses: the section is not listed nor counted
    recompute(draft_id=draft.pk)
    path = f"/api/v1/definitions/{draft.definition.slug}/drafts/{draft.version}/consensus/"
    body = api().get(path).json()
    assert body["count"] == 130 and len(body["clauses"]) == 100
    assert body["previous"] is None and body["next"].endswith("consensus/?page=2")
    assert body["draft"] == "1.0" and body["stale"] is False and body["computed_at"]
    rest = api().get(body["next"]).json()
    assert len(rest["clauses"]) == 30 and rest["next"] is None
    assert [c["key"] for c in body["clauses"] + rest["clauses"]] == [
        c.key for c in list_clauses(draft=draft) if not c.is_section]
    small = api().get(path + "?page_size=20&page=7").json()
    assert len(small["clauses"]) == 10
    assert api().get(path + "?page_size=501").status_code == 400


def test_a_closed_draft_consensus_api_answers_304(api, make_draft):
    draft = make_draft(5)
    recompute(draft_id=draft.pk)
    draft = _closed(draft)
    path = f"/api/v1/definitions/{draft.definition.slug}/drafts/{draft.version}/consensus/"
    first = api().get(path)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert api().get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    recompute(draft_id=draft.pk)  # a late recompute: new figures, new ETag
    assert api().get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_a_clause_s_figures_are_rendered_once_and_follow_the_stored_summary(
        client, published_draft, members, monkeypatch):
    """The figures block is kept under a key of what it shows: a second view renders nothing
    again, and a recompute that changes the figures shows the new ones at once."""
    from deliberation.consensus import reading

    calls = []
    real = reading.read_clause
    monkeypatch.setattr(reading, "read_clause", lambda *a, **kw: calls.append(1) or real(*a, **kw))
    page = url("reader", published_draft)
    first = client.get(page).content.decode()
    rendered = len(calls)
    assert rendered and "no votes yet" in first
    client.get(page)
    assert len(calls) == rendered  # every figure block came from the fragments cache
    Vote.objects.create(clause=published_draft.clauses.get(key="freedoms"),
                        voter=members["developers-1"], group=members["developers-1"].memberships
                        .get().group, membership=members["developers-1"].memberships.get(),
                        position="support")
    recompute(draft_id=published_draft.pk)
    after = client.get(page).content.decode()
    assert len(calls) > rendered  # recomputed summaries (a new computed_at) render anew
    assert "Developers: Support 1" in after
