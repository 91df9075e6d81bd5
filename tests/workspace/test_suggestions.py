"""Applying suggestions, bulk duplicates and the generated changelog."""

import pytest

from core.errors import Conflict, InvalidInput, NotAllowed
from definition import editing
from definition.editing import add_clause
from definition.models import Event
from deliberation.discussion.services import (
    apply_suggestion,
    post_comment,
    record_disposition,
    record_duplicates,
)
from deliberation.models import Disposition
from workspace.changelog import generate_changelog

pytestmark = pytest.mark.django_db


@pytest.fixture
def suggestion(members, clause):
    return post_comment(actor=members["lawyers-1"], clause=clause, body="Name the four.",
                        kind="suggestion", proposed_text="Use, study, modify and share, freely.")


def test_applying_a_suggestion_sets_the_text_and_accepts_it(facilitator, suggestion, next_draft):
    clause = apply_suggestion(actor=facilitator, comment=suggestion, draft=next_draft)

    assert (clause.draft, clause.key) == (next_draft, "freedoms")
    assert next_draft.clauses.get(key="freedoms").body == "Use, study, modify and share, freely."
    disposition = Disposition.objects.get(comment=suggestion)
    assert (disposition.status, disposition.addressed_in, disposition.response) == (
        "accepted", next_draft, "Applied in draft 0.0.9.")
    assert Event.objects.filter(kind="disposition", data__comment=suggestion.pk).count() == 1


def test_applying_keeps_an_existing_acceptance_and_links_the_draft(facilitator, suggestion,
                                                                   next_draft):
    record_disposition(actor=facilitator, comment=suggestion, status="partially-accepted",
                       response="In part.")

    apply_suggestion(actor=facilitator, comment=suggestion, draft=next_draft)

    disposition = Disposition.objects.get(comment=suggestion)
    assert (disposition.status, disposition.response, disposition.addressed_in) == (
        "partially-accepted", "In part.", next_draft)
    assert Event.objects.filter(kind="disposition").count() == 1


def test_applying_a_deferred_suggestion_accepts_it(facilitator, suggestion, next_draft):
    record_disposition(actor=facilitator, comment=suggestion, status="deferred", response="Later")

    apply_suggestion(actor=facilitator, comment=suggestion, draft=next_draft,
                     response="Taken in 0.0.9.")

    disposition = Disposition.objects.get(comment=suggestion)
    assert (disposition.status, disposition.response) == ("accepted", "Taken in 0.0.9.")


def test_a_suggestion_follows_its_clause_through_a_rename(facilitator, suggestion, next_draft):
    editing.rename_clause_key(actor=facilitator, clause=next_draft.clauses.get(key="freedoms"),
                              key="four-freedoms")

    clause = apply_suggestion(actor=facilitator, comment=suggestion, draft=next_draft)

    assert clause.key == "four-freedoms"


def test_a_suggestion_without_a_clause_to_apply_to_is_a_conflict(facilitator, suggestion,
                                                                next_draft):
    next_draft.clauses.get(key="freedoms").delete()

    with pytest.raises(Conflict):
        apply_suggestion(actor=facilitator, comment=suggestion, draft=next_draft)
    assert not Disposition.objects.exists()


def test_only_suggestions_are_applied_by_facilitators_to_editing_drafts(
    facilitator, member, suggestion, clause, next_draft, published_draft
):
    comment = post_comment(actor=member, clause=clause, body="Hm.")
    with pytest.raises(InvalidInput):
        apply_suggestion(actor=facilitator, comment=comment, draft=next_draft)
    with pytest.raises(NotAllowed):
        apply_suggestion(actor=member, comment=suggestion, draft=next_draft)
    with pytest.raises(InvalidInput):
        apply_suggestion(actor=facilitator, comment=suggestion, draft=published_draft)


