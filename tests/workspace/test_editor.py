"""The draft editor: next draft, edit with preview, add, move, re-parent, delete, rename, split,
merge, apply a suggestion, import from Markdown with a preview."""

import pytest
from django.urls import reverse

from definition.models import Clause, Draft, Event
from deliberation.models import Comment, Disposition
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

EDITOR = "/d/osaid/v/0.0.9/edit/"


def act(key: str, name: str) -> str:
    return reverse("workspace:clause_action", args=["osaid", "0.0.9", key, name])


def keys(draft) -> list[str]:
    from definition.selectors import list_clauses

    return [c.key for c in list_clauses(draft=draft)]


def test_creating_the_next_draft_copies_every_clause(fac, published_draft):
    response = fac.post(reverse("workspace:new_draft", args=["osaid"]), {"version": "0.0.9"})
    assert response.status_code == 302 and response["Location"] == EDITOR
    draft = Draft.objects.get(version="0.0.9")
    assert draft.based_on == published_draft and draft.status == "editing"
    assert keys(draft) == ["preamble", "why", "freedoms"]
    assert Event.objects.filter(kind="draft-created").count() == 1


def test_a_taken_version_names_the_field(fac, published_draft):
    response = fac.post(reverse("workspace:new_draft", args=["osaid"]), {"version": "0.0.8"},
                        follow=True)
    assert "Version: Draft &#x27;0.0.8&#x27; exists already." in response.content.decode()
    assert Draft.objects.count() == 1


def test_the_editor_shows_clauses_and_their_preview(fac, next_draft):
    html = fac.get(EDITOR + "?c=freedoms").content.decode()  # the clause opened (#15)
    assert 'id="e-freedoms"' in html and 'id="body-freedoms"' in html
    assert 'hx-post="/d/osaid/v/0.0.9/edit/preview/"' in html


def test_the_preview_is_sanitised_markdown(fac, next_draft):
    response = fac.post(reverse("workspace:preview", args=["osaid", "0.0.9"]),
                        {"body": "**bold** <script>alert(1)</script>"})
    html = response.content.decode()
    assert "<strong>bold</strong>" in html and "<script>" not in html


def test_saving_a_clause(fac, next_draft):
    response = fac.post(act("freedoms", "save"),
                        {"heading": "Freedoms", "body": "Use, study, modify, share.", "parent": ""})
    assert response["Location"] == EDITOR + "?c=freedoms#e-freedoms"
    clause = next_draft.clauses.get(key="freedoms")
    assert (clause.heading, clause.body) == ("Freedoms", "Use, study, modify, share.")


def test_re_parenting_a_clause(fac, next_draft):
    fac.post(act("freedoms", "save"), {"heading": "", "body": "Use.", "parent": "preamble"})
    assert next_draft.clauses.get(key="freedoms").parent.key == "preamble"
    assert keys(next_draft) == ["preamble", "why", "freedoms"]


def test_a_bad_parent_names_the_field(fac, next_draft):
    response = fac.post(act("freedoms", "save"), {"body": "Use.", "parent": "nope"}, follow=True)
    assert "Inside: No clause &#x27;nope&#x27; in this draft." in response.content.decode()
    assert next_draft.clauses.get(key="freedoms").body == "Use, study, modify and share."


def test_adding_moving_and_deleting(fac, next_draft):
    fac.post(reverse("workspace:add_clause", args=["osaid", "0.0.9"]),
             {"key": "scope", "heading": "Scope", "body": "AI systems.", "parent": ""})
    assert keys(next_draft) == ["preamble", "why", "freedoms", "scope"]
    fac.post(act("scope", "move"), {"direction": "up"})
    assert keys(next_draft) == ["preamble", "why", "scope", "freedoms"]
    fac.post(act("preamble", "move"), {"direction": "down"})
    assert keys(next_draft) == ["scope", "preamble", "why", "freedoms"]
    fac.post(act("scope", "delete"))
    assert keys(next_draft) == ["preamble", "why", "freedoms"]


def test_renaming_records_the_old_key(fac, next_draft):
    response = fac.post(act("freedoms", "rename"), {"key": "four-freedoms"})
    assert response["Location"] == EDITOR + "?c=four-freedoms#e-four-freedoms"
    assert next_draft.clauses.get(key="four-freedoms").derived_from == ["freedoms"]


def test_splitting_on_a_rule_line(fac, next_draft):
    fac.post(act("freedoms", "split"), {"parts": "Use and study.\r\n---\r\nModify and share."})
    assert keys(next_draft) == ["preamble", "why", "freedoms-a", "freedoms-b"]
    second = next_draft.clauses.get(key="freedoms-b")
    assert (second.body, second.derived_from) == ("Modify and share.", ["freedoms"])


def test_merging_the_ticked_clauses(fac, next_draft):
    fac.post(reverse("workspace:merge", args=["osaid", "0.0.9"]),
             {"clauses": ["why", "freedoms"], "key": "purpose"})
    merged = next_draft.clauses.get(key="purpose")
    assert sorted(merged.derived_from) == ["freedoms", "why"]
    assert not next_draft.clauses.filter(key__in=["why", "freedoms"]).exists()


def test_merging_one_clause_names_the_field(fac, next_draft):
    response = fac.post(reverse("workspace:merge", args=["osaid", "0.0.9"]),
                        {"clauses": ["why"], "key": "purpose"}, follow=True)
    assert "Clauses: Choose at least two clauses to merge." in response.content.decode()


