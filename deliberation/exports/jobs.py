"""Large exports run as background jobs: the file is written under MEDIA_ROOT/exports/ and the
job's `result_url` points at its download endpoint.

Large means a draft (or a redline's newer draft) above `EXPORT_JOB_CLAUSES` clauses, or an
archive above `EXPORT_JOB_ARCHIVE_ROWS` rows (clauses, votes and comments). Running a job twice
writes the same file: the task claims the job with a conditional UPDATE and returns early when it
is done already.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from definition.exports import ExportFile
from definition.models import Definition, Draft, Job
from definition.selectors import get_draft

JOB_CLAUSES = 300
JOB_ARCHIVE_ROWS = 20_000
KINDS = ("export-draft", "export-redline", "export-archive")


def clause_threshold() -> int:
    return getattr(settings, "EXPORT_JOB_CLAUSES", JOB_CLAUSES)


def archive_threshold() -> int:
    return getattr(settings, "EXPORT_JOB_ARCHIVE_ROWS", JOB_ARCHIVE_ROWS)


def is_large_draft(draft: Draft) -> bool:
    return draft.clauses.count() > clause_threshold()


def export_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "exports"


@transaction.atomic
def request_export(*, actor, kind: str, definition: Definition, draft: Draft | None = None,
                   params: dict) -> Job:
    """Create the job of a large export and enqueue it once the transaction commits."""
    from deliberation.tasks import enqueue_job, export_task

    user = actor if getattr(actor, "is_authenticated", False) else None
    job = Job.objects.create(kind=kind, definition=definition, draft=draft, params=params,
                             created_by=user)
    transaction.on_commit(lambda: enqueue_job(export_task, job))
    return job


def _render(job: Job) -> ExportFile:
    from deliberation import archive, exports

    params = job.params
    if job.kind == "export-draft":
        return exports.export_draft(draft=job.draft, fmt=params["format"],
                                    annexes=tuple(params.get("annexes", ())))
    if job.kind == "export-redline":
        # Whoever started the job sees what the request that started it saw.
        old, new = (get_draft(definition=job.definition, version=params[name],
                              viewer=job.created_by) for name in ("from", "to"))
        return exports.export_redline(old=old, new=new, fmt=params["format"])
    data = archive.build_archive(definition=job.definition, full=params.get("full", False))
    return archive_file(job.definition, data)


def archive_file(definition: Definition, data: dict) -> ExportFile:
    content = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode()
    return ExportFile(content, f"{definition.slug}-archive.json",
                      "application/json; charset=utf-8")


def _write(job: Job, export: ExportFile) -> Path:
    folder = export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"job-{job.pk}-{export.filename}"
    temporary = path.with_suffix(path.suffix + ".part")
    temporary.write_bytes(export.content)
    os.replace(temporary, path)  # atomic: a download never sees half a file
    return path


def run_export_job(*, job_id: int) -> str:
    """Render the job's export to a file and record where to download it."""
    claimed = Job.objects.filter(pk=job_id, kind__in=KINDS,
                                 state__in=(Job.State.PENDING, Job.State.RUNNING)).update(
        state=Job.State.RUNNING, started_at=timezone.now(), progress=0.1)
    if not claimed:
        return "gone or done"
    job = Job.objects.select_related("definition", "draft").get(pk=job_id)
    try:
        export = _render(job)
        Job.objects.filter(pk=job_id).update(progress=0.9)
        path = _write(job, export)
    except Exception as error:
        Job.objects.filter(pk=job_id).update(state=Job.State.FAILED, error=str(error)[:2000],
                                             finished_at=timezone.now())
        raise
    Job.objects.filter(pk=job_id).update(
        state=Job.State.DONE, progress=1.0, finished_at=timezone.now(),
        result_file=str(path), result_url=reverse("api-job-download", args=[job_id]),
        params={**job.params, "filename": export.filename, "content_type": export.content_type})
    return "done"
