"""The opinion-groups page shows each opinion group's approval per clause and a scatter with
axes; the clause's trend is drawn per group with axes and values (#14 item 7)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from definition.services import create_draft, publish_draft
from deliberation.consensus.recompute import recompute
from deliberation.models import OpinionAnalysis
from deliberation.pages import charts
from deliberation.votes.services import cast_vote
from tests.helpers import url

pytestmark = pytest.mark.django_db


def test_opinion_groups_show_each_groups_approval_per_clause_and_axes(client, published_draft):
    OpinionAnalysis.objects.create(draft=published_draft, computed_at=timezone.now(), result={
        "structured": True, "members_considered": 6, "adjusted_rand": 0.5,
        "positions": [{"member": None, "x": -1.0, "y": 0.5, "group": 0},
                      {"member": None, "x": 2.0, "y": -0.5, "group": 1}],
        "groups": [{"label": 0, "size": 4, "approval": {"why": 0.9, "freedoms": 0.25}},
                   {"label": 1, "size": 2, "approval": {"why": 0.75, "freedoms": 0.8}}],
        "bridging": ["why"], "divisive": [{"clause": "freedoms", "spread": 0.55}]})
    html = client.get(url("opinion_groups", published_draft)).content.decode()
    table = re.search(r'<table class="opinion-approval">.*?</table>', html, re.DOTALL).group(0)
    rows = re.findall(r"<tr>\s*<th scope=\"row\">.*?</tr>", table, re.DOTALL)
    cells = [re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in rows]
    assert cells == [["90%", "75%"], ["25%", "80%"]]
    assert "Group 1 (4)" in table and "Group 2 (2)" in table
    scatter = re.search(r'<svg[^>]*class="scatter".*?</svg>', html, re.DOTALL).group(0)
    assert "first component →" in scatter and "second component →" in scatter
    assert ">-1.0</text>" in scatter and ">2.0</text>" in scatter  # the x axis' end values


@pytest.fixture
def two_versions(published_draft, facilitator, members, definition):
    definition.quorum = 1
    definition.save()
    for name in ("developers-1", "lawyers-1"):
        cast_vote(actor=members[name], clause=published_draft.clauses.get(key="freedoms"),
                  position="support")
    recompute(draft_id=published_draft.pk)
    new = create_draft(actor=facilitator, definition=definition, version="0.0.9",
                       based_on=published_draft)
    publish_draft(actor=facilitator, draft=new, closes_at=timezone.now() + timedelta(days=7))
    cast_vote(actor=members["developers-1"], clause=new.clauses.get(key="freedoms"),
              position="oppose", rationale="Too broad now.")
    recompute(draft_id=new.pk)
    return new


def test_the_clause_trend_is_drawn_per_group_with_axes_and_values(client, two_versions):
    html = client.get(url("clause", two_versions, "freedoms")).content.decode()
    chart = re.search(r'<svg[^>]*class="trend".*?</svg>', html, re.DOTALL).group(0)
    assert [t for t in re.findall(r'text-anchor="end">(\d+%)</text>', chart)] == [
        "0%", "50%", "100%"]
    assert 'data-series="Developers"' in chart and 'data-series="Lawyers"' in chart
    assert "<title>Developers: 67%</title>" in chart  # (1 + 1) / (1 + 2) on 0.0.8
    assert "<title>Developers: 33%</title>" in chart  # (0 + 1) / (1 + 2) on 0.0.9
    table = re.search(r'<table class="trend-groups">.*?</table>', html, re.DOTALL).group(0)
    developers = re.search(r"<th scope=\"row\">Developers</th>(.*?)</tr>", table, re.DOTALL)
    assert re.findall(r"<td>([^<]*)</td>", developers.group(1)) == ["67%", "33%"]
    lawyers = re.search(r"<th scope=\"row\">Lawyers</th>(.*?)</tr>", table, re.DOTALL)
    assert re.findall(r"<td>([^<]*)</td>", lawyers.group(1))[0] == "67%"


def test_the_trend_chart_without_values_draws_only_its_axes():
    svg = charts.trend_chart(["0.0.8"], [("Balanced approval", [None])], title="t", y_label="a")
    assert "<polyline" not in svg and "<circle" not in svg and ">100%</text>" in svg
