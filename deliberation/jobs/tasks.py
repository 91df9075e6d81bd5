"""Celery tasks of jobs: a facilitator's recompute, an export, and the reaper of lost jobs.

Task names are part of the wire format (queued messages, routes, the beat schedule): they keep the
names they had when they lived in `deliberation.tasks`.
"""

from celery import shared_task
from django.utils import timezone

from core.degraded import Unavailable, broker_breaker
from definition.models import Job
from deliberation.consensus import opinions, recompute
from deliberation.exports.jobs import run_export_job
from deliberation.jobs import runner


def enqueue_job(job: Job) -> None:
    """Queue the task that runs the job (call on commit); a dead broker fails the job, saying
    why."""
    task = recompute_draft_task if job.kind == Job.Kind.RECOMPUTE else export_task
    try:
        broker_breaker.call(task.apply_async, (job.pk,), retry=False)
    except Unavailable as down:
        _fail_unqueued(job, f"could not reach the task queue: {down.cause}" if down.cause
                       else "the task queue (Redis) is unreachable; try again in a minute")


def _fail_unqueued(job: Job, reason: str) -> None:
    Job.objects.filter(pk=job.pk, state=Job.State.PENDING).update(
        state=Job.State.FAILED, error=reason[:2000], finished_at=timezone.now())


def _recompute(job: Job) -> None:
    recompute.recompute(draft_id=job.draft_id)
    runner.set_progress(job.pk, 0.5)
    opinions.compute_opinion_groups(draft_id=job.draft_id)


@shared_task(name="deliberation.tasks.recompute_draft_task")
def recompute_draft_task(job_id: int) -> str:
    """A facilitator's full recompute of one draft, tracked as a Job."""
    return runner.run(job_id=job_id, kinds=(Job.Kind.RECOMPUTE,), work=_recompute)


@shared_task(name="deliberation.tasks.export_task")
def export_task(job_id: int) -> str:
    """A large export (draft, redline or archive), tracked as a Job; see exports.jobs."""
    return run_export_job(job_id=job_id)


@shared_task(name="deliberation.tasks.reap_stale_jobs_task")
def reap_stale_jobs_task() -> int:
    """Periodic: re-queue or fail the running jobs whose worker died (runner.reap)."""
    requeued, failed = runner.reap(requeue=enqueue_job)
    return requeued + failed
