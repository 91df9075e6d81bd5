"""Bad input gets a 4xx naming the field, in the error envelope; never a 500."""

from datetime import timedelta

import pytest
from django.utils import timezone

from definition.models import Clause, Draft
from deliberation.models import Comment, Vote
from tests.factories import ClauseFactory, DraftFactory

pytestmark = pytest.mark.django_db

D = "/api/v1/definitions/osaid/"
K8 = D + "drafts/0.0.8/clauses/freedoms/"


@pytest.fixture
def editing(definition):
    draft = DraftFactory(definition=definition, version="0.0.9")
    ClauseFactory(draft=draft, key="freedoms", body="Use and share.", position=0)
    return draft


def errors_of(response, status: int) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"detail", "errors"}
    return body["errors"]


def test_it_rejects_unknown_fields_naming_each(api, facilitator, editing):
    response = api(facilitator).post(D + "drafts/0.0.9/clauses/",
                                     {"key": "new", "body": "x", "colour": "red", "size": 1},
                                     format="json")

    assert errors_of(response, 400) == {"colour": ["Unknown field."], "size": ["Unknown field."]}
    assert not Clause.objects.filter(key="new").exists()


def test_it_rejects_unknown_fields_inside_nested_settings(api, facilitator, definition):
    response = api(facilitator).patch(D, {"settings": {"quorum": 2, "colour": 1}}, format="json")

    assert errors_of(response, 400) == {"settings.colour": ["Unknown field."]}
    definition.refresh_from_db()
    assert definition.quorum == 5


def test_it_bounds_lengths(api, facilitator, editing):
    response = api(facilitator).patch(D + "drafts/0.0.9/clauses/freedoms/", {"body": "x" * 20001},
                                      format="json")

    assert "body" in errors_of(response, 400)


def test_it_refuses_a_huge_string_without_a_500(api, facilitator, editing):
    response = api(facilitator).post(D + "drafts/", {"version": "v" * 100_000}, format="json")

    assert "version" in errors_of(response, 400)


@pytest.mark.parametrize(("body", "field"), [
    ({"position": "love"}, "position"),
    ({"position": 3}, "position"),
    ({"position": ["support"]}, "position"),
    ({"position": "support", "rationale": {"a": 1}}, "rationale"),
    ({"position": "oppose", "rationale": ""}, "rationale"),
    ({"position": "block"}, "rationale"),
])
def test_it_checks_types_and_choices_of_a_vote(api, member, clause, body, field):
    response = api(member).put(K8 + "vote/", body, format="json")

    assert field in errors_of(response, 400)
    assert Vote.objects.count() == 0


@pytest.mark.parametrize("payload", ["{bad json", "[1, 2]", '"text"', "null", "NaN", "1e999999"])
def test_it_answers_malformed_json_with_400(api, member, clause, payload):
    response = api(member).put(K8 + "vote/", payload, content_type="application/json")

    errors_of(response, 400)


def test_it_refuses_a_body_that_is_not_json(api, member, clause):
    response = api(member).put(K8 + "vote/", "position=support",
                               content_type="application/x-www-form-urlencoded")

    errors_of(response, 415)


@pytest.mark.parametrize("closes_at", ["next tuesday", "2024-13-45", "", 12, None,
                                       "10000-01-01T00:00:00Z", "2030-02-30"])
def test_it_refuses_bad_dates(api, facilitator, editing, closes_at):
    response = api(facilitator).post(D + "drafts/0.0.9/publish/", {"closes_at": closes_at},
                                     format="json")

    assert "closes_at" in errors_of(response, 400)
    editing.refresh_from_db()
    assert editing.status == Draft.Status.EDITING


def test_it_refuses_a_past_closing_date(api, facilitator, editing):
    past = (timezone.now() - timedelta(days=1)).isoformat()

    response = api(facilitator).post(D + "drafts/0.0.9/publish/", {"closes_at": past},
                                     format="json")

    assert errors_of(response, 400) == {"closes_at": ["The comment period must end in the future."]}


@pytest.mark.parametrize("based_on", ["9.9.9", "no/slash", "", 42, "x" * 41])
def test_it_names_based_on_when_the_version_is_unknown_or_malformed(api, facilitator, editing,
                                                                     based_on):
    response = api(facilitator).post(D + "drafts/", {"version": "1.0", "based_on": based_on},
                                     format="json")

    assert "based_on" in errors_of(response, 400)


@pytest.mark.parametrize("url", [
    "/api/v1/definitions/nope/",
    D + "drafts/9.9.9/",
    D + "drafts/0.0.8/clauses/nope/",
    D + "drafts/0.0.8/clauses/nope/history/",
    "/api/v1/comments/999999/",
    "/api/v1/comments/99999999999999999999999/",
    "/api/v1/not-an-endpoint/",
    D + "drafts/a%2Fb/",
])
def test_unknown_objects_are_404_in_json(api, clause, url):
    errors_of(api().get(url), 404)


@pytest.mark.parametrize("query", ["?from=0.0.8", "?to=0.0.8", "?from=0.0.8&to=9.9",
                                   "?from=%00&to=0.0.8"])
def test_compare_needs_two_known_versions(api, clause, query):
    response = api().get(D + "compare/" + query)

    assert response.status_code in (400, 404)
    errors_of(response, response.status_code)


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99999999999999999999"])
def test_a_bad_page_is_404(api, clause, page):
    errors_of(api().get(f"/api/v1/definitions/?page={page}"), 404)


