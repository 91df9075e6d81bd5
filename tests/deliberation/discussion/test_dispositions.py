"""Dispositions: the facilitators' answers to comments and objections, and the authors' replies."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import Conflict, InvalidInput, NotAllowed
from definition.models import Event
from deliberation.discussion.services import (
    acknowledge_disposition,
    post_comment,
    record_disposition,
)
from deliberation.models import Disposition
from deliberation.votes.services import cast_vote
from tests.factories import DefinitionFactory, DraftFactory, UserFactory

pytestmark = pytest.mark.django_db



@pytest.fixture
def comment(member, clause):
    return post_comment(
        actor=member,
        clause=clause,
        body="Say 'any purpose'.",
        kind="suggestion",
        proposed_text="Use for any purpose.",
    )


@pytest.fixture
def block(member, clause):
    return cast_vote(
        actor=member, clause=clause, position="block", rationale="Without data this is not open."
    ).objection


def test_a_facilitator_records_a_disposition_and_logs_it(comment, facilitator, published_draft):
    disposition = record_disposition(
        actor=facilitator,
        comment=comment,
        status="accepted",
        response="Applied in 0.0.9.",
        addressed_in=published_draft,
    )

    row = Disposition.objects.get(comment=comment)
    assert row.pk == disposition.pk
    assert (row.status, row.response, row.addressed_in, row.decided_by) == (
        "accepted",
        "Applied in 0.0.9.",
        published_draft,
        facilitator,
    )
    assert row.decided_at is not None
    assert row.acknowledged_satisfied is None
    event = Event.objects.get(kind=Event.Kind.DISPOSITION)
    assert (event.actor, event.reason, event.draft) == (
        facilitator,
        "Applied in 0.0.9.",
        published_draft,
    )
    assert event.data == {"comment": comment.pk, "status": "accepted", "clause": "freedoms"}


@pytest.mark.parametrize("status", [s for s in Disposition.Status.values if s != "overruled"])
def test_every_status_but_overruled_fits_any_top_level_comment(comment, facilitator, status):
    record_disposition(actor=facilitator, comment=comment, status=status, response="Noted.")

    assert Disposition.objects.get(comment=comment).status == status


@pytest.mark.parametrize("actor_name", ["member", "user", "anonymous", "other_facilitator"])
def test_only_a_facilitator_records_a_disposition(request, comment, actor_name):
    if actor_name == "anonymous":
        actor = AnonymousUser()
    elif actor_name == "other_facilitator":
        actor = UserFactory(username="elsewhere", is_staff=True)
        DefinitionFactory(slug="elsewhere").facilitators.add(actor)
    else:
        actor = request.getfixturevalue(actor_name)

    with pytest.raises(NotAllowed):
        record_disposition(actor=actor, comment=comment, status="declined", response="No.")

    assert Disposition.objects.count() == 0
    assert not Event.objects.filter(kind=Event.Kind.DISPOSITION).exists()


def test_only_a_top_level_comment_gets_a_disposition(comment, facilitator, members, clause):
    reply = post_comment(actor=members["lawyers-1"], clause=clause, body="+1", parent=comment)

    with pytest.raises(InvalidInput) as exc:
        record_disposition(actor=facilitator, comment=reply, status="accepted", response="Yes.")

    assert exc.value.field == "comment"
    assert Disposition.objects.count() == 0


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"status": "approved", "response": "Yes."}, "status"),
        ({"status": "declined", "response": ""}, "response"),
        ({"status": "declined", "response": "   "}, "response"),
        ({"status": "declined", "response": "x" * 10001}, "response"),
    ],
)
def test_it_validates_a_disposition(comment, facilitator, kwargs, field):
    with pytest.raises(InvalidInput) as exc:
        record_disposition(actor=facilitator, comment=comment, **kwargs)

    assert exc.value.field == field
    assert Disposition.objects.count() == 0


def test_addressed_in_must_be_a_draft_of_the_definition(comment, facilitator):
    foreign = DraftFactory(definition=DefinitionFactory(slug="other"), version="9.9")

    with pytest.raises(InvalidInput) as exc:
        record_disposition(
            actor=facilitator,
            comment=comment,
            status="accepted",
            response="Done.",
            addressed_in=foreign,
        )

    assert exc.value.field == "addressed_in"


def test_the_database_refuses_a_disposition_without_response(comment, facilitator):
    with pytest.raises(IntegrityError), transaction.atomic():
        Disposition.objects.create(
            comment=comment, status="declined", response="", decided_at=timezone.now()
        )


def test_a_block_is_overruled_with_a_public_reason(block, facilitator):
    record_disposition(
        actor=facilitator,
        comment=block,
        status="overruled",
        response="Every other group accepts this wording.",
    )

    assert Disposition.objects.get(comment=block).status == "overruled"
    assert Disposition.objects.get(comment=block).ends_block is True
    event = Event.objects.get(kind=Event.Kind.BLOCK_OVERRULED)
    assert (event.actor, event.reason) == (facilitator, "Every other group accepts this wording.")
    assert not Event.objects.filter(kind=Event.Kind.DISPOSITION).exists()


def test_a_block_is_resolved_as_a_disposition(block, facilitator):
    record_disposition(actor=facilitator, comment=block, status="resolved", response="Reworded.")

    assert Disposition.objects.get(comment=block).ends_block is True
    assert Event.objects.get(kind=Event.Kind.DISPOSITION).data["status"] == "resolved"


def test_only_a_block_can_be_overruled(comment, facilitator, member, members, clause):
    oppose = cast_vote(
        actor=members["lawyers-1"], clause=clause, position="oppose", rationale="Too broad."
    ).objection
    former_block = cast_vote(
        actor=members["companies-1"], clause=clause, position="block", rationale="No."
    )
    cast_vote(actor=members["companies-1"], clause=clause, position="oppose", rationale="No.")

    for target in (comment, oppose, former_block.objection):
        with pytest.raises(InvalidInput) as exc:
            record_disposition(
                actor=facilitator, comment=target, status="overruled", response="Overruled."
            )
        assert exc.value.field == "status"

    assert Disposition.objects.count() == 0
    assert not Event.objects.filter(kind=Event.Kind.BLOCK_OVERRULED).exists()


def test_an_objection_of_an_oppose_vote_is_dispositioned(facilitator, member, clause):
    objection = cast_vote(
        actor=member, clause=clause, position="oppose", rationale="Too broad."
    ).objection

    record_disposition(
        actor=facilitator, comment=objection, status="declined", response="The breadth is intended."
    )

    assert Disposition.objects.get(comment=objection).status == "declined"


def test_the_author_acknowledges_a_disposition(comment, facilitator, member):
    record_disposition(actor=facilitator, comment=comment, status="declined", response="No.")

    acknowledge_disposition(
        actor=member, comment=comment, satisfied=False, note="I still disagree."
    )

    row = Disposition.objects.get(comment=comment)
    assert (row.acknowledged_satisfied, row.acknowledgement_note) == (False, "I still disagree.")
    assert row.acknowledged_at is not None


@pytest.mark.parametrize("actor_name", ["facilitator", "user", "anonymous", "other_member"])
def test_only_the_author_acknowledges(request, comment, facilitator, members, actor_name):
    record_disposition(actor=facilitator, comment=comment, status="declined", response="No.")
    actor = {"anonymous": AnonymousUser(), "other_member": members["lawyers-1"]}.get(actor_name)
    actor = actor or request.getfixturevalue(actor_name)

    with pytest.raises(NotAllowed):
        acknowledge_disposition(actor=actor, comment=comment, satisfied=True)

    assert Disposition.objects.get(comment=comment).acknowledged_satisfied is None


def test_acknowledging_without_a_disposition_is_a_conflict(comment, member):
    with pytest.raises(Conflict) as exc:
        acknowledge_disposition(actor=member, comment=comment, satisfied=True)

    assert exc.value.field == "comment"


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"satisfied": "yes"}, "satisfied"),
        ({"satisfied": None}, "satisfied"),
        ({"satisfied": True, "note": "x" * 5001}, "note"),
    ],
)
def test_it_validates_an_acknowledgement(comment, facilitator, member, kwargs, field):
    record_disposition(actor=facilitator, comment=comment, status="declined", response="No.")

    with pytest.raises(InvalidInput) as exc:
        acknowledge_disposition(actor=member, comment=comment, **kwargs)

    assert exc.value.field == field
    assert Disposition.objects.get(comment=comment).acknowledged_at is None


def test_revising_a_disposition_asks_for_acknowledgement_again(
    comment, facilitator, member, admin_user
):
    first = record_disposition(
        actor=facilitator, comment=comment, status="deferred", response="Later."
    )
    acknowledge_disposition(actor=member, comment=comment, satisfied=False, note="Now please.")

    revised = record_disposition(
        actor=admin_user, comment=comment, status="accepted", response="Done in 0.0.9."
    )

    row = Disposition.objects.get(comment=comment)
    assert row.pk == first.pk == revised.pk
    assert (row.status, row.response, row.decided_by) == ("accepted", "Done in 0.0.9.", admin_user)
    assert (row.acknowledged_satisfied, row.acknowledgement_note, row.acknowledged_at) == (
        None,
        "",
        None,
    )
    assert Disposition.objects.count() == 1
    assert list(
        Event.objects.filter(kind=Event.Kind.DISPOSITION)
        .order_by("id")
        .values_list("data__status", flat=True)
    ) == ["deferred", "accepted"]
    assert row.history.count() >= 3
