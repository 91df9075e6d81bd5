"""Every figure reads in plain language (issue #14): the sentence per clause on the pages, the
help page computed by the real code, no misleading empties, sections as headings, titles."""

import re

import pytest
from django.urls import reverse

from deliberation.consensus.recompute import recompute
from deliberation.pages import help as help_page
from tests.factories import ClauseFactory, DraftFactory, VoteFactory, open_draft
from tests.helpers import url

pytestmark = pytest.mark.django_db

CONTESTED = "Groups disagree: approval is 75% among Developers but only 25% among Legislators."
ROUGH = "All 4 groups mostly approve; least convinced: Companies (75%)."


def text_of(response) -> str:
    html = response.content.decode()
    html = html[html.index("<main"):]
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_reader_reads_every_clause_in_words(client, voted_draft):
    text = text_of(client.get(url("reader", voted_draft)))

    assert CONTESTED in text
    assert ROUGH in text
    assert text.count("How to read the figures") >= 2


def test_the_reader_reads_in_chinese(client, voted_draft):
    response = client.get(url("reader", voted_draft), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = text_of(response)

    assert "全部 4 个群体大体赞成；最不认同的是 Companies（75%）。" in text
    assert "各群体意见分歧：Developers 的赞成率为 75%，而 Legislators 仅为 25%。" in text


def test_the_clause_page_reads_its_figures_and_names_the_weakest_group(client, voted_draft):
    response = client.get(url("clause", voted_draft, "freedoms"))
    html = response.content.decode()
    text = text_of(response)

    assert CONTESTED in text
    assert "Weakest group Legislators" in text
    assert f'href="{reverse("deliberation:help_figures")}' in html
    assert 'title="The average of the approval of each group with enough votes' in html


def test_the_consensus_page_reads_every_clause(client, voted_draft):
    text = text_of(client.get(url("consensus", voted_draft)))

    assert text.count(CONTESTED) == 2  # the headline table and the map as a table
    assert text.count(ROUGH) == 2
    assert "Weakest group" in text and "Legislators" in text


def test_a_draft_without_votes_says_no_votes_yet_not_50_percent(client, published_draft):
    for page in ("reader", "consensus"):
        html = client.get(url(page, published_draft)).content.decode()
        assert "(50%)" not in html
        assert "No votes yet." in html
    html = client.get(url("clause", published_draft, "freedoms")).content.decode()
    assert "(50%)" not in html and "no votes yet" in html


def test_one_vote_is_not_shown_as_pooled_100_percent_next_to_a_dash(client, published_draft,
                                                                    member):
    clause = published_draft.clauses.get(key="freedoms")
    VoteFactory(clause=clause, membership=member.memberships.get(), position="support")
    recompute(draft_id=published_draft.pk)

    response = client.get(url("clause", published_draft, "freedoms"))
    text = text_of(response)

    assert "pooled 100%" not in text
    assert "too few votes for figures" in text
    assert "Too few votes yet: 4 of 4 groups are below quorum. 1 vote so far." in text
    assert "(67%) below quorum" in text  # developers: (1 + 1) / (1 + 2), marked


def test_sections_are_headings_not_votable_rows(client, published_draft, member):
    client.force_login(member)
    html = client.get(url("reader", published_draft)).content.decode()

    assert 'id="vote-preamble"' not in html and 'id="vote-freedoms"' in html
    assert 'class="clause depth-0 section"' in html
    page = client.get(url("clause", published_draft, "preamble")).content.decode()
    assert "This is a section heading: it is not voted on." in page
    assert 'id="vote-preamble"' not in page


def test_a_definition_that_votes_on_sections_shows_their_vote_block(client, published_draft,
                                                                    definition):
    definition.sections_votable = True
    definition.save()

    html = client.get(url("reader", published_draft)).content.decode()
    dashboard = client.get(url("consensus", published_draft)).content.decode()

    assert 'id="vote-preamble"' in html
    assert "3 of 3 clauses shown" in dashboard


def test_clauses_read_by_title_or_first_words_never_by_key(client, definition):
    draft = DraftFactory(definition=definition, version="1.0")
    ClauseFactory(draft=draft, key="preferred-form-data", heading="",
                  body="The **preferred form** for making modifications to the [system]"
                       "(https://example.org) is the form in which a person would modify it.",
                  position=0)
    open_draft(draft)

    for page in ("reader", "consensus"):
        text = text_of(client.get(url(page, draft)))
        assert "The preferred form for making modifications to the…" in text
        assert "preferred-form-data" not in text
    response = client.get(url("clause", draft, "preferred-form-data"))
    assert "<title>1 The preferred form for making modifications to the…" in (
        response.content.decode())


def test_the_help_page_explains_every_figure_and_level(client):
    text = text_of(client.get(reverse("deliberation:help_figures")))

    for heading in ("Approval", "95% interval", "Quorum", "Participation", "Balanced approval",
                    "Pooled approval", "Bridging", "Floor", "Divergence", "Enthusiasm",
                    "Sustained blocks", "Open objections", "Opinion groups",
                    "Adjusted Rand index"):
        assert heading in text
    assert "Lawyers: (4 + 1) / (6 + 2) = 62%" in text
    assert "(82% + 62% + 78%) / 3 = 74%" in text
    assert "20 approving of 24 decisive votes = 83%" in text
    for level in ("blocked", "insufficient", "strong", "rough", "contested", "opposed",
                  "no consensus"):
        assert level in text
    assert "Groups disagree: approval is 91% among Developers but only 25% among Lawyers." in text


def test_the_help_page_numbers_are_computed_not_typed(client, monkeypatch):
    counts = {**help_page.EXAMPLE_COUNTS, "lawyers": (9, 0, 0, 1, 0, 10)}
    monkeypatch.setattr(help_page, "EXAMPLE_COUNTS", counts)

    text = text_of(client.get(reverse("deliberation:help_figures")))

    assert "Lawyers: (9 + 1) / (10 + 2) = 83%" in text
    assert "Lawyers: (4 + 1) / (6 + 2) = 62%" not in text


def test_every_level_example_reaches_its_level():
    from deliberation.consensus.math import Thresholds

    for example in help_page.level_examples(Thresholds()):
        assert example["computed"] == example["level"]


def test_the_help_page_reads_in_chinese(client):
    response = client.get(reverse("deliberation:help_figures"), HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = text_of(response)

    assert "如何解读这些数字" in text
    assert "均衡赞成率" in text
