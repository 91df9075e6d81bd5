"""Drafts: creation from a previous draft, versions, and the editing -> open -> closed -> final."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import Conflict, InvalidInput, NotAllowed
from definition.models import Clause, Draft, Event
from definition.selectors import list_clauses
from definition.services import (
    close_draft,
    close_expired_drafts,
    create_draft,
    delete_draft,
    finalize_draft,
    publish_draft,
    update_draft,
)
from tests.factories import ClauseFactory, DefinitionFactory, DraftFactory, open_draft

pytestmark = pytest.mark.django_db



def in_days(days: int):
    return timezone.now() + timedelta(days=days)


def outline(draft: Draft) -> list[tuple]:
    return [(c.number, c.key, c.heading, c.body, c.kind, c.parent_key, c.position)
            for c in list_clauses(draft=draft)]


def test_a_facilitator_creates_an_empty_draft_in_editing(facilitator, definition):
    draft = create_draft(actor=facilitator, definition=definition, version="0.0.3",
                         changelog="First.")

    assert draft.status == Draft.Status.EDITING
    assert (draft.version, draft.changelog, draft.created_by) == ("0.0.3", "First.", facilitator)
    assert draft.based_on is None
    assert draft.clauses.count() == 0
    event = Event.objects.get(kind=Event.Kind.DRAFT_CREATED)
    assert (event.actor, event.draft, event.summary) == (facilitator, draft, "Draft 0.0.3 created")


def test_creating_a_draft_from_another_copies_every_clause(facilitator, published_draft):
    source = outline(published_draft)

    draft = create_draft(actor=facilitator, definition=published_draft.definition,
                         version="0.0.9", based_on=published_draft)

    assert draft.based_on == published_draft
    assert outline(draft) == source
    assert source == [
        ("1", "preamble", "Preamble", "", "paragraph", None, 0),
        ("1.1", "why", "", "Open Source has demonstrated benefits.", "paragraph", "preamble", 0),
        ("2", "freedoms", "", "Use, study, modify and share.", "paragraph", None, 1),
    ]
    copied_why = draft.clauses.get(key="why")
    assert copied_why.parent.draft_id == draft.pk
    assert published_draft.clauses.count() == 3
    assert Event.objects.get(kind=Event.Kind.DRAFT_CREATED).summary == (
        "Draft 0.0.9 created from 0.0.8")


def test_a_copy_keeps_a_deep_tree(facilitator, definition):
    source = DraftFactory(definition=definition, version="1.0-RC1")
    top = ClauseFactory(draft=source, key="top", heading="Top", position=0)
    mid = ClauseFactory(draft=source, key="mid", heading="Mid", parent=top, position=0)
    ClauseFactory(draft=source, key="leaf-b", parent=mid, position=1)
    ClauseFactory(draft=source, key="leaf-a", parent=mid, position=0)
    ClauseFactory(draft=source, key="end", position=1)

    draft = create_draft(actor=facilitator, definition=definition, version="1.0",
                         based_on=source)

    assert [(n, k, p) for n, k, _, _, _, p, _ in outline(draft)] == [
        ("1", "top", None), ("1.1", "mid", "top"), ("1.1.1", "leaf-a", "mid"),
        ("1.1.2", "leaf-b", "mid"), ("2", "end", None)]


@pytest.mark.parametrize("version", ["0.0.9", "1.0-RC1", "0.0.7.1", "v2_beta", "a" * 40])
def test_it_accepts_version_labels(facilitator, definition, version):
    draft = create_draft(actor=facilitator, definition=definition, version=version)

    assert Draft.objects.get(pk=draft.pk).version == version


@pytest.mark.parametrize("version", ["", ".1", "-rc", "1.0 RC1", "1/0", "a" * 41, "ü1"])
def test_it_rejects_malformed_versions(facilitator, definition, version):
    with pytest.raises(InvalidInput) as exc:
        create_draft(actor=facilitator, definition=definition, version=version)

    assert exc.value.field == "version"
    assert Draft.objects.count() == 0


def test_a_version_is_unique_in_its_definition(facilitator, editing_draft):
    with pytest.raises(Conflict) as exc:
        create_draft(actor=facilitator, definition=editing_draft.definition, version="0.0.8")

    assert exc.value.field == "version"
    assert Draft.objects.filter(version="0.0.8").count() == 1


def test_the_same_version_may_exist_in_another_definition(admin_user, editing_draft):
    other = DefinitionFactory(slug="other")

    draft = create_draft(actor=admin_user, definition=other, version="0.0.8")

    assert draft.definition == other
    assert Draft.objects.filter(version="0.0.8").count() == 2


def test_the_database_refuses_a_duplicate_version(editing_draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        Draft.objects.create(definition=editing_draft.definition, version="0.0.8")


def test_a_draft_cannot_be_based_on_a_draft_of_another_definition(facilitator, definition):
    foreign = DraftFactory(definition=DefinitionFactory(slug="other"), version="1.0")

    with pytest.raises(InvalidInput) as exc:
        create_draft(actor=facilitator, definition=definition, version="0.1", based_on=foreign)

    assert exc.value.field == "based_on"
    assert definition.drafts.count() == 0


@pytest.mark.parametrize("actor_name", ["member", "user"])
def test_only_a_facilitator_creates_a_draft(request, definition, actor_name):
    with pytest.raises(NotAllowed):
        create_draft(actor=request.getfixturevalue(actor_name), definition=definition,
                     version="0.1")

    assert definition.drafts.count() == 0


def test_publishing_opens_the_comment_period_and_logs_it(facilitator, editing_draft):
    closes_at = in_days(14)

    draft = publish_draft(actor=facilitator, draft=editing_draft, closes_at=closes_at,
                          changelog="Reworded the freedoms.")

    draft.refresh_from_db()
    assert draft.status == Draft.Status.OPEN
    assert draft.closes_at == closes_at
    assert draft.published_at is not None
    assert draft.changelog == "Reworded the freedoms."
    event = Event.objects.get(kind=Event.Kind.DRAFT_PUBLISHED)
    assert (event.actor, event.draft) == (facilitator, draft)
    assert event.data == {"closes_at": closes_at.isoformat()}


def test_publishing_closes_the_draft_that_was_open(facilitator, published_draft):
    successor = create_draft(actor=facilitator, definition=published_draft.definition,
                             version="0.0.9", based_on=published_draft)

    publish_draft(actor=facilitator, draft=successor, closes_at=in_days(7))

    published_draft.refresh_from_db()
    successor.refresh_from_db()
    assert published_draft.status == Draft.Status.CLOSED
    assert published_draft.closed_at is not None
    assert successor.status == Draft.Status.OPEN
    assert Draft.objects.filter(status="open").count() == 1
    closed = Event.objects.get(kind=Event.Kind.DRAFT_CLOSED)
    assert (closed.draft, closed.actor, closed.reason) == (
        published_draft, facilitator, "superseded by 0.0.9")


@pytest.mark.parametrize("closes_at", [None, "past", "now"])
def test_a_comment_period_must_end_in_the_future(facilitator, editing_draft, closes_at):
    value = {"past": in_days(-1), "now": timezone.now(), None: None}[closes_at]

    with pytest.raises(InvalidInput) as exc:
        publish_draft(actor=facilitator, draft=editing_draft, closes_at=value)

    assert exc.value.field == "closes_at"
    editing_draft.refresh_from_db()
    assert editing_draft.status == Draft.Status.EDITING


def test_a_draft_without_clauses_cannot_be_published(facilitator, definition):
    empty = create_draft(actor=facilitator, definition=definition, version="0.0.1")

    with pytest.raises(Conflict) as exc:
        publish_draft(actor=facilitator, draft=empty, closes_at=in_days(3))

    assert exc.value.field == "clauses"
    empty.refresh_from_db()
    assert empty.status == Draft.Status.EDITING
    assert not Event.objects.filter(kind=Event.Kind.DRAFT_PUBLISHED).exists()


@pytest.mark.parametrize("status", ["open", "closed", "final"])
def test_only_an_editing_draft_can_be_published(facilitator, editing_draft, status):
    Draft.objects.filter(pk=editing_draft.pk).update(status=status)

    with pytest.raises(Conflict) as exc:
        publish_draft(actor=facilitator, draft=editing_draft, closes_at=in_days(3))

    assert exc.value.field == "status"
    assert Draft.objects.get(pk=editing_draft.pk).status == status


def test_only_a_facilitator_publishes(member, editing_draft):
    with pytest.raises(NotAllowed):
        publish_draft(actor=member, draft=editing_draft, closes_at=in_days(3))

    editing_draft.refresh_from_db()
    assert editing_draft.status == Draft.Status.EDITING


def test_the_database_allows_one_open_draft_per_definition(published_draft):
    second = DraftFactory(definition=published_draft.definition, version="0.0.9")

    with pytest.raises(IntegrityError), transaction.atomic():
        Draft.objects.filter(pk=second.pk).update(status=Draft.Status.OPEN)

    assert Draft.objects.filter(definition=published_draft.definition, status="open").count() == 1


def test_two_definitions_may_each_have_an_open_draft(published_draft):
    other = DraftFactory(definition=DefinitionFactory(slug="other"), version="0.0.8")
    ClauseFactory(draft=other)

    open_draft(other)

    assert Draft.objects.filter(status="open").count() == 2


def test_the_database_refuses_an_unknown_draft_status(editing_draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        Draft.objects.filter(pk=editing_draft.pk).update(status="archived")


def test_a_facilitator_closes_the_open_draft(facilitator, published_draft):
    draft = close_draft(actor=facilitator, draft=published_draft, reason="Enough.")

    assert draft.status == Draft.Status.CLOSED
    assert Draft.objects.get(pk=published_draft.pk).closed_at is not None
    event = Event.objects.get(kind=Event.Kind.DRAFT_CLOSED)
    assert (event.actor, event.reason, event.draft_id) == (facilitator, "Enough.", draft.pk)


@pytest.mark.parametrize("status", ["editing", "closed", "final"])
def test_only_an_open_draft_can_be_closed(facilitator, editing_draft, status):
    Draft.objects.filter(pk=editing_draft.pk).update(status=status)

    with pytest.raises(Conflict) as exc:
        close_draft(actor=facilitator, draft=editing_draft)

    assert exc.value.field == "status"
    assert Draft.objects.get(pk=editing_draft.pk).status == status


def test_only_a_facilitator_closes(member, published_draft):
    with pytest.raises(NotAllowed):
        close_draft(actor=member, draft=published_draft)

    assert Draft.objects.get(pk=published_draft.pk).status == Draft.Status.OPEN


def test_a_closed_draft_is_finalized_as_the_ratified_text(facilitator, published_draft):
    close_draft(actor=facilitator, draft=published_draft)

    draft = finalize_draft(actor=facilitator, draft=published_draft, reason="Ratified by board.")

    assert draft.status == Draft.Status.FINAL
    assert Draft.objects.get(pk=draft.pk).finalized_at is not None
    event = Event.objects.get(kind=Event.Kind.DRAFT_FINALIZED)
    assert (event.actor, event.reason) == (facilitator, "Ratified by board.")


@pytest.mark.parametrize("status", ["editing", "open", "final"])
def test_only_a_closed_draft_can_be_finalized(facilitator, editing_draft, status):
    Draft.objects.filter(pk=editing_draft.pk).update(status=status)

    with pytest.raises(Conflict) as exc:
        finalize_draft(actor=facilitator, draft=editing_draft)

    assert exc.value.field == "status"
    assert Draft.objects.get(pk=editing_draft.pk).status == status
    assert not Event.objects.filter(kind=Event.Kind.DRAFT_FINALIZED).exists()


def test_only_a_facilitator_finalizes(member, facilitator, published_draft):
    close_draft(actor=facilitator, draft=published_draft)

    with pytest.raises(NotAllowed):
        finalize_draft(actor=member, draft=published_draft)

    assert Draft.objects.get(pk=published_draft.pk).status == Draft.Status.CLOSED


def test_the_changelog_and_version_are_editable_while_editing(facilitator, editing_draft):
    update_draft(actor=facilitator, draft=editing_draft,
                 changes={"changelog": "## Changes\n\n- new", "version": "0.0.8.1"})

    editing_draft.refresh_from_db()
    assert (editing_draft.changelog, editing_draft.version) == ("## Changes\n\n- new", "0.0.8.1")


@pytest.mark.parametrize("status", ["open", "closed", "final"])
def test_the_changelog_is_frozen_once_published(facilitator, editing_draft, status):
    Draft.objects.filter(pk=editing_draft.pk).update(status=status)

    with pytest.raises(Conflict) as exc:
        update_draft(actor=facilitator, draft=editing_draft, changes={"changelog": "Later."})

    assert exc.value.field == "status"
    assert Draft.objects.get(pk=editing_draft.pk).changelog == ""


@pytest.mark.parametrize("changes, error, field", [
    ({"status": "open"}, InvalidInput, "status"),
    ({"version": "bad version"}, InvalidInput, "version"),
    ({"changelog": "x" * 50001}, InvalidInput, "changelog"),
    ({"version": "0.0.7"}, Conflict, "version"),
])
def test_it_validates_draft_edits(facilitator, editing_draft, changes, error, field):
    DraftFactory(definition=editing_draft.definition, version="0.0.7")

    with pytest.raises(error) as exc:
        update_draft(actor=facilitator, draft=editing_draft, changes=changes)

    assert exc.value.field == field
    editing_draft.refresh_from_db()
    assert (editing_draft.version, editing_draft.status) == ("0.0.8", "editing")


def test_only_a_facilitator_edits_a_draft(member, editing_draft):
    with pytest.raises(NotAllowed):
        update_draft(actor=member, draft=editing_draft, changes={"changelog": "Mine."})

    assert Draft.objects.get(pk=editing_draft.pk).changelog == ""


def test_a_facilitator_deletes_an_editing_draft_with_its_clauses(facilitator, editing_draft):
    delete_draft(actor=facilitator, draft=editing_draft)

    assert not Draft.objects.filter(pk=editing_draft.pk).exists()
    assert Clause.objects.count() == 0


def test_a_published_draft_cannot_be_deleted(facilitator, published_draft):
    with pytest.raises(Conflict) as exc:
        delete_draft(actor=facilitator, draft=published_draft)

    assert exc.value.field == "status"
    assert Draft.objects.filter(pk=published_draft.pk).exists()


def test_a_draft_others_are_based_on_cannot_be_deleted(facilitator, editing_draft):
    create_draft(actor=facilitator, definition=editing_draft.definition, version="0.0.9",
                 based_on=editing_draft)

    with pytest.raises(Conflict) as exc:
        delete_draft(actor=facilitator, draft=editing_draft)

    assert exc.value.field == "version"
    assert Draft.objects.count() == 2


def test_expired_drafts_are_closed_by_the_periodic_job(published_draft):
    other = DraftFactory(definition=DefinitionFactory(slug="other"), version="2.0")
    ClauseFactory(draft=other)
    open_draft(other, days=30)
    Draft.objects.filter(pk=published_draft.pk).update(closes_at=in_days(-1))

    assert close_expired_drafts() == 1

    assert Draft.objects.get(pk=published_draft.pk).status == Draft.Status.CLOSED
    assert Draft.objects.get(pk=other.pk).status == Draft.Status.OPEN
    event = Event.objects.get(kind=Event.Kind.DRAFT_CLOSED)
    assert (event.draft_id, event.actor, event.reason) == (
        published_draft.pk, None, "comment period ended")
    assert close_expired_drafts() == 0


def test_close_expired_drafts_uses_the_given_time(published_draft):
    assert close_expired_drafts(now=in_days(13)) == 0
    assert close_expired_drafts(now=in_days(15)) == 1

    assert Draft.objects.get(pk=published_draft.pk).status == Draft.Status.CLOSED


def test_the_draft_history_records_each_status(facilitator, editing_draft):
    publish_draft(actor=facilitator, draft=editing_draft, closes_at=in_days(3))
    close_draft(actor=facilitator, draft=editing_draft)
    finalize_draft(actor=facilitator, draft=editing_draft)

    statuses = list(Draft.history.filter(id=editing_draft.pk).order_by("history_id")
                    .values_list("status", flat=True))
    assert statuses[-3:] == ["open", "closed", "final"]
