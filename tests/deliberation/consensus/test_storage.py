"""Stored consensus summaries: computed from SQL aggregates by the recompute jobs."""

import pytest
from django.utils import timezone

from definition.memberships import revoke_membership
from definition.models import Membership
from deliberation.consensus import recompute
from deliberation.consensus.selectors import get_clause_consensus, get_draft_consensus
from deliberation.discussion import services as discussion_services
from deliberation.models import ClauseSummary, GroupSummary
from deliberation.votes import services as vote_services
from tests.factories import MembershipFactory, UserFactory


def _members(definition, group_slug, count):
    group = definition.groups.get(slug=group_slug)
    return [
        MembershipFactory(user=UserFactory(), definition=definition, group=group).user
        for _ in range(count)
    ]


def _vote_all(users, clause, position, rationale="Because."):
    for user in users:
        vote_services.cast_vote(
            actor=user,
            clause=clause,
            position=position,
            rationale=rationale if position in ("oppose", "block") else "",
        )


@pytest.fixture
def quorate(definition, clause):
    """Five members in each of developers, lawyers and companies."""
    devs, lawyers, companies = (
        _members(definition, g, 5) for g in ("developers", "lawyers", "companies")
    )
    return devs, lawyers, companies


def test_a_vote_refreshes_its_clause_summary_on_commit(
    clause, quorate, django_capture_on_commit_callbacks
):
    devs, lawyers, companies = quorate
    with django_capture_on_commit_callbacks(execute=True):
        _vote_all(devs, clause, "support")
        _vote_all(lawyers[:3], clause, "support")
        _vote_all(lawyers[3:], clause, "oppose")
        _vote_all(companies, clause, "accept")
    summary = ClauseSummary.objects.get(clause=clause)
    # p: developers 6/7, lawyers 4/7, companies 6/7; B = 16/21; min p = 4/7 < 2/3 -> rough
    assert summary.balanced_approval == pytest.approx(16 / 21, abs=1e-12)
    assert summary.pooled_approval == pytest.approx(13 / 15, abs=1e-12)
    assert summary.divergence == pytest.approx(2 / 7, abs=1e-12)
    assert summary.open_objections == 2
    assert summary.level == "rough"
    assert summary.weakest_group == "lawyers"
    assert not summary.stale
    lawyers_row = GroupSummary.objects.get(summary=summary, group__slug="lawyers")
    assert (lawyers_row.support, lawyers_row.oppose, lawyers_row.decisive) == (3, 2, 5)


def test_a_summary_is_stale_until_recomputed(clause, quorate):
    devs, _, _ = quorate
    # on_commit never runs
    vote_services.cast_vote(actor=devs[0], clause=clause, position="support")
    summary = ClauseSummary.objects.select_related("draft__definition").get(clause=clause)
    assert summary.stale and summary.computed_at is None
    assert recompute.recompute(draft_id=clause.draft_id) == 3
    summary = ClauseSummary.objects.select_related("draft__definition").get(clause=clause)
    assert not summary.stale and summary.computed_at is not None


def test_recomputing_twice_gives_the_same_rows(clause, quorate):
    devs, lawyers, _ = quorate
    _vote_all(devs, clause, "support")
    _vote_all(lawyers, clause, "oppose")
    recompute.recompute(draft_id=clause.draft_id)
    rows = GroupSummary.objects.filter(summary__clause=clause).order_by("group__slug")
    fields = ("group__slug", "support", "oppose", "approval")
    first = list(rows.values_list(*fields))
    recompute.recompute(draft_id=clause.draft_id)
    again = list(rows.values_list(*fields))
    assert first == again
    assert len(again) == 4


