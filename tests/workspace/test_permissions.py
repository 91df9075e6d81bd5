"""Every workspace endpoint x every role of PRODUCT.md §1 (the table of tests/api, extended):
the status of each cell, and a refused write leaves the database exactly as it was."""

import pytest

from deliberation.models import Flag
from tests.config.api.test_permissions import (
    ALL_READ,
    EDITING,
    EDITING_WRITE,
    FACILITATE,
    ROLES,
    play_cell,
    refused_before_body,
)

pytestmark = pytest.mark.django_db

D = "/api/v1/definitions/osaid/"
V8, V9 = D + "drafts/0.0.8/", D + "drafts/0.0.9/"
K9 = V9 + "clauses/freedoms/"

# (name, method, path and body (formatted with the world's ids), expected status per role)
WORKSPACE_ENDPOINTS = [
    ("changelog", "get", V9 + "changelog/", None, EDITING.format(ok=200)),
    ("dispositions", "get", V8 + "dispositions/", None, ALL_READ),
    ("dispositions-csv", "get", V8 + "dispositions/?format=csv", None, ALL_READ),
    ("duplicates", "post", V8 + "dispositions/duplicates/",
     {"comments": ["{suggestion}"], "of": "{comment}", "response": "Same."},
     FACILITATE.format(ok=200)),
    ("apply", "post", "/api/v1/comments/{suggestion}/apply/", {"draft": "0.0.9"},
     FACILITATE.format(ok=200)),
    ("resolve-flags", "post", "/api/v1/comments/{comment}/resolve-flags/", {},
     FACILITATE.format(ok=200)),
    ("split", "post", K9 + "split/", {"parts": ["Use.", "Share."]},
     EDITING_WRITE.format(ok=201)),
    ("move", "post", K9 + "move/", {"direction": "up"}, EDITING_WRITE.format(ok=200)),
    ("merge", "post", V9 + "merge-clauses/", {"clauses": ["preamble", "freedoms"], "key": "all"},
     EDITING_WRITE.format(ok=201)),
]


def _fill(value, ids: dict):
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    if isinstance(value, list):
        return [_fill(item, ids) for item in value]
    return value


@pytest.mark.parametrize(("method", "path", "body", "expected"),
                         [pytest.param(*row[1:], id=row[0]) for row in WORKSPACE_ENDPOINTS])
def test_each_role_gets_the_status_of_its_cell(api, world, cast, method, path, body, expected):
    Flag.objects.create(comment=world["comment"], user=cast["user"], reason="Rude.")
    ids = {name: obj.pk for name, obj in world.items()}
    url = path.format(**ids)
    body = {key: _fill(value, ids) for key, value in body.items()} if body else body
    clients = {role: api(cast[role]) for role in ROLES}
    problems = {}
    for role, status in zip(ROLES, map(int, expected.split()), strict=True):
        problem = play_cell(clients[role], method, url, body, status)
        if problem:
            problems[role] = f"expected {status}, {problem}"
    assert problems == {}


@pytest.mark.parametrize(("method", "path", "expected"),
                         [pytest.param(row[1], row[2], row[4], id=row[0])
                          for row in WORKSPACE_ENDPOINTS if row[1] != "get"])
def test_a_refused_role_is_refused_before_its_invalid_body_is_read(api, world, cast, method,
                                                                    path, expected):
    assert refused_before_body(api, world, cast, method, path, expected) == {}
