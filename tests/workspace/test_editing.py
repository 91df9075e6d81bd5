"""The draft editor's services and endpoints: split, merge, move, rename, next draft."""

import pytest

from core.errors import Conflict, InvalidInput, NotAllowed
from definition import editing
from definition.models import Clause
from definition.selectors import get_comparison, list_clauses

pytestmark = pytest.mark.django_db


def _outline(draft):
    return [(c.number, c.key, c.derived_from) for c in list_clauses(draft=draft)]


def test_splitting_a_clause_replaces_it_by_lettered_parts_in_its_place(facilitator, next_draft):
    freedoms = next_draft.clauses.get(key="freedoms")

    parts = editing.split_clause(actor=facilitator, clause=freedoms,
                                 parts=["Use and study.", "Modify and share."])

    assert [p.key for p in parts] == ["freedoms-a", "freedoms-b"]
    assert _outline(next_draft) == [
        ("1", "preamble", []), ("1.1", "why", []),
        ("2", "freedoms-a", ["freedoms"]), ("3", "freedoms-b", ["freedoms"]),
    ]
    assert not next_draft.clauses.filter(key="freedoms").exists()
    assert list(next_draft.clauses.filter(key__startswith="freedoms-")
                .order_by("key").values_list("body", flat=True)) == [
        "Use and study.", "Modify and share."]


def test_a_split_shows_as_renames_in_the_comparison(facilitator, next_draft, published_draft):
    editing.split_clause(actor=facilitator, clause=next_draft.clauses.get(key="freedoms"),
                         parts=["Use and study.", "Modify and share."])

    statuses = {c.key: c.status for c in get_comparison(old=published_draft, new=next_draft)}

    assert statuses == {"preamble": "unchanged", "why": "unchanged",
                        "freedoms-a": "renamed", "freedoms-b": "renamed"}


def test_splitting_a_section_keeps_its_children_under_the_first_part(facilitator, next_draft):
    preamble = next_draft.clauses.get(key="preamble")
    preamble.body = "Intro."
    preamble.save()

    editing.split_clause(actor=facilitator, clause=preamble, parts=["Intro.", "More."])

    assert _outline(next_draft)[:3] == [("1", "preamble-a", ["preamble"]),
                                        ("1.1", "why", []), ("2", "preamble-b", ["preamble"])]
    assert next_draft.clauses.get(key="preamble-a").heading == "Preamble"


def test_a_clause_new_in_this_draft_passes_on_its_own_lineage(facilitator, next_draft):
    clause = next_draft.clauses.get(key="freedoms")
    editing.rename_clause_key(actor=facilitator, clause=clause, key="four-freedoms")
    clause.refresh_from_db()

    parts = editing.split_clause(actor=facilitator, clause=clause, parts=["a", "b"])

    assert [p.derived_from for p in parts] == [["freedoms"], ["freedoms"]]


@pytest.mark.parametrize("parts", [[], ["only one"], ["a", "  "], "ab", ["a"] * 27])
def test_a_split_needs_two_to_26_parts_with_text(facilitator, next_draft, parts):
    with pytest.raises(InvalidInput) as exc:
        editing.split_clause(actor=facilitator, clause=next_draft.clauses.get(key="freedoms"),
                             parts=parts)

    assert exc.value.field == "parts"


def test_a_split_refuses_keys_already_taken(facilitator, next_draft):
    Clause.objects.create(draft=next_draft, key="freedoms-b", body="x", position=9)

    with pytest.raises(Conflict):
        editing.split_clause(actor=facilitator, clause=next_draft.clauses.get(key="freedoms"),
                             parts=["a", "b"])


def test_only_a_facilitator_splits_and_only_while_editing(member, facilitator, clause):
    with pytest.raises(NotAllowed):
        editing.split_clause(actor=member, clause=clause, parts=["a", "b"])
    with pytest.raises(Conflict):
        editing.split_clause(actor=facilitator, clause=clause, parts=["a", "b"])


def test_merging_clauses_joins_their_text_and_records_their_keys(facilitator, next_draft):
    why, freedoms = (next_draft.clauses.get(key=k) for k in ("why", "freedoms"))
    Clause.objects.filter(pk=why.pk).update(parent=None, position=1)
    Clause.objects.filter(pk=freedoms.pk).update(position=2)

    merged = editing.merge_clauses(actor=facilitator, clauses=[freedoms, why], key="rationale")

    assert (merged.key, merged.derived_from) == ("rationale", ["why", "freedoms"])
    assert merged.body == "Open Source has demonstrated benefits.\n\nUse, study, modify and share."
    assert _outline(next_draft) == [("1", "preamble", []), ("2", "rationale", ["why", "freedoms"])]


