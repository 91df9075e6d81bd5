"""Large exports run as background jobs: the file is written under MEDIA_ROOT/exports/ and the
job's `result_url` points at its download endpoint.

Large means a draft (or a redline's newer draft) above `EXPORT_JOB_CLAUSES` clauses, or an
archive above `EXPORT_JOB_ARCHIVE_ROWS` rows (clauses, votes and comments). Running a job twice
writes the same file: the task claims the job with a conditional UPDATE and returns early when it
is done already.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from definition.exports import ExportFile
from definition.models import Definition, Draft, Job
from definition.selectors import get_draft
from deliberation.jobs import runner

JOB_CLAUSES = 300
JOB_ARCHIVE_ROWS = 20_000
KINDS = Job.EXPORTS


def clause_threshold() -> int:
    return getattr(settings, "EXPORT_JOB_CLAUSES", JOB_CLAUSES)


def archive_threshold() -> int:
    return getattr(settings, "EXPORT_JOB_ARCHIVE_ROWS", JOB_ARCHIVE_ROWS)


def is_large_draft(draft: Draft) -> bool:
    return draft.clauses.count() > clause_threshold()


def export_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "exports"


def fingerprint(*, kind: str, definition: Definition, draft: Draft | None, params: dict) -> str:
    """Identical requests (same export of the same thing) have the same fingerprint."""
    key = json.dumps([kind, definition.pk, draft.pk if draft else None, params], sort_keys=True)
    return hashlib.sha256(key.encode()).hexdigest()


def find_reusable(*, fingerprint: str, done_too: bool = True) -> Job | None:
    """An identical job in flight, or (`done_too`: the text is frozen) one done within
    EXPORT_REUSE_SECONDS whose file is there."""
    fresh = timezone.now() - timedelta(seconds=settings.EXPORT_REUSE_SECONDS)
    wanted = Q(state__in=(Job.State.PENDING, Job.State.RUNNING))
    if done_too:
        wanted |= Q(state=Job.State.DONE, finished_at__gte=fresh)
    for job in Job.objects.filter(fingerprint=fingerprint).filter(wanted).order_by(
            "-created_at")[:3]:
        if job.state != Job.State.DONE or os.path.exists(job.result_file):
            return job
    return None


def _render(job: Job) -> ExportFile:
    from deliberation import exports
    from deliberation.exports import archive

    params = job.params
    if job.kind == Job.Kind.EXPORT_DRAFT:
        return exports.export_draft(draft=job.draft, fmt=params["format"],
                                    annexes=tuple(params.get("annexes", ())))
    if job.kind == Job.Kind.EXPORT_REDLINE:
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
    return runner.run(job_id=job_id, kinds=KINDS, work=_export, progress=0.1)


def _export(job: Job) -> dict:
    export = _render(job)
    runner.set_progress(job.pk, 0.9)
    path = _write(job, export)
    return {"result_file": str(path), "result_url": reverse("api-job-download", args=[job.pk]),
            "params": {**job.params, "filename": export.filename,
                       "content_type": export.content_type}}
