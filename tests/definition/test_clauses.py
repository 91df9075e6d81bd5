"""Clauses: editing only while the draft is in `editing`, keys, the tree, numbering, frozen text."""

import pytest
from django.db import IntegrityError, transaction

from core.errors import Conflict, InvalidInput, NotAllowed
from definition.editing import add_clause, delete_clause, update_clause
from definition.models import Clause, Draft
from definition.selectors import list_clauses
from tests.factories import ClauseFactory, DraftFactory

pytestmark = pytest.mark.django_db



def numbered(draft: Draft) -> list[tuple[str, str]]:
    return [(c.number, c.key) for c in list_clauses(draft=draft)]


def test_a_new_clause_goes_last_among_its_siblings(facilitator, editing_draft):
    clause = add_clause(actor=facilitator, draft=editing_draft, key="conditions",
                        heading="Conditions", body="Under these terms.")

    assert (clause.position, clause.parent, clause.kind) == (2, None, "paragraph")
    assert numbered(editing_draft) == [
        ("1", "preamble"), ("1.1", "why"), ("2", "freedoms"), ("3", "conditions")]


def test_a_new_clause_inside_a_section(facilitator, editing_draft):
    clause = add_clause(actor=facilitator, draft=editing_draft, key="how", body="By sharing.",
                        parent="preamble")

    assert clause.parent.key == "preamble"
    assert clause.position == 1
    assert numbered(editing_draft) == [
        ("1", "preamble"), ("1.1", "why"), ("1.2", "how"), ("2", "freedoms")]


def test_a_new_clause_at_a_position_shifts_the_siblings(facilitator, editing_draft):
    add_clause(actor=facilitator, draft=editing_draft, key="intro", body="Hello.", position=0)

    assert numbered(editing_draft) == [
        ("1", "intro"), ("2", "preamble"), ("2.1", "why"), ("3", "freedoms")]
    assert dict(editing_draft.clauses.filter(parent=None).values_list("key", "position")) == {
        "intro": 0, "preamble": 1, "freedoms": 2}


def test_a_new_clause_goes_after_the_last_sibling_even_with_gaps(facilitator, editing_draft):
    editing_draft.clauses.filter(key="freedoms").update(position=7)

    clause = add_clause(actor=facilitator, draft=editing_draft, key="last", body="The end.")

    assert clause.position == 8
    assert numbered(editing_draft)[-1] == ("3", "last")


@pytest.mark.parametrize("kwargs, field", [
    ({"key": "Bad Key", "body": "x"}, "key"),
    ({"key": "", "body": "x"}, "key"),
    ({"key": "k" * 81, "body": "x"}, "key"),
    ({"key": "empty"}, "body"),
    ({"key": "empty", "heading": "  ", "body": " "}, "body"),
    ({"key": "long", "heading": "h" * 301}, "heading"),
    ({"key": "long", "body": "b" * 20001}, "body"),
    ({"key": "orphan", "body": "x", "parent": "missing"}, "parent"),
    ({"key": "moved", "body": "x", "position": -1}, "position"),
    ({"key": "moved", "body": "x", "derived_from": ["Not A Key"]}, "derived_from"),
    ({"key": "moved", "body": "x", "derived_from": "why"}, "derived_from"),
])
def test_it_validates_a_new_clause(facilitator, editing_draft, kwargs, field):
    with pytest.raises(InvalidInput) as exc:
        add_clause(actor=facilitator, draft=editing_draft, **kwargs)

    assert exc.value.field == field
    assert editing_draft.clauses.count() == 3


def test_a_key_is_unique_in_its_draft(facilitator, editing_draft):
    with pytest.raises(Conflict) as exc:
        add_clause(actor=facilitator, draft=editing_draft, key="why", body="Again.")

    assert exc.value.field == "key"
    assert editing_draft.clauses.filter(key="why").count() == 1


def test_the_same_key_may_exist_in_another_draft(facilitator, editing_draft):
    other = DraftFactory(definition=editing_draft.definition, version="0.0.9")

    add_clause(actor=facilitator, draft=other, key="why", body="Same key, new draft.")

    assert Clause.objects.filter(key="why").count() == 2


