"""Writes of exports: asking for a large export, which becomes a job (or reuses one)."""

from django.conf import settings
from django.db import IntegrityError, transaction
from rest_framework.exceptions import NotAuthenticated

from accounts.models import User
from core.errors import TooMany
from definition.models import Definition, Draft, Job
from deliberation.exports import jobs
from deliberation.jobs.tasks import enqueue_job


@transaction.atomic
def request_export(*, actor, kind: str, definition: Definition, draft: Draft | None = None,
                   params: dict, reuse_done: bool = True) -> Job:
    """The job of a large export: an identical one in flight or just done, else a new one
    (enqueued once the transaction commits).

    Only signed-in people start jobs, at most EXPORT_JOBS_PER_USER in flight each. A finished
    file is reused only when `reuse_done` (the caller knows the text is frozen)."""
    if not getattr(actor, "is_authenticated", False):
        raise NotAuthenticated(
            f"Sign in to export a draft of more than {jobs.clause_threshold()} clauses: large "
            "exports are prepared as background jobs for signed-in people. A copy someone "
            "prepared in the last minutes is served to anyone.")
    key = jobs.fingerprint(kind=kind, definition=definition, draft=draft, params=params)
    existing = jobs.find_reusable(fingerprint=key, done_too=reuse_done)
    if existing is not None:
        return existing
    User.objects.select_for_update().filter(pk=actor.pk).first()  # one request per person at once
    limit = settings.EXPORT_JOBS_PER_USER
    in_flight = Job.objects.filter(created_by=actor, kind__in=Job.EXPORTS,
                                   state__in=(Job.State.PENDING, Job.State.RUNNING)).count()
    if in_flight >= limit:
        raise TooMany(f"You have {in_flight} exports in progress (at most {limit} at once); "
                      "download them or wait until one is done, then ask again.", field="format")
    try:
        with transaction.atomic():
            job = Job.objects.create(kind=kind, definition=definition, draft=draft,
                                     params=params, created_by=actor, fingerprint=key)
    except IntegrityError:  # someone asked for the same export a moment ago
        job = jobs.find_reusable(fingerprint=key)
        if job is None:
            raise
        return job
    transaction.on_commit(lambda: enqueue_job(job))
    return job