def test_a_bad_status_filter_is_400(api, facilitator, definition):
    errors = errors_of(api(facilitator).get(D + "memberships/?status=famous"), 400)

    assert "status" in errors


def test_a_nul_character_is_refused(api, member, clause):
    response = api(member).post(K8 + "comments/", {"body": "a\x00b"}, format="json")

    assert "body" in errors_of(response, 400)


def test_anonymous_writes_are_401_with_a_token_challenge(api, clause):
    response = api().put(K8 + "vote/", {"position": "support"}, format="json")

    errors_of(response, 401)
    assert response.headers["WWW-Authenticate"] == "Token"


def test_a_bad_token_is_401(api, clause):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    errors_of(client.get("/api/v1/definitions/"), 401)


def test_a_role_refusal_is_403(api, user, clause):
    errors_of(api(user).put(K8 + "vote/", {"position": "support"}, format="json"), 403)


def test_it_rejects_a_vote_on_a_closed_draft_with_409(api, member, clause):
    Draft.objects.filter(pk=clause.draft_id).update(status=Draft.Status.CLOSED)

    response = api(member).put(K8 + "vote/", {"position": "support"}, format="json")

    assert "draft" in errors_of(response, 409)
    assert Vote.objects.count() == 0


def test_a_vote_on_an_editing_draft_is_404_for_a_member_who_cannot_see_it(api, member,
                                                                           editing):
    response = api(member).put(D + "drafts/0.0.9/clauses/freedoms/vote/", {"position": "support"},
                               format="json")

    assert "version" in errors_of(response, 404)


def test_it_rejects_an_edit_of_a_published_clause_with_409(api, facilitator, clause):
    response = api(facilitator).patch(K8, {"body": "Rewritten."}, format="json")

    assert "status" in errors_of(response, 409)
    clause.refresh_from_db()
    assert clause.body == "Use, study, modify and share."


def test_it_rejects_a_duplicate_key_with_409(api, facilitator, editing):
    response = api(facilitator).post(D + "drafts/0.0.9/clauses/",
                                     {"key": "freedoms", "body": "Again."}, format="json")

    assert errors_of(response, 409) == {"key": ["Key 'freedoms' is taken in this draft."]}


def test_it_rejects_a_duplicate_version_with_409(api, facilitator, editing):
    response = api(facilitator).post(D + "drafts/", {"version": "0.0.9"}, format="json")

    assert "version" in errors_of(response, 409)


def test_publishing_an_open_draft_again_is_a_409(api, facilitator, published_draft):
    future = (timezone.now() + timedelta(days=3)).isoformat()

    response = api(facilitator).post(D + "drafts/0.0.8/publish/", {"closes_at": future},
                                     format="json")

    assert "status" in errors_of(response, 409)


def test_a_second_open_draft_is_a_409_even_past_the_service(api, facilitator, published_draft,
                                                            editing, monkeypatch):
    """Were the service to forget closing the open draft, the database refuses, and it is a 409."""
    from definition import services

    monkeypatch.setattr(services, "_close", lambda **kwargs: None)
    future = (timezone.now() + timedelta(days=3)).isoformat()

    response = api(facilitator).post(D + "drafts/0.0.9/publish/", {"closes_at": future},
                                     format="json")

    errors_of(response, 409)
    assert list(Draft.objects.filter(status=Draft.Status.OPEN).values_list("version", flat=True)) \
        == ["0.0.8"]


def test_an_integrity_error_becomes_a_409(api, facilitator, editing, monkeypatch):
    from django.db import IntegrityError

    from definition import services

    def racing(**kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(services, "add_group", racing)
    response = api(facilitator).post(D + "groups/", {"slug": "academia", "name": "Academia"},
                                     format="json")

    errors_of(response, 409)


class TestThrottling:
    @pytest.fixture
    def tight(self, settings):
        rates = {"votes": "2/min", "comments": "2/min", "register": "2/min", "token": "2/min"}
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}

    def test_votes_are_throttled_per_user(self, api, tight, members, clause):
        client = api(members["developers-1"])
        codes = [client.put(K8 + "vote/", {"position": p}, format="json").status_code
                 for p in ("support", "accept", "abstain")]

        assert codes == [200, 200, 429]
        errors_of(client.put(K8 + "vote/", {"position": "support"}, format="json"), 429)
        other = api(members["lawyers-1"]).put(K8 + "vote/", {"position": "support"}, format="json")
        assert other.status_code == 200
        assert Vote.objects.get(voter=members["developers-1"]).position == "accept"

    def test_reads_are_not_throttled(self, api, tight, clause):
        client = api()
        assert {client.get(K8 + "comments/").status_code for _ in range(4)} == {200}

    def test_comments_are_throttled(self, api, tight, member, clause):
        client = api(member)
        codes = [client.post(K8 + "comments/", {"body": f"Point {n}."}, format="json").status_code
                 for n in range(3)]

        assert codes == [201, 201, 429]
        assert Comment.objects.count() == 2

    def test_registration_is_throttled_per_address(self, api, tight, db):
        codes = [api().post("/api/v1/auth/register/",
                            {"username": f"new{n}", "email": f"n{n}@example.org",
                             "password": "a long enough passphrase"}, format="json").status_code
                 for n in range(3)]

        assert codes == [201, 201, 429]

    def test_login_attempts_are_throttled(self, api, tight, user):
        codes = [api().post("/api/v1/auth/token/", {"username": "registered", "password": "wrong"},
                            format="json").status_code for _ in range(3)]

        assert codes == [400, 400, 429]
