"""Sign-in lockout (django-axes, database handler): after LOGIN_FAILURE_LIMIT wrong passwords for
a username from one address, even the right password is refused until the cool-off ends, on the
HTML form and on the API token endpoint alike, with a clear message."""

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

RIGHT = "correct horse battery staple"


def sign_in(client, username="registered", password=RIGHT):
    return client.post(reverse("login"), {"username": username, "password": password})


def token(username="registered", password=RIGHT):
    return APIClient().post("/api/v1/auth/token/", {"username": username, "password": password},
                            format="json")


def test_the_lockout_uses_the_database_and_limits_from_the_environment():
    assert django_settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
    assert django_settings.AXES_FAILURE_LIMIT == 5
    assert django_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_forty_wrong_passwords_then_the_right_one_does_not_sign_in(client, user):
    codes = {sign_in(client, password=f"wrong {n}").status_code for n in range(40)}

    response = sign_in(client)

    assert codes == {200, 429}  # the form again, then the lockout page
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many failed sign-in attempts" in html
    assert "_auth_user_id" not in client.session


def test_the_right_password_before_the_limit_still_signs_in(client, user):
    for n in range(django_settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, password=f"wrong {n}").status_code == 200

    assert sign_in(client).status_code == 302


def test_a_lockout_is_per_username_and_address(client, user, member):
    for n in range(django_settings.AXES_FAILURE_LIMIT):
        sign_in(client, password=f"wrong {n}")

    assert sign_in(client).status_code == 429
    member.set_password(RIGHT)
    member.save()
    assert sign_in(client, username=member.username).status_code == 302


def test_the_api_token_endpoint_shares_the_lockout(user, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"token": None}}
    codes = [token(password=f"wrong {n}").status_code
             for n in range(django_settings.AXES_FAILURE_LIMIT)]

    response = token()

    assert codes == [400] * (django_settings.AXES_FAILURE_LIMIT - 1) + [429]  # the last locks
    assert response.status_code == 429
    assert set(response.json()) == {"detail", "errors"}
    assert "Too many failed sign-in attempts" in response.json()["detail"]
    assert "token" not in response.json()


def test_failures_on_the_form_count_for_the_api_too(client, user, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"token": None}}
    for n in range(django_settings.AXES_FAILURE_LIMIT):
        sign_in(client, password=f"wrong {n}")

    assert token().status_code == 429
