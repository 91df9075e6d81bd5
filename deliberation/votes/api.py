"""REST endpoints of votes and ballots; the checks every participation endpoint makes first."""

from functools import cached_property, partial

from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.response import Response

from core.api import ApiView, ListView, operation
from definition.api import ClauseMixin
from deliberation import rules
from deliberation.votes import selectors as vote_selectors
from deliberation.votes import serializers as s
from deliberation.votes import services as vote_services

_schema = partial(operation, tags=["votes"])


def member(view) -> None:
    rules.require_member(view.request.user, view.definition)


def open_for(what: str):
    def check(view) -> None:
        rules.require_open(view.draft, what)
    return check


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
        clause = vote_selectors.get_open_clause(slug=self.kwargs["d"], version=self.kwargs["v"],
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
        vote = vote_services.cast_vote(actor=request.user, clause=self.clause, **data)
        return self.render(s.VoteSerializer, vote)

    @_schema("Retract your position (member)", responses={204: None}, tags=["votes"])
    def delete(self, request, d, v, k):
        vote_services.retract_vote(actor=request.user, clause=self.clause)
        return Response(status=204)


class BallotView(ClauseMixin, ListView):
    @_schema("The ballot: every current vote on the clause (facilitators only when votes are "
             "not public)", responses=s.BallotEntrySerializer(many=True), tags=["votes"])
    def get(self, request, d, v, k):
        votes = vote_selectors.list_ballot(actor=request.user, clause=self.clause)
        return self.render_page(s.BallotEntrySerializer, votes)
