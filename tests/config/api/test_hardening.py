"""Hostile input at the edge of the API: deep or huge JSON bodies, NUL bytes, unknown paths and
empty query values each get a 4xx in the error envelope, never a 500 or an HTML page."""

import json

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from definition.models import Clause

pytestmark = pytest.mark.django_db

D = "/api/v1/definitions/osaid/"
K8 = D + "drafts/0.0.8/clauses/freedoms/"


def envelope(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "errors"}
    return body


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("who, url", [
    ("visitor", "/api/v1/auth/token/"), ("visitor", "/api/v1/auth/register/"),
    ("member", "/api/v1/auth/token/"), ("member", K8 + "comments/"),
    ("facilitator", D + "drafts/import/"), ("member", K8 + "vote/"),
    ("admin_user", "/api/v1/definitions/import-archive/"),
])
def test_json_nested_a_thousand_levels_deep_is_a_400_not_a_500(api, clause, who, url, request):
    client = api(None if who == "visitor" else request.getfixturevalue(who))

    method = client.put if url.endswith("/vote/") else client.post
    response = method(url, '{"body": ' + nested(1000) + "}", content_type="application/json")

    body = envelope(response, 400)
    assert "nested" in body["detail"].lower()


@pytest.mark.parametrize("url", [D + "drafts/import/", "/api/v1/definitions/import-archive/"])
def test_a_member_is_refused_before_a_deep_body_is_read(api, member, clause, url):
    response = api(member).post(url, '{"body": ' + nested(1000) + "}",
                                content_type="application/json")

    envelope(response, 403)  # permission first, then state, then body


def test_json_within_the_depth_limit_still_reaches_the_view(api, member, clause, settings):
    deep = {"body": "x"}
    for _ in range(settings.API_JSON_MAX_DEPTH - 2):  # with the outer object: the limit
        deep = {"a": deep}

    response = api(member).post(K8 + "comments/", json.dumps({"body": "ok", "x": deep}),
                                content_type="application/json")

    assert envelope(response, 400)["errors"] == {"x": ["Unknown field."]}  # parsed, then refused


def test_a_json_body_over_the_size_limit_is_a_400_naming_the_limit(api, facilitator, clause,
                                                                    settings):
    settings.API_JSON_MAX_BYTES = 10_000
    markdown = "# T\n\n" + "## H\n\nText.\n\n" * 2_000

    response = api(facilitator).post(D + "drafts/import/",
                                     {"version": "0.2.0", "markdown": markdown}, format="json")

    assert "10000 bytes" in envelope(response, 400)["detail"]
    assert not Clause.objects.filter(draft__version="0.2.0").exists()


@pytest.mark.parametrize("url", [D + "drafts/0.0.8%00/", D + "drafts/%00/clauses/",
                                 K8[:-1] + "%00/", D + "compare/?from=0.0.8%00&to=0.0.8",
                                 D + "drafts/?page=1%00", "/api/v1/definitions/?q=%00"])
def test_a_nul_byte_in_an_api_path_or_query_is_a_400(api, member, clause, url):
    body = envelope(api(member).get(url), 400)
    assert "NUL" in body["detail"]


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_to_an_unknown_api_path_is_a_json_404_even_with_a_session(member, method):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)  # a session without a CSRF token: CSRF must not answer first

    response = getattr(client, method)("/api/v1/comments/-1/flag/", {},
                                       content_type="application/json")

    assert envelope(response, 404)["detail"] == "Not found."


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_to_an_unknown_api_path_is_a_json_404_with_a_token(member, method):
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=member).key}")

    response = getattr(client, method)("/api/v1/comments/-1/flag/", {}, format="json")

    assert envelope(response, 404)["detail"] == "Not found."


@pytest.mark.parametrize("url", ["/api/v1/definitions/osaid%0A/", "/api/v1/nope%0A",
                                 "/api/v1/%0A", K8 + "%0A/", "/api/v1/definitions/%0D%0A/x/"])
def test_a_newline_in_an_api_path_is_a_json_404(api, member, clause, url):
    assert envelope(api(member).get(url), 404)["detail"] == "Not found."


@pytest.mark.parametrize("url, name", [
    (D + "drafts/?page=", "page"),
    (D + "drafts/0.0.8/export/?format=", "format"),
    (D + "compare/?from=&to=0.0.8", "from"),
])
def test_an_empty_query_value_is_a_400_naming_the_parameter(api, member, clause, url, name):
    body = envelope(api(member).get(url), 400)

    assert name in body["errors"]
