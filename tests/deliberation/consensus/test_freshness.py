"""Which membership decisions make which stored summaries stale, and what refreshes them.

A closed (or final) draft takes no more votes: its figures count the members as they were when it
closed, and later decisions neither change them nor make them stale. The open draft counts the
members as they are now: a verification changes its participation, a revocation its counts, and
both refresh it on commit (in-process without a worker) instead of leaving it stale.
"""

import pytest

from definition.memberships import (
    apply_membership,
    reject_membership,
    revoke_membership,
    verify_membership,
)
from definition.models import Membership
from definition.services import close_draft
from deliberation.consensus import recompute
from deliberation.discussion import services as discussion_services
from deliberation.models import ClauseSummary, GroupSummary
from deliberation.votes import services as vote_services
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def voted(definition, clause):
    """Five developers and five lawyers support the clause; its summary is computed."""
    for slug in ("developers", "lawyers"):
        group = definition.groups.get(slug=slug)
        for _ in range(5):
            voter = MembershipFactory(definition=definition, group=group).user
            vote_services.cast_vote(actor=voter, clause=clause, position="support")
    recompute.recompute(draft_id=clause.draft_id)
    return clause


def _summary(clause) -> ClauseSummary:
    return ClauseSummary.objects.select_related("draft__definition").get(clause=clause)


def _developers(clause) -> GroupSummary:
    return GroupSummary.objects.get(summary__clause=clause, group__slug="developers")


def _applicant(definition, group="developers") -> Membership:
    return apply_membership(user=UserFactory(), definition=definition, group_slug=group,
                            affiliation="Example Org")


def test_verifying_a_member_keeps_a_closed_drafts_summaries_fresh(voted, facilitator):
    close_draft(actor=facilitator, draft=voted.draft)
    verify_membership(actor=facilitator, membership=_applicant(voted.draft.definition))
    assert not _summary(voted).stale
    assert recompute.stale_clause_ids() == {}


def test_verifying_a_member_refreshes_the_open_drafts_participation_on_commit(
    voted, facilitator, django_capture_on_commit_callbacks
):
    assert _developers(voted).participation == pytest.approx(1.0)
    applicant = _applicant(voted.draft.definition)
    with django_capture_on_commit_callbacks(execute=True):
        verify_membership(actor=facilitator, membership=applicant)
    assert not _summary(voted).stale
    assert _developers(voted).participation == pytest.approx(5 / 6)


def test_rejecting_an_applicant_makes_no_summary_stale(voted, facilitator):
    reject_membership(actor=facilitator, membership=_applicant(voted.draft.definition))
    assert not _summary(voted).stale


def test_a_revocation_after_close_leaves_the_closed_drafts_figures_as_they_were(
    voted, facilitator, django_capture_on_commit_callbacks
):
    close_draft(actor=facilitator, draft=voted.draft)
    voter = voted.votes.filter(group__slug="developers").first().membership
    with django_capture_on_commit_callbacks(execute=True):
        revoke_membership(actor=facilitator, membership=voter, reason="Undisclosed conflict.")
    assert not _summary(voted).stale
    recompute.recompute(draft_id=voted.draft_id)  # a later recompute (a disposition, a repair)
    row = _developers(voted)
    assert (row.support, row.participation) == (5, pytest.approx(1.0))
    assert recompute.verify_and_repair(draft_id=voted.draft_id) == 0


def test_a_revocation_on_the_open_draft_stops_counting_at_once(
    voted, facilitator, django_capture_on_commit_callbacks
):
    voter = voted.votes.filter(group__slug="developers").first().membership
    with django_capture_on_commit_callbacks(execute=True):
        revoke_membership(actor=facilitator, membership=voter, reason="Undisclosed conflict.")
    assert not _summary(voted).stale
    row = _developers(voted)
    assert (row.support, row.participation) == (4, pytest.approx(1.0))
    close_draft(actor=facilitator, draft=voted.draft)
    recompute.recompute(draft_id=voted.draft_id)
    assert _developers(voted).support == 4  # revoked before the close: never counted again


def test_a_disposition_after_close_counts_the_objection_with_the_members_at_close(
    voted, facilitator, django_capture_on_commit_callbacks
):
    blocker = MembershipFactory(definition=voted.draft.definition,
                                group=voted.draft.definition.groups.get(slug="companies"))
    vote_services.cast_vote(actor=blocker.user, clause=voted, position="block",
                       rationale="Weights without data are not enough.")
    close_draft(actor=facilitator, draft=voted.draft)
    revoke_membership(actor=facilitator, membership=blocker, reason="Undisclosed conflict.")
    with django_capture_on_commit_callbacks(execute=True):
        discussion_services.record_disposition(
            actor=facilitator, comment=voted.comments.get(kind="objection"),
            status="overruled", response="Rough consensus stands.")
    recompute.recompute(draft_id=voted.draft_id)
    summary = _summary(voted)
    assert (summary.sustained_blocks, summary.open_objections) == (0, 0)
    assert GroupSummary.objects.get(summary=summary, group__slug="companies").block == 1


def test_a_decision_not_yet_counted_when_the_draft_closes_is_counted_once_after(
    voted, facilitator
):
    applicant = _applicant(voted.draft.definition)
    verify_membership(actor=facilitator, membership=applicant)  # the worker has not run yet
    close_draft(actor=facilitator, draft=voted.draft)
    assert _summary(voted).stale
    assert list(recompute.stale_clause_ids()) == [voted.draft_id]
    recompute.recompute(draft_id=voted.draft_id)
    assert _developers(voted).participation == pytest.approx(5 / 6)
    verify_membership(actor=facilitator, membership=_applicant(voted.draft.definition))
    assert not _summary(voted).stale and recompute.stale_clause_ids() == {}
