"""Markdown import has limits: a file of 10,000 headings made 20,000 clauses in one 21 s request.
Past IMPORT_MAX_CLAUSES clauses or IMPORT_MAX_CHARS characters, the API and the page refuse the
whole import with an error naming the `markdown` field, and nothing is written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from definition.models import Clause, Draft, Event

pytestmark = pytest.mark.django_db

IMPORT = "/api/v1/definitions/osaid/drafts/import/"


def headings(n: int) -> str:
    return "# Title\n\n" + "".join(f"## Heading {i}\n\nText {i}.\n\n" for i in range(n))


def nothing_written(version: str) -> bool:
    return (not Draft.objects.filter(version=version).exists()
            and not Clause.objects.filter(draft__version=version).exists()
            and not Event.objects.filter(summary__contains=version).exists())


@pytest.fixture
def api_client(facilitator):
    from tests.helpers import client_for

    return client_for(facilitator)


def test_the_default_clause_cap_is_two_thousand(settings):
    assert settings.IMPORT_MAX_CLAUSES == 2000


def test_the_api_refuses_an_import_over_the_clause_cap_and_writes_nothing(api_client, definition,
                                                                          settings):
    settings.IMPORT_MAX_CLAUSES = 20

    response = api_client.post(IMPORT, {"version": "9.0", "markdown": headings(11)},
                               format="json")  # 11 sections, 11 paragraphs: 22 clauses

    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body["errors"]) == ["markdown"]
    assert "22 clauses" in body["errors"]["markdown"][0]
    assert "at most 20" in body["errors"]["markdown"][0]
    assert nothing_written("9.0")


def test_the_api_accepts_an_import_at_the_clause_cap(api_client, definition, settings):
    settings.IMPORT_MAX_CLAUSES = 20

    response = api_client.post(IMPORT, {"version": "9.0", "markdown": headings(10)},
                               format="json")

    assert response.status_code == 201, response.content
    assert Clause.objects.filter(draft__version="9.0").count() == 20


def test_the_api_refuses_markdown_over_the_size_cap_naming_the_field(api_client, definition,
                                                                     settings):
    settings.IMPORT_MAX_CHARS = 100

    response = api_client.post(IMPORT, {"version": "9.0", "markdown": headings(10)},
                               format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["markdown"]
    assert "100 characters" in response.json()["errors"]["markdown"][0]
    assert nothing_written("9.0")


@pytest.mark.parametrize("step", ["preview", "commit"])
def test_the_page_refuses_an_import_over_the_clause_cap(fac, definition, settings, step):
    settings.IMPORT_MAX_CLAUSES = 20

    response = fac.post(reverse("workspace:import", args=["osaid"]),
                        {"version": "9.0", "based_on": "", "markdown": headings(11), step: "1"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "markdown: This Markdown makes 22 clauses; an import may have at most 20." in html
    assert nothing_written("9.0")


def test_the_page_refuses_an_uploaded_file_over_the_size_cap(fac, definition, settings):
    settings.IMPORT_MAX_CHARS = 100
    upload = SimpleUploadedFile("draft.md", headings(10).encode(), content_type="text/markdown")

    response = fac.post(reverse("workspace:import", args=["osaid"]),
                        {"version": "9.0", "based_on": "", "file": upload, "commit": "1"})

    assert response.status_code == 400
    assert "markdown: " in response.content.decode()
    assert nothing_written("9.0")


def test_ten_thousand_headings_are_refused_in_well_under_a_second_of_parsing(api_client,
                                                                              definition):
    """The reported file: 10,000 headings, 20,000 clauses, 21 s. Now a 400 before the parse."""
    import time

    started = time.perf_counter()
    response = api_client.post(IMPORT, {"version": "9.0", "markdown": headings(10_000)},
                               format="json")
    elapsed = time.perf_counter() - started

    assert response.status_code == 400
    assert "more than 2000 clauses" in response.json()["errors"]["markdown"][0]
    assert elapsed < 3, elapsed
    assert nothing_written("9.0")
