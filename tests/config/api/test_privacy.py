"""With votes_public=false, who voted what is visible to facilitators only."""

import pytest

from definition.models import Definition

pytestmark = pytest.mark.django_db

K8 = "/api/v1/definitions/osaid/drafts/0.0.8/clauses/freedoms/"


@pytest.fixture
def secret_ballot(api, definition, members, clause):
    Definition.objects.filter(pk=definition.pk).update(votes_public=False)
    api(members["lawyers-1"]).put(K8 + "vote/", {"position": "block", "rationale": "Too vague."},
                                  format="json")
    api(members["developers-1"]).put(K8 + "vote/", {"position": "support"}, format="json")
    api(members["developers-1"]).post(K8 + "comments/", {"body": "Fine by me."}, format="json")


def objection(response):
    return next(c for c in response.json()["results"] if c["kind"] == "objection")


@pytest.mark.parametrize("role", ["visitor", "user", "developers-2", "outsider-facilitator"])
def test_the_ballot_is_refused_to_anyone_but_facilitators(api, secret_ballot, members, user,
                                                          other_facilitator_user, role):
    viewer = {"visitor": None, "user": user, "outsider-facilitator": other_facilitator_user}.get(
        role, members.get(role))

    response = api(viewer).get(K8 + "votes/")

    assert response.status_code == (401 if viewer is None else 403)
    assert "lawyers-1" not in response.content.decode()


def test_facilitators_see_the_ballot(api, secret_ballot, facilitator):
    response = api(facilitator).get(K8 + "votes/")

    assert response.status_code == 200
    assert {(v["voter"], v["position"]) for v in response.json()["results"]} == {
        ("lawyers-1", "block"), ("developers-1", "support")}


@pytest.mark.parametrize("role", ["visitor", "user", "developers-2"])
def test_objection_authors_are_hidden_from_non_facilitators(api, secret_ballot, members, user,
                                                            role):
    viewer = {"visitor": None, "user": user}.get(role, members.get(role))
    client = api(viewer)

    listed = objection(client.get(K8 + "comments/"))
    single = client.get(f"/api/v1/comments/{listed['id']}/").json()

    assert listed["author"] is None and single["author"] is None
    assert listed["body"] == "Too vague."
    assert "lawyers-1" not in client.get(K8 + "comments/").content.decode()


def test_plain_comments_keep_their_author(api, secret_ballot):
    comments = api().get(K8 + "comments/").json()["results"]

    assert {c["author"] for c in comments if c["kind"] != "objection"} == {"developers-1"}


def test_facilitators_see_objection_authors(api, secret_ballot, facilitator):
    assert objection(api(facilitator).get(K8 + "comments/"))["author"] == "lawyers-1"


def test_public_votes_show_everything_to_everyone(api, definition, members, clause):
    api(members["lawyers-1"]).put(K8 + "vote/", {"position": "block", "rationale": "Too vague."},
                                  format="json")

    assert api().get(K8 + "votes/").json()["results"][0]["voter"] == "lawyers-1"
    assert objection(api().get(K8 + "comments/"))["author"] == "lawyers-1"


@pytest.fixture
def other_facilitator_user(db):
    from tests.factories import DefinitionFactory, UserFactory

    other = DefinitionFactory(slug="other")
    user = UserFactory(username="other-facilitator")
    other.facilitators.add(user)
    return user
