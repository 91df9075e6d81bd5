"""The consensus, recompute, job and opinion-group endpoints: stored figures, facilitator jobs."""

import pytest

from definition.models import Job
from deliberation.consensus import recompute
from tests.factories import ClauseFactory, MembershipFactory, UserFactory, VoteFactory, open_draft

BASE = "/api/v1/definitions/osaid/drafts/0.0.8/"


def _voted_draft(definition, editing_draft, clauses: int, members: int):
    """`clauses` extra clauses; `members` developers who each support every clause."""
    keys = [ClauseFactory(draft=editing_draft, key=f"extra-{n}", position=10 + n)
            for n in range(clauses)]
    draft = open_draft(editing_draft)
    group = definition.groups.get(slug="developers")
    for _ in range(members):
        membership = MembershipFactory(user=UserFactory(), definition=definition, group=group)
        for clause in keys:
            VoteFactory(clause=clause, membership=membership)
    recompute.recompute(draft_id=draft.pk)
    return draft


@pytest.mark.parametrize("clauses,members", [(5, 5), (200, 20)])
def test_draft_consensus_costs_the_same_queries_at_any_size(
        api, definition, editing_draft, clauses, members, django_assert_num_queries):
    _voted_draft(definition, editing_draft, clauses, members)
    with django_assert_num_queries(8):  # a page of clauses, and the whole draft's freshness
        response = api().get(BASE + "consensus/")
    assert response.status_code == 200
    body = response.json()
    assert body["draft"] == "0.0.8" and body["stale"] is False
    # the section "preamble" takes no vote: not listed, not counted
    assert body["count"] == clauses + 2 and len(body["clauses"]) == min(clauses + 2, 100)
    extra = body["clauses"][2]
    developers = next(g for g in extra["groups"] if g["group"] == "developers")
    assert developers["support"] == members
    assert developers["approval"] == pytest.approx((members + 1) / (members + 2))


def test_clause_consensus_includes_figures_and_trend(api, definition, editing_draft):
    _voted_draft(definition, editing_draft, 1, 6)
    response = api().get(BASE + "clauses/extra-0/consensus/")
    assert response.status_code == 200
    body = response.json()
    assert body["key"] == "extra-0" and body["level"] == "insufficient"
    assert body["trend"]["points"][0]["version"] == "0.0.8"
    assert api().get(BASE + "clauses/nope/consensus/").status_code == 404


def test_only_facilitators_start_a_recompute_and_see_its_job(
        api, definition, editing_draft, facilitator, member, django_capture_on_commit_callbacks):
    _voted_draft(definition, editing_draft, 2, 3)
    assert api().post(BASE + "consensus/recompute/").status_code == 401
    assert api(member).post(BASE + "consensus/recompute/").status_code == 403
    assert Job.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = api(facilitator).post(BASE + "consensus/recompute/")
    assert response.status_code == 202
    job_id = response.json()["id"]
    job = api(facilitator).get(f"/api/v1/jobs/{job_id}/").json()
    assert job["state"] == "done" and job["progress"] == 1.0
    assert api(member).get(f"/api/v1/jobs/{job_id}/").status_code == 403
    assert api(facilitator).get("/api/v1/jobs/999999/").status_code == 404


def test_a_recompute_takes_no_body(api, definition, editing_draft, facilitator):
    _voted_draft(definition, editing_draft, 1, 1)
    response = api(facilitator).post(BASE + "consensus/recompute/", {"force": True},
                                     format="json")
    assert response.status_code == 400
    assert "force" in response.json()["errors"]


def test_opinion_groups_hide_names_unless_votes_are_public(
        api, definition, editing_draft, facilitator, user):
    from deliberation.consensus.opinions import compute_opinion_groups

    draft = _voted_draft(definition, editing_draft, 8, 4)
    empty = api().get(BASE + "opinion-groups/").json()
    assert empty["result"] is None and empty["computed_at"] is None
    compute_opinion_groups(draft_id=draft.pk)
    named = api(user).get(BASE + "opinion-groups/").json()
    assert all(p["member"] for p in named["result"]["positions"])
    definition.votes_public = False
    definition.save()
    hidden = api(user).get(BASE + "opinion-groups/").json()
    assert {p["member"] for p in hidden["result"]["positions"]} == {None}
    seen = api(facilitator).get(BASE + "opinion-groups/").json()
    assert all(p["member"] for p in seen["result"]["positions"])
