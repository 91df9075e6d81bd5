"""The life of a Job run by a worker: claim, heartbeat, finish; and the reaper of lost jobs.

A task claims its job with one conditional UPDATE: a pending job, or a running one whose
heartbeat is older than JOB_STALE_SECONDS (its worker died and the broker delivered the task
again). While it runs, a thread refreshes `heartbeat_at`. The reaper (on beat) re-queues a running
job whose heartbeat stopped, up to JOB_MAX_ATTEMPTS runs, then marks it failed with the reason;
so `GET /api/v1/jobs/{id}/` never says `running` for good. A job pending far too long (its message
was lost) is queued again, then failed.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import F, Q
from django.utils import timezone

from definition.models import Job

log = logging.getLogger(__name__)


def _stale_before():
    return timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS)


def _lost() -> Q:
    stale = _stale_before()
    return Q(state=Job.State.RUNNING) & (
        Q(heartbeat_at__lt=stale) | Q(heartbeat_at__isnull=True, started_at__lt=stale))


def claim(*, job_id: int, kinds, progress: float = 0.0) -> bool:
    """Take the job for this run: True when it was pending, or running but lost."""
    now = timezone.now()
    return bool(Job.objects.filter(pk=job_id, kind__in=kinds).filter(
        Q(state=Job.State.PENDING) | _lost()).update(
        state=Job.State.RUNNING, started_at=now, heartbeat_at=now, progress=progress,
        attempts=F("attempts") + 1))


def run(*, job_id: int, kinds, work, progress: float = 0.0) -> str:
    """Claim the job, run `work(job)` with a heartbeat, and record the outcome.

    `work` returns the fields to store on the finished job (or None). An exception fails the job
    with its message and is raised again (the task's retry policy decides what happens next).
    Returns "done", or "gone or done" when the job was not there to claim."""
    if not claim(job_id=job_id, kinds=kinds, progress=progress):
        return "gone or done"
    job = Job.objects.select_related("definition", "draft").get(pk=job_id)
    try:
        with heartbeat(job_id):
            fields = work(job) or {}
    except Exception as error:
        fail(job_id, error)
        raise
    finish(job_id, **fields)
    return "done"


def set_progress(job_id: int, progress: float) -> None:
    Job.objects.filter(pk=job_id).update(progress=progress)


def finish(job_id: int, **fields) -> None:
    Job.objects.filter(pk=job_id).update(state=Job.State.DONE, progress=1.0, error="",
                                         finished_at=timezone.now(), **fields)


def fail(job_id: int, error: BaseException | str) -> None:
    Job.objects.filter(pk=job_id).update(state=Job.State.FAILED, error=str(error)[:2000],
                                         finished_at=timezone.now())


class heartbeat:  # noqa: N801 - used as a context manager, like a function
    """Refresh the job's `heartbeat_at` every JOB_HEARTBEAT_SECONDS while the block runs.

    Skipped when tasks run in-process (nobody can lose them, and SQLite test databases live in
    one connection)."""

    def __init__(self, job_id: int):
        self.job_id = job_id
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self):
        from celery import current_app as app

        if not app.conf.task_always_eager:
            self._thread = threading.Thread(target=self._beat, daemon=True,
                                            name=f"job-{self.job_id}-heartbeat")
            self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        return False

    def _beat(self) -> None:
        try:
            while not self._stop.wait(settings.JOB_HEARTBEAT_SECONDS):
                try:
                    Job.objects.filter(pk=self.job_id, state=Job.State.RUNNING).update(
                        heartbeat_at=timezone.now())
                except Exception:  # noqa: BLE001 - a missed beat is retried next interval
                    log.warning("job %s: heartbeat not written", self.job_id, exc_info=True)
                    close_old_connections()
        finally:
            connection.close()


def reap(*, requeue) -> tuple[int, int]:
    """Re-queue (via `requeue(job)`) or fail every running job whose worker is gone, and every
    pending job that waited JOB_PENDING_SECONDS since it was queued (its message was lost, e.g.
    Redis restarted empty) - failed once it waited three times that long.

    Returns (re-queued, failed). Each change is a conditional UPDATE on the row it saw, so a job
    that beats or starts in between, or two reapers, are left alone."""
    requeued = failed = 0
    seconds = int(settings.JOB_STALE_SECONDS)
    now = timezone.now()
    for job in Job.objects.filter(_lost()).order_by("pk"):
        same = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING,
                                  heartbeat_at=job.heartbeat_at, attempts=job.attempts)
        if job.attempts >= settings.JOB_MAX_ATTEMPTS:
            failed += same.update(
                state=Job.State.FAILED, finished_at=now,
                error=(f"The worker running this job stopped (no heartbeat for {seconds} s) "
                       f"on each of {job.attempts} attempts; start it again."))
            continue
        if same.update(state=Job.State.PENDING, heartbeat_at=now,
                       error=(f"The worker running this job stopped (no heartbeat for {seconds} "
                              f"s); queued again (attempt {job.attempts + 1} of "
                              f"{settings.JOB_MAX_ATTEMPTS}).")):
            requeued += 1
            requeue(job)
    waited = timedelta(seconds=settings.JOB_PENDING_SECONDS)
    queued_before = Q(heartbeat_at__lt=now - waited) | Q(heartbeat_at__isnull=True,
                                                         created_at__lt=now - waited)
    for job in Job.objects.filter(queued_before, state=Job.State.PENDING).order_by("pk"):
        same = Job.objects.filter(pk=job.pk, state=Job.State.PENDING,
                                  heartbeat_at=job.heartbeat_at)
        if job.created_at < now - 3 * waited:
            failed += same.update(
                state=Job.State.FAILED, finished_at=now,
                error=(f"This job never started in {3 * int(waited.total_seconds())} s: no "
                       "worker serves its queue, or the queue lost it; start it again."))
        elif same.update(heartbeat_at=now):  # when it was last queued
            requeued += 1
            requeue(job)
    if requeued or failed:
        log.warning("job reaper: %s re-queued, %s failed (worker stopped or queue lost them)",
                    requeued, failed)
    return requeued, failed