def test_a_merge_may_keep_one_of_the_keys_and_adopts_children(facilitator, next_draft):
    preamble, freedoms = (next_draft.clauses.get(key=k) for k in ("preamble", "freedoms"))

    merged = editing.merge_clauses(actor=facilitator, clauses=[preamble, freedoms],
                                   key="freedoms")

    assert merged.pk == preamble.pk
    assert (merged.heading, merged.body) == ("Preamble", "Use, study, modify and share.")
    assert _outline(next_draft) == [("1", "freedoms", ["preamble", "freedoms"]),
                                    ("1.1", "why", [])]


def test_a_clause_cannot_be_merged_with_one_inside_it(facilitator, next_draft):
    preamble, why = (next_draft.clauses.get(key=k) for k in ("preamble", "why"))

    with pytest.raises(InvalidInput) as exc:
        editing.merge_clauses(actor=facilitator, clauses=[preamble, why], key="x")

    assert exc.value.field == "clauses"


def test_a_merge_refuses_a_key_taken_by_another_clause(facilitator, next_draft):
    why, freedoms = (next_draft.clauses.get(key=k) for k in ("why", "freedoms"))

    with pytest.raises(Conflict):
        editing.merge_clauses(actor=facilitator, clauses=[why, freedoms], key="preamble")


def test_moving_a_clause_swaps_it_with_its_sibling(facilitator, next_draft):
    freedoms = next_draft.clauses.get(key="freedoms")

    editing.move_clause(actor=facilitator, clause=freedoms, direction="up")
    assert [c.key for c in list_clauses(draft=next_draft)] == ["freedoms", "preamble", "why"]

    editing.move_clause(actor=facilitator, clause=freedoms, direction="up")  # first already
    editing.move_clause(actor=facilitator, clause=freedoms, direction="down")
    assert [c.key for c in list_clauses(draft=next_draft)] == ["preamble", "why", "freedoms"]


def test_renaming_records_the_key_of_the_previous_draft(facilitator, next_draft):
    clause = editing.rename_clause_key(actor=facilitator,
                                       clause=next_draft.clauses.get(key="freedoms"),
                                       key="four-freedoms")

    assert clause.derived_from == ["freedoms"]
    change = {c.key: c for c in get_comparison(old=next_draft.based_on, new=next_draft)}
    assert change["four-freedoms"].status == "renamed"


def test_renaming_back_to_the_old_key_forgets_the_rename(facilitator, next_draft):
    clause = next_draft.clauses.get(key="freedoms")
    editing.rename_clause_key(actor=facilitator, clause=clause, key="four-freedoms")
    clause.refresh_from_db()

    clause = editing.rename_clause_key(actor=facilitator, clause=clause, key="freedoms")

    assert clause.derived_from == []


def test_the_next_draft_starts_from_the_current_one(facilitator, published_draft):
    draft = editing.start_next_draft(actor=facilitator, definition=published_draft.definition,
                                     version="0.0.9")

    assert draft.based_on == published_draft
    assert [c.key for c in list_clauses(draft=draft)] == ["preamble", "why", "freedoms"]


# Endpoints ---------------------------------------------------------------------------------------

V = "/api/v1/definitions/osaid/drafts/0.0.9/"


def test_the_split_endpoint_answers_the_new_clauses(api, facilitator, next_draft):
    response = api(facilitator).post(V + "clauses/freedoms/split/",
                                     {"parts": ["Use and study.", "Modify and share."]},
                                     format="json")

    assert response.status_code == 201, response.json()
    assert [(c["key"], c["number"], c["derived_from"]) for c in response.json()] == [
        ("freedoms-a", "2", ["freedoms"]), ("freedoms-b", "3", ["freedoms"])]


def test_the_merge_endpoint_names_a_missing_clause(api, facilitator, next_draft):
    response = api(facilitator).post(V + "merge-clauses/",
                                     {"clauses": ["why", "nope"], "key": "x"}, format="json")

    assert response.status_code == 400
    assert "clauses" in response.json()["errors"]


def test_the_merge_endpoint_merges(api, facilitator, next_draft):
    response = api(facilitator).post(V + "merge-clauses/",
                                     {"clauses": ["preamble", "freedoms"], "key": "intro"},
                                     format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["derived_from"] == ["preamble", "freedoms"]


def test_the_move_endpoint_moves(api, facilitator, next_draft):
    response = api(facilitator).post(V + "clauses/freedoms/move/", {"direction": "up"},
                                     format="json")

    assert response.status_code == 200
    assert response.json()["number"] == "1"


# 0.0.9 is editing: a member cannot even see it (tests/config/api/test_unpublished_drafts.py).
@pytest.mark.parametrize("who, status", [("visitor", 401), ("member", 404)])
def test_only_facilitators_use_the_editor_endpoints(api, next_draft, member, who, status):
    client = api(member if who == "member" else None)

    response = client.post(V + "clauses/freedoms/move/", {"direction": "up"}, format="json")

    assert response.status_code == status
