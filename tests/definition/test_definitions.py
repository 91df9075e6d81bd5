"""Definitions, their settings, facilitators and stakeholder groups."""

import pytest
from django.contrib.auth.models import AnonymousUser

from core.errors import Conflict, InvalidInput, NotAllowed
from definition.models import Definition, Event, StakeholderGroup
from definition.services import add_facilitator, add_group, create_definition, update_definition
from tests.factories import DefinitionFactory, UserFactory

pytestmark = pytest.mark.django_db



def test_it_creates_a_definition_with_the_four_default_groups(admin_user):
    definition = create_definition(actor=admin_user, slug="osaid-2", title="  Open Source AI  ",
                                   summary="The definition.")

    assert definition.title == "Open Source AI"
    assert list(definition.groups.values_list("slug", "position")) == [
        ("developers", 0), ("lawyers", 1), ("legislators", 2), ("companies", 3)]
    assert definition.quorum == 5
    assert definition.min_groups == 3
    assert definition.votes_public is True
    assert definition.comments_members_only is False


def test_it_logs_the_creation_of_a_definition(admin_user):
    definition = create_definition(actor=admin_user, slug="osaid-2", title="OSAID")

    event = Event.objects.get(definition=definition)
    assert event.kind == Event.Kind.DEFINITION_CREATED
    assert event.actor == admin_user


@pytest.mark.parametrize("actor_name", ["facilitator", "user", "anonymous"])
def test_it_refuses_definition_creation_by_anyone_but_an_admin(request, actor_name):
    actor = AnonymousUser() if actor_name == "anonymous" else request.getfixturevalue(actor_name)

    with pytest.raises(NotAllowed):
        create_definition(actor=actor, slug="new-one", title="New")

    assert not Definition.objects.filter(slug="new-one").exists()


@pytest.mark.parametrize("slug", ["", "Upper", "has space", "double--dash", "-lead", "trail-",
                                  "under_score", "x" * 81])
def test_it_rejects_an_invalid_slug(admin_user, slug):
    with pytest.raises(InvalidInput) as exc:
        create_definition(actor=admin_user, slug=slug, title="A title")

    assert exc.value.field == "slug"
    assert Definition.objects.count() == 0


def test_it_accepts_a_slug_of_80_characters(admin_user):
    definition = create_definition(actor=admin_user, slug="a" * 80, title="Long")

    assert definition.slug == "a" * 80


def test_it_requires_a_title(admin_user):
    with pytest.raises(InvalidInput) as exc:
        create_definition(actor=admin_user, slug="untitled", title="   ")

    assert exc.value.field == "title"


def test_it_refuses_a_duplicate_slug_with_a_conflict(admin_user, definition):
    with pytest.raises(Conflict) as exc:
        create_definition(actor=admin_user, slug="osaid", title="Again")

    assert exc.value.field == "slug"
    assert Definition.objects.filter(slug="osaid").count() == 1
    assert StakeholderGroup.objects.filter(definition__slug="osaid").count() == 4


def test_adding_a_facilitator_logs_it_and_does_not_make_them_staff(admin_user, definition):
    person = UserFactory(username="newfac", is_staff=False)

    add_facilitator(actor=admin_user, definition=definition, username="newfac")

    person.refresh_from_db()
    assert person.is_staff is False  # their desk, not the Django admin (PRODUCT.md §1)
    assert list(definition.facilitators.all()) == [person]
    event = Event.objects.get(definition=definition, kind=Event.Kind.FACILITATOR_ADDED)
    assert event.actor == admin_user


def test_only_an_admin_can_add_a_facilitator(facilitator, definition):
    UserFactory(username="newfac")

    with pytest.raises(NotAllowed):
        add_facilitator(actor=facilitator, definition=definition, username="newfac")

    assert not definition.facilitators.filter(username="newfac").exists()


def test_adding_an_unknown_user_as_facilitator_names_the_username(admin_user, definition):
    with pytest.raises(InvalidInput) as exc:
        add_facilitator(actor=admin_user, definition=definition, username="nobody")

    assert exc.value.field == "username"


