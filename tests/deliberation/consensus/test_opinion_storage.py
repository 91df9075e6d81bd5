"""The opinion-group job over real votes in the database."""

import random

from deliberation.consensus.opinions import compute_opinion_groups, needs_opinion_update
from deliberation.models import OpinionAnalysis, Vote
from deliberation.tasks import refresh_opinion_groups_task
from tests.factories import ClauseFactory, MembershipFactory, UserFactory, open_draft


def _planted(definition, draft, per_group=8, clauses=10):
    """Developers approve what lawyers oppose and the reverse, with a little noise."""
    rng = random.Random(7)
    keys = [ClauseFactory(draft=draft, key=f"c-{n}", position=10 + n) for n in range(clauses)]
    open_draft(draft)
    votes = []
    for slug, lean in (("developers", 1), ("lawyers", -1)):
        group = definition.groups.get(slug=slug)
        for _ in range(per_group):
            membership = MembershipFactory(user=UserFactory(), definition=definition, group=group)
            for n, clause in enumerate(keys):
                likes = (n % 2 == 0) == (lean > 0)
                if rng.random() < 0.1:
                    likes = not likes
                position = "support" if likes else "oppose"
                votes.append(Vote(clause=clause, voter=membership.user, membership=membership,
                                  group=group, position=position,
                                  rationale="" if likes else "No."))
    Vote.objects.bulk_create(votes)


def test_it_recovers_two_planted_opinion_groups(definition, editing_draft):
    published_draft = editing_draft
    _planted(definition, published_draft)
    analysis = compute_opinion_groups(draft_id=published_draft.pk)
    result = analysis.result
    assert result["k"] == 2 and result["structured"] is True
    assert result["adjusted_rand"] >= 0.9
    assert sorted(g["size"] for g in result["groups"]) == [8, 8]
    assert len(result["positions"]) == 16
    assert analysis.votes_seen == 160
    assert {d["clause"] for d in result["divisive"]} <= {f"c-{n}" for n in range(10)}


def test_the_periodic_job_reruns_only_when_votes_changed(definition, editing_draft):
    published_draft = editing_draft
    _planted(definition, published_draft, per_group=4)
    assert needs_opinion_update(published_draft)
    assert refresh_opinion_groups_task() == 1
    assert not needs_opinion_update(published_draft)
    assert refresh_opinion_groups_task() == 0
    assert OpinionAnalysis.objects.filter(draft=published_draft).count() == 1


def test_it_says_so_when_there_is_too_little_data(published_draft):
    analysis = compute_opinion_groups(draft_id=published_draft.pk)
    assert analysis.result["k"] == 0 and analysis.result["structured"] is False
    assert analysis.result["reason"]
