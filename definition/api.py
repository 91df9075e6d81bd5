"""REST endpoints of definitions, groups, memberships, facilitators, drafts and clauses."""

from functools import cached_property, partial

from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response

from core.api import ApiView, ListView, ReasonSerializer, operation
from core.conditional import conditional, etag_of
from core.errors import NotAllowed
from definition import editing as clause_editing
from definition import memberships, selectors, services
from definition import serializers as s
from definition.models import Draft
from definition.permissions import require_admin, require_facilitator

_schema = partial(operation, tags=["drafts"])

# Checks made before the body is read (ApiView.checks): permission first, then state.


def admin(view) -> None:
    require_admin(view.request.user)


def facilitator(view) -> None:
    require_facilitator(view.request.user, view.definition)


def signed_in(view) -> None:
    if not view.request.user.is_authenticated:
        raise NotAllowed("Sign in to do this.")


def editing(view) -> None:
    services.require_editing(view.draft)


def closable(view) -> None:
    services.require_closable(view.draft)


def finalizable(view) -> None:
    services.require_finalizable(view.draft)


FACILITATOR = {"post": (facilitator,), "patch": (facilitator,), "delete": (facilitator,)}
FACILITATOR_EDITING = {method: (facilitator, editing) for method in ("post", "patch", "delete")}


class DefinitionMixin:
    # Views under /definitions/{d}/.

    @cached_property
    def definition(self):
        return selectors.get_definition(slug=self.kwargs["d"])

    def resolve_path(self) -> None:
        self.definition  # noqa: B018


class DraftMixin(DefinitionMixin):
    # Views under /definitions/{d}/drafts/{v}/.

    @cached_property
    def draft(self):
        return selectors.get_draft(definition=self.definition, version=self.kwargs["v"],
                                   viewer=self.request.user)

    def resolve_path(self) -> None:
        super().resolve_path()
        if "v" in self.kwargs:
            self.draft  # noqa: B018

    def render_draft(self, draft, *, status: int = 200, serializer=s.DraftSerializer):
        draft.numbered_clauses = selectors.list_clauses(draft=draft)
        return self.render(serializer, draft, status=status)


class ClauseMixin(DraftMixin):
    # Views under /definitions/{d}/drafts/{v}/clauses/{k}/.

    @cached_property
    def clause(self):
        clause = selectors.get_clause(draft=self.draft, key=self.kwargs["k"])
        clause.draft = self.draft
        return clause

    def resolve_path(self) -> None:
        super().resolve_path()
        self.clause  # noqa: B018


# Definitions, groups, facilitators --------------------------------------------------------------


class DefinitionListView(ListView):
    checks = {"post": (admin,)}
    @_schema("List definitions", responses=s.DefinitionSerializer(many=True), tags=["definitions"])
    def get(self, request):
        return self.render_page(s.DefinitionSerializer, selectors.list_definitions())

    @_schema("Create a definition (admin)", request=s.DefinitionCreateSerializer,
             responses={201: s.DefinitionSerializer}, tags=["definitions"])
    def post(self, request):
        data = self.parse(s.DefinitionCreateSerializer)
        definition = services.create_definition(actor=request.user, **data)
        definition.current_version = None
        return self.render(s.DefinitionSerializer, definition, status=201)


class DefinitionDetailView(DefinitionMixin, ApiView):
    checks = FACILITATOR
    @_schema("Read a definition with its settings", responses=s.DefinitionDetailSerializer,
             tags=["definitions"])
    def get(self, request, d):
        definition = selectors.get_definition_detail(slug=d)
        return self.render(s.DefinitionDetailSerializer, definition)

    @_schema("Change title, summary or settings (facilitator)",
             request=s.DefinitionUpdateSerializer, responses=s.DefinitionDetailSerializer,
             tags=["definitions"])
    def patch(self, request, d):
        changes = self.parse(s.DefinitionUpdateSerializer, partial=True)
        services.update_definition(actor=request.user, definition=self.definition, changes=changes)
        return self.render(s.DefinitionDetailSerializer, selectors.get_definition_detail(slug=d))


class GroupListView(DefinitionMixin, ListView):
    checks = FACILITATOR
    @_schema("List stakeholder groups", responses=s.GroupSerializer(many=True), tags=["groups"])
    def get(self, request, d):
        return self.render_page(s.GroupSerializer, self.definition.groups.all())

    @_schema("Add a stakeholder group (facilitator)", request=s.GroupSerializer,
             responses={201: s.GroupSerializer}, tags=["groups"])
    def post(self, request, d):
        data = self.parse(s.GroupSerializer)
        group = services.add_group(actor=request.user, definition=self.definition, **data)
        return self.render(s.GroupSerializer, group, status=201)


class FacilitatorView(DefinitionMixin, ApiView):
    checks = {"post": (admin,)}
    @_schema("Name a facilitator (admin)", request=s.FacilitatorSerializer,
             responses={201: s.FacilitatorSerializer}, tags=["definitions"])
    def post(self, request, d):
        data = self.parse(s.FacilitatorSerializer)
        services.add_facilitator(actor=request.user, definition=self.definition, **data)
        return Response(data, status=201)


