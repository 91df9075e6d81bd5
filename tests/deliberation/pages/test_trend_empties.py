"""No misleading empties in the per-group trend (#14 item 2): a group without a decisive vote on
a version has no figure there (its smoothed approval, 50 %, is not shown as one)."""

import re

import pytest

from deliberation.consensus.recompute import recompute
from deliberation.votes.services import cast_vote
from tests.helpers import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_vote(published_draft, members, definition):
    definition.quorum = 1
    definition.save()
    cast_vote(actor=members["developers-1"], clause=published_draft.clauses.get(key="freedoms"),
              position="support")
    recompute(draft_id=published_draft.pk)
    return published_draft


def test_a_group_without_votes_has_no_trend_figure(client, one_vote):
    html = client.get(url("clause", one_vote, "freedoms")).content.decode()
    table = re.search(r'<table class="trend-groups">.*?</table>', html, re.DOTALL).group(0)

    def cells(name):
        row = re.search(rf'<th scope="row">{name}</th>(.*?)</tr>', table, re.DOTALL).group(1)
        return re.findall(r"<td>([^<]*)</td>", row)

    assert cells("Developers") == ["67%"]  # (1 + 1) / (1 + 2)
    assert cells("Lawyers") == cells("Companies") == ["–"]
    assert "(50%)" not in table and "50%)" not in html.split('class="trend-groups"')[1][:4000]
    chart = re.search(r'<svg[^>]*class="trend".*?</svg>', html, re.DOTALL).group(0)
    assert "<title>Lawyers: 50%</title>" not in chart