def test_a_sustained_block_blocks_until_overruled(clause, quorate, facilitator):
    devs, lawyers, companies = quorate
    _vote_all(devs + companies, clause, "support")
    vote_services.cast_vote(
        actor=lawyers[0], clause=clause, position="block", rationale="This excludes training data."
    )
    recompute.recompute(draft_id=clause.draft_id)
    assert ClauseSummary.objects.get(clause=clause).level == "blocked"
    objection = clause.comments.get(kind="objection")
    discussion_services.record_disposition(
        actor=facilitator,
        comment=objection,
        status="overruled",
        response="The working group weighed this and decided otherwise.",
    )
    recompute.recompute(draft_id=clause.draft_id)
    summary = ClauseSummary.objects.get(clause=clause)
    assert summary.sustained_blocks == 0
    assert summary.level != "blocked"


def test_revoked_members_votes_stop_counting(clause, quorate, facilitator):
    devs, _, _ = quorate
    _vote_all(devs, clause, "support")
    recompute.recompute(draft_id=clause.draft_id)
    membership = Membership.objects.get(user=devs[0], definition=clause.draft.definition)
    revoke_membership(actor=facilitator, membership=membership, reason="Undisclosed conflict.")
    summary = ClauseSummary.objects.select_related("draft__definition").get(clause=clause)
    assert summary.stale  # membership decisions make summaries stale
    recompute.recompute(draft_id=clause.draft_id)
    row = GroupSummary.objects.get(summary__clause=clause, group__slug="developers")
    assert row.support == 4


def test_the_periodic_check_finds_and_repairs_a_tampered_summary(clause, quorate, caplog):
    devs, _, _ = quorate
    _vote_all(devs, clause, "support")
    recompute.recompute(draft_id=clause.draft_id)
    ClauseSummary.objects.filter(clause=clause).update(balanced_approval=0.123)
    assert recompute.verify_and_repair(draft_id=clause.draft_id) == 1
    assert "consensus mismatch" in caplog.text
    assert recompute.verify_and_repair(draft_id=clause.draft_id) == 0


def _forget_broker_connections(app) -> None:
    """Drop the pools made for the dead address, so later tests publish to the real broker."""
    app._pool = None  # kombu keeps one pool per address: the next use picks the real one's
    app.amqp._producer_pool = None


def test_a_dead_broker_keeps_the_vote_and_leaves_the_summary_stale(
    clause, quorate, django_capture_on_commit_callbacks, settings
):
    from config.celery import app

    devs, _, _ = quorate
    app.conf.task_always_eager = False
    previous = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        with django_capture_on_commit_callbacks(execute=True):
            vote_services.cast_vote(actor=devs[0], clause=clause, position="support")
        with django_capture_on_commit_callbacks(execute=True):  # backs off: no second wait
            vote_services.cast_vote(actor=devs[1], clause=clause, position="accept")
    finally:
        app.conf.broker_url = previous
        app.conf.task_always_eager = True
        _forget_broker_connections(app)
    assert clause.votes.count() == 2
    summary = ClauseSummary.objects.select_related("draft__definition").get(clause=clause)
    assert summary.stale
    from deliberation.tasks import refresh_stale_task

    # the first vote created its clause's summary row, stale until the periodic job computes it
    assert refresh_stale_task() == 1
    assert ClauseSummary.objects.get(clause=clause).computed_at is not None


def test_draft_consensus_lists_every_clause_in_reading_order(
    published_draft, clause, quorate, django_assert_max_num_queries
):
    devs, _, _ = quorate
    _vote_all(devs, clause, "support")
    recompute.recompute(draft_id=clause.draft_id)
    with django_assert_max_num_queries(6):
        data = get_draft_consensus(draft=published_draft)
    assert [row["key"] for row in data["clauses"]] == ["preamble", "why", "freedoms"]
    voted = data["clauses"][2]
    assert voted["groups"][1]["group"] == "developers"
    assert voted["groups"][1]["support"] == 5
    preamble = data["clauses"][0]
    assert preamble["level"] == "insufficient" and not preamble["stale"]
    assert sum(g["decisive"] for g in preamble["groups"]) == 0