def test_an_open_draft_cannot_be_edited(fac, published_draft):
    url = reverse("workspace:clause_action", args=["osaid", "0.0.8", "freedoms", "save"])
    response = fac.post(url, {"body": "Sneaky."}, follow=True)
    assert "Status: Draft 0.0.8 is open; its text can no longer change." in (
        response.content.decode())
    assert published_draft.clauses.get(key="freedoms").body == "Use, study, modify and share."
    assert 'id="body-freedoms"' not in fac.get("/d/osaid/v/0.0.8/edit/").content.decode()


def test_applying_a_suggestion_in_one_action(fac, next_draft, clause, members):
    suggestion = CommentFactory(clause=clause, author=members["lawyers-1"], kind="suggestion",
                                body="Name them.", proposed_text="Use, study, modify and share it.")
    html = fac.get(EDITOR).content.decode()
    assert f'id="suggestion-{suggestion.pk}"' in html and "<ins>" in html
    url = reverse("workspace:apply_suggestion", args=["osaid", "0.0.9", suggestion.pk])
    response = fac.post(url, {"response": ""})
    assert response["Location"] == EDITOR + "?c=freedoms#e-freedoms"
    assert next_draft.clauses.get(key="freedoms").body == "Use, study, modify and share it."
    disposition = Disposition.objects.get(comment=suggestion)
    assert (disposition.status, disposition.addressed_in) == ("accepted", next_draft)
    assert Event.objects.filter(kind="disposition").count() == 1


def test_a_declined_suggestion_is_not_offered(fac, next_draft, clause, members, facilitator):
    suggestion = CommentFactory(clause=clause, author=members["lawyers-1"], kind="suggestion",
                                body="No.", proposed_text="Other text.")
    Disposition.objects.create(comment=suggestion, status="declined", response="No",
                               decided_by=facilitator, decided_at=suggestion.created_at)
    assert f'id="suggestion-{suggestion.pk}"' not in fac.get(EDITOR).content.decode()


MARKDOWN = """# Preamble

Open Source has demonstrated benefits.

# Freedoms

Use, study, modify and share.

A brand new clause about data.
"""


def test_import_previews_before_committing(fac, published_draft):
    url = reverse("workspace:import", args=["osaid"])
    response = fac.post(url, {"version": "0.0.9", "based_on": "0.0.8", "markdown": MARKDOWN,
                              "preview": "1"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Preview: " in html and "exact" in html and "new" in html
    assert not Draft.objects.filter(version="0.0.9").exists()
    response = fac.post(url, {"version": "0.0.9", "based_on": "0.0.8", "markdown": MARKDOWN,
                              "commit": "1"})
    assert response["Location"] == EDITOR
    draft = Draft.objects.get(version="0.0.9")
    assert draft.based_on == published_draft
    assert {"why", "freedoms"} <= set(keys(draft))


def test_import_from_an_uploaded_file(fac, published_draft):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("draft.md", MARKDOWN.encode(), content_type="text/markdown")
    response = fac.post(reverse("workspace:import", args=["osaid"]),
                        {"version": "0.1", "based_on": "", "file": upload, "preview": "1"})
    assert response.status_code == 200
    assert MARKDOWN.splitlines()[2] in response.content.decode()


def test_import_without_markdown_names_the_field(fac, published_draft):
    response = fac.post(reverse("workspace:import", args=["osaid"]),
                        {"version": "0.0.9", "markdown": "  ", "preview": "1"})
    assert response.status_code == 400
    assert "markdown: Paste Markdown or choose a file." in response.content.decode()
    assert Clause.objects.filter(draft__version="0.0.9").count() == 0
    assert Comment.objects.count() == 0


READABLE = """# Draft

## Why we need Open Source Artificial Intelligence (AI)

Open Source has demonstrated benefits.
"""


def test_import_preview_proposes_short_keys_that_can_be_edited(fac, definition):
    url = reverse("workspace:import", args=["osaid"])
    response = fac.post(url, {"version": "0.1", "markdown": READABLE, "preview": "1"})
    html = response.content.decode()
    assert 'name="key:need-open-source-artificial-intelligence" form="import-form" ' \
           'value="need-open-source-artificial-intelligence"' in html
    assert 'name="key:need-open-source-1"' in html

    response = fac.post(url, {"version": "0.1", "markdown": READABLE, "preview": "1",
                              "key:need-open-source-artificial-intelligence": "why"})
    assert 'name="key:need-open-source-artificial-intelligence" form="import-form" ' \
           'value="why"' in response.content.decode()
    fac.post(url, {"version": "0.1", "markdown": READABLE, "commit": "1",
                   "key:need-open-source-artificial-intelligence": "why",
                   "key:need-open-source-1": "why-benefits"})

    draft = Draft.objects.get(version="0.1")
    clauses = {c.key: c for c in draft.clauses.all()}
    assert set(clauses) == {"why", "why-benefits"}
    assert clauses["why-benefits"].parent == clauses["why"]


@pytest.mark.parametrize(("typed", "message"), [
    ("Not A Key", "is not a key"),
    ("need-open-source-1", "Two clauses would have the key"),
])
def test_an_edited_key_that_cannot_be_used_is_refused_naming_the_field(fac, definition, typed,
                                                                      message):
    response = fac.post(reverse("workspace:import", args=["osaid"]),
                        {"version": "0.1", "markdown": READABLE, "commit": "1",
                         "key:need-open-source-artificial-intelligence": typed})
    assert response.status_code == 400
    assert "keys: " in response.content.decode() and message in response.content.decode()
    assert not Draft.objects.filter(version="0.1").exists()
