"""REST endpoints of votes, ballots, comments, dispositions and moderation."""

from functools import cached_property

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.response import Response

from core.api import ApiView, ListView, NoBody, ReasonSerializer
from core.errors import NotAllowed
from definition.api import FACILITATOR, ClauseMixin, signed_in
from definition.permissions import is_facilitator
from deliberation import selectors, services
from deliberation import serializers as s


def _schema(summary: str, *, request=None, responses=None, tags=("comments",), **kwargs):
    return extend_schema(summary=summary, request=request, responses=responses, tags=list(tags),
                         **kwargs)


# Checks made before the body is read (ApiView.checks): permission first, then state.


def member(view) -> None:
    services.require_member(view.request.user, view.definition)


def commenter(view) -> None:
    services.check_comment_permission(view.request.user, view.clause)


def author(message: str):
    def check(view) -> None:
        if view.comment.author_id != getattr(view.request.user, "pk", None):
            raise NotAllowed(message)
    return check


def open_for(what: str):
    def check(view) -> None:
        services.require_open(view.draft, what)
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
        return selectors.get_comment(pk=self.kwargs["pk"])

    @property
    def definition(self):
        return self.comment.clause.draft.definition

    def resolve_path(self) -> None:
        self.comment  # noqa: B018

    def render_comment(self):
        return self.render(s.CommentSerializer, selectors.get_comment(pk=self.comment.pk))


# Votes ------------------------------------------------------------------------------------------


class VoteView(ClauseMixin, ApiView):
    # PUT checks permission and state only when the body is refused (to give 403/409 first):
    # otherwise `cast_vote` checks both in the one query it needs anyway (the hot path).
    VOTER_CHECKS = (member, open_for("votes"))
    checks = {"delete": VOTER_CHECKS}
    throttle_scope = "votes"

    def resolve_path(self) -> None:
        self.clause  # noqa: B018 - the one-query lookup also fills draft and definition

    @cached_property
    def clause(self):
        """The hot path: a clause of an open draft, with its draft and definition, in one query;
        anything else goes through the usual lookups (and their errors)."""
        clause = selectors.get_open_clause(slug=self.kwargs["d"], version=self.kwargs["v"],
                                           key=self.kwargs["k"])
        if clause is None:
            return ClauseMixin.clause.func(self)
        self.__dict__["draft"], self.__dict__["definition"] = clause.draft, clause.draft.definition
        return clause

    @_schema("Cast or change your position on a clause of an open draft (member)",
             request=s.VoteInputSerializer, responses=s.VoteSerializer, tags=["votes"])
    def put(self, request, d, v, k):
        self.resolve_path()
        try:
            data = self.parse(s.VoteInputSerializer)
        except (ValidationError, ParseError):
            for check in self.VOTER_CHECKS:
                check(self)
            raise
        vote = services.cast_vote(actor=request.user, clause=self.clause, **data)
        return self.render(s.VoteSerializer, vote)

    @_schema("Retract your position (member)", responses={204: None}, tags=["votes"])
    def delete(self, request, d, v, k):
        services.retract_vote(actor=request.user, clause=self.clause)
        return Response(status=204)


class BallotView(ClauseMixin, ListView):
    @_schema("The ballot: every current vote on the clause (facilitators only when votes are "
             "not public)", responses=s.BallotEntrySerializer(many=True), tags=["votes"])
    def get(self, request, d, v, k):
        votes = selectors.list_ballot(actor=request.user, clause=self.clause)
        return self.render_page(s.BallotEntrySerializer, votes)


# Comments ---------------------------------------------------------------------------------------


