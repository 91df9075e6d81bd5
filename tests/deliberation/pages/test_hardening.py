"""Hostile input on the pages: NUL bytes in addresses are refused before the database sees them
(PostgreSQL answered them with a DataError, a 500)."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", [
    "/d/osaid/v/0.0.8%00/", "/d/osaid/v/%00/consensus/", "/d/osaid/v/0.0.8%00/dispositions/",
    "/d/osaid/v/0.0.8/c/freedoms%00/", "/d/osaid/compare/0.0.8%00...0.0.8/",
    "/search/?q=%00", "/search/?q=free%00dom", "/d/osaid/activity/?kind=%00",
])
def test_a_nul_byte_in_a_page_address_is_a_400_for_everyone(client, member_client, clause, url):
    for who in (client, member_client):
        response = who.get(url)
        assert response.status_code == 400, (url, response.status_code)


def test_search_still_answers_ordinary_queries(client, clause):
    assert client.get("/search/?q=freedom").status_code == 200
    assert client.get("/search/?q=").status_code == 200


def test_a_nul_byte_in_a_form_value_is_a_400(member_client, clause):
    response = member_client.post("/search/", {"q": "a\x00b"})
    assert response.status_code == 400


def test_an_imported_file_with_a_nul_byte_is_refused_naming_the_field(facilitator, definition):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from definition.models import Draft

    client = Client()
    client.force_login(facilitator)
    upload = SimpleUploadedFile("d.md", b"# T\n\n## A\n\nText\x00.\n", content_type="text/markdown")

    response = client.post(reverse("workspace:import", args=["osaid"]),
                           {"version": "9.0", "based_on": "", "file": upload, "commit": "1"})

    assert response.status_code == 400
    assert "markdown: " in response.content.decode()
    assert not Draft.objects.filter(version="9.0").exists()
