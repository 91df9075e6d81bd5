"""REST endpoints of comments, dispositions, acknowledgements, endorsements, flags, moderation."""

from functools import cached_property, partial

from drf_spectacular.utils import OpenApiParameter

from core.api import ApiView, ListView, NoBody, ReasonSerializer, operation
from core.errors import NotAllowed
from definition.api import FACILITATOR, ClauseMixin, DefinitionMixin, admin, signed_in
from definition.permissions import is_facilitator
from deliberation.discussion import appeals
from deliberation.discussion import selectors as discussion_selectors
from deliberation.discussion import serializers as s
from deliberation.discussion import services as discussion_services
from deliberation.votes.api import member, open_for

_schema = partial(operation, tags=["comments"])


def commenter(view) -> None:
    discussion_services.check_comment_permission(view.request.user, view.clause)


def author(message: str):
    def check(view) -> None:
        if view.comment.author_id != getattr(view.request.user, "pk", None):
            raise NotAllowed(message)
    return check


class CommentContextMixin:
    # Tells the comment serializer what this viewer may see (one query, once per request).

    def get_serializer_context(self):
        moderator = is_facilitator(self.request.user, self.definition)
        see_voters = moderator or self.definition.votes_public
        return {**super().get_serializer_context(), "moderator": moderator,
                "see_voters": see_voters}


class CommentMixin(CommentContextMixin):
    # Views under /comments/{pk}/.

    @cached_property
    def comment(self):
        return discussion_selectors.get_comment(pk=self.kwargs["pk"])

    @property
    def definition(self):
        return self.comment.clause.draft.definition

    def resolve_path(self) -> None:
        self.comment  # noqa: B018

    def render_comment(self):
        comment = discussion_selectors.get_comment(pk=self.comment.pk)
        return self.render(s.CommentSerializer, comment)


class CommentListView(CommentContextMixin, ClauseMixin, ListView):
    checks = {"post": (commenter, open_for("comments"))}
    throttle_scope = "comments"

    @_schema("The comment threads of a clause, oldest first, each with its replies",
             responses=s.ThreadSerializer(many=True))
    def get(self, request, d, v, k):
        threads = discussion_selectors.list_threads(clause=self.clause)
        page = self.paginator.paginate_queryset(threads, request, view=self)
        page = discussion_selectors.attach_replies(clause=self.clause, threads=page)
        data = s.ThreadSerializer(page, many=True, context=self.get_serializer_context()).data
        return self.paginator.get_paginated_response(data)

    @_schema("Comment, question, suggestion or reply on a clause of an open draft",
             request=s.CommentInputSerializer, responses={201: s.CommentSerializer})
    def post(self, request, d, v, k):
        data = self.parse(s.CommentInputSerializer)
        comment = discussion_services.post_comment(actor=request.user, clause=self.clause, **data)
        return self.render(s.CommentSerializer, discussion_selectors.get_comment(pk=comment.pk),
                           status=201)


class CommentDetailView(CommentMixin, ApiView):
    checks = {"patch": (author("Only the author may edit a comment."),)}
    @_schema("Read a comment", responses=s.CommentSerializer)
    def get(self, request, pk):
        return self.render(s.CommentSerializer, self.comment)

    @_schema("Edit your comment (author); the earlier text stays in history",
             request=s.CommentEditSerializer, responses=s.CommentSerializer)
    def patch(self, request, pk):
        changes = self.parse(s.CommentEditSerializer, partial=True)
        discussion_services.edit_comment(actor=request.user, comment=self.comment, changes=changes)
        return self.render_comment()


class DispositionView(CommentMixin, ApiView):
    checks = FACILITATOR
    @_schema("Record the disposition of a top-level comment (facilitator)",
             request=s.DispositionInputSerializer, responses=s.DispositionSerializer)
    def post(self, request, pk):
        data = self.parse(s.DispositionInputSerializer)
        disposition = discussion_services.record_disposition(actor=request.user,
                                                          comment=self.comment, **data)
        return self.render(s.DispositionSerializer, disposition)


