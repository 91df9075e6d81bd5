"""A Content-Security-Policy without inline script or style on every page (issue 11, headers)."""

import re
from pathlib import Path

import pytest
from django.test import Client

from definition.rendering import render_markdown

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    directives = (d.strip().split() for d in response["Content-Security-Policy"].split(";"))
    return {d[0]: d[1:] for d in directives if d}


def test_pages_send_a_policy_that_allows_no_inline_script_or_style(published_draft):
    for url in ("/", f"/d/{published_draft.definition.slug}/", "/accounts/login/"):
        csp = policy(Client().get(url))
        assert csp["script-src"] == ["'self'"], url
        assert csp["style-src"] == ["'self'"], url
        assert csp["object-src"] == ["'none'"] and csp["frame-ancestors"] == ["'none'"]


def test_the_api_docs_allow_inline_style_for_swagger_ui_but_still_no_inline_script():
    response = Client().get("/api/v1/docs/")
    assert response.status_code == 200
    csp = policy(response)
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" in csp["style-src"]
    assert b"<script>" not in response.content  # its start script is a file of its own
    script = Client().get("/api/v1/docs/?script=")
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content


def test_no_template_has_an_inline_script_an_event_handler_attribute_or_a_style_attribute():
    offences = []
    for template in TEMPLATES.rglob("*.html"):
        if template.parts[-2] == "exports":  # rendered to PDF by WeasyPrint, never served
            continue
        text = re.sub(r"\{#.*?#\}", "", template.read_text(), flags=re.S)
        offences += [f"{template.name}: {m.group(0)}" for m in re.finditer(
            r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style|javascript:", text)]
    assert offences == []


def test_markdown_table_alignment_becomes_a_class_not_an_inline_style():
    html = render_markdown("| a | b | c |\n|:-|:-:|-:|\n| 1 | 2 | 3 |")
    assert "style=" not in html
    assert '<th class="align-center">b</th>' in html and '<td class="align-right">3</td>' in html



def test_behind_an_https_proxy_pages_carry_hsts_and_plain_http_is_redirected(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = settings.SECURE_HSTS_PRELOAD = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    client = Client()
    plain = client.get("/d/osaid/?x=1")
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/d/osaid/?x=1"
    proxied = client.get("/", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "Content-Security-Policy" in proxied
