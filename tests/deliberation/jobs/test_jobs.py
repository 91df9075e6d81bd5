"""Jobs whose worker died: a lost job is claimed again, and the reaper re-queues or fails it;
tasks go to their queue, so consensus never waits behind exports."""

from datetime import timedelta

import pytest
from django.utils import timezone

from config.celery import app
from definition.models import Job
from deliberation import tasks
from deliberation.jobs import runner as job_runs
from deliberation.jobs import tasks as job_tasks
from tests.helpers import client_for


@pytest.fixture
def running(published_draft, facilitator, settings):
    """A facilitator's recompute job left `running`, its heartbeat `age` seconds old."""
    settings.JOB_STALE_SECONDS = 60
    settings.JOB_MAX_ATTEMPTS = 2

    def make(age: float, attempts: int = 1) -> Job:
        beat = timezone.now() - timedelta(seconds=age)
        return Job.objects.create(kind="recompute", definition=published_draft.definition,
                                  draft=published_draft, created_by=facilitator,
                                  state=Job.State.RUNNING, started_at=beat, heartbeat_at=beat,
                                  attempts=attempts)

    return make


def test_a_running_job_with_a_recent_heartbeat_is_not_claimed_again(running):
    job = running(age=5)
    assert not job_runs.claim(job_id=job.pk, kinds=("recompute",))
    assert job_tasks.recompute_draft_task(job.pk) == "gone or done"


def test_a_job_whose_heartbeat_stopped_is_claimed_again_and_runs_to_done(running):
    job = running(age=120)
    assert job_tasks.recompute_draft_task(job.pk) == "done"
    job.refresh_from_db()
    assert (job.state, job.attempts, job.error) == (Job.State.DONE, 2, "")


def test_the_reaper_requeues_a_lost_job_which_then_runs_to_done(running):
    lost, alive = running(age=120), running(age=5)
    assert job_tasks.reap_stale_jobs_task() == 1  # in-process: the re-queued job ran at once
    lost.refresh_from_db()
    alive.refresh_from_db()
    assert (lost.state, lost.attempts) == (Job.State.DONE, 2)
    assert alive.state == Job.State.RUNNING


def test_the_reaper_fails_a_job_lost_on_its_last_attempt_saying_why(running, facilitator):
    job = running(age=120, attempts=2)
    assert job_runs.reap(requeue=lambda job: pytest.fail("must not re-queue")) == (0, 1)
    body = client_for(facilitator).get(f"/api/v1/jobs/{job.pk}/").json()
    assert body["state"] == "failed"
    assert body["error"] == ("The worker running this job stopped (no heartbeat for 60 s) on "
                             "each of 2 attempts; start it again.")


def test_the_reaper_requeue_says_why_until_the_job_runs(running):
    job = running(age=120)
    queued = []
    assert job_runs.reap(requeue=queued.append) == (1, 0)
    job.refresh_from_db()
    assert [j.pk for j in queued] == [job.pk]
    assert job.state == Job.State.PENDING
    assert job.error == ("The worker running this job stopped (no heartbeat for 60 s); queued "
                         "again (attempt 2 of 2).")


def test_the_reaper_runs_on_beat():
    entry = app.conf.beat_schedule["reap-stale-jobs"]
    assert entry["task"] == "deliberation.tasks.reap_stale_jobs_task"
    assert entry["schedule"] <= 60


@pytest.mark.parametrize(("task", "queue"), [
    (tasks.recompute_clause_task, "consensus"),
    (job_tasks.recompute_draft_task, "consensus"),
    (tasks.refresh_stale_task, "consensus"),
    (job_tasks.reap_stale_jobs_task, "consensus"),
    (job_tasks.export_task, "exports"),
    (tasks.notify_reply_task, "notifications"),
    (tasks.notify_disposition_task, "notifications"),
    (tasks.remind_closing_task, "notifications"),
    ("definition.tasks.announce_draft_task", "notifications"),
])
def test_each_task_goes_to_its_queue(task, queue):
    name = task if isinstance(task, str) else task.name
    route = app.amqp.router.route({}, name)
    assert route["queue"].name == queue


def test_a_job_pending_too_long_is_queued_again_then_failed(published_draft, settings):
    settings.JOB_PENDING_SECONDS = 60
    now = timezone.now()

    def pending(age: float) -> Job:
        job = Job.objects.create(kind="recompute", definition=published_draft.definition,
                                 draft=published_draft)
        Job.objects.filter(pk=job.pk).update(created_at=now - timedelta(seconds=age))
        return job

    waiting, lost, forgotten = pending(30), pending(90), pending(200)
    queued = []
    assert job_runs.reap(requeue=queued.append) == (1, 1)
    assert [job.pk for job in queued] == [lost.pk]
    assert Job.objects.get(pk=waiting.pk).state == Job.State.PENDING
    assert job_runs.reap(requeue=queued.append) == (0, 0)  # queued again just now
    forgotten.refresh_from_db()
    assert forgotten.state == Job.State.FAILED
    assert forgotten.error == ("This job never started in 180 s: no worker serves its queue, or "
                               "the queue lost it; start it again.")
