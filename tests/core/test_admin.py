"""The Django admin is for site admins (PRODUCT.md §1): every page opens for a superuser and for
nobody else; memberships and facilitators change there only through the services."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from definition.admin_scoping import DomainModelAdmin
from definition.memberships import verify_membership
from definition.models import Clause, Definition, Draft, Event, Membership, StakeholderGroup
from definition.services import add_facilitator, create_draft
from deliberation.discussion.appeals import file_appeal
from deliberation.discussion.services import (
    acknowledge_disposition,
    endorse_comment,
    flag_comment,
    post_comment,
    record_disposition,
)
from deliberation.models import Appeal, Comment, Disposition, Endorsement, Flag, Vote
from deliberation.votes.services import cast_vote
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
          if isinstance(admin.site._registry[model], DomainModelAdmin)]
SCOPED_MODELS = {Definition, StakeholderGroup, Membership, Draft, Clause, Event, Vote, Comment,
                 Disposition, Flag, Endorsement, Appeal}



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
    endorser = MembershipFactory(user=UserFactory(username=f"{prefix}-endorser"),
                                 definition=definition).user  # not one's own suggestion
    endorse_comment(actor=endorser, comment=suggestion)
    flag_comment(actor=voter, comment=suggestion, reason="Duplicate.")
    record_disposition(actor=facilitator, comment=objection, status="overruled",
                       response="All other groups agree.")
    acknowledge_disposition(actor=voter, comment=objection, satisfied=False)
    file_appeal(actor=voter, comment=objection, reason="Nobody answered the point.")


@pytest.fixture
def world(admin_user, definition, facilitator):
    """The facilitator's definition and a second one run by someone else, both fully populated."""
    populate(definition, facilitator, "own")
    other = DefinitionFactory(slug="other", title="Other Definition")
    other_facilitator = UserFactory(username="other-facilitator")
    other.facilitators.add(other_facilitator)
    populate(other, other_facilitator, "other")
    Group.objects.create(name="editors")
    Token.objects.create(user=admin_user)
    Client().post(reverse("login"), {"username": "admin", "password": "wrong"})  # a lockout row
    return {"own": definition, "other": other}


def url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


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


def test_a_staff_user_who_is_not_an_admin_is_sent_to_the_login_page(client, world):
    staff = UserFactory(username="staff-only", is_staff=True)
    client.force_login(staff)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# Facilitators and the admin (issue #11, finding 1) ----------------------------------------------


def admin_pages(model, obj) -> list[str]:
    pages = [url(model, "changelist"), url(model, "add"), url(model, "change", obj.pk),
             url(model, "history", obj.pk), url(model, "delete", obj.pk)]
    return pages


@pytest.mark.parametrize("staff", [False, True], ids=["facilitator", "facilitator-left-staff"])
def test_a_facilitator_of_b_walking_the_admin_is_offered_no_row_of_a(client, facilitator, world,
                                                                     staff):
    """Even a facilitator still marked staff from before gets the login page, never a form."""
    facilitator.is_staff = staff
    facilitator.save()
    client.force_login(facilitator)
    offered = {}
    for model in REGISTERED:
        for obj in model._default_manager.order_by("pk")[:1]:
            for page in admin_pages(model, obj) + [reverse("admin:index")]:
                response = client.get(page)
                if response.status_code != 302 or "/admin/login/" not in response["Location"]:
                    offered[page] = response.status_code

    assert offered == {}


def test_a_facilitator_cannot_move_their_membership_to_another_definition(client, facilitator,
                                                                           world):
    facilitator.is_staff = True  # as every facilitator was before
    facilitator.save()
    client.force_login(facilitator)
    own = Membership.objects.get(definition=world["own"], user__username="own-voter")
    target_group = world["other"].groups.get(slug="lawyers")

    response = client.post(url(Membership, "change", own.pk), {
        "user": own.user_id, "definition": world["other"].pk, "group": target_group.pk,
        "status": "verified", "affiliation": "x", "conflict_of_interest": ""})

    own.refresh_from_db()
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert (own.definition, own.group.definition) == (world["own"], world["own"])


def test_naming_a_facilitator_does_not_make_them_staff(admin_user, definition):
    person = UserFactory(username="newfac")

    add_facilitator(actor=admin_user, definition=definition, username="newfac")

    person.refresh_from_db()
    assert person.is_staff is False
    assert list(definition.facilitators.all()) == [person]


