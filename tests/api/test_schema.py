"""The OpenAPI document and the docs page."""

import re

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db
BODILESS = ("/endorse/", "/consensus/recompute/", "/auth/token/revoke/")  # take no input


def test_the_schema_describes_every_operation_with_bodies_and_errors(api):
    response = api().get("/api/v1/schema/?format=json")

    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {"detail", "errors"}
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            assert {"400", "401", "403", "404", "409", "429"} <= codes, (method, path)
            success = [c for c in codes if c.startswith("2")]
            assert success, (method, path)
            for code in set(success) - {"204"}:
                assert "content" in operation["responses"][code], (method, path, code)
            if method in ("post", "put", "patch") and not path.endswith(BODILESS):
                assert "requestBody" in operation, (method, path)


def test_the_schema_validates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "s.yaml")


def test_the_docs_load_without_any_cdn(client):
    response = client.get("/api/v1/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert urls
    assert all(url.startswith("/static/") for url in urls), urls
    assert "swagger-ui" in html
    assert "//" not in " ".join(re.findall(r"""["'](https?:)?//[^"']*["']""", html))