# Memberships ------------------------------------------------------------------------------------


class MembershipListView(DefinitionMixin, ListView):
    checks = {"post": (signed_in,)}
    @_schema("List memberships: every one for facilitators, your own otherwise",
             responses=s.MembershipSerializer(many=True), tags=["memberships"],
             parameters=[s.MembershipQuerySerializer])
    def get(self, request, d):
        query = self.parse_query(s.MembershipQuerySerializer)
        memberships = selectors.list_memberships(
            actor=request.user, definition=self.definition, status=query.get("status")
        )
        return self.render_page(s.MembershipSerializer, memberships)

    @_schema("Apply to join a stakeholder group", request=s.MembershipApplySerializer,
             responses={201: s.MembershipSerializer}, tags=["memberships"])
    def post(self, request, d):
        data = self.parse(s.MembershipApplySerializer)
        membership = memberships.apply_membership(
            user=request.user, definition=self.definition, group_slug=data.pop("group"), **data
        )
        return self.render(s.MembershipSerializer, membership, status=201)


class MembershipDecisionView(DefinitionMixin, ApiView):
    # verify, reject and revoke: a facilitator decides on a membership.

    checks = FACILITATOR

    input_serializer = s.DecisionSerializer
    service = None

    def post(self, request, d, pk):
        data = self.parse(self.input_serializer)
        membership = selectors.get_membership(definition=self.definition, pk=pk)
        membership = type(self).service(actor=request.user, membership=membership, **data)
        return self.render(s.MembershipSerializer, membership)


def _decision(name: str, service, summary: str, input_serializer=s.DecisionSerializer):
    view = type(name, (MembershipDecisionView,), {
        "service": staticmethod(service), "input_serializer": input_serializer,
    })
    view.post = _schema(summary, request=input_serializer, responses=s.MembershipSerializer,
                        tags=["memberships"])(view.post)
    return view


MembershipVerifyView = _decision(
    "MembershipVerifyView", memberships.verify_membership, "Verify a pending membership")
MembershipRejectView = _decision(
    "MembershipRejectView", memberships.reject_membership, "Reject a pending membership")
MembershipRevokeView = _decision(
    "MembershipRevokeView", memberships.revoke_membership,
    "Revoke a verified membership, with a reason", s.RevokeSerializer)


# Drafts -----------------------------------------------------------------------------------------


class DraftListView(DraftMixin, ListView):
    checks = FACILITATOR
    @_schema("List drafts, oldest first", responses=s.DraftSummarySerializer(many=True))
    def get(self, request, d):
        return self.render_page(
            s.DraftSummarySerializer,
            selectors.list_drafts(definition=self.definition, viewer=request.user)
        )

    @_schema("Create a draft; with based_on, every clause is copied with its key",
             request=s.DraftCreateSerializer, responses={201: s.DraftSerializer})
    def post(self, request, d):
        data = self.parse(s.DraftCreateSerializer)
        draft = services.create_draft(actor=request.user, definition=self.definition, **data)
        return self.render_draft(draft, status=201)


class DraftImportView(DraftMixin, ApiView):
    checks = FACILITATOR
    @_schema("Create a draft from Markdown; with based_on, keys are matched to its clauses",
             request=s.DraftImportSerializer, responses={201: s.ImportedDraftSerializer})
    def post(self, request, d):
        data = self.parse(s.DraftImportSerializer)
        draft, matches = services.import_draft(
            actor=request.user, definition=self.definition, **data
        )
        draft.matches = matches
        return self.render_draft(draft, status=201, serializer=s.ImportedDraftSerializer)


class DraftDetailView(DraftMixin, ApiView):
    checks = FACILITATOR_EDITING
    @_schema("Read a draft with all its clauses in order; a published draft's text no longer "
             "changes, so it answers conditional GETs (ETag, Last-Modified; 304)",
             responses=s.DraftSerializer)
    def get(self, request, d, v):
        draft = self.draft
        if draft.status == Draft.Status.EDITING:
            return self.render_draft(draft)
        stamps = [t for t in (draft.published_at, draft.closed_at, draft.finalized_at) if t]
        etag = etag_of(request, "draft", draft.pk, draft.status, draft.closes_at, *stamps)
        return conditional(request, etag=etag, last_modified=max(stamps, default=None),
                           render=lambda: self.render_draft(draft))

    @_schema("Edit version or changelog while editing (facilitator)",
             request=s.DraftUpdateSerializer, responses=s.DraftSerializer)
    def patch(self, request, d, v):
        changes = self.parse(s.DraftUpdateSerializer, partial=True)
        draft = services.update_draft(actor=request.user, draft=self.draft, changes=changes)
        return self.render_draft(draft)

    @_schema("Delete a draft while editing (facilitator)", responses={204: None})
    def delete(self, request, d, v):
        services.delete_draft(actor=request.user, draft=self.draft)
        return Response(status=204)


