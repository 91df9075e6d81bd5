"""REST endpoints of exports (PRODUCT.md §5 and §7): drafts, redlines, CSVs, archives, jobs.

Small exports answer with the file; large ones answer 202 with a job whose `result_url` is the
download endpoint once it is done. Files carry a Content-Disposition filename such as
`osaid-0.0.9.md`.
"""

from django.http import FileResponse, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response

from core.api import ApiView
from core.api_classes import ArchiveJSONParser
from core.errors import Conflict, InvalidInput, NotAllowed, NotFound
from definition.api import DefinitionMixin, DraftMixin, admin
from definition.models import Draft, Job
from definition.permissions import can_see_draft, is_facilitator, require_facilitator
from definition.selectors import get_draft
from deliberation import exports
from deliberation.consensus.api import JobSerializer
from deliberation.exports import annexes, archive, archive_import, jobs
from deliberation.exports import services as export_services
from deliberation.jobs import selectors as job_selectors

DRAFT_FORMATS = ("md", "pdf", "ballot-csv", "comments-csv")
FILE = {(200, media): OpenApiTypes.BINARY
        for media in ("text/markdown", "application/pdf", "text/csv", "application/json")}


class FileNegotiation(DefaultContentNegotiation):
    """`?format=` names the export format here, not a DRF renderer: errors are always JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class DraftExportQuerySerializer(serializers.Serializer):
    format = serializers.ChoiceField(DRAFT_FORMATS, default="md")
    annex = serializers.CharField(required=False, allow_blank=True, default="", max_length=100,
                                  help_text="comma-separated: consensus, dispositions")

    def validate_annex(self, value: str) -> tuple[str, ...]:
        names = tuple(dict.fromkeys(n.strip() for n in value.split(",") if n.strip()))
        unknown = [n for n in names if n not in annexes.ANNEXES]
        if unknown:
            raise serializers.ValidationError(
                f"Unknown annex {unknown[0]!r}; choose from {', '.join(annexes.ANNEXES)}.")
        return tuple(n for n in annexes.ANNEXES if n in names)


class RedlineQuerySerializer(serializers.Serializer):
    from_ = serializers.CharField(max_length=40)
    to = serializers.CharField(max_length=40)
    format = serializers.ChoiceField(("md", "pdf"), default="md")

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class ArchiveQuerySerializer(serializers.Serializer):
    audience = serializers.ChoiceField(("complete", "public"), default="complete")


def file_response(export) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


def job_response(job: Job) -> Response:
    job.refresh_from_db()
    return Response(JobSerializer(job).data, status=202)


def large_export(request, *, kind: str, definition, draft=None, params: dict,
                 reuse_done: bool = True):
    """202 with the job of a large export (signed-in people only; identical requests share one).

    A visitor gets the file of an identical export finished in the last EXPORT_REUSE_SECONDS, or
    401 saying to sign in: an anonymous request never starts a job. Finished files are reused
    only for published drafts (`reuse_done`): an editing draft's text may have changed."""
    if not request.user.is_authenticated and reuse_done:
        done = jobs.find_reusable(fingerprint=jobs.fingerprint(
            kind=kind, definition=definition, draft=draft, params=params))
        if done is not None and done.state == Job.State.DONE:
            return job_file(done)
    return job_response(export_services.request_export(actor=request.user, kind=kind,
                                            definition=definition, draft=draft, params=params,
                                            reuse_done=reuse_done))


def job_file(job: Job) -> FileResponse:
    return FileResponse(open(job.result_file, "rb"), as_attachment=True,  # noqa: SIM115
                        filename=job.params["filename"], content_type=job.params["content_type"])


class ExportView(ApiView):
    content_negotiation_class = FileNegotiation