def test_the_apply_endpoint(api, facilitator, suggestion, next_draft):
    response = api(facilitator).post(f"/api/v1/comments/{suggestion.pk}/apply/",
                                     {"draft": "0.0.9"}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["body"] == "Use, study, modify and share, freely."
    assert response.json()["number"] == "2"


def test_the_apply_endpoint_names_an_unknown_draft(api, facilitator, suggestion):
    response = api(facilitator).post(f"/api/v1/comments/{suggestion.pk}/apply/",
                                     {"draft": "9.9"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["draft"]


# Duplicates --------------------------------------------------------------------------------------


@pytest.fixture
def repeats(members, clause):
    first = post_comment(actor=members["developers-1"], clause=clause, body="Add data.")
    others = [post_comment(actor=members[f"{g}-1"], clause=clause, body="Data please.")
              for g in ("lawyers", "legislators", "companies")]
    return first, others


def test_duplicates_are_dispositioned_in_bulk(facilitator, repeats):
    first, others = repeats

    dispositions = record_duplicates(actor=facilitator, comments=others, of=first,
                                     response="Same as #1.")

    assert len(dispositions) == 3
    rows = Disposition.objects.filter(comment__in=others)
    assert {(d.status, d.duplicate_of_id, d.response) for d in rows} == {
        ("duplicate", first.pk, "Same as #1.")}
    assert Event.objects.filter(kind="disposition", data__duplicate_of=first.pk).count() == 3
    assert not Disposition.objects.filter(comment=first).exists()


def test_a_comment_is_not_a_duplicate_of_itself(facilitator, repeats):
    first, others = repeats

    with pytest.raises(InvalidInput):
        record_duplicates(actor=facilitator, comments=[*others, first], of=first, response="x")
    assert not Disposition.objects.exists()


def test_the_duplicates_endpoint(api, facilitator, repeats, published_draft):
    first, others = repeats
    url = "/api/v1/definitions/osaid/drafts/0.0.8/dispositions/duplicates/"

    response = api(facilitator).post(url, {"comments": [c.pk for c in others], "of": first.pk,
                                           "response": "Same as the first."}, format="json")

    assert response.status_code == 200, response.json()
    assert [(r["comment"], r["status"], r["duplicate_of"]) for r in response.json()] == [
        (c.pk, "duplicate", first.pk) for c in others]


@pytest.mark.parametrize("body, field", [
    ({"comments": [], "of": 1, "response": "x"}, "comments"),
    ({"comments": [999999], "of": "OF", "response": "x"}, "comments"),
    ({"comments": ["OTHER"], "of": 999999, "response": "x"}, "of"),
    ({"comments": ["OTHER"], "of": "OF", "response": ""}, "response"),
    ({"comments": ["OTHER"], "of": "OF", "response": "x", "extra": 1}, "extra"),
])
def test_the_duplicates_endpoint_names_bad_input(api, facilitator, repeats, body, field):
    first, others = repeats
    ids = {"OF": first.pk, "OTHER": others[0].pk}
    body = {k: ids.get(v, v) if not isinstance(v, list) else [ids.get(i, i) for i in v]
            for k, v in body.items()}
    url = "/api/v1/definitions/osaid/drafts/0.0.8/dispositions/duplicates/"

    response = api(facilitator).post(url, body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_duplicates_must_be_on_the_draft_of_the_path(api, facilitator, repeats, next_draft):
    first, others = repeats
    url = "/api/v1/definitions/osaid/drafts/0.0.9/dispositions/duplicates/"

    response = api(facilitator).post(url, {"comments": [others[0].pk], "of": first.pk,
                                           "response": "x"}, format="json")

    assert response.status_code == 400
    assert "comments" in response.json()["errors"]


# Changelog ---------------------------------------------------------------------------------------


def test_the_changelog_lists_changes_and_credits_suggestions(facilitator, suggestion,
                                                             next_draft, members, clause):
    apply_suggestion(actor=facilitator, comment=suggestion, draft=next_draft)
    editing.rename_clause_key(actor=facilitator, clause=next_draft.clauses.get(key="why"),
                              key="benefits")
    editing.split_clause(actor=facilitator, clause=next_draft.clauses.get(key="preamble"),
                         parts=["Intro.", "Scope."])
    add_clause(actor=facilitator, draft=next_draft, key="data", heading="Data information")
    declined = post_comment(actor=members["companies-1"], clause=clause, body="No.",
                            kind="suggestion", proposed_text="Nothing.")
    record_disposition(actor=facilitator, comment=declined, status="declined", response="No.",
                       addressed_in=next_draft)

    text = generate_changelog(draft=next_draft)

    assert text == (
        "## Changes in 0.0.9\n\n"
        "Compared with 0.0.8.\n\n"
        "### Added\n\n"
        "- 4 “Data information” (`data`)\n\n"
        "### Changed\n\n"
        "- 3 “Use, study, modify and share, freely.” (`freedoms`)\n\n"
        "### Renamed\n\n"
        "- 1 “Preamble” (`preamble-a`), was `preamble`; text changed\n"
        "- 1.1 “Open Source has demonstrated benefits.” (`benefits`), was `why`\n"
        "- 2 “Scope.” (`preamble-b`), was `preamble`; text changed\n\n"
        "### Suggestions taken\n\n"
        f"- 3 `freedoms`: suggestion #{suggestion.pk} accepted. Suggested by @lawyers-1.\n\n"
        "### Comments answered\n\n"  # #15: every disposition the draft answers is cited
        f"- 3 `freedoms`: suggestion #{declined.pk} by @companies-1, declined: No.\n"
    )


def test_an_unchanged_draft_says_so(next_draft):
    assert generate_changelog(draft=next_draft) == (
        "## Changes in 0.0.9\n\nNo clause changed since 0.0.8.\n")


def test_a_first_draft_counts_its_clauses(editing_draft):
    expected = "## Changes in 0.0.8\n\nFirst draft: 3 clauses.\n"
    assert generate_changelog(draft=editing_draft) == expected


def test_long_bodies_are_named_by_their_first_words(facilitator, next_draft):
    clause = next_draft.clauses.get(key="freedoms")
    editing.update_clause(actor=facilitator, clause=clause, changes={
        "body": "one two three four five six seven eight nine ten"})

    assert "- 2 “one two three four five six seven eight…” (`freedoms`)" in generate_changelog(
        draft=next_draft)


def test_the_changelog_endpoint_is_for_facilitators(api, facilitator, member, next_draft):
    url = "/api/v1/definitions/osaid/drafts/0.0.9/changelog/"

    assert api(member).get(url).status_code == 404  # an editing draft is its facilitators'
    assert api().get(url).status_code == 404
    response = api(facilitator).get(url)
    assert response.status_code == 200
    assert response.json() == {"changelog": generate_changelog(draft=next_draft)}


def test_the_generated_changelog_is_published_after_editing(api, facilitator, next_draft):
    text = api(facilitator).get("/api/v1/definitions/osaid/drafts/0.0.9/changelog/").json()
    edited = text["changelog"] + "\nAlso: typo fixes.\n"

    response = api(facilitator).post("/api/v1/definitions/osaid/drafts/0.0.9/publish/",
                                     {"closes_at": "2099-01-01T00:00:00Z", "changelog": edited},
                                     format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["changelog"] == edited.strip()  # the API trims text fields
