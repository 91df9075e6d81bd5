"""Writes that ask for consensus work: a facilitator's recompute of a draft, tracked as a job."""

from django.db import transaction

from definition.models import Draft, Job
from definition.permissions import require_facilitator
from deliberation.jobs.tasks import enqueue_job


@transaction.atomic
def request_recompute(*, actor, draft: Draft) -> Job:
    """A facilitator asks for a full recompute of a draft (consensus and opinion groups)."""
    require_facilitator(actor, draft.definition)
    job = Job.objects.create(kind=Job.Kind.RECOMPUTE, definition=draft.definition, draft=draft,
                             created_by=actor)
    transaction.on_commit(lambda: enqueue_job(job))
    return job
