"""Visitors can read every public page; drafts still being edited stay private."""

import pytest
from django.urls import reverse

from definition.models import Event
from deliberation.consensus.opinions import compute_opinion_groups
from deliberation.models import Comment
from tests.factories import ClauseFactory, CommentFactory, DraftFactory, VoteFactory
from tests.helpers import url

pytestmark = pytest.mark.django_db


def test_home_lists_definitions_with_current_draft(client, published_draft):
    response = client.get(reverse("deliberation:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Open Source AI Definition" in html
    assert "0.0.8" in html and "open for comments" in html


def test_overview_shows_timeline_heat_map_and_log(client, published_draft, facilitator):
    Event.objects.create(definition=published_draft.definition, kind="draft-published",
                         actor=facilitator, summary="Draft 0.0.8 published")
    response = client.get(reverse("deliberation:overview", args=["osaid"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="timeline"' in html and 'class="heatmap"' in html
    assert "Draft 0.0.8 published" in html
    # one cell per clause; the section "preamble" is a heading, not a row (PRODUCT.md §2)
    assert html.count('data-group="lawyers"') == 2


def test_reader_shows_every_clause_with_number_and_bars(client, published_draft):
    response = client.get(url("reader", published_draft))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Open Source has demonstrated benefits." in html
    assert '<span class="num">1.1</span>' in html and '<span class="num">2</span>' in html
    assert html.count('class="bars"') == 2  # the two clauses with a body
    assert "0 comments" in html


def test_editing_draft_is_hidden_from_visitors_but_not_facilitators(client, editing_draft,
                                                                    facilitator):
    assert client.get(url("reader", editing_draft)).status_code == 404
    client.force_login(facilitator)
    assert client.get(url("reader", editing_draft)).status_code == 200


def test_unknown_definition_draft_and_clause_are_404(client, published_draft):
    assert client.get(reverse("deliberation:overview", args=["nope"])).status_code == 404
    assert client.get(reverse("deliberation:reader", args=["osaid", "9.9"])).status_code == 404
    assert client.get(url("clause", published_draft, "nope")).status_code == 404


def test_clause_page_shows_text_figures_trend_and_history(client, clause, members):
    VoteFactory(clause=clause, membership=members["lawyers-1"].memberships.get())
    response = client.get(url("clause", clause.draft, "freedoms"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Use, study, modify and share." in html
    assert 'class="trend"' in html and "Figures per group" in html
    assert "lawyers-1" in html  # the public ballot names the voter
    assert "first version" in html


def test_compare_shows_a_word_redline(client, published_draft, definition):
    newer = DraftFactory(definition=definition, version="0.0.9", based_on=published_draft)
    newer.clauses.create(key="freedoms", body="Use, study, change and share.", position=1)
    newer.__class__.objects.filter(pk=newer.pk).update(status="closed")
    response = client.get(reverse("deliberation:compare", args=["osaid", "0.0.8", "0.0.9"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<del>modify</del>" in html and "<ins>change</ins>" in html
    assert "removed" in html  # the preamble is not in 0.0.9


def test_compare_form_redirects_to_the_redline(client, published_draft):
    response = client.get(reverse("deliberation:compare_pick", args=["osaid"]),
                          {"from": "0.0.8", "to": "0.0.8"})
    assert response.status_code == 302
    assert response["Location"].endswith("/d/osaid/compare/0.0.8...0.0.8/")


def test_consensus_dashboard_filters_by_level(client, published_draft):
    response = client.get(url("consensus", published_draft), {"level": "insufficient"})
    assert response.status_code == 200
    assert "2 of 2 clauses shown" in response.content.decode()  # the section is not counted
    response = client.get(url("consensus", published_draft), {"level": "contested"})
    assert "0 of 2 clauses shown" in response.content.decode()


def test_opinion_groups_says_when_nothing_is_computed(client, published_draft):
    response = client.get(url("opinion_groups", published_draft))
    assert "No analysis has been computed" in response.content.decode()


def test_opinion_groups_says_when_not_structured(client, published_draft, clause):
    compute_opinion_groups(draft_id=published_draft.pk)
    html = client.get(url("opinion_groups", published_draft)).content.decode()
    assert "No clear opinion groups." in html


def test_dispositions_lists_top_level_comments(client, clause):
    top = CommentFactory(clause=clause, body="Please say 'change'.")
    CommentFactory(clause=clause, parent=top, body="A reply stays out.")
    html = client.get(url("dispositions", clause.draft)).content.decode()
    assert "Please say" in html and "A reply stays out." not in html
    assert "none yet" in html


def test_activity_lists_the_decision_log(client, definition, facilitator):
    Event.objects.create(definition=definition, kind="member-verified", actor=facilitator,
                         summary="alice verified", reason="Known contributor")
    html = client.get(reverse("deliberation:activity", args=["osaid"])).content.decode()
    assert "alice verified" in html and "Known contributor" in html


def test_search_finds_clauses_and_comments(client, clause):
    CommentFactory(clause=clause, body="Modification needs the weights.")
    response = client.get(reverse("deliberation:search"), {"q": "weights"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Modification needs the weights." in html
    assert "No clause matches." in html
    html = client.get(reverse("deliberation:search"), {"q": "study"}).content.decode()
    assert "Use, study, modify and share." in html


def test_search_skips_hidden_comments_and_editing_drafts(client, clause, definition):
    CommentFactory(clause=clause, body="secret weights", hidden=True, hidden_reason="spam")
    ClauseFactory(draft=DraftFactory(definition=definition, version="2.0"),
                  body="unpublished weights")
    html = client.get(reverse("deliberation:search"), {"q": "weights"}).content.decode()
    assert "secret weights" not in html and "unpublished weights" not in html
    assert Comment.objects.count() == 1
