"""The recompute of one clause after a vote: three statements, no lock, compare-and-set."""

import pytest

from definition.models import Draft
from deliberation import tasks
from deliberation.consensus import one_clause, recompute
from deliberation.models import ClauseChange, ClauseSummary, GroupSummary
from deliberation.votes import services as vote_services
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.postgres


@pytest.fixture
def voters(definition):
    groups = [definition.groups.get(slug=s) for s in ("developers", "lawyers", "companies")]
    return [MembershipFactory(user=UserFactory(), definition=definition, group=g).user
            for g in groups for _ in range(5)]


def _figures(clause):
    summary = ClauseSummary.objects.get(clause=clause)
    groups = sorted(GroupSummary.objects.filter(summary=summary)
                    .values_list("group__slug", *recompute.GROUP_FIELDS))
    return {f: getattr(summary, f) for f in recompute.SUMMARY_FIELDS}, groups


def _vote(user, clause, position):
    with tasks.recompute_deferred():  # the recompute is what these tests run
        vote_services.cast_vote(actor=user, clause=clause, position=position,
                                rationale="Too broad." if position in ("oppose", "block") else "")


def test_it_stores_what_the_whole_draft_recompute_stores_in_three_statements(
        clause, voters, django_assert_num_queries):
    for n, user in enumerate(voters):
        _vote(user, clause, ("support", "accept", "oppose", "block")[n % 4])
    with django_assert_num_queries(3):
        assert one_clause.recompute_clause(draft_id=clause.draft_id, clause_id=clause.pk) == 1
    assert not ClauseSummary.objects.get(clause=clause).stale
    assert not ClauseChange.objects.filter(clause=clause).exists()
    stored = _figures(clause)
    assert stored[0]["open_objections"] == 7 and stored[0]["sustained_blocks"] == 3
    recompute.recompute(draft_id=clause.draft_id)
    assert _figures(clause) == stored


def test_a_summary_written_between_its_read_and_its_write_makes_it_read_again(
        clause, voters, monkeypatch):
    for user in voters[:10]:
        _vote(user, clause, "support")
    one_clause.recompute_clause(draft_id=clause.draft_id, clause_id=clause.pk)
    original, reads = recompute.scoped_figures, []

    def read_then_lose_the_race(*args):
        result = original(*args)  # counts 10 supports
        reads.append(result)
        if len(reads) == 1:  # another worker counts a later vote and writes first
            _vote(voters[10], clause, "block")
            recompute.recompute(draft_id=clause.draft_id)  # (the whole-draft path)
        return result

    monkeypatch.setattr(recompute, "scoped_figures", read_then_lose_the_race)
    _vote(voters[11], clause, "accept")
    assert one_clause.recompute_clause(draft_id=clause.draft_id, clause_id=clause.pk) == 1
    assert len(reads) == 2  # the first write found the stamp changed and wrote nothing
    summary = ClauseSummary.objects.get(clause=clause)
    assert (summary.sustained_blocks, summary.open_objections) == (1, 1)  # never went back
    groups = dict(GroupSummary.objects.filter(summary=summary)
                  .values_list("group__slug", "accept"))
    assert sum(groups.values()) == 1 and not summary.stale


def test_after_losing_every_attempt_it_takes_the_locked_path(clause, voters, monkeypatch):
    _vote(voters[0], clause, "support")
    monkeypatch.setattr(one_clause, "_write", lambda *args: False)
    assert one_clause.recompute_clause(draft_id=clause.draft_id, clause_id=clause.pk) == 1
    assert not ClauseSummary.objects.get(clause=clause).stale


def test_a_closed_draft_takes_the_general_path(clause, voters, monkeypatch):
    _vote(voters[0], clause, "support")
    Draft.objects.filter(pk=clause.draft_id).update(status=Draft.Status.CLOSED)
    monkeypatch.setattr(one_clause, "_write", lambda *args: pytest.fail("not the general path"))
    assert one_clause.recompute_clause(draft_id=clause.draft_id, clause_id=clause.pk) == 1
    assert ClauseSummary.objects.get(clause=clause).computed_at is not None
