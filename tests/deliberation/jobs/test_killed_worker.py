"""A job whose worker is killed (SIGKILL of the worker and its pool, as on a crash or an OOM
kill) is re-run to `done` by the reaper on beat within a bounded time; never `running` for good.

Real processes: PostgreSQL, Redis (REDIS_URL), `celery worker` subprocesses as the README runs
them; skipped, saying why, elsewhere."""

import time

import pytest
from django.conf import settings

from definition.models import Job
from tests.factories import (
    ClauseFactory,
    DefinitionFactory,
    DraftFactory,
    UserFactory,
    open_draft,
)
from tests.helpers import client_for
from tests.processes import kill, start_worker, stop

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
STALE, REAP, HEARTBEAT = 4, 1, 0.5  # seconds, for this test; production: 60, 30, 10
TEXT = ("Users are free to use, study, modify and share the system for any purpose, "
        "including its parameters, with the data information needed to rebuild it. ") * 4


@pytest.fixture(autouse=True)
def _stale_soon(settings):
    settings.JOB_STALE_SECONDS = STALE


@pytest.fixture
def big_draft(settings, tmp_path):
    """A 400-clause open draft: its PDF takes seconds, long enough to kill the worker mid-job."""
    settings.EXPORT_JOB_CLAUSES = 300
    definition = DefinitionFactory(slug="big", title="A big definition")
    draft = DraftFactory(definition=definition, version="1.0")
    ClauseFactory.create_batch(400, draft=draft, heading="A clause", body=TEXT)
    return open_draft(draft)


def _wait(job_id: int, predicate, timeout: float, what: str) -> Job:
    deadline = time.monotonic() + timeout
    while True:
        job = Job.objects.get(pk=job_id)
        if predicate(job):
            return job
        assert time.monotonic() < deadline, f"{what} not within {timeout} s: {job.state}"
        time.sleep(0.05)


def test_a_pdf_export_whose_worker_is_killed_is_rerun_to_done(broker, big_draft, tmp_path):
    env = {"JOB_STALE_SECONDS": str(STALE), "JOB_HEARTBEAT_SECONDS": str(HEARTBEAT),
           "JOB_REAP_SECONDS": str(REAP), "MEDIA_ROOT": str(tmp_path / "media")}
    # The documented processes: a consensus worker with beat (the reaper), an exports worker.
    beat = start_worker(broker, tmp_path / "consensus.log", queues="consensus",
                        name="consensus", env=env, beat=True)
    first = second = None
    try:
        first = start_worker(broker, tmp_path / "exports-1.log", queues="exports,notifications",
                             name="exports", env=env)
        response = client_for(UserFactory()).get(
            "/api/v1/definitions/big/drafts/1.0/export/", {"format": "pdf", "annex": "consensus"})
        assert response.status_code == 202, response.content
        job_id = response.json()["id"]
        _wait(job_id, lambda j: j.state == Job.State.RUNNING, 60, "the job started")
        time.sleep(HEARTBEAT * 2)  # mid-render
        kill(first)
        killed_at = time.monotonic()
        assert Job.objects.get(pk=job_id).state == Job.State.RUNNING  # stranded, as in issue #10

        requeued = _wait(job_id, lambda j: j.state != Job.State.RUNNING,
                         STALE + REAP + 30, "the reaper noticed")
        noticed = time.monotonic() - killed_at
        assert requeued.state == Job.State.PENDING and "queued again" in requeued.error
        # The exports worker is restarted (by systemd, docker...) and runs the job again.
        second = start_worker(broker, tmp_path / "exports-2.log", queues="exports,notifications",
                              name="exports", env=env)
        done = _wait(job_id, lambda j: j.state in (Job.State.DONE, Job.State.FAILED), 180,
                     "the job finished")
        finished = time.monotonic() - killed_at
    finally:
        for process in (first, second, beat):
            if process is not None:
                stop(process)
    print(f"\nkilled mid-job: re-queued after {noticed:.1f} s ({requeued.state}), "
          f"done after {finished:.1f} s; bound {STALE} s stale + {REAP} s reaper period")
    assert done.state == Job.State.DONE, done.error
    assert done.attempts == 2
    assert done.result_url and done.result_file.endswith(".pdf")
    with open(done.result_file, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert noticed <= STALE + 2 * REAP + 3  # + a last heartbeat, on a busy machine
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > (
        settings.CELERY_TASK_TIME_LIMIT)
