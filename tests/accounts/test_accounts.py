"""Sign up, sign in, profile and joining a group."""

import pytest
from django.urls import reverse

from accounts.models import User
from definition.models import Membership
from tests.factories import VoteFactory

pytestmark = pytest.mark.django_db


def test_sign_up_creates_the_account_and_signs_in(client):
    response = client.post(reverse("signup"), {"username": "newbie", "email": "n@example.org",
                                               "password": "a long enough passphrase"})
    assert response.status_code == 302
    assert User.objects.filter(username="newbie").exists()
    assert "newbie" in client.get(reverse("deliberation:profile")).content.decode()


def test_sign_up_names_the_field_at_fault(client, user):
    response = client.post(reverse("signup"), {"username": "registered", "email": "x@example.org",
                                               "password": "a long enough passphrase"})
    assert response.status_code == 400
    assert "This username is taken." in response.content.decode()
    response = client.post(reverse("signup"), {"username": "other", "email": "x@example.org",
                                               "password": "123"})
    assert 'id="id_password-error"' in response.content.decode()


def test_sign_in_page_signs_in(client, user):
    response = client.post(reverse("login"), {"username": "registered",
                                              "password": "correct horse battery staple"})
    assert response.status_code == 302
    assert "registered" in client.get("/").content.decode()


def test_profile_needs_sign_in(client):
    assert client.get(reverse("deliberation:profile")).status_code == 302


def test_profile_lists_my_votes_and_comments(member_client, member, clause):
    VoteFactory(clause=clause, membership=member.memberships.get(), position="accept")
    html = member_client.get(reverse("deliberation:profile")).content.decode()
    assert "Accept" in html and "freedoms" in html and "Developers" in html


def test_join_applies_to_a_group(user_client, user, definition):
    response = user_client.post(reverse("deliberation:join", args=["osaid"]),
                                {"group": "lawyers", "affiliation": "ACME LLP"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=user)
    assert (membership.group.slug, membership.status) == ("lawyers", "pending")
    html = user_client.get(reverse("deliberation:join", args=["osaid"])).content.decode()
    assert "Your membership in Lawyers: pending." in html


def test_join_with_an_unknown_group_names_the_error(user_client, definition):
    response = user_client.post(reverse("deliberation:join", args=["osaid"]), {"group": "nope"})
    assert response.status_code == 400 and "No group" in response.content.decode()


def test_visitors_are_asked_to_sign_in_to_join(client, definition):
    assert "to apply." in client.get(reverse("deliberation:join", args=["osaid"])).content.decode()
    assert client.post(reverse("deliberation:join", args=["osaid"])).status_code == 302


def test_sign_out_everywhere_ends_every_other_session_and_the_api_token(client, user, definition):
    from django.test import Client
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    laptop, phone = Client(), Client()
    for device in (laptop, phone):
        device.post(reverse("login"), {"username": "registered",
                                       "password": "correct horse battery staple"})
        assert device.get(reverse("deliberation:profile")).status_code == 200
    token = Token.objects.create(user=user)
    profile = laptop.get(reverse("deliberation:profile")).content.decode()
    assert f'action="{reverse("sign_out_everywhere")}"' in profile

    response = laptop.post(reverse("sign_out_everywhere"))

    assert response.status_code == 302
    page = laptop.get(reverse("deliberation:profile"))
    assert page.status_code == 200  # this session stays
    assert "You were signed out of every other session" in page.content.decode()
    assert phone.get(reverse("deliberation:profile")).status_code == 302  # back to sign in
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.get(f"/api/v1/definitions/{definition.slug}/memberships/").status_code == 401


def test_sign_out_everywhere_is_a_post_for_signed_in_users(client, user_client):
    assert user_client.get(reverse("sign_out_everywhere")).status_code == 405
    response = client.post(reverse("sign_out_everywhere"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
