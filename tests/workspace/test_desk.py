"""The facilitator desk's summary, and dismissing flags."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.errors import Conflict, NotAllowed
from definition.models import Event, Membership
from deliberation.discussion.services import (
    flag_comment,
    post_comment,
    record_disposition,
    resolve_flags,
)
from deliberation.models import ClauseSummary, Flag
from deliberation.votes.services import cast_vote
from tests.factories import MembershipFactory, UserFactory
from workspace.selectors import get_desk_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy(definition, facilitator, members, published_draft, user):
    why, freedoms = (published_draft.clauses.get(key=k) for k in ("why", "freedoms"))
    MembershipFactory(user=UserFactory(username="applicant"), definition=definition,
                      status=Membership.Status.PENDING, affiliation="ACME",
                      conflict_of_interest="I sell models.")
    answered = post_comment(actor=members["lawyers-1"], clause=freedoms, body="Answered.")
    record_disposition(actor=facilitator, comment=answered, status="declined", response="No.")
    open_comment = post_comment(actor=members["lawyers-2"], clause=freedoms, body="Open.")
    post_comment(actor=members["developers-1"], clause=freedoms, body="Reply.",
                 parent=open_comment)
    block = cast_vote(actor=members["companies-1"], clause=why, position="block",
                      rationale="No.").objection
    overruled = cast_vote(actor=members["companies-2"], clause=freedoms, position="block",
                          rationale="No!").objection
    record_disposition(actor=facilitator, comment=overruled, status="overruled",
                       response="Rough consensus.")
    flag_comment(actor=user, comment=open_comment, reason="Rude.")
    return {"open": open_comment, "block": block, "answered": answered}


def test_the_desk_gathers_what_needs_a_decision(definition, busy, published_draft):
    desk = get_desk_summary(definition=definition,
                            now=published_draft.closes_at - timedelta(hours=30))

    assert desk.draft == published_draft
    assert desk.days_left == 2
    assert [(m.user.username, m.affiliation, m.conflict_of_interest)
            for m in desk.pending_memberships] == [("applicant", "ACME", "I sell models.")]
    assert [c.pk for c in desk.undisposed] == [busy["open"].pk, busy["block"].pk]
    assert [c.pk for c in desk.sustained_blocks] == [busy["block"].pk]
    assert [(c.pk, [f.reason for f in c.open_flags]) for c in desk.flagged] == [
        (busy["open"].pk, ["Rude."])]


def test_the_desk_sorts_clauses_by_their_stored_level(definition, busy, published_draft):
    for key, level in (("why", "blocked"), ("freedoms", "contested")):
        ClauseSummary.objects.update_or_create(
            clause=published_draft.clauses.get(key=key), draft=published_draft,
            defaults={"level": level})

    desk = get_desk_summary(definition=definition)

    assert {level: [c.key for c in clauses] for level, clauses in
            desk.clauses_by_level.items()} == {
        "blocked": ["why"], "contested": ["freedoms"], "insufficient": ["preamble"]}
    assert list(desk.clauses_by_level) == ["blocked", "contested", "insufficient"]


def test_the_desk_without_an_open_draft(definition, editing_draft):
    desk = get_desk_summary(definition=definition)

    assert (desk.draft, desk.days_left, desk.clauses_by_level, desk.sustained_blocks) == (
        None, None, {}, [])


def test_days_left_round_up_and_stop_at_zero(definition, published_draft):
    closes = published_draft.closes_at
    assert get_desk_summary(definition=definition, now=closes - timedelta(hours=1)).days_left == 1
    assert get_desk_summary(definition=definition, now=closes + timedelta(hours=1)).days_left == 0


def _grow(definition, members, draft, facilitator, n):
    clauses = list(draft.clauses.all())
    for i in range(n):
        who = UserFactory(username=f"extra-{i}")
        MembershipFactory(user=who, definition=definition, status=Membership.Status.PENDING)
        comment = post_comment(actor=members["legislators-1"], clause=clauses[i % 3],
                               body=f"Point {i}.")
        flag_comment(actor=who, comment=comment, reason="Spam?")


def test_the_desk_takes_a_fixed_number_of_queries(definition, busy, members, published_draft,
                                                  facilitator, django_assert_num_queries):
    with django_assert_num_queries(8):
        get_desk_summary(definition=definition)
    _grow(definition, members, published_draft, facilitator, 10)
    with django_assert_num_queries(8):
        desk = get_desk_summary(definition=definition)
    assert len(desk.pending_memberships) == 11
    assert len(desk.flagged) == 11


def test_resolving_flags_dismisses_them_and_logs_it(facilitator, busy):
    count = resolve_flags(actor=facilitator, comment=busy["open"], reason="Not rude.")

    assert count == 1
    assert not Flag.objects.filter(resolved=False).exists()
    assert not busy["open"].hidden
    event = Event.objects.get(kind="flags-resolved")
    assert (event.actor, event.reason, event.data) == (
        facilitator, "Not rude.", {"comment": busy["open"].pk, "flags": 1})


def test_resolving_needs_a_facilitator_and_an_open_flag(facilitator, member, busy):
    with pytest.raises(NotAllowed):
        resolve_flags(actor=member, comment=busy["open"])
    with pytest.raises(Conflict):
        resolve_flags(actor=facilitator, comment=busy["answered"])


def test_the_resolve_flags_endpoint(api, facilitator, busy):
    response = api(facilitator).post(f"/api/v1/comments/{busy['open'].pk}/resolve-flags/", {},
                                      format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["resolved"] == 1
    assert response.json()["comment"]["id"] == busy["open"].pk
    assert get_desk_summary(definition=busy["open"].clause.draft.definition).flagged == []


def test_the_desk_counts_time_from_now_by_default(definition, published_draft):
    published_draft.closes_at = timezone.now() + timedelta(days=3, hours=1)
    published_draft.save()

    assert get_desk_summary(definition=definition).days_left == 4
