"""REST endpoints of consensus summaries, recompute jobs and opinion groups (PRODUCT.md §5).

Everything is read from storage: the figures are computed by background jobs, never here."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from core.api import ApiView, NoBody
from core.conditional import conditional, etag_of
from core.errors import NotAllowed, NotFound
from definition.api import FACILITATOR, ClauseMixin, DraftMixin
from definition.models import Draft, Job
from definition.permissions import is_facilitator
from deliberation.consensus import selectors as consensus_selectors
from deliberation.consensus import services as consensus_services
from deliberation.consensus.selectors import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from deliberation.jobs import selectors as job_selectors


class GroupFiguresSerializer(serializers.Serializer):
    group = serializers.CharField()
    support = serializers.IntegerField()
    accept = serializers.IntegerField()
    abstain = serializers.IntegerField()
    oppose = serializers.IntegerField()
    block = serializers.IntegerField()
    decisive = serializers.IntegerField()
    approval = serializers.FloatField()
    wilson_low = serializers.FloatField()
    wilson_high = serializers.FloatField()
    quorate = serializers.BooleanField()
    participation = serializers.FloatField(allow_null=True)


class ClauseSummarySerializer(serializers.Serializer):
    key = serializers.CharField()
    level = serializers.ChoiceField(choices=["blocked", "insufficient", "strong", "rough",
                                             "contested", "opposed", "none"])
    balanced_approval = serializers.FloatField(allow_null=True)
    pooled_approval = serializers.FloatField(allow_null=True)
    bridging = serializers.FloatField(allow_null=True)
    floor = serializers.FloatField(allow_null=True)
    weakest_group = serializers.CharField(allow_null=True)
    divergence = serializers.FloatField(allow_null=True)
    enthusiasm = serializers.FloatField()
    sustained_blocks = serializers.IntegerField()
    open_objections = serializers.IntegerField()
    computed_at = serializers.DateTimeField(allow_null=True)
    stale = serializers.BooleanField()
    groups = GroupFiguresSerializer(many=True)


class DraftConsensusSerializer(serializers.Serializer):
    draft = serializers.CharField()
    computed_at = serializers.DateTimeField(allow_null=True, help_text="Of the whole draft.")
    stale = serializers.BooleanField(help_text="Whether any clause of the draft is stale.")
    count = serializers.IntegerField(help_text="Clauses of the draft that take votes (sections "
                                     "only when the definition's sections_votable is on).")
    next = serializers.URLField(allow_null=True, help_text="The next page of clauses, if any.")
    previous = serializers.URLField(allow_null=True)
    clauses = ClauseSummarySerializer(many=True, help_text="One page of clauses, in order.")


class ConsensusPageSerializer(serializers.Serializer):
    page = serializers.IntegerField(min_value=1, default=1)
    page_size = serializers.IntegerField(min_value=1, max_value=MAX_PAGE_SIZE,
                                         default=DEFAULT_PAGE_SIZE)


class TrendPointSerializer(serializers.Serializer):
    version = serializers.CharField()
    balanced_approval = serializers.FloatField(allow_null=True)
    bridging = serializers.FloatField(allow_null=True)
    floor = serializers.FloatField(allow_null=True)
    level = serializers.CharField()
    text_changed = serializers.BooleanField()
    delta_balanced = serializers.FloatField(allow_null=True)
    delta_bridging = serializers.FloatField(allow_null=True)
    delta_floor = serializers.FloatField(allow_null=True)


class ClauseConsensusSerializer(ClauseSummarySerializer):
    trend = inline_serializer("Trend", {
        "points": TrendPointSerializer(many=True),
        "movement": serializers.DictField(child=serializers.DictField(
            child=serializers.IntegerField())),
    })


class JobSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    state = serializers.ChoiceField(choices=Job.State.values)
    progress = serializers.FloatField()
    result_url = serializers.CharField(required=False)
    error = serializers.CharField(required=False)
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)

    def to_representation(self, job):
        data = super().to_representation(job)
        for optional in ("result_url", "error"):
            if not data.get(optional):
                data.pop(optional, None)
        return data


class OpinionGroupsSerializer(serializers.Serializer):
    draft = serializers.CharField()
    computed_at = serializers.DateTimeField(allow_null=True)
    result = serializers.DictField(allow_null=True)


class DraftConsensusView(DraftMixin, ApiView):
    @extend_schema(summary="Every clause's consensus summary, a page of clauses at a time",
                   description=f"`?page=` (from 1) and `?page_size=` (default "
                   f"{DEFAULT_PAGE_SIZE}, at most {MAX_PAGE_SIZE}); `computed_at` and `stale` "
                   "describe the whole draft. A closed or final draft answers conditional GETs "
                   "(ETag, Last-Modified; 304).",
                   tags=["consensus"], parameters=[ConsensusPageSerializer],
                   responses=DraftConsensusSerializer)
    def get(self, request, **kwargs):
        query = self.parse_query(ConsensusPageSerializer)
        page = consensus_selectors.get_draft_consensus_page(draft=self.draft, **query)

        def render():
            links = {name: self._page_url(number) for name, number in page["links"].items()}
            return Response(DraftConsensusSerializer({**page["consensus"], **links,
                                                      "count": page["count"]}).data)

        if self.draft.status not in (Draft.Status.CLOSED, Draft.Status.FINAL):
            return render()
        freshness = page["consensus"]
        etag = etag_of(request, "consensus", self.draft.pk, self.draft.status,
                       freshness["computed_at"], freshness["stale"])
        return conditional(request, etag=etag, last_modified=freshness["computed_at"],
                           render=render)

    def _page_url(self, number: int | None) -> str | None:
        if number is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), "page", number)


class ClauseConsensusView(ClauseMixin, ApiView):
    @extend_schema(summary="One clause's consensus, per group, with its trend across drafts",
                   tags=["consensus"], responses=ClauseConsensusSerializer)
    def get(self, request, **kwargs):
        if not consensus_selectors.takes_votes(self.clause, self.draft):
            raise NotFound("This clause is a section heading: it is not voted on in this "
                           "definition and has no consensus figures.", field="key")
        return Response(ClauseConsensusSerializer(
            consensus_selectors.get_clause_consensus(clause=self.clause)).data)


class RecomputeView(DraftMixin, ApiView):
    checks = FACILITATOR
    @extend_schema(summary="Recompute a draft's consensus and opinion groups (facilitator)",
                   tags=["consensus"], request=NoBody, responses={202: JobSerializer})
    def post(self, request, **kwargs):
        self.parse(NoBody)
        job = consensus_services.request_recompute(actor=request.user, draft=self.draft)
        job.refresh_from_db()
        return Response(JobSerializer(job).data, status=202)


class JobView(ApiView):
    @extend_schema(summary="The state of a background job", tags=["jobs"],
                   responses=JobSerializer)
    def get(self, request, pk: int):
        job = job_selectors.get_job(pk=pk)
        if job is None:
            raise NotFound(f"No job {pk}.", field="id")
        mine = request.user.is_authenticated and job.created_by_id == request.user.pk
        public = job.params.get("public") is True  # exports anyone may ask for
        if not (public or mine or is_facilitator(request.user, job.definition)):
            raise NotAllowed("Only the facilitators and the person who started it see a job.")
        return Response(JobSerializer(job).data)


class OpinionGroupsView(DraftMixin, ApiView):
    @extend_schema(summary="The latest latent opinion-group analysis of a draft",
                   description="`result.map` is the members' map binned into cells (a count "
                   "each, and the first names when votes are public): its size does not grow "
                   "with the members. `result.positions` holds one page of "
                   f"{consensus_selectors.POSITIONS_PAGE_SIZE} members' places (`?page=`, "
                   "from 1; `result.positions_page` gives the page, pages and count).",
                   tags=["consensus"], responses=OpinionGroupsSerializer,
                   parameters=[OpenApiParameter("page", int, description="Page of positions.")])
    def get(self, request, **kwargs):
        analysis = consensus_selectors.get_stored_opinion_analysis(draft=self.draft)
        result = None if analysis is None else consensus_selectors.get_opinion_result(
            analysis, viewer=request.user, page=request.query_params.get("page", ""))
        return Response(OpinionGroupsSerializer({
            "draft": self.draft.version, "result": result,
            "computed_at": analysis.computed_at if analysis else None}).data)
