"""REST endpoints of the facilitators' workspace: the generated changelog, applying suggestions,
bulk duplicates, the disposition of comments report and dismissing flags.

Included from `config.api_urls` (its `version` path converter is registered there).
"""

from functools import partial

from django.http import HttpResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from core.api import ApiView, ReasonSerializer, StrictSerializer, operation
from definition import serializers as ds
from definition.api import FACILITATOR, DraftMixin
from definition.api import DraftPublishView as BasePublishView
from definition.selectors import get_numbered_clause
from deliberation.discussion import selectors as discussion_selectors
from deliberation.discussion import services as discussion_services
from deliberation.discussion.api import CommentMixin
from deliberation.discussion.serializers import MAX_ID, CommentSerializer, DispositionSerializer
from deliberation.models import Comment
from workspace import changelog, publishing, reports

_schema = partial(operation, tags=["dispositions"])

V = "definitions/<slug:d>/drafts/<version:v>/"
C = "comments/<int:pk>/"


class QueryFormatNegotiation(DefaultContentNegotiation):
    """`?format=` names the report's format here, not a DRF renderer: errors are always JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


# Input and output shapes ------------------------------------------------------------------------


class ChangelogSerializer(serializers.Serializer):
    changelog = serializers.CharField()


class ApplySerializer(StrictSerializer):
    draft = ds.VersionField()
    response = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    replace = serializers.BooleanField(
        required=False, help_text="replace the clause's text although it changed since the "
                                  "suggestion was made (another suggestion applied, an edit)")


def _comment_field(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


class DuplicatesSerializer(StrictSerializer):
    comments = serializers.ListField(child=_comment_field(), min_length=1,
                                     max_length=discussion_services.MAX_BULK)
    of = _comment_field()
    response = serializers.CharField(max_length=10000)

    def validate(self, data):
        ids = {*data["comments"], data["of"]}
        found = Comment.objects.select_related("clause__draft__definition").in_bulk(ids)
        missing = sorted(ids - set(found))
        if missing:
            field = "of" if data["of"] in missing else "comments"
            raise serializers.ValidationError({field: [f"No comment {missing[0]}."]})
        return {**data, "comments": [found[pk] for pk in data["comments"]],
                "of": found[data["of"]]}


class DuplicateResultSerializer(DispositionSerializer):
    comment = serializers.IntegerField(source="comment_id")
    duplicate_of = serializers.IntegerField(source="duplicate_of_id")


class ReportQuerySerializer(serializers.Serializer):
    format = serializers.ChoiceField(("json", "csv", "md"), default="json")
    page = serializers.IntegerField(min_value=1, required=False)


class ReportRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    clause = serializers.CharField()
    number = serializers.CharField()
    kind = serializers.CharField()
    position = serializers.CharField(allow_null=True, help_text="the objection's vote position")
    author = serializers.CharField(allow_null=True, help_text="null: votes are not public")
    author_verified = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    hidden = serializers.BooleanField()
    hidden_reason = serializers.CharField()
    body = serializers.CharField()
    proposed_text = serializers.CharField()
    status = serializers.CharField(allow_null=True)
    response = serializers.CharField()
    addressed_in = serializers.CharField(allow_null=True)
    duplicate_of = serializers.IntegerField(allow_null=True)
    decided_by = serializers.CharField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    acknowledgement = serializers.CharField(allow_null=True,
                                            help_text="satisfied, not-satisfied or null")
    acknowledgement_note = serializers.CharField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)
    appeal = serializers.CharField(allow_null=True,
                                   help_text="the latest appeal: open, upheld, denied or null")
    appeal_reason = serializers.CharField()
    appeal_decision = serializers.CharField()
    appeal_decided_at = serializers.DateTimeField(allow_null=True)


class PublishReviewedSerializer(ds.PublishSerializer):
    confirm = serializers.BooleanField(
        required=False, default=False,
        help_text="publish although the draft that closes leaves open items (comments without "
                  "disposition, sustained blocks, open appeals, clauses whose level fell); "
                  "required, with `reason`, when it does: without it the answer is 409 with "
                  "`errors.confirm` and `leftovers`")
    reason = serializers.CharField(
        max_length=5000, required=False, allow_blank=True,
        help_text="why publish although the draft that closes leaves open items (public, in "
                  "the decision log); required with `confirm`")


class FallenClauseSerializer(serializers.Serializer):
    key = serializers.CharField()
    heading = serializers.CharField()
    level_before = serializers.CharField()
    level = serializers.CharField()


class LeftoversSerializer(serializers.Serializer):
    closing = serializers.CharField(help_text="the version of the draft that would close")
    undisposed = serializers.IntegerField(help_text="comments without disposition")
    sustained_blocks = serializers.IntegerField()
    open_appeals = serializers.IntegerField()
    fallen = FallenClauseSerializer(many=True, help_text="clauses whose level fell against the "
                                                         "draft before")


class PublishRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()),
                                   help_text="`confirm` or `reason`")
    leftovers = LeftoversSerializer(required=False, help_text="what the draft that closes "
                                    "leaves behind, when that is why publishing was refused")


class FlagsResolvedSerializer(serializers.Serializer):
    resolved = serializers.IntegerField()
    comment = CommentSerializer()


# Views ------------------------------------------------------------------------------------------


class DraftChangelogView(DraftMixin, ApiView):
    @_schema("The changelog generated from the comparison with based_on, with credited "
             "suggestions, to edit before publishing (facilitator)",
             responses=ChangelogSerializer, tags=["drafts"])
    def get(self, request, d, v):
        text = changelog.access_changelog(actor=request.user, draft=self.draft)
        return self.render(ChangelogSerializer, {"changelog": text})


class ApplySuggestionView(CommentMixin, ApiView):
    checks = FACILITATOR
    @_schema("Apply a suggestion's proposed text to the same clause of an editing draft; "
             "records it accepted, addressed in that draft (facilitator)",
             request=ApplySerializer, responses=ds.ClauseSerializer)
    def post(self, request, pk):
        data = self.parse(ApplySerializer)
        clause = discussion_services.apply_suggestion(actor=request.user, comment=self.comment,
                                                      **data)
        return self.render(ds.ClauseSerializer,
                           get_numbered_clause(draft=data["draft"], key=clause.key))


class DuplicatesView(DraftMixin, ApiView):
    checks = FACILITATOR
    @_schema("Disposition many comments of this draft as duplicates of one (facilitator)",
             request=DuplicatesSerializer, responses=DuplicateResultSerializer(many=True))
    def post(self, request, d, v):
        data = self.parse(DuplicatesSerializer)
        dispositions = discussion_services.record_duplicates(actor=request.user, draft=self.draft,
                                                             **data)
        context = self.get_serializer_context()
        return Response(DuplicateResultSerializer(dispositions, many=True, context=context).data)


class DispositionReportView(DraftMixin, ApiView):
    content_negotiation_class = QueryFormatNegotiation
    pagination_class = PageNumberPagination

    @_schema("The disposition of comments: every top-level comment, suggestion and objection "
             "with its disposition and acknowledgement. `json` is paginated (`?page=`); `csv` "
             "and `md` are the whole report as a file",
             responses={200: ReportRowSerializer(many=True),
                        (200, "text/csv"): OpenApiTypes.BINARY,
                        (200, "text/markdown"): OpenApiTypes.BINARY},
             parameters=[OpenApiParameter("format", str, enum=["json", "csv", "md"])])
    def get(self, request, d, v):
        fmt = self.parse_query(ReportQuerySerializer)["format"]
        comments = discussion_selectors.list_dispositioned_comments(draft=self.draft)
        if fmt == "json":
            page = self.paginator.paginate_queryset(comments, request, view=self)
            rows = discussion_selectors.list_disposition_rows(draft=self.draft, comments=page,
                                                         viewer=request.user)
            return self.paginator.get_paginated_response(ReportRowSerializer(rows, many=True).data)
        rows = discussion_selectors.list_disposition_rows(draft=self.draft, comments=comments,
                                          viewer=request.user)
        return _report_file(self.draft, rows, fmt)


def _report_file(draft, rows: list[dict], fmt: str) -> HttpResponse:
    if fmt == "csv":
        content, media = reports.disposition_csv(rows), "text/csv; charset=utf-8"
    else:
        content, media = reports.disposition_markdown(draft, rows), "text/markdown; charset=utf-8"
    response = HttpResponse(content, content_type=media)
    name = f"{draft.definition.slug}-{draft.version}-dispositions.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class DraftPublishView(BasePublishView):
    @_schema("Publish: open the comment period; the open draft closes. When it leaves items "
             "behind (comments without disposition, sustained blocks, open appeals, clauses "
             "whose level fell), only with `confirm: true` and a public `reason`, logged with "
             "what was left; otherwise 409 naming `confirm` or `reason`, with `leftovers`, and "
             "nothing is published", request=PublishReviewedSerializer,
             responses={200: ds.DraftSerializer, 409: PublishRefusedSerializer}, tags=["drafts"])
    def post(self, request, d, v):
        data = self.parse(PublishReviewedSerializer)
        draft = publishing.publish_reviewed(actor=request.user, draft=self.draft,
                                            confirmed=data.pop("confirm"), **data)
        return self.render_draft(draft)


class ResolveFlagsView(CommentMixin, ApiView):
    checks = FACILITATOR
    @_schema("Dismiss the open flags on a comment without hiding it (facilitator)",
             request=ReasonSerializer, responses=FlagsResolvedSerializer, tags=["comments"])
    def post(self, request, pk):
        data = self.parse(ReasonSerializer)
        count = discussion_services.resolve_flags(actor=request.user, comment=self.comment, **data)
        comment = discussion_selectors.get_comment(pk=self.comment.pk)
        return self.render(FlagsResolvedSerializer, {"resolved": count, "comment": comment})


urlpatterns = [
    path(V + "changelog/", DraftChangelogView.as_view(), name="api-draft-changelog"),
    path(V + "publish/", DraftPublishView.as_view(), name="api-draft-publish"),
    path(V + "dispositions/", DispositionReportView.as_view(), name="api-dispositions"),
    path(V + "dispositions/duplicates/", DuplicatesView.as_view(), name="api-duplicates"),
    path(C + "apply/", ApplySuggestionView.as_view(), name="api-apply-suggestion"),
    path(C + "resolve-flags/", ResolveFlagsView.as_view(), name="api-resolve-flags"),
]