def test_the_migration_clears_staff_from_facilitators_but_not_from_superusers(definition,
                                                                              admin_user):
    old_facilitator = UserFactory(username="old-facilitator", is_staff=True)
    staff_admin = admin_user
    definition.facilitators.add(old_facilitator, staff_admin)
    migration = importlib.import_module(
        "definition.migrations.0006_facilitators_are_not_staff")

    migration.clear_facilitator_staff(django_apps, None)

    old_facilitator.refresh_from_db()
    staff_admin.refresh_from_db()
    assert (old_facilitator.is_staff, staff_admin.is_staff) == (False, True)


def test_an_admins_membership_decision_in_the_admin_goes_to_the_decision_log(client, admin_user,
                                                                              world):
    client.force_login(admin_user)
    applicant = MembershipFactory(user=UserFactory(username="applicant"),
                                  definition=world["own"], status="pending")
    page = url(Membership, "change", applicant.pk)
    form = client.get(page).context["adminform"].form

    response = client.post(page, {"status": "verified", "reason": "Known to us."})

    applicant.refresh_from_db()
    assert response.status_code == 302, response.content[:2000]
    assert set(form.fields) == {"status", "reason"}
    assert (applicant.status, applicant.decided_by) == ("verified", admin_user)
    event = Event.objects.get(kind=Event.Kind.MEMBER_VERIFIED, data__membership=applicant.pk)
    assert (event.definition, event.actor, event.reason) == (world["own"], admin_user,
                                                             "Known to us.")


def test_an_admin_revoking_in_the_admin_must_give_a_reason(client, admin_user, world):
    client.force_login(admin_user)
    member = Membership.objects.get(definition=world["own"], user__username="own-voter")
    events = Event.objects.count()

    response = client.post(url(Membership, "change", member.pk),
                           {"status": "revoked", "reason": ""})

    member.refresh_from_db()
    assert response.status_code == 200
    assert "reason" in str(response.context["adminform"].form.errors)
    assert member.status == "verified"
    assert Event.objects.count() == events


def test_an_admin_cannot_turn_a_rejected_membership_into_a_verified_one(client, admin_user, world):
    client.force_login(admin_user)
    rejected = MembershipFactory(user=UserFactory(username="rejected"), definition=world["own"],
                                 status="rejected")

    response = client.post(url(Membership, "change", rejected.pk),
                           {"status": "verified", "reason": "Changed my mind."})

    rejected.refresh_from_db()
    assert response.status_code == 200
    assert rejected.status == "rejected"


def test_memberships_are_neither_added_nor_deleted_in_the_admin(client, admin_user, world):
    client.force_login(admin_user)
    member = Membership.objects.filter(definition=world["own"]).first()

    assert client.get(url(Membership, "add")).status_code == 403
    assert client.post(url(Membership, "delete", member.pk), {"post": "yes"}).status_code == 403
    assert Membership.objects.filter(pk=member.pk).exists()


def test_facilitators_named_and_removed_in_the_admin_are_in_the_decision_log(client, admin_user,
                                                                             world, facilitator):
    client.force_login(admin_user)
    newcomer = UserFactory(username="newcomer")
    definition = world["own"]
    page = url(Definition, "change", definition.pk)
    form = client.get(page).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update({"facilitators": [newcomer.pk], "thresholds": "{}",
                 "groups-TOTAL_FORMS": 0, "groups-INITIAL_FORMS": 0})

    response = client.post(page, data)

    assert response.status_code == 302, response.content[:3000]
    assert list(definition.facilitators.all()) == [newcomer]
    logged = Event.objects.filter(definition=definition).order_by("id")
    assert [(e.kind, e.actor, e.summary) for e in logged
            if e.kind.startswith("facilitator")] == [
        ("facilitator-added", admin_user, "newcomer named facilitator"),
        ("facilitator-removed", admin_user, "facilitator is no longer facilitator"),
    ]


@pytest.mark.parametrize("model", [StakeholderGroup, Draft, Membership, Clause, Comment],
                         ids=lambda model: model.__name__)
def test_nothing_moves_between_definitions_in_the_admin(client, admin_user, world, model):
    client.force_login(admin_user)
    obj = model._default_manager.order_by("pk").first()
    owner = admin.site._registry[model].definition_path.split("__")[0]

    form = client.get(url(model, "change", obj.pk)).context["adminform"].form

    assert owner not in form.fields