def test_the_database_refuses_a_duplicate_key_in_a_draft(editing_draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        Clause.objects.create(draft=editing_draft, key="why", body="Duplicate.")


def test_a_facilitator_edits_the_text_of_a_clause(facilitator, editing_draft):
    clause = editing_draft.clauses.get(key="freedoms")

    update_clause(actor=facilitator, clause=clause,
                  changes={"body": "Use, study, modify and share for any purpose.",
                           "heading": "Freedoms"})

    clause.refresh_from_db()
    assert (clause.heading, clause.body) == (
        "Freedoms", "Use, study, modify and share for any purpose.")
    assert clause.history.count() == 2


def test_renaming_a_key_to_a_taken_one_is_a_conflict(facilitator, editing_draft):
    clause = editing_draft.clauses.get(key="freedoms")

    with pytest.raises(Conflict) as exc:
        update_clause(actor=facilitator, clause=clause, changes={"key": "why"})

    assert exc.value.field == "key"
    assert Clause.objects.get(pk=clause.pk).key == "freedoms"


def test_keeping_the_same_key_is_not_a_conflict(facilitator, editing_draft):
    clause = editing_draft.clauses.get(key="freedoms")

    update_clause(actor=facilitator, clause=clause, changes={"key": "freedoms", "body": "New."})

    clause.refresh_from_db()
    assert (clause.key, clause.body, clause.derived_from) == ("freedoms", "New.", [])


def test_renaming_a_key_records_the_old_key_of_the_draft_it_is_based_on(
    facilitator, editing_draft
):
    next_draft = DraftFactory(definition=editing_draft.definition, based_on=editing_draft)
    clause = ClauseFactory(draft=next_draft, key="freedoms", body="Use, study, modify and share.")

    update_clause(actor=facilitator, clause=clause, changes={"key": "four-freedoms"})
    update_clause(actor=facilitator, clause=clause, changes={"key": "the-freedoms"})

    clause.refresh_from_db()
    assert clause.key == "the-freedoms"
    assert clause.derived_from == ["freedoms"]  # the intermediate name is no key of 0.0.8


def test_renaming_a_key_of_a_draft_based_on_nothing_records_nothing(facilitator, editing_draft):
    clause = editing_draft.clauses.get(key="freedoms")

    update_clause(actor=facilitator, clause=clause, changes={"key": "four-freedoms"})

    clause.refresh_from_db()
    assert clause.derived_from == []


def test_an_explicit_derived_from_wins_over_the_rename(facilitator, editing_draft):
    clause = editing_draft.clauses.get(key="freedoms")

    update_clause(actor=facilitator, clause=clause,
                  changes={"key": "merged", "derived_from": ["freedoms", "why"]})

    clause.refresh_from_db()
    assert clause.derived_from == ["freedoms", "why"]


def test_a_clause_cannot_lose_both_heading_and_body(facilitator, editing_draft):
    clause = editing_draft.clauses.get(key="freedoms")

    with pytest.raises(InvalidInput) as exc:
        update_clause(actor=facilitator, clause=clause, changes={"body": ""})

    assert exc.value.field == "body"
    assert Clause.objects.get(pk=clause.pk).body == "Use, study, modify and share."


def test_an_unknown_clause_field_is_refused(facilitator, editing_draft):
    clause = editing_draft.clauses.get(key="freedoms")

    with pytest.raises(InvalidInput) as exc:
        update_clause(actor=facilitator, clause=clause, changes={"draft": 1})

    assert exc.value.field == "draft"


def test_moving_a_clause_first_shifts_its_siblings(facilitator, editing_draft):
    clause = editing_draft.clauses.get(key="freedoms")

    update_clause(actor=facilitator, clause=clause, changes={"position": 0})

    assert numbered(editing_draft) == [("1", "freedoms"), ("2", "preamble"), ("2.1", "why")]


def test_moving_a_clause_before_a_later_sibling(facilitator, editing_draft):
    add_clause(actor=facilitator, draft=editing_draft, key="last", body="The end.")
    first = editing_draft.clauses.get(key="preamble")

    update_clause(actor=facilitator, clause=first, changes={"position": 2})

    assert numbered(editing_draft) == [
        ("1", "freedoms"), ("2", "preamble"), ("2.1", "why"), ("3", "last")]


def test_re_parenting_a_clause_moves_it_into_the_section(facilitator, editing_draft):
    clause = editing_draft.clauses.get(key="freedoms")

    update_clause(actor=facilitator, clause=clause, changes={"parent": "preamble"})

    clause.refresh_from_db()
    assert clause.parent.key == "preamble"
    assert clause.position == 1
    assert numbered(editing_draft) == [("1", "preamble"), ("1.1", "why"), ("1.2", "freedoms")]


def test_re_parenting_to_the_top_level(facilitator, editing_draft):
    why = editing_draft.clauses.get(key="why")

    update_clause(actor=facilitator, clause=why, changes={"parent": None})

    assert numbered(editing_draft) == [("1", "preamble"), ("2", "freedoms"), ("3", "why")]


def test_re_parenting_at_a_position(facilitator, editing_draft):
    clause = editing_draft.clauses.get(key="freedoms")

    update_clause(actor=facilitator, clause=clause, changes={"parent": "preamble", "position": 0})

    assert numbered(editing_draft) == [("1", "preamble"), ("1.1", "freedoms"), ("1.2", "why")]


def test_a_clause_cannot_be_its_own_parent(facilitator, editing_draft):
    section = editing_draft.clauses.get(key="preamble")

    with pytest.raises(InvalidInput) as exc:
        update_clause(actor=facilitator, clause=section, changes={"parent": "preamble"})

    assert exc.value.field == "parent"
    assert Clause.objects.get(pk=section.pk).parent_id is None


def test_a_clause_cannot_move_inside_its_own_descendant(facilitator, editing_draft):
    section = editing_draft.clauses.get(key="preamble")
    add_clause(actor=facilitator, draft=editing_draft, key="deep", body="Deep.", parent="why")

    for descendant in ("why", "deep"):
        with pytest.raises(InvalidInput) as exc:
            update_clause(actor=facilitator, clause=section, changes={"parent": descendant})
        assert exc.value.field == "parent"

    assert Clause.objects.get(pk=section.pk).parent_id is None
    assert numbered(editing_draft) == [
        ("1", "preamble"), ("1.1", "why"), ("1.1.1", "deep"), ("2", "freedoms")]


def test_a_parent_must_be_in_the_same_draft(facilitator, editing_draft):
    other = DraftFactory(definition=editing_draft.definition, version="0.0.9")
    ClauseFactory(draft=other, key="elsewhere")
    clause = editing_draft.clauses.get(key="freedoms")

    with pytest.raises(InvalidInput) as exc:
        update_clause(actor=facilitator, clause=clause, changes={"parent": "elsewhere"})

    assert exc.value.field == "parent"


def test_deleting_a_section_deletes_its_clauses(facilitator, editing_draft):
    delete_clause(actor=facilitator, clause=editing_draft.clauses.get(key="preamble"))

    assert list(editing_draft.clauses.values_list("key", flat=True)) == ["freedoms"]


@pytest.mark.parametrize("status", ["open", "closed", "final"])
def test_clauses_of_a_draft_that_left_editing_cannot_change(facilitator, editing_draft, status):
    Draft.objects.filter(pk=editing_draft.pk).update(status=status)
    clause = editing_draft.clauses.get(key="freedoms")
    attempts = [
        lambda: add_clause(actor=facilitator, draft=editing_draft, key="new", body="New."),
        lambda: update_clause(actor=facilitator, clause=clause, changes={"body": "Changed."}),
        lambda: update_clause(actor=facilitator, clause=clause, changes={"position": 0}),
        lambda: update_clause(actor=facilitator, clause=clause, changes={"parent": "preamble"}),
        lambda: delete_clause(actor=facilitator, clause=clause),
    ]

    for attempt in attempts:
        with pytest.raises(Conflict) as exc:
            attempt()
        assert exc.value.field == "status"

    assert numbered(editing_draft) == [("1", "preamble"), ("1.1", "why"), ("2", "freedoms")]
    assert Clause.objects.get(pk=clause.pk).body == "Use, study, modify and share."


@pytest.mark.parametrize("actor_name", ["member", "user"])
def test_only_a_facilitator_edits_clauses(request, editing_draft, actor_name):
    actor = request.getfixturevalue(actor_name)
    clause = editing_draft.clauses.get(key="freedoms")
    attempts = [
        lambda: add_clause(actor=actor, draft=editing_draft, key="new", body="New."),
        lambda: update_clause(actor=actor, clause=clause, changes={"body": "Changed."}),
        lambda: delete_clause(actor=actor, clause=clause),
    ]

    for attempt in attempts:
        with pytest.raises(NotAllowed):
            attempt()

    assert editing_draft.clauses.count() == 3
    assert Clause.objects.get(pk=clause.pk).body == "Use, study, modify and share."


# The database triggers of migration 0002 ---------------------------------------------------------


@pytest.mark.parametrize("field, value", [
    ("body", "Rewritten behind the service's back."),
    ("heading", "New heading"),
    ("key", "renamed"),
    ("position", 5),
    ("derived_from", ["old"]),
])
def test_the_database_freezes_published_clause_text(published_draft, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        Clause.objects.filter(draft=published_draft, key="freedoms").update(**{field: value})

    clause = Clause.objects.get(draft=published_draft, key="freedoms")
    assert (clause.key, clause.body, clause.position) == (
        "freedoms", "Use, study, modify and share.", 1)


def test_the_database_freezes_the_parent_of_a_published_clause(published_draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        Clause.objects.filter(draft=published_draft, key="why").update(parent=None)


def test_the_database_refuses_a_new_clause_in_a_published_draft(published_draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        Clause.objects.create(draft=published_draft, key="smuggled", body="Not published.")

    assert published_draft.clauses.count() == 3


@pytest.mark.parametrize("status", ["closed", "final"])
def test_the_database_freezes_closed_and_final_drafts_too(published_draft, status):
    Draft.objects.filter(pk=published_draft.pk).update(status=status)

    with pytest.raises(IntegrityError), transaction.atomic():
        Clause.objects.filter(draft=published_draft).update(body="Changed.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Clause.objects.create(draft=published_draft, key="smuggled", body="Not published.")


def test_the_database_allows_raw_edits_while_editing(editing_draft):
    updated = Clause.objects.filter(draft=editing_draft, key="freedoms").update(body="Raw edit.")

    assert updated == 1
    assert Clause.objects.get(draft=editing_draft, key="freedoms").body == "Raw edit."


def test_the_database_freezes_the_changelog_and_version_of_a_published_draft(published_draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        Draft.objects.filter(pk=published_draft.pk).update(changelog="Rewritten.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Draft.objects.filter(pk=published_draft.pk).update(version="0.0.8-fixed")

    published_draft.refresh_from_db()
    assert (published_draft.changelog, published_draft.version) == ("", "0.0.8")


def test_the_database_refuses_to_reopen_a_draft_for_editing(published_draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        Draft.objects.filter(pk=published_draft.pk).update(status=Draft.Status.EDITING)

    assert Draft.objects.get(pk=published_draft.pk).status == Draft.Status.OPEN


def test_the_database_lets_a_published_draft_move_on(published_draft):
    Draft.objects.filter(pk=published_draft.pk).update(status=Draft.Status.CLOSED)
    Draft.objects.filter(pk=published_draft.pk).update(status=Draft.Status.FINAL)

    assert Draft.objects.get(pk=published_draft.pk).status == Draft.Status.FINAL


# Numbering ---------------------------------------------------------------------------------------


def test_clauses_are_numbered_in_pre_order(editing_draft):
    clauses = list_clauses(draft=editing_draft)

    assert [(c.number, c.key, c.depth, c.parent_key) for c in clauses] == [
        ("1", "preamble", 0, None), ("1.1", "why", 1, "preamble"), ("2", "freedoms", 0, None)]


def test_numbering_follows_positions_with_gaps_and_ties(definition):
    draft = DraftFactory(definition=definition, version="1.0")
    second = ClauseFactory(draft=draft, key="second", position=10)
    ClauseFactory(draft=draft, key="first", position=3)
    ClauseFactory(draft=draft, key="b", parent=second, position=1)
    ClauseFactory(draft=draft, key="a", parent=second, position=1)
    ClauseFactory(draft=draft, key="a-1", parent=draft.clauses.get(key="a"), position=0)
    ClauseFactory(draft=draft, key="third", position=10)

    assert numbered(draft) == [
        ("1", "first"), ("2", "second"), ("2.1", "b"), ("2.2", "a"), ("2.2.1", "a-1"),
        ("3", "third")]


def test_an_empty_draft_has_no_clauses(definition):
    assert list_clauses(draft=DraftFactory(definition=definition)) == []
