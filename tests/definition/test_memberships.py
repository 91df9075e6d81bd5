"""Applying to a stakeholder group, and the facilitators' decisions on memberships."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction

from core.errors import Conflict, InvalidInput, NotAllowed
from definition.memberships import (
    apply_membership,
    reject_membership,
    revoke_membership,
    verify_membership,
)
from definition.models import Event, Membership
from tests.factories import DefinitionFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db



@pytest.fixture
def pending(definition, user):
    return apply_membership(user=user, definition=definition, group_slug="lawyers",
                            affiliation="Law Firm", conflict_of_interest="None.")


def test_a_user_applies_to_a_group_and_waits_pending(pending, definition, user):
    assert pending.status == Membership.Status.PENDING
    assert pending.group.slug == "lawyers"
    assert (pending.affiliation, pending.conflict_of_interest) == ("Law Firm", "None.")
    assert Membership.objects.filter(user=user, definition=definition).count() == 1


def test_an_anonymous_visitor_cannot_apply(definition):
    with pytest.raises(NotAllowed):
        apply_membership(user=AnonymousUser(), definition=definition, group_slug="lawyers")

    assert Membership.objects.count() == 0


def test_applying_to_an_unknown_group_names_the_group(definition, user):
    with pytest.raises(InvalidInput) as exc:
        apply_membership(user=user, definition=definition, group_slug="astronauts")

    assert exc.value.field == "group"


def test_applying_to_a_group_of_another_definition_is_refused(definition, user):
    DefinitionFactory(slug="other").groups.create(slug="academia", name="Academia")

    with pytest.raises(InvalidInput) as exc:
        apply_membership(user=user, definition=definition, group_slug="academia")

    assert exc.value.field == "group"


@pytest.mark.parametrize("kwargs, field", [
    ({"affiliation": "x" * 201}, "affiliation"),
    ({"conflict_of_interest": "x" * 2001}, "conflict_of_interest"),
])
def test_it_validates_the_application_text(definition, user, kwargs, field):
    with pytest.raises(InvalidInput) as exc:
        apply_membership(user=user, definition=definition, group_slug="lawyers", **kwargs)

    assert exc.value.field == field
    assert Membership.objects.count() == 0


@pytest.mark.parametrize("status", ["pending", "verified", "revoked"])
def test_a_user_holds_one_live_membership_per_definition(definition, user, status):
    MembershipFactory(user=user, definition=definition, status=status)

    with pytest.raises(Conflict) as exc:
        apply_membership(user=user, definition=definition, group_slug="companies")

    assert exc.value.field == "group"
    assert Membership.objects.filter(user=user, definition=definition).count() == 1


def test_the_database_refuses_a_second_live_membership(pending, definition, user):
    group = definition.groups.get(slug="companies")

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, definition=definition, group=group)

    assert Membership.objects.filter(user=user, definition=definition).count() == 1


def test_the_database_allows_many_rejected_memberships(definition, user):
    for slug in ("lawyers", "companies"):
        Membership.objects.create(user=user, definition=definition,
                                  group=definition.groups.get(slug=slug), status="rejected")

    assert Membership.objects.filter(user=user, definition=definition).count() == 2


def test_the_database_refuses_an_unknown_status(definition, user):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=user, definition=definition,
                                  group=definition.groups.first(), status="banned")


def test_a_user_may_apply_in_two_definitions(pending, user):
    other = DefinitionFactory(slug="other")

    apply_membership(user=user, definition=other, group_slug="lawyers")

    assert Membership.objects.filter(user=user).count() == 2


def test_a_rejected_user_may_apply_again(pending, definition, facilitator, user):
    reject_membership(actor=facilitator, membership=pending, reason="Not a lawyer.")

    again = apply_membership(user=user, definition=definition, group_slug="companies")

    assert again.pk != pending.pk
    assert again.status == Membership.Status.PENDING
    assert list(Membership.objects.filter(user=user).order_by("id")
                .values_list("status", flat=True)) == ["rejected", "pending"]


def test_a_facilitator_verifies_a_pending_membership_and_logs_it(pending, facilitator):
    verified = verify_membership(actor=facilitator, membership=pending, reason="Known to us.")

    assert verified.status == Membership.Status.VERIFIED
    assert verified.decided_by == facilitator
    assert verified.decided_at is not None
    assert verified.decision_reason == "Known to us."
    event = Event.objects.get(kind=Event.Kind.MEMBER_VERIFIED)
    assert event.actor == facilitator
    assert event.reason == "Known to us."
    assert event.data == {"membership": pending.pk, "group": "lawyers"}
    assert list(verified.history.values_list("status", flat=True)) == ["verified", "pending"]


def test_a_facilitator_rejects_a_pending_membership_and_logs_it(pending, facilitator):
    rejected = reject_membership(actor=facilitator, membership=pending, reason="Not a lawyer.")

    assert rejected.status == Membership.Status.REJECTED
    assert rejected.decided_by == facilitator
    event = Event.objects.get(kind=Event.Kind.MEMBER_REJECTED)
    assert (event.actor, event.reason) == (facilitator, "Not a lawyer.")


def test_a_facilitator_revokes_a_verified_membership_with_a_reason(pending, facilitator):
    verify_membership(actor=facilitator, membership=pending)

    revoked = revoke_membership(actor=facilitator, membership=pending, reason="Left the firm.")

    assert revoked.status == Membership.Status.REVOKED
    event = Event.objects.get(kind=Event.Kind.MEMBER_REVOKED)
    assert (event.actor, event.reason) == (facilitator, "Left the firm.")


def test_revoking_needs_a_reason(pending, facilitator):
    verify_membership(actor=facilitator, membership=pending)

    with pytest.raises(InvalidInput) as exc:
        revoke_membership(actor=facilitator, membership=pending, reason="  ")

    assert exc.value.field == "reason"
    pending.refresh_from_db()
    assert pending.status == Membership.Status.VERIFIED


def test_an_admin_may_decide_memberships(pending, admin_user):
    verify_membership(actor=admin_user, membership=pending)

    pending.refresh_from_db()
    assert pending.status == Membership.Status.VERIFIED


@pytest.mark.parametrize("decide", [verify_membership, reject_membership, revoke_membership])
@pytest.mark.parametrize("actor_name", ["member", "user", "other_facilitator", "anonymous"])
def test_only_a_facilitator_of_the_definition_decides(request, pending, decide, actor_name):
    Membership.objects.filter(pk=pending.pk).update(status="verified" if decide is
                                                    revoke_membership else "pending")
    if actor_name == "anonymous":
        actor = AnonymousUser()
    elif actor_name == "other_facilitator":
        actor = UserFactory(username="elsewhere", is_staff=True)
        DefinitionFactory(slug="elsewhere").facilitators.add(actor)
    else:
        actor = request.getfixturevalue(actor_name)
    before = Membership.objects.get(pk=pending.pk).status

    with pytest.raises(NotAllowed):
        decide(actor=actor, membership=pending, reason="Because.")

    assert Membership.objects.get(pk=pending.pk).status == before
    assert not Event.objects.filter(kind__startswith="member-").exists()


@pytest.mark.parametrize("decide, wrong_statuses", [
    (verify_membership, ["verified", "rejected", "revoked"]),
    (reject_membership, ["verified", "rejected", "revoked"]),
    (revoke_membership, ["pending", "rejected", "revoked"]),
])
def test_a_decision_from_the_wrong_status_is_a_conflict(pending, facilitator, decide,
                                                        wrong_statuses):
    for status in wrong_statuses:
        Membership.objects.filter(pk=pending.pk).update(status=status)

        with pytest.raises(Conflict) as exc:
            decide(actor=facilitator, membership=pending, reason="Because.")

        assert exc.value.field == "status"
        assert Membership.objects.get(pk=pending.pk).status == status
    assert not Event.objects.filter(kind__startswith="member-").exists()


def test_a_stale_membership_object_cannot_be_verified_twice(pending, facilitator):
    stale = Membership.objects.get(pk=pending.pk)
    verify_membership(actor=facilitator, membership=pending)

    with pytest.raises(Conflict):
        verify_membership(actor=facilitator, membership=stale)

    assert Event.objects.filter(kind=Event.Kind.MEMBER_VERIFIED).count() == 1
