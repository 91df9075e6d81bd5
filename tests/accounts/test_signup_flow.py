"""Sign-up asks for a display name and leads to applying to a group (#14 item 7)."""

import pytest
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db
FORM = {"username": "newbie", "email": "n@example.org", "password": "a long enough passphrase"}


def test_sign_up_records_the_display_name(client):
    page = client.get(reverse("signup")).content.decode()
    assert 'name="display_name"' in page and 'autocomplete="name"' in page
    client.post(reverse("signup"), {**FORM, "display_name": "  Ada Lovelace "})
    assert User.objects.get(username="newbie").public_name == "Ada Lovelace"


def test_sign_up_from_a_definition_page_leads_to_applying_to_its_groups(client, published_draft):
    reader = reverse("deliberation:reader", args=["osaid", "0.0.8"])
    html = client.get(reader).content.decode()
    link = reverse("signup") + "?next=" + reader  # urlencode keeps the slashes
    assert link in html
    form = client.get(link).content.decode()
    assert f'name="next" value="{reader}"' in form
    response = client.post(reverse("signup"), {**FORM, "next": reader})
    assert response["Location"] == reverse("deliberation:join", args=["osaid"])
    join = client.get(response["Location"]).content.decode()
    assert 'name="group"' in join  # the application form, signed in


def test_sign_up_without_a_definition_lists_the_definitions(client):
    response = client.post(reverse("signup"), {**FORM, "next": "https://evil.example/"})
    assert response["Location"] == reverse("deliberation:home")
