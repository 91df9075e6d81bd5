"""The Django admin: every page opens for a superuser; facilitators see only their definitions."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from definition.admin_scoping import FacilitatorScopedAdmin
from definition.models import Clause, Definition, Draft, Event, Membership, StakeholderGroup
from definition.services import create_draft, verify_membership
from deliberation.models import Comment, Disposition, Endorsement, Flag, Vote
from deliberation.services import (
    cast_vote,
    endorse_comment,
    flag_comment,
    post_comment,
    record_disposition,
)
from tests.factories import (
    ClauseFactory,
    DefinitionFactory,
    DraftFactory,
    MembershipFactory,
    UserFactory,
    open_draft,
)

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
SCOPED = [model for model in REGISTERED
          if isinstance(admin.site._registry[model], FacilitatorScopedAdmin)]
SCOPED_MODELS = {Definition, StakeholderGroup, Membership, Draft, Clause, Event, Vote, Comment,
                 Disposition, Flag, Endorsement}



def populate(definition: Definition, facilitator, prefix: str) -> None:
    """One row of every model in `definition`, written through the services where they exist."""
    create_draft(actor=facilitator, definition=definition, version="0.1")
    draft = DraftFactory(definition=definition, version="0.0.8")
    clause = ClauseFactory(draft=draft, key="freedoms", body="Use, study, modify and share.")
    open_draft(draft)
    voter = UserFactory(username=f"{prefix}-voter")
    pending = MembershipFactory(user=voter, definition=definition, status="pending")
    verify_membership(actor=facilitator, membership=pending)
    objection = cast_vote(actor=voter, clause=clause, position="block", rationale="No.").objection
    suggestion = post_comment(actor=voter, clause=clause, kind="suggestion", body="Shorter.",
                              proposed_text="Use and share.")
    endorse_comment(actor=voter, comment=suggestion)
    flag_comment(actor=voter, comment=suggestion, reason="Duplicate.")
    record_disposition(actor=facilitator, comment=objection, status="overruled",
                       response="All other groups agree.")


@pytest.fixture
def world(admin_user, definition, facilitator):
    """The facilitator's definition and a second one run by someone else, both fully populated."""
    populate(definition, facilitator, "own")
    other = DefinitionFactory(slug="other", title="Other Definition")
    other_facilitator = UserFactory(username="other-facilitator", is_staff=True)
    other.facilitators.add(other_facilitator)
    populate(other, other_facilitator, "other")
    Group.objects.create(name="editors")
    Token.objects.create(user=admin_user)
    Client().post(reverse("login"), {"username": "admin", "password": "wrong"})  # a lockout row
    return {"own": definition, "other": other}


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def definition_of(obj) -> Definition:
    path = admin.site._registry[type(obj)].definition_path
    for attribute in filter(None, path.split("__")):
        obj = getattr(obj, attribute)
    return obj


def test_every_domain_model_is_registered_and_scoped():
    assert set(SCOPED) == SCOPED_MODELS


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_a_superuser_opens_every_changelist_change_page_and_history(client, admin_user, world,
                                                                    model):
    client.force_login(admin_user)
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None

    changelist = client.get(url(model, "changelist"))
    change = client.get(url(model, "change", obj.pk))
    history = client.get(url(model, "history", obj.pk))

    assert (changelist.status_code, change.status_code, history.status_code) == (200, 200, 200)
    if model in SCOPED_MODELS:
        assert changelist.context["cl"].result_count == model._default_manager.count()
        assert model._default_manager.count() >= 2


@pytest.mark.parametrize("model", SCOPED, ids=lambda model: model._meta.label)
def test_a_facilitator_sees_only_the_rows_of_their_definitions(client, facilitator, world,
                                                              model):
    client.force_login(facilitator)
    own = [obj for obj in model._default_manager.all() if definition_of(obj) == world["own"]]
    foreign = [obj for obj in model._default_manager.all()
               if definition_of(obj) == world["other"]]
    assert own and foreign

    response = client.get(url(model, "changelist"))

    assert response.status_code == 200
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert shown == {obj.pk for obj in own}
    assert client.get(url(model, "change", own[0].pk)).status_code == 200
    assert client.get(url(model, "history", own[0].pk)).status_code == 200
    assert client.get(url(model, "change", foreign[0].pk)).status_code == 302
    assert client.get(url(model, "history", foreign[0].pk)).status_code in (302, 403)


@pytest.mark.parametrize("model", SCOPED, ids=lambda model: model._meta.label)
def test_a_staff_user_who_facilitates_nothing_is_refused(client, world, model):
    staff = UserFactory(username="staff-only", is_staff=True)
    client.force_login(staff)
    obj = model._default_manager.order_by("pk").first()

    assert client.get(url(model, "changelist")).status_code == 403
    assert client.get(url(model, "change", obj.pk)).status_code in (302, 403)


def test_a_facilitator_cannot_add_a_definition(client, facilitator, world):
    client.force_login(facilitator)

    response = client.get(reverse("admin:definition_definition_add"))

    assert response.status_code == 403


def test_a_facilitator_cannot_delete_through_the_admin(client, facilitator, world):
    client.force_login(facilitator)
    comment = Comment.objects.filter(clause__draft__definition=world["own"]).first()

    response = client.post(url(Comment, "delete", comment.pk), {"post": "yes"})

    assert response.status_code == 403
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_the_admin_index_lists_only_the_facilitators_apps(client, facilitator, world):
    client.force_login(facilitator)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    labels = {model["object_name"] for app in response.context["app_list"]
              for model in app["models"]}
    assert labels == {model.__name__ for model in SCOPED_MODELS}
