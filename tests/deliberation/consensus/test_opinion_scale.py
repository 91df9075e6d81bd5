"""The opinion groups at scale (#13): the page and the API answer in a size that does not grow
with the members — the map binned into cells, the members' places one page at a time."""

import random

import pytest
from django.utils import timezone

from deliberation.consensus.opinion import MemberPosition, map_cells
from deliberation.consensus.selectors import MAP_NAMES, POSITIONS_PAGE_SIZE
from deliberation.models import OpinionAnalysis
from tests.factories import UserFactory
from tests.helpers import url

pytestmark = pytest.mark.django_db

API = "/api/v1/definitions/osaid/drafts/0.0.8/opinion-groups/"


def _store(draft, members: list, *, with_map: bool = True):
    """An analysis of two tight camps: members alternate between (-1, 0) and (1, 0)."""
    rng = random.Random(len(members))
    places = [MemberPosition(m, (-1 if n % 2 else 1) + rng.uniform(-0.01, 0.01),
                             rng.uniform(-0.01, 0.01), n % 2) for n, m in enumerate(members)]
    result = {"k": 2, "structured": True, "members_considered": len(members),
              "positions": [vars(p) for p in places],
              "groups": [{"label": 0, "size": len(members) - len(members) // 2,
                          "approval": {"why": 0.9}},
                         {"label": 1, "size": len(members) // 2, "approval": {"why": 0.2}}],
              "bridging": [], "divisive": []}
    if with_map:
        result["map"] = [{**vars(c), "members": list(c.members)} for c in map_cells(places)]
    return OpinionAnalysis.objects.create(draft=draft, computed_at=timezone.now(), result=result)


@pytest.mark.parametrize("with_map", [True, False])  # False: stored before the map existed
def test_the_api_pages_the_positions_and_bins_the_map(api, published_draft, with_map):
    members = list(range(1, 2 * POSITIONS_PAGE_SIZE + 11))
    _store(published_draft, members, with_map=with_map)
    first = api().get(API).json()["result"]
    assert len(first["positions"]) == POSITIONS_PAGE_SIZE
    assert first["positions_page"] == {"page": 1, "pages": 3, "count": len(members),
                                       "page_size": POSITIONS_PAGE_SIZE}
    last = api().get(API + "?page=3").json()["result"]
    assert len(last["positions"]) == 10 and last["positions_page"]["page"] == 3
    assert sum(cell["count"] for cell in first["map"]) == len(members)
    assert len(first["map"]) <= 4  # two tight camps: a cell or two each
    assert api().get(API + "?page=99").json()["result"]["positions_page"]["page"] == 1


def test_map_cells_name_a_few_members_only_when_votes_are_public(api, published_draft):
    users = UserFactory.create_batch(6)
    _store(published_draft, [u.pk for u in users])
    cells = api().get(API).json()["result"]["map"]
    assert all(0 < len(cell["names"]) <= MAP_NAMES for cell in cells)
    assert {n for cell in cells for n in cell["names"]} <= {u.username for u in users}
    published_draft.definition.votes_public = False
    published_draft.definition.save()
    hidden = api().get(API).json()["result"]
    assert all(cell["names"] == [] for cell in hidden["map"])
    assert {p["member"] for p in hidden["positions"]} == {None}


def test_the_page_size_does_not_grow_with_the_members(client, published_draft):
    analysis = _store(published_draft, list(range(1, 41)))
    small = client.get(url("opinion_groups", published_draft)).content
    analysis.delete()
    _store(published_draft, list(range(1, 4001)))
    large = client.get(url("opinion_groups", published_draft)).content.decode()
    assert abs(len(large) - len(small)) < 1000  # only the counts' digits differ
    assert 'data-count="2000"' in large  # one marker per camp, holding its 2,000 members
    assert "2000 members" in large


def test_the_approval_table_is_paged_like_the_dashboard(client, make_draft):
    from deliberation.pages.paging import LIST_PAGE_SIZE

    draft = make_draft(LIST_PAGE_SIZE + 12)
    keys = [c.key for c in draft.clauses.exclude(body="").order_by("position")]
    OpinionAnalysis.objects.create(draft=draft, computed_at=timezone.now(), result={
        "k": 2, "structured": True, "members_considered": 4, "positions": [],
        "groups": [{"label": 0, "size": 2, "approval": {k: 0.9 for k in keys}},
                   {"label": 1, "size": 2, "approval": {k: 0.1 for k in keys}}],
        "bridging": [], "divisive": []})
    first = client.get(url("opinion_groups", draft)).content.decode()
    second = client.get(url("opinion_groups", draft) + "?page=2").content.decode()
    assert first.count('class="num approval-cell"') == 2 * LIST_PAGE_SIZE
    assert second.count('class="num approval-cell"') == 2 * (len(keys) - LIST_PAGE_SIZE)
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_the_group_key_counts_members_in_the_singular_and_plural(client, published_draft):
    _store(published_draft, [1, 2, 3])  # two in the first camp, one in the second
    html = client.get(url("opinion_groups", published_draft)).content.decode()
    assert "Opinion group 1: 2 members" in html and "Opinion group 2: 1 member<" in html
    chinese = client.get(url("opinion_groups", published_draft),
                         HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "意见群体 2：1 名成员" in chinese
