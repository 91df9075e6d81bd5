"""Site chrome of #14 item 7: a favicon, and every search landmark named."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_site_has_a_favicon(client):
    html = client.get("/").content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html).group(1)
    assert icon.endswith("img/favicon.svg")
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == icon
    assert client.get(icon).status_code == 200


def test_every_search_landmark_has_a_name(client):
    html = client.get(reverse("deliberation:search") + "?q=x").content.decode()
    landmarks = re.findall(r'<form[^>]*role="search"[^>]*>', html)
    names = [re.search(r'aria-label="([^"]+)"', form).group(1) for form in landmarks]
    assert names == ["Site search", "Search clauses and comments"]
