"""The reader's re-voting help (#14 item 4): marks, the word diff one click away, one-click
confirmation of an earlier position, carry forward, progress and the still-to-vote lists."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from definition.services import create_draft, publish_draft
from deliberation.models import Vote
from deliberation.votes.services import cast_vote
from tests.helpers import url

pytestmark = pytest.mark.django_db


def _member_client(member):
    client = Client()
    client.force_login(member)
    return client


def _clause_html(html: str, key: str) -> str:
    return re.search(rf'<li class="clause[^"]*" id="c-{key}">.*?</li>', html, re.DOTALL).group(0)


def test_the_reader_marks_each_clause_against_the_previous_draft(client, revoted):
    html = client.get(url("reader", revoted)).content.decode()
    assert "Unchanged since 0.0.8" in _clause_html(html, "why")
    freedoms = _clause_html(html, "freedoms")
    assert "Changed since 0.0.8" in freedoms
    assert "<details class=\"revote-diff\">" in freedoms
    assert "Use, study<del>, modify</del> and share." in freedoms
    assert "New in this draft" in _clause_html(html, "scope")
    assert "You have voted on" not in html  # a visitor has no progress


def test_a_member_sees_progress_their_earlier_positions_and_what_is_still_to_vote(revoted,
                                                                                  member):
    html = _member_client(member).get(url("reader", revoted)).content.decode()
    assert "You have voted on 0 of 3 clauses." in html
    assert 'value="0"' in html and 'max="3"' in html
    why, freedoms = _clause_html(html, "why"), _clause_html(html, "freedoms")
    assert "Keep my position from 0.0.8: Support" in why
    keep = re.search(r'<details class="revote-diff">.*?</details>', freedoms, re.DOTALL).group(0)
    assert "Keep my position from 0.0.8 (Oppose) for the changed text" in keep
    assert 'name="rationale" value="Too broad."' in keep
    assert "Keep my position" not in _clause_html(html, "scope")
    assert "Carry my positions forward" in html
    todo = re.search(r'<details class="still-to-vote".*?</details>', html, re.DOTALL).group(0)
    assert re.findall(r'href="#c-([\w-]+)"', todo) == ["why", "freedoms", "scope"]


def test_carry_forward_from_the_reader_records_new_votes_and_reports_progress(revoted, member):
    client = _member_client(member)
    response = client.post(reverse("deliberation:carry_forward", args=["osaid", "0.0.9"]))
    assert response.status_code == 302
    assert response["Location"] == url("reader", revoted) + "#voting-progress"
    assert [v.clause.key for v in Vote.objects.filter(clause__draft=revoted)] == ["why"]
    html = client.get(url("reader", revoted)).content.decode()
    assert "1 position carried forward" in html
    assert "You have voted on 1 of 3 clauses." in html
    assert "Carry my positions forward" not in html  # nothing unchanged is left to carry


def test_keeping_one_earlier_position_without_javascript_goes_back_to_the_clause(revoted,
                                                                                 member):
    client = _member_client(member)
    response = client.post(url("vote", revoted, "freedoms"), {
        "position": "oppose", "rationale": "Too broad.",
        "next": url("reader", revoted) + "#c-freedoms"})
    assert response["Location"] == url("reader", revoted) + "#c-freedoms"
    vote = Vote.objects.get(clause__draft=revoted, voter=member)
    assert (vote.clause.key, vote.position, vote.rationale) == ("freedoms", "oppose",
                                                                "Too broad.")


def test_the_profile_lists_what_is_still_to_vote_and_links_the_draft(revoted, member):
    cast_vote(actor=member, clause=revoted.clauses.get(key="scope"), position="accept")
    html = _member_client(member).get(reverse("deliberation:profile")).content.decode()
    section = re.search(r'<section aria-labelledby="tv-h".*?</section>', html, re.DOTALL).group(0)
    assert "You have voted on 1 of 3 clauses." in section
    assert url("reader", revoted) + "?show=to-vote#still-to-vote" in section
    assert re.findall(r'/c/([\w-]+)/"', section) == ["why", "freedoms"]


def test_the_reminder_link_opens_the_still_to_vote_list(revoted, member):
    html = _member_client(member).get(url("reader", revoted) + "?show=to-vote").content.decode()
    assert '<details class="still-to-vote" id="still-to-vote" open>' in html


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "member"])
def test_the_reader_of_a_new_draft_reads_a_fixed_number_of_queries(make_draft, facilitator,
                                                                    member, signed_in):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _member_client(member) if signed_in else Client()
    counts = []
    for size, version in ((5, "1.0"), (60, "2.0")):
        old = make_draft(size, version)
        for clause in old.clauses.exclude(body=""):
            cast_vote(actor=member, clause=clause, position="support")
        new = create_draft(actor=facilitator, definition=old.definition, version=f"{version}.1",
                           based_on=old)
        publish_draft(actor=facilitator, draft=new, closes_at=timezone.now() + timedelta(days=7))
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url("reader", new)).content.decode()
        counts.append(len(queries))
        new.__class__.objects.filter(pk=new.pk).update(status="closed")
        if signed_in:
            assert f"You have voted on 0 of {size - 1} clauses." in html
    # The reader's own queries plus the previous draft's clauses (and, signed in, one's votes).
    # signed in: + the member's votes on the whole draft (the reader shows pages of sections)
    assert counts == ([10, 10] if not signed_in else [16, 16])


# The clause page carries the same mark (#14 item 4) ------------------------------------------


def _mark_of(html: str) -> str:
    match = re.search(r'<div class="revote revote-[a-z]+">.*?</div>', html, re.DOTALL)
    assert match, "the clause page has no re-voting mark"
    return match.group(0)


@pytest.mark.parametrize(("key", "says"), [("why", "Unchanged since 0.0.8"),
                                           ("freedoms", "Changed since 0.0.8"),
                                           ("scope", "New in this draft")])
def test_the_clause_page_marks_the_clause_against_the_previous_draft(client, revoted, key, says):
    html = client.get(url("clause", revoted, key)).content.decode()
    main = html[html.index("<main"):]

    assert says in _mark_of(main)
    assert main.index("revote-") < main.index('id="clause-text"')  # above the text


def test_the_clause_page_has_the_word_diff_one_click_away(client, revoted):
    mark = _mark_of(client.get(url("clause", revoted, "freedoms")).content.decode())

    assert re.search(r'<details class="revote-diff">\s*<summary>.*Changed since 0\.0\.8', mark,
                     re.DOTALL)
    assert "Use, study<del>, modify</del> and share." in mark


def test_the_clause_page_of_a_first_draft_has_no_mark(client, published_draft):
    html = client.get(url("clause", published_draft, "freedoms")).content.decode()

    assert 'class="revote ' not in html


def test_the_clause_page_offers_the_earlier_position_and_keeps_it(revoted, member):
    client = _member_client(member)
    html = client.get(url("clause", revoted, "why")).content.decode()
    assert "Keep my position from 0.0.8: Support" in html

    response = client.post(url("vote", revoted, "why"),
                           {"position": "support", "next": url("clause", revoted, "why")})

    assert response.status_code == 302
    assert Vote.objects.get(clause__draft=revoted, clause__key="why").position == "support"
    after = client.get(url("clause", revoted, "why")).content.decode()
    assert "Keep my position" not in after


def test_the_clause_page_mark_reads_in_chinese(client, revoted):
    html = client.get(url("clause", revoted, "freedoms"),
                      HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    mark = _mark_of(html)
    assert "Changed since" not in mark
    assert "0.0.8" in mark and "<del>" in mark