class DraftExportView(DraftMixin, ExportView):
    @extend_schema(
        summary="The draft as a file: Markdown or PDF (with annexes), or its ballot or comments "
                "as CSV", tags=["exports"], parameters=[DraftExportQuerySerializer],
        responses={**FILE, 202: JobSerializer})
    def get(self, request, d, v):
        query = self.parse_query(DraftExportQuerySerializer)
        fmt = query["format"]
        if fmt == "ballot-csv":
            return file_response(exports.export_ballot(draft=self.draft, viewer=request.user))
        if fmt == "comments-csv":
            moderator = is_facilitator(request.user, self.definition)
            return file_response(exports.export_comments(
                draft=self.draft, viewer=request.user, moderator=moderator))
        if jobs.is_large_draft(self.draft):
            return large_export(request, kind=Job.Kind.EXPORT_DRAFT, definition=self.definition,
                                draft=self.draft, params={
                                    "format": fmt, "annexes": list(query["annex"]),
                                    "public": can_see_draft(None, self.draft)},
                                reuse_done=self.draft.status != Draft.Status.EDITING)
        return file_response(exports.export_draft(draft=self.draft, fmt=fmt,
                                                  annexes=query["annex"]))


class RedlineExportView(DefinitionMixin, ExportView):
    @extend_schema(summary="The redline between two drafts as a file (Markdown or PDF)",
                   tags=["exports"], parameters=[
                       OpenApiParameter("from", str, required=True, description="older version"),
                       OpenApiParameter("to", str, required=True, description="newer version"),
                       OpenApiParameter("format", str, enum=["md", "pdf"])],
                   responses={**FILE, 202: JobSerializer})
    def get(self, request, d):
        query = self.parse_query(RedlineQuerySerializer)
        old, new = (self._draft(query, name) for name in ("from", "to"))
        if jobs.is_large_draft(new):
            return large_export(request, kind=Job.Kind.EXPORT_REDLINE, definition=self.definition,
                                params={"from": old.version, "to": new.version,
                                        "format": query["format"],
                                        "public": can_see_draft(None, old)
                                        and can_see_draft(None, new)},
                                reuse_done=Draft.Status.EDITING not in (old.status, new.status))
        return file_response(exports.export_redline(old=old, new=new, fmt=query["format"]))

    def _draft(self, query, name):
        try:
            return get_draft(definition=self.definition, version=query[name],
                             viewer=self.request.user)
        except NotFound as error:  # 404 as on /compare/, naming the parameter
            raise NotFound(error.message, field=name) from None


class ArchiveView(DefinitionMixin, ExportView):
    @extend_schema(summary="The whole definition as JSON (facilitator); audience=public gives "
                           "anyone the open-data version", tags=["exports"],
                   parameters=[ArchiveQuerySerializer],
                   responses={(200, "application/json"): OpenApiTypes.OBJECT, 202: JobSerializer})
    def get(self, request, d):
        query = self.parse_query(ArchiveQuerySerializer)
        full = query["audience"] == "complete"
        if full:
            require_facilitator(request.user, self.definition)
        if archive.archive_size(self.definition) > jobs.archive_threshold():
            return large_export(request, kind=Job.Kind.EXPORT_ARCHIVE, definition=self.definition,
                                params={"full": full}, reuse_done=False)  # a backup is current
        data = archive.build_archive(definition=self.definition, full=full)
        return file_response(jobs.archive_file(self.definition, data))


class ImportArchiveView(ApiView):
    checks = {"post": (admin,)}
    parser_classes = [ArchiveJSONParser]

    @extend_schema(summary="Restore a definition from its complete archive (admin)",
                   tags=["exports"], request=OpenApiTypes.OBJECT,
                   responses={201: OpenApiTypes.OBJECT})
    def post(self, request):
        if not isinstance(request.data, dict):
            raise InvalidInput("Send the archive as a JSON object.", field="format")
        definition = archive_import.import_archive(actor=request.user, data=request.data)
        return Response({"slug": definition.slug, "title": definition.title}, status=201)


class JobDownloadView(ExportView):
    @extend_schema(summary="The file of a finished export job", tags=["jobs"],
                   responses=FILE)
    def get(self, request, pk: int):
        job = job_selectors.get_job(pk=pk, kinds=Job.EXPORTS)
        if job is None:
            raise NotFound(f"No export job {pk}.", field="id")
        mine = request.user.is_authenticated and job.created_by_id == request.user.pk
        if not (job.params.get("public") or mine or is_facilitator(request.user, job.definition)):
            raise NotAllowed("Only the facilitators and the person who started it get this file.")
        if job.state != Job.State.DONE:
            raise Conflict(f"The export is {job.state} ({job.progress:.0%}).", field="state")
        return job_file(job)