class CommentListView(CommentContextMixin, ClauseMixin, ListView):
    checks = {"post": (commenter, open_for("comments"))}
    throttle_scope = "comments"

    @_schema("The comment threads of a clause, oldest first, each with its replies",
             responses=s.ThreadSerializer(many=True))
    def get(self, request, d, v, k):
        threads = selectors.list_threads(clause=self.clause)
        page = self.paginator.paginate_queryset(threads, request, view=self)
        page = selectors.attach_replies(clause=self.clause, threads=page)
        data = s.ThreadSerializer(page, many=True, context=self.get_serializer_context()).data
        return self.paginator.get_paginated_response(data)

    @_schema("Comment, question, suggestion or reply on a clause of an open draft",
             request=s.CommentInputSerializer, responses={201: s.CommentSerializer})
    def post(self, request, d, v, k):
        data = self.parse(s.CommentInputSerializer)
        comment = services.post_comment(actor=request.user, clause=self.clause, **data)
        return self.render(s.CommentSerializer, selectors.get_comment(pk=comment.pk), status=201)


class CommentDetailView(CommentMixin, ApiView):
    checks = {"patch": (author("Only the author may edit a comment."),)}
    @_schema("Read a comment", responses=s.CommentSerializer)
    def get(self, request, pk):
        return self.render(s.CommentSerializer, self.comment)

    @_schema("Edit your comment (author); the earlier text stays in history",
             request=s.CommentEditSerializer, responses=s.CommentSerializer)
    def patch(self, request, pk):
        changes = self.parse(s.CommentEditSerializer, partial=True)
        services.edit_comment(actor=request.user, comment=self.comment, changes=changes)
        return self.render_comment()


class DispositionView(CommentMixin, ApiView):
    checks = FACILITATOR
    @_schema("Record the disposition of a top-level comment (facilitator)",
             request=s.DispositionInputSerializer, responses=s.DispositionSerializer)
    def post(self, request, pk):
        data = self.parse(s.DispositionInputSerializer)
        disposition = services.record_disposition(actor=request.user, comment=self.comment, **data)
        return self.render(s.DispositionSerializer, disposition)


class AcknowledgeView(CommentMixin, ApiView):
    checks = {"post": (author("Only the author may acknowledge a disposition."),)}
    @_schema("Say whether the disposition satisfies you (author)",
             request=s.AcknowledgeSerializer, responses=s.DispositionSerializer)
    def post(self, request, pk):
        data = self.parse(s.AcknowledgeSerializer)
        disposition = services.acknowledge_disposition(actor=request.user, comment=self.comment,
                                                       **data)
        return self.render(s.DispositionSerializer, disposition)


class EndorseView(CommentMixin, ApiView):
    checks = {"post": (member,)}
    @_schema("+1 a suggestion (member)", request=NoBody, responses=s.CommentSerializer)
    def post(self, request, pk):
        self.parse(NoBody)
        services.endorse_comment(actor=request.user, comment=self.comment)
        return self.render_comment()


class FlagView(CommentMixin, ApiView):
    checks = {"post": (signed_in,)}
    @_schema("Flag a comment for the facilitators (signed in)", request=s.FlagInputSerializer,
             responses={201: s.FlagSerializer})
    def post(self, request, pk):
        data = self.parse(s.FlagInputSerializer)
        flag = services.flag_comment(actor=request.user, comment=self.comment, **data)
        return self.render(s.FlagSerializer, flag, status=201)


class HideView(CommentMixin, ApiView):
    checks = FACILITATOR
    @_schema("Hide a comment with a public reason (facilitator)", request=s.HideSerializer,
             responses=s.CommentSerializer)
    def post(self, request, pk):
        data = self.parse(s.HideSerializer)
        services.hide_comment(actor=request.user, comment=self.comment, **data)
        return self.render_comment()


class RestoreView(CommentMixin, ApiView):
    checks = FACILITATOR
    @_schema("Show a hidden comment again (facilitator)", request=ReasonSerializer,
             responses=s.CommentSerializer)
    def post(self, request, pk):
        data = self.parse(ReasonSerializer)
        services.restore_comment(actor=request.user, comment=self.comment, **data)
        return self.render_comment()
