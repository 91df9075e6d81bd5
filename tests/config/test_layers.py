"""The layers flow one way (STYLE.md): core <- accounts <- definition <- deliberation <- workspace
<- config, in Python imports, URL names, templates and template tags alike."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["core", "accounts", "definition", "deliberation", "workspace", "config"]
# URL namespaces, template folders and template-tag libraries each layer owns.
URL_NAMESPACES = {"definition": "definition", "deliberation": "deliberation",
                  "workspace": "workspace"}
TAG_LIBRARIES = {"labels": "core", "concord": "deliberation", "workspace": "workspace"}


def _python_files(app: str):
    return [p for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]


def _imported_layers(path: Path) -> set[str]:
    layers = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        layers.update(n.split(".")[0] for n in names if n.split(".")[0] in LAYERS)
    return layers


def _above(layer: str) -> set[str]:
    return set(LAYERS[LAYERS.index(layer) + 1:])


@pytest.mark.parametrize("app", LAYERS[:-1])
def test_no_module_imports_a_layer_above_its_own(app):
    offenders = {str(p.relative_to(ROOT)): sorted(_imported_layers(p) & _above(app))
                 for p in _python_files(app)}
    assert {k: v for k, v in offenders.items() if v} == {}


def _named_urls(text: str) -> set[str]:
    found = set(re.findall(r"""['"]([a-z_]+):[a-z_]+['"]""", text))
    return {URL_NAMESPACES[n] for n in found if n in URL_NAMESPACES}


def _templates_named(text: str) -> set[str]:
    found = set(re.findall(r"""['"]([a-z_]+)/[\w/.-]+\.html['"]""", text))
    return {f for f in found if f in LAYERS}


def _tags_loaded(text: str) -> set[str]:
    loads = re.findall(r"\{%\s*load\s+([^%]+)%\}", text)
    return {TAG_LIBRARIES[name] for line in loads for name in line.split()
            if name in TAG_LIBRARIES}


@pytest.mark.parametrize("app", LAYERS[:-2])
def test_no_code_of_a_layer_names_a_url_or_template_above_it(app):
    offenders = {}
    for path in _python_files(app):
        text = path.read_text()
        above = (_named_urls(text) | _templates_named(text)) & _above(app)
        if above:
            offenders[str(path.relative_to(ROOT))] = sorted(above)
    assert offenders == {}


@pytest.mark.parametrize("app", ["accounts", "definition", "deliberation"])
def test_no_template_of_a_layer_names_a_url_template_or_tag_above_it(app):
    offenders = {}
    for path in (ROOT / "templates" / app).rglob("*.html"):
        text = path.read_text()
        above = (_named_urls(text) | _templates_named(text) | _tags_loaded(text)) & _above(app)
        if above:
            offenders[str(path.relative_to(ROOT))] = sorted(above)
    assert offenders == {}


def test_the_check_sees_a_violation():
    """The patterns above match what a violation looks like (so the tests can fail)."""
    text = "{% load concord workspace %}<a href=\"{% url 'workspace:desk' d %}\">" \
           "{% include 'workspace/_nav.html' %}"
    assert _named_urls(text) == {"workspace"}
    assert _templates_named(text) == {"workspace"}
    assert _tags_loaded(text) == {"deliberation", "workspace"}
