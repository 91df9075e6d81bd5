"""A draft in `editing` is seen by its definition's facilitators (and admins) only: every API read,
export, comparison, clause history and the decision log answer as if it did not exist to anyone
else (issue #11, finding 2). The rule lives in the selectors; this table walks every way in."""

import pytest
from django.core.cache import cache

from definition.editing import update_clause
from definition.services import create_draft

pytestmark = pytest.mark.django_db

SECRET = "Unannounced wording under discussion"
D = "/api/v1/definitions/osaid/"
V, V8 = D + "drafts/0.1.0/", D + "drafts/0.0.8/"
K = V + "clauses/freedoms/"
HIDDEN_FROM = ("visitor", "user", "pending", "member", "outsider", "other_facilitator")
SEEN_BY = ("facilitator", "admin")

# (name, path): 404 for everyone who may not see the draft, 200 for its facilitators.
ENDPOINTS = [
    ("draft", V),
    ("clauses", V + "clauses/"),
    ("clause", K),
    ("clause-history", K + "history/"),
    ("ballot", K + "votes/"),
    ("comments", K + "comments/"),
    ("consensus", V + "consensus/"),
    ("clause-consensus", K + "consensus/"),
    ("opinion-groups", V + "opinion-groups/"),
    ("export-md", V + "export/?format=md"),
    ("export-pdf", V + "export/?format=pdf"),
    ("export-ballot", V + "export/?format=ballot-csv"),
    ("export-comments", V + "export/?format=comments-csv"),
    ("compare", D + "compare/?from=0.0.8&to=0.1.0"),
    ("compare-reversed", D + "compare/?from=0.1.0&to=0.0.8"),
    ("redline-md", D + "compare/export/?from=0.0.8&to=0.1.0&format=md"),
    ("redline-pdf", D + "compare/export/?from=0.0.8&to=0.1.0&format=pdf"),
]
# (name, path): 200 for everyone, but the editing draft shows only to its facilitators.
LISTS = [
    ("drafts", D + "drafts/"),
    ("published-clause-history", V8 + "clauses/freedoms/history/"),
    ("activity", D + "activity/"),
]


@pytest.fixture
def unpublished(cast, published_draft, facilitator):
    """0.1.0, created from the open 0.0.8 through the services (so its creation is logged), with
    `freedoms` reworded."""
    draft = create_draft(actor=facilitator, definition=published_draft.definition,
                         version="0.1.0", based_on=published_draft)
    update_clause(actor=facilitator, clause=draft.clauses.get(key="freedoms"),
                  changes={"body": SECRET})
    cache.clear()
    return draft


def expected_status(role: str, name: str) -> int:
    return 200 if role in SEEN_BY else 404


@pytest.mark.parametrize(("name", "path"), ENDPOINTS, ids=[name for name, _ in ENDPOINTS])
def test_an_editing_draft_is_not_found_by_anyone_but_its_facilitators(api, cast, unpublished,
                                                                       name, path):
    answers = {}
    for role in HIDDEN_FROM + SEEN_BY:
        client = api(cast[role])
        response = client.get(path)
        missing = client.get(path.replace("0.1.0", "9.9.9"))  # a draft that does not exist
        same_as_missing = (response.content.replace(b"0.1.0", b"?")
                           == missing.content.replace(b"9.9.9", b"?"))
        leaked = role in HIDDEN_FROM and SECRET.encode() in response.content
        answers[role] = (response.status_code, leaked, same_as_missing)

    # Those who may not see it get exactly what a draft that does not exist gives.
    assert answers == {role: (expected_status(role, name), False, role in HIDDEN_FROM)
                       for role in HIDDEN_FROM + SEEN_BY}


@pytest.mark.parametrize(("name", "path"), LISTS, ids=[name for name, _ in LISTS])
def test_lists_show_an_editing_draft_to_its_facilitators_only(api, cast, unpublished, name,
                                                              path):
    shown = {}
    for role in HIDDEN_FROM + SEEN_BY:
        response = api(cast[role]).get(path)
        assert response.status_code == 200, (role, response.content[:300])
        shown[role] = b"0.1.0" in response.content

    assert shown == {role: role in SEEN_BY for role in HIDDEN_FROM + SEEN_BY}


def test_the_published_clause_history_does_not_show_the_edited_text(api, cast, unpublished):
    versions = api(None).get(V8 + "clauses/freedoms/history/").json()["versions"]

    assert SECRET not in str(versions)
    assert [v["version"] for v in versions] == ["0.0.8"]


def test_once_published_the_draft_is_readable_by_everyone(api, cast, unpublished, facilitator):
    from definition.services import publish_draft

    publish_draft(actor=facilitator, draft=unpublished,
                  closes_at=unpublished.created_at.replace(year=unpublished.created_at.year + 1))

    assert api(None).get(V).status_code == 200
    assert b"0.1.0" in api(None).get(D + "activity/").content


@pytest.mark.parametrize("path", [V + "export/?format=md",
                                  D + "compare/export/?from=0.0.8&to=0.1.0&format=md"],
                         ids=["draft", "redline"])
def test_the_file_of_a_large_export_of_an_editing_draft_is_not_public(
        api, cast, unpublished, settings, tmp_path, django_capture_on_commit_callbacks, path):
    settings.EXPORT_JOB_CLAUSES = 1
    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        started = api(cast["facilitator"]).get(path)
    assert started.status_code == 202
    download = f"/api/v1/jobs/{started.json()['id']}/download/"

    statuses = {role: api(cast[role]).get(download).status_code
                for role in ("visitor", "member", "facilitator")}

    assert statuses == {"visitor": 401, "member": 403, "facilitator": 200}