class AcknowledgeView(CommentMixin, ApiView):
    checks = {"post": (author("Only the author may acknowledge a disposition."),)}
    @_schema("Say whether the disposition satisfies you (author)",
             request=s.AcknowledgeSerializer, responses=s.DispositionSerializer)
    def post(self, request, pk):
        data = self.parse(s.AcknowledgeSerializer)
        disposition = discussion_services.acknowledge_disposition(
            actor=request.user, comment=self.comment, **data)
        return self.render(s.DispositionSerializer, disposition)


class EndorseView(CommentMixin, ApiView):
    checks = {"post": (member,), "delete": (member,)}
    @_schema("+1 a suggestion (member; not one's own)", request=NoBody,
             responses=s.CommentSerializer)
    def post(self, request, pk):
        self.parse(NoBody)
        discussion_services.endorse_comment(actor=request.user, comment=self.comment)
        return self.render_comment()

    @_schema("Withdraw one's +1 (member)", request=NoBody, responses={200: s.CommentSerializer})
    def delete(self, request, pk):
        discussion_services.withdraw_endorsement(actor=request.user, comment=self.comment)
        return self.render_comment()


class FlagView(CommentMixin, ApiView):
    checks = {"post": (signed_in,)}
    @_schema("Flag a comment for the facilitators (signed in)", request=s.FlagInputSerializer,
             responses={201: s.FlagSerializer})
    def post(self, request, pk):
        data = self.parse(s.FlagInputSerializer)
        flag = discussion_services.flag_comment(actor=request.user, comment=self.comment, **data)
        return self.render(s.FlagSerializer, flag, status=201)


class HideView(CommentMixin, ApiView):
    checks = FACILITATOR
    @_schema("Hide a comment with a public reason (facilitator)", request=s.HideSerializer,
             responses=s.CommentSerializer)
    def post(self, request, pk):
        data = self.parse(s.HideSerializer)
        discussion_services.hide_comment(actor=request.user, comment=self.comment, **data)
        return self.render_comment()


class RestoreView(CommentMixin, ApiView):
    checks = FACILITATOR
    @_schema("Show a hidden comment again (facilitator)", request=ReasonSerializer,
             responses=s.CommentSerializer)
    def post(self, request, pk):
        data = self.parse(ReasonSerializer)
        discussion_services.restore_comment(actor=request.user, comment=self.comment, **data)
        return self.render_comment()


class AppealView(CommentMixin, ApiView):
    checks = {"post": (author("Only the author may appeal the disposition of a comment."),)}

    @_schema("Appeal the disposition of your comment after saying it does not satisfy you "
             "(author); public, decided by an admin", request=s.AppealInputSerializer,
             responses={201: s.AppealSerializer}, tags=["appeals"])
    def post(self, request, pk):
        data = self.parse(s.AppealInputSerializer)
        appeal = appeals.file_appeal(actor=request.user, comment=self.comment, **data)
        return self.render(s.AppealSerializer, discussion_selectors.get_appeal(pk=appeal.pk),
                           status=201)


class AppealDecideView(ApiView):
    checks = {"post": (admin,)}

    @cached_property
    def appeal(self):
        return discussion_selectors.get_appeal(pk=self.kwargs["pk"])

    def resolve_path(self) -> None:
        self.appeal  # noqa: B018

    @_schema("Decide an appeal with public reasons: `upheld` reopens the comment, `denied` keeps "
             "its disposition (admin)", request=s.AppealDecisionInputSerializer,
             responses=s.AppealSerializer, tags=["appeals"])
    def post(self, request, pk):
        data = self.parse(s.AppealDecisionInputSerializer)
        appeals.decide_appeal(actor=request.user, appeal=self.appeal, **data)
        return self.render(s.AppealSerializer, discussion_selectors.get_appeal(pk=pk))


class AppealListView(DefinitionMixin, ListView):
    @_schema("The appeals of a definition, open ones first (public)",
             responses=s.AppealSerializer(many=True), tags=["appeals"],
             parameters=[OpenApiParameter("status", str, enum=["open", "upheld", "denied"])])
    def get(self, request, d):
        query = self.parse_query(s.AppealQuerySerializer)
        items = discussion_selectors.list_appeals(definition=self.definition,
                                                  status=query.get("status", ""))
        return self.render_page(s.AppealSerializer, items)
