"""Sections (PRODUCT.md §2): a clause that only holds other clauses is a heading, not voted on,
unless the definition's `sections_votable` setting says so."""

import pytest

from core.errors import Conflict
from definition.models import Definition
from deliberation.models import Vote
from deliberation.votes.services import cast_vote
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def _vote_url(draft, key):
    return (f"/api/v1/definitions/{draft.definition.slug}/drafts/{draft.version}/clauses/"
            f"{key}/vote/")


def test_it_refuses_a_vote_on_a_section_naming_the_setting(member, published_draft):
    section = published_draft.clauses.get(key="preamble")

    with pytest.raises(Conflict) as exc:
        cast_vote(actor=member, clause=section, position="support")

    assert exc.value.field == "sections_votable"
    assert Vote.objects.count() == 0


def test_the_api_answers_409_naming_the_setting(member, published_draft):
    response = client_for(member).put(_vote_url(published_draft, "preamble"),
                                      {"position": "support", "rationale": ""}, format="json")

    assert response.status_code == 409
    assert "sections_votable" in response.json()["errors"]
    assert Vote.objects.count() == 0


def test_a_clause_with_a_body_is_voted_on_as_before(member, published_draft):
    response = client_for(member).put(_vote_url(published_draft, "why"),
                                      {"position": "support", "rationale": ""}, format="json")

    assert response.status_code == 200
    assert Vote.objects.get().clause.key == "why"


def test_a_definition_can_make_sections_votable(member, published_draft, facilitator):
    response = client_for(facilitator).patch(
        f"/api/v1/definitions/{published_draft.definition.slug}/",
        {"settings": {"sections_votable": True}}, format="json")
    assert response.status_code == 200
    assert response.json()["settings"]["sections_votable"] is True
    assert Definition.objects.get().sections_votable is True

    response = client_for(member).put(_vote_url(published_draft, "preamble"),
                                      {"position": "support", "rationale": ""}, format="json")

    assert response.status_code == 200
    assert Vote.objects.get().clause.key == "preamble"


def test_sections_are_not_votable_by_default_in_the_api(client, definition):
    response = client.get(f"/api/v1/definitions/{definition.slug}/")

    assert response.json()["settings"]["sections_votable"] is False


def test_the_setting_must_be_a_boolean(facilitator, definition):
    response = client_for(facilitator).patch(
        f"/api/v1/definitions/{definition.slug}/",
        {"settings": {"sections_votable": "maybe"}}, format="json")

    assert response.status_code == 400
    assert "sections_votable" in str(response.json()["errors"])