def test_a_facilitator_updates_settings_and_the_change_is_logged(facilitator, definition):
    update_definition(actor=facilitator, definition=definition, changes={
        "quorum": 3, "min_groups": 2, "votes_public": False, "comments_members_only": True,
        "thresholds": {"rough_balanced": 0.7}, "title": "OSAID 2"})

    definition.refresh_from_db()
    assert (definition.quorum, definition.min_groups) == (3, 2)
    assert definition.votes_public is False
    assert definition.comments_members_only is True
    assert definition.title == "OSAID 2"
    assert definition.effective_thresholds["rough_balanced"] == 0.7
    assert definition.effective_thresholds["opposed_balanced"] == 0.4
    event = Event.objects.get(definition=definition, kind=Event.Kind.SETTINGS_CHANGED)
    assert event.actor == facilitator
    assert event.data["quorum"] == 3


def test_it_does_not_modify_the_callers_changes(facilitator, definition):
    changes = {"title": "New title", "quorum": 4}

    update_definition(actor=facilitator, definition=definition, changes=changes)

    assert changes == {"title": "New title", "quorum": 4}


@pytest.mark.parametrize("changes, field", [
    ({"quorum": -1}, "quorum"),
    ({"quorum": 1001}, "quorum"),
    ({"quorum": "5"}, "quorum"),
    ({"quorum": True}, "quorum"),
    ({"min_groups": 2.5}, "min_groups"),
    ({"votes_public": "yes"}, "votes_public"),
    ({"comments_members_only": 1}, "comments_members_only"),
    ({"thresholds": []}, "thresholds"),
    ({"thresholds": {"made_up": 0.5}}, "thresholds"),
    ({"thresholds": {"strong_floor": 1.5}}, "thresholds"),
    ({"thresholds": {"strong_floor": "0.5"}}, "thresholds"),
    ({"slug": "renamed"}, "slug"),
    ({"title": ""}, "title"),
    ({"summary": "x" * 5001}, "summary"),
])
def test_it_rejects_invalid_settings_naming_the_field(facilitator, definition, changes, field):
    with pytest.raises(InvalidInput) as exc:
        update_definition(actor=facilitator, definition=definition, changes=changes)

    assert exc.value.field == field
    definition.refresh_from_db()
    assert (definition.slug, definition.title, definition.quorum) == (
        "osaid", "Open Source AI Definition", 5)
    assert not Event.objects.filter(kind=Event.Kind.SETTINGS_CHANGED).exists()


def test_only_a_facilitator_updates_a_definition(member, definition):
    with pytest.raises(NotAllowed):
        update_definition(actor=member, definition=definition, changes={"quorum": 1})

    definition.refresh_from_db()
    assert definition.quorum == 5


def test_a_facilitator_adds_a_group_at_the_end(facilitator, definition):
    group = add_group(actor=facilitator, definition=definition, slug="academia", name="Academia",
                      description="Universities.")

    assert group.position == 4
    assert list(definition.groups.values_list("slug", flat=True)) == [
        "developers", "lawyers", "legislators", "companies", "academia"]


def test_adding_an_existing_group_is_a_conflict_on_slug(facilitator, definition):
    with pytest.raises(Conflict) as exc:
        add_group(actor=facilitator, definition=definition, slug="lawyers", name="Lawyers 2")

    assert exc.value.field == "slug"
    assert definition.groups.count() == 4


@pytest.mark.parametrize("kwargs, field", [
    ({"slug": "Civil Society", "name": "Civil society"}, "slug"),
    ({"slug": "civil-society", "name": ""}, "name"),
    ({"slug": "civil-society", "name": "Civil", "description": "x" * 2001}, "description"),
])
def test_it_validates_a_new_group(facilitator, definition, kwargs, field):
    with pytest.raises(InvalidInput) as exc:
        add_group(actor=facilitator, definition=definition, **kwargs)

    assert exc.value.field == field
    assert definition.groups.count() == 4


def test_only_a_facilitator_of_this_definition_adds_a_group(definition):
    other = UserFactory(username="other-facilitator", is_staff=True)
    DefinitionFactory(slug="elsewhere").facilitators.add(other)

    with pytest.raises(NotAllowed):
        add_group(actor=other, definition=definition, slug="academia", name="Academia")

    assert definition.groups.count() == 4
