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
    # Its start script is served by the docs view itself (no inline script under the CSP).
    assert all(url.startswith(("/static/", "/api/v1/docs/?")) for url in urls), urls
    assert "swagger-ui" in html
    assert "//" not in " ".join(re.findall(r"""["'](https?:)?//[^"']*["']""", html))


def _operations(schema):
    return {op["operationId"]: op for item in schema["paths"].values() for op in item.values()}


def test_the_schema_links_the_main_flow_from_draft_to_consensus(api):
    """create draft -> publish -> vote -> consensus, as OpenAPI links stateful tools can follow."""
    schema = api().get("/api/v1/schema/?format=json").json()
    operations = _operations(schema)

    def links(operation_id: str, code: str) -> dict:
        return operations[operation_id]["responses"][code].get("links", {})

    flow = [("definitions_drafts_create", "201", "definitions_drafts_publish_create"),
            ("definitions_drafts_import_create", "201", "definitions_drafts_publish_create"),
            ("definitions_drafts_publish_create", "200", "definitions_drafts_clauses_vote_update"),
            ("definitions_drafts_clauses_vote_update", "200",
             "definitions_drafts_clauses_consensus_retrieve"),
            ("definitions_drafts_clauses_vote_update", "200",
             "definitions_drafts_consensus_retrieve")]
    for source, code, target in flow:
        targets = {link["operationId"] for link in links(source, code).values()}
        assert target in targets, (source, target)
    for operation in operations.values():
        for response in operation["responses"].values():
            for link in response.get("links", {}).values():
                assert link["operationId"] in operations
                path_names = {p["name"] for p in operations[link["operationId"]]["parameters"]
                              if p["in"] == "path"}
                assert set(link["parameters"]) == path_names, link
    publish = links("definitions_drafts_create", "201")
    assert {"d": "$request.path.d", "v": "$response.body#/version"} in [
        link["parameters"] for link in publish.values()]


def test_no_query_parameter_of_the_schema_accepts_an_empty_value(api, definition):
    """The API refuses `?name=` with a 400 naming it; the schema says the same."""
    schema = api().get("/api/v1/schema/?format=json").json()
    checked = 0
    for path, item in schema["paths"].items():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] != "query":
                    continue
                rule = parameter["schema"]
                assert rule["type"] == "integer" or rule.get("minLength", 0) >= 1, (path, rule)
                assert rule.get("default") != "", (path, rule)
                checked += 1
    assert checked >= 15
