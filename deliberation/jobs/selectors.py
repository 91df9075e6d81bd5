"""Reads of jobs."""

from definition.models import Job


def get_job(*, pk: int, kinds=None) -> Job | None:
    """The job with its definition (of one of `kinds`, when given), or None."""
    jobs = Job.objects.select_related("definition").filter(pk=pk)
    if kinds is not None:
        jobs = jobs.filter(kind__in=kinds)
    return jobs.first()
