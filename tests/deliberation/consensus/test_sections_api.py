"""Section headings in the consensus API (PRODUCT.md §2): not listed, counted or summed into the
draft's freshness unless the definition's `sections_votable` is on, as on the pages."""

import pytest

from deliberation.consensus.recompute import recompute
from deliberation.models import ClauseSummary
from tests.factories import VoteFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/definitions/osaid/drafts/0.0.8/"


@pytest.fixture
def voted(published_draft, members):
    for key in ("why", "freedoms"):
        VoteFactory(clause=published_draft.clauses.get(key=key),
                    membership=members["developers-1"].memberships.get())
    recompute(draft_id=published_draft.pk)
    return published_draft


def test_the_draft_consensus_leaves_sections_out(api, voted):
    body = api().get(BASE + "consensus/").json()

    assert [c["key"] for c in body["clauses"]] == ["why", "freedoms"]
    assert body["count"] == 2 and body["next"] is None


def test_a_stale_section_does_not_make_the_draft_stale(api, voted):
    assert ClauseSummary.objects.filter(clause__key="preamble").update(computed_at=None) == 1

    body = api().get(BASE + "consensus/").json()

    assert body["stale"] is False


def test_pages_of_the_draft_consensus_count_without_sections(api, voted):
    first = api().get(BASE + "consensus/?page_size=1").json()
    second = api().get(first["next"]).json()

    assert first["count"] == second["count"] == 2
    assert [c["key"] for c in first["clauses"] + second["clauses"]] == ["why", "freedoms"]
    assert second["next"] is None


def test_the_clause_consensus_of_a_section_is_not_found_naming_the_key(api, voted):
    response = api().get(BASE + "clauses/preamble/consensus/")

    assert response.status_code == 404
    assert "section" in response.json()["detail"]
    assert "key" in response.json()["errors"]
    assert api().get(BASE + "clauses/why/consensus/").status_code == 200


def test_with_sections_votable_they_are_listed_and_counted(api, voted, definition):
    definition.sections_votable = True
    definition.save()

    body = api().get(BASE + "consensus/").json()

    assert [c["key"] for c in body["clauses"]] == ["preamble", "why", "freedoms"]
    assert body["count"] == 3
    response = api().get(BASE + "clauses/preamble/consensus/")
    assert response.status_code == 200 and response.json()["key"] == "preamble"
