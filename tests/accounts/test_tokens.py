"""API tokens change: a password change revokes the token, `POST /api/v1/auth/token/revoke/`
revokes it on demand, and the next sign-in issues a new key."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
ME = "/api/v1/definitions/osaid/memberships/"  # any read that needs a signed-in user


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def sign_in(username: str, password: str = PASSWORD):
    return APIClient().post("/api/v1/auth/token/", {"username": username, "password": password},
                            format="json")


def test_a_password_change_revokes_the_token(definition, user):
    old = sign_in("registered").json()["token"]
    assert with_token(old).get(ME).status_code == 200

    user.set_password("another long passphrase")
    user.save()

    assert with_token(old).get(ME).status_code == 401
    new = sign_in("registered", "another long passphrase").json()["token"]
    assert new != old
    assert with_token(new).get(ME).status_code == 200


def test_the_password_change_page_revokes_the_token_too(client, definition, user):
    old = sign_in("registered").json()["token"]
    client.force_login(user)

    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "another long passphrase",
        "new_password2": "another long passphrase"})

    assert response.status_code == 302
    assert with_token(old).get(ME).status_code == 401


def test_saving_a_user_without_a_password_change_keeps_the_token(definition, user):
    old = sign_in("registered").json()["token"]

    user.display_name = "Reg"
    user.save()

    assert with_token(old).get(ME).status_code == 200


def test_revoke_ends_the_token_and_the_next_sign_in_gets_a_new_one(definition, user):
    old = sign_in("registered").json()["token"]

    response = with_token(old).post("/api/v1/auth/token/revoke/", {}, format="json")

    assert response.status_code == 204
    assert not Token.objects.filter(user=user).exists()
    assert with_token(old).get(ME).status_code == 401
    assert with_token(old).post("/api/v1/auth/token/revoke/", {}, format="json").status_code == 401
    assert sign_in("registered").json()["token"] != old


def test_revoke_needs_a_signed_in_user_and_takes_no_input(definition, user):
    assert APIClient().post("/api/v1/auth/token/revoke/", {}, format="json").status_code == 401
    key = sign_in("registered").json()["token"]

    response = with_token(key).post("/api/v1/auth/token/revoke/", {"all": True}, format="json")

    assert response.status_code == 400
    assert response.json()["errors"] == {"all": ["Unknown field."]}
    assert Token.objects.filter(key=key).exists()