class DraftPublishView(DraftMixin, ApiView):
    checks = FACILITATOR_EDITING
    @_schema("Publish: open the comment period; the open draft closes",
             request=s.PublishSerializer, responses=s.DraftSerializer)
    def post(self, request, d, v):
        data = self.parse(s.PublishSerializer)
        draft = services.publish_draft(actor=request.user, draft=self.draft, **data)
        return self.render_draft(draft)


class DraftCloseView(DraftMixin, ApiView):
    checks = {"post": (facilitator, closable)}
    @_schema("Close the comment period", request=ReasonSerializer, responses=s.DraftSerializer)
    def post(self, request, d, v):
        data = self.parse(ReasonSerializer)
        return self.render_draft(services.close_draft(actor=request.user, draft=self.draft, **data))


class DraftFinalizeView(DraftMixin, ApiView):
    checks = {"post": (facilitator, finalizable)}
    @_schema("Mark a closed draft as the ratified text", request=ReasonSerializer,
             responses=s.DraftSerializer)
    def post(self, request, d, v):
        data = self.parse(ReasonSerializer)
        draft = services.finalize_draft(actor=request.user, draft=self.draft, **data)
        return self.render_draft(draft)


# Clauses ----------------------------------------------------------------------------------------


class ClauseListView(DraftMixin, ListView):
    checks = FACILITATOR_EDITING
    @_schema("List the clauses of a draft in reading order",
             responses=s.ClauseSerializer(many=True), tags=["clauses"])
    def get(self, request, d, v):
        return self.render_page(s.ClauseSerializer, selectors.list_clauses(draft=self.draft))

    @_schema("Add a clause to an editing draft (facilitator)", request=s.ClauseInputSerializer,
             responses={201: s.ClauseSerializer}, tags=["clauses"])
    def post(self, request, d, v):
        data = self.parse(s.ClauseInputSerializer)
        clause = clause_editing.add_clause(actor=request.user, draft=self.draft, **data)
        clause = selectors.get_numbered_clause(draft=self.draft, key=clause.key)
        return self.render(s.ClauseSerializer, clause, status=201)


class ClauseDetailView(DraftMixin, ApiView):
    checks = FACILITATOR_EDITING
    @_schema("Read a clause", responses=s.ClauseSerializer, tags=["clauses"])
    def get(self, request, d, v, k):
        return self.render(s.ClauseSerializer, self.numbered_clause)

    @_schema("Edit a clause of an editing draft (facilitator)", request=s.ClauseInputSerializer,
             responses=s.ClauseSerializer, tags=["clauses"])
    def patch(self, request, d, v, k):
        changes = self.parse(s.ClauseInputSerializer, partial=True)
        clause = clause_editing.update_clause(actor=request.user, clause=self.numbered_clause,
                                        changes=changes)
        clause = selectors.get_numbered_clause(draft=self.draft, key=clause.key)
        return self.render(s.ClauseSerializer, clause)

    @_schema("Delete a clause (and those inside it) from an editing draft (facilitator)",
             responses={204: None}, tags=["clauses"])
    def delete(self, request, d, v, k):
        clause_editing.delete_clause(actor=request.user, clause=self.numbered_clause)
        return Response(status=204)

    @cached_property
    def numbered_clause(self):
        return selectors.get_numbered_clause(draft=self.draft, key=self.kwargs["k"])


class ClauseHistoryView(ClauseMixin, ApiView):
    @_schema("The clause (same key) in every draft, with word diffs against the previous one",
             responses=s.ClauseHistorySerializer, tags=["clauses"])
    def get(self, request, d, v, k):
        versions = selectors.list_clause_history(definition=self.definition, key=self.clause.key,
                                            viewer=request.user)
        return self.render(s.ClauseHistorySerializer, {"key": k, "versions": versions})


# Comparison and activity -----------------------------------------------------------------------


class CompareView(DefinitionMixin, ApiView):
    @_schema("Compare two drafts clause by clause", responses=s.ComparisonSerializer,
             tags=["definitions"], parameters=[
                 OpenApiParameter("from", str, required=True, description="older version"),
                 OpenApiParameter("to", str, required=True, description="newer version")])
    def get(self, request, d):
        query = self.parse_query(s.CompareQuerySerializer)
        old, new = (selectors.get_draft(definition=self.definition, version=query[name],
                                        viewer=request.user) for name in ("from", "to"))
        changes = selectors.get_comparison(old=old, new=new)
        return self.render(s.ComparisonSerializer,
                           {"from": old.version, "to": new.version, "changes": changes})


class ActivityView(DefinitionMixin, ListView):
    @_schema("The public decision log, newest first", responses=s.EventSerializer(many=True),
             tags=["definitions"])
    def get(self, request, d):
        events = selectors.list_events(definition=self.definition, viewer=request.user)
        return self.render_page(s.EventSerializer, events)