def test_a_clause_nobody_voted_on_reads_as_empty_and_fresh(published_draft):
    data = get_draft_consensus(draft=published_draft)
    first = data["clauses"][0]
    assert first["computed_at"] is None and first["stale"] is False
    assert first["level"] == "insufficient" and first["balanced_approval"] is None
    assert [g["group"] for g in first["groups"]] == [
        "companies",
        "developers",
        "lawyers",
        "legislators",
    ]


def test_clause_consensus_shows_the_trend_across_drafts(definition, clause, quorate, facilitator):
    from definition.services import create_draft, publish_draft

    devs, lawyers, companies = quorate
    _vote_all(devs + companies, clause, "support")
    _vote_all(lawyers, clause, "oppose")
    recompute.recompute(draft_id=clause.draft_id)
    nxt = create_draft(
        actor=facilitator, definition=definition, version="0.0.9", based_on=clause.draft
    )
    nxt = publish_draft(
        actor=facilitator, draft=nxt, closes_at=timezone.now() + timezone.timedelta(days=3)
    )
    new_clause = nxt.clauses.get(key="freedoms")
    _vote_all(devs + companies + lawyers[:3], new_clause, "support")
    _vote_all(lawyers[3:], new_clause, "oppose")
    recompute.recompute(draft_id=nxt.pk)
    data = get_clause_consensus(clause=new_clause)
    points = data["trend"]["points"]
    assert [p["version"] for p in points] == ["0.0.8", "0.0.9"]
    assert points[1]["text_changed"] is False
    # B moved from (6/7 + 1/7 + 6/7)/3 = 13/21 to (6/7 + 4/7 + 6/7)/3 = 16/21
    assert points[1]["delta_balanced"] == pytest.approx(3 / 21, abs=1e-12)
    assert data["trend"]["movement"]["lawyers"] == {
        "to_approving": 3,
        "to_disapproving": 0,
        "both_versions": 5,
    }


def test_the_one_clause_recompute_agrees_with_the_whole_draft_one(clause, quorate, facilitator,
                                                                  django_assert_max_num_queries):
    # The scoped recompute reads everything in one statement (recompute.SCOPED_SQL) and writes
    # in one on PostgreSQL; the whole-draft recompute uses the separate queries. Same figures.
    devs, lawyers, companies = quorate
    _vote_all(devs[:3], clause, "support")
    _vote_all(devs[3:], clause, "block", "Not workable.")
    _vote_all(lawyers[:4], clause, "oppose", "Too broad.")
    _vote_all(companies, clause, "accept")
    objection = clause.comments.filter(kind="objection", author=devs[3]).get()
    discussion_services.record_disposition(actor=facilitator, comment=objection,
                                           status="overruled",
                                           response="Weighed and decided otherwise.")
    revoke_membership(actor=facilitator,
                      membership=Membership.objects.get(user=lawyers[0],
                                                        definition=clause.draft.definition),
                      reason="Undisclosed conflict.")
    with django_assert_max_num_queries(10):
        recompute.recompute(draft_id=clause.draft_id, clause_ids=[clause.pk])
    summary = ClauseSummary.objects.get(clause=clause)
    assert not summary.stale and not recompute.pending_clause_ids(clause.draft_id)
    scoped = {f: getattr(summary, f) for f in recompute.SUMMARY_FIELDS}
    groups = sorted(GroupSummary.objects.filter(summary=summary)
                    .values_list("group__slug", *recompute.GROUP_FIELDS))
    assert (summary.sustained_blocks, summary.open_objections) == (1, 4)
    assert recompute.verify_and_repair(draft_id=clause.draft_id) == 0
    recompute.recompute(draft_id=clause.draft_id)
    summary.refresh_from_db()
    assert {f: getattr(summary, f) for f in recompute.SUMMARY_FIELDS} == scoped
    assert sorted(GroupSummary.objects.filter(summary=summary)
                  .values_list("group__slug", *recompute.GROUP_FIELDS)) == groups
