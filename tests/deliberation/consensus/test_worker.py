"""Consensus jobs through a real Redis broker and a real `celery worker` on PostgreSQL.

Run by CI with DATABASE_URL and REDIS_URL set; skipped, saying why, elsewhere."""

import statistics
import time

import pytest
from rest_framework.test import APIClient

from definition.models import Job
from deliberation import tasks
from tests.factories import (
    ClauseFactory,
    DefinitionFactory,
    DraftFactory,
    MembershipFactory,
    UserFactory,
    open_draft,
)
from tests.processes import start_worker, stop

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(broker, tmp_path):
    """The consensus worker, as the README runs it: `-Q consensus -n consensus@%h`."""
    process = start_worker(broker, tmp_path / "consensus.log", queues="consensus",
                           name="consensus")
    yield process
    stop(process)


@pytest.fixture
def exports_worker(broker, tmp_path):
    """The second worker of the README: `-Q exports,notifications -n exports@%h`."""
    process = start_worker(broker, tmp_path / "exports.log", queues="exports,notifications",
                           name="exports")
    yield process
    stop(process)


@pytest.fixture
def open_clauses():
    definition = DefinitionFactory(slug="worker", title="Worker test")
    draft = DraftFactory(definition=definition, version="1.0")
    clauses = [ClauseFactory(draft=draft, key=f"c-{n}", position=n) for n in range(3)]
    open_draft(draft)
    members = [MembershipFactory(user=UserFactory(), definition=definition,
                                 group=definition.groups.get(slug=slug)).user
               for slug in ("developers", "lawyers", "companies") for _ in range(6)]
    return definition, draft, clauses, members


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _url(clause, tail):
    return (f"/api/v1/definitions/{clause.draft.definition.slug}/drafts/{clause.draft.version}"
            f"/clauses/{clause.key}/{tail}")


def _wait_fresh(clause, expect_decisive: int, timeout: float = 15.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        body = APIClient().get(_url(clause, "consensus/")).json()
        decisive = sum(g["decisive"] for g in body["groups"])
        if not body["stale"] and body["computed_at"] and decisive == expect_decisive:
            return body
        assert time.monotonic() < deadline, f"summary not fresh after {timeout} s: {body}"
        # Each poll is a whole API request in this process: polling every 10 ms kept one of the
        # two cores busy, starving the worker it measures. 50 ms: the latency is over-stated by
        # at most that.
        time.sleep(0.05)


def test_a_burst_of_votes_enqueues_one_recompute_per_clause(broker, open_clauses):
    _, _, clauses, _ = open_clauses
    for _ in range(50):
        tasks.schedule_clause_recompute(clauses[0].pk)
        tasks.schedule_clause_recompute(clauses[1].pk)
    with broker.connection_for_write() as conn:
        _, waiting, _ = conn.default_channel.queue_declare("consensus", passive=True)
    assert broker.conf.task_default_queue == "consensus"
    assert waiting == 2


def test_the_worker_refreshes_summaries_after_votes_through_the_api(worker, open_clauses):
    _, _, clauses, members = open_clauses
    clause = clauses[0]
    for member in members:  # a burst: 18 votes
        response = _client(member).put(_url(clause, "vote/"), {"position": "support"},
                                       format="json")
        assert response.status_code == 200, response.content
    body = _wait_fresh(clause, expect_decisive=18)
    assert body["level"] == "strong" and body["balanced_approval"] == pytest.approx(7 / 8)

    latencies = []
    for n, member in enumerate(members[:12]):
        position, rationale = ("oppose", "Too broad.") if n % 2 else ("accept", "")
        start = time.monotonic()
        response = _client(member).put(_url(clauses[1], "vote/"),
                                       {"position": position, "rationale": rationale},
                                       format="json")
        assert response.status_code == 200
        _wait_fresh(clauses[1], expect_decisive=n + 1)
        latencies.append(time.monotonic() - start)
    p95 = sorted(latencies)[int(0.95 * (len(latencies) - 1))]
    print(f"\nvote to fresh summary with a real worker: median "
          f"{statistics.median(latencies) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
          f"over {len(latencies)} votes")
    assert p95 < 3.0  # the product bar is 1 s; CI machines vary, the figure is printed


def test_a_vote_is_fresh_within_a_second_while_two_large_pdf_exports_run(
        worker, exports_worker, open_clauses, settings):
    """Consensus has its own queue and worker: exports never delay it (issue #10: 165 s)."""
    _, _, clauses, members = open_clauses
    settings.EXPORT_JOB_CLAUSES = 300
    big = DraftFactory(definition=DefinitionFactory(slug="big", title="Big"), version="1.0")
    # Long enough to outlast the 16 votes on a fast machine too (400 clauses took ~6 s here).
    ClauseFactory.create_batch(800, draft=big, body="Use, study, modify and share. " * 20)
    open_draft(big)
    url = "/api/v1/definitions/big/drafts/1.0/export/"
    jobs = [_client(members[n]).get(url, query).json()["id"]
            for n, query in enumerate(({"format": "pdf"}, {"format": "pdf", "annex": "consensus"}))]
    deadline = time.monotonic() + 60
    while Job.objects.filter(pk__in=jobs, state=Job.State.RUNNING).count() < 2:
        assert time.monotonic() < deadline, "the two exports did not start"
        time.sleep(0.05)

    latencies = []
    for n, member in enumerate(members[:16]):
        start = time.monotonic()
        response = _client(member).put(_url(clauses[2], "vote/"), {"position": "support"},
                                       format="json")
        assert response.status_code == 200
        _wait_fresh(clauses[2], expect_decisive=n + 1)
        latencies.append(time.monotonic() - start)
    running = Job.objects.filter(pk__in=jobs, state=Job.State.RUNNING).count()
    p50 = statistics.median(latencies)
    p95 = sorted(latencies)[int(0.95 * (len(latencies) - 1))]
    print(f"\nvote to fresh summary while two 800-clause PDF exports run: p50 {p50 * 1000:.0f} ms,"
          f" p95 {p95 * 1000:.0f} ms over {len(latencies)} votes; exports still running at the "
          f"end: {running} of 2")
    assert running >= 1  # the measurement overlapped the exports
    assert p95 <= 1.0
