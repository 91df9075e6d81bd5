"""REST endpoints of the draft editor beyond add/edit/delete: split, merge and move clauses.

Included from `config.api_urls` (its `version` path converter is registered there).
"""

from functools import partial

from django.urls import path
from rest_framework import serializers
from rest_framework.response import Response

from core.api import ApiView, StrictSerializer, operation
from definition import editing, selectors
from definition import serializers as s
from definition.api import FACILITATOR_EDITING, ClauseMixin, DraftMixin

_schema = partial(operation, tags=["clauses"])

V = "definitions/<slug:d>/drafts/<version:v>/"
K = V + "clauses/<slug:k>/"


class SplitSerializer(StrictSerializer):
    parts = serializers.ListField(
        child=serializers.CharField(max_length=20000), min_length=2, max_length=editing.MAX_PARTS
    )


class MergeSerializer(StrictSerializer):
    clauses = serializers.ListField(
        child=serializers.SlugField(max_length=80), min_length=2, max_length=200
    )
    key = serializers.SlugField(max_length=80)


class MoveSerializer(StrictSerializer):
    direction = serializers.ChoiceField(choices=["up", "down"])


class ClauseSplitView(ClauseMixin, ApiView):
    checks = FACILITATOR_EDITING
    @_schema(
        "Split a clause of an editing draft into <key>-a, <key>-b… (facilitator)",
        request=SplitSerializer,
        responses={201: s.ClauseSerializer(many=True)},
    )
    def post(self, request, d, v, k):
        data = self.parse(SplitSerializer)
        parts = editing.split_clause(actor=request.user, clause=self.clause, **data)
        keys = {part.key for part in parts}
        numbered = [c for c in selectors.list_clauses(draft=self.draft) if c.key in keys]
        context = self.get_serializer_context()
        return Response(s.ClauseSerializer(numbered, many=True, context=context).data, status=201)


class ClauseMergeView(DraftMixin, ApiView):
    checks = FACILITATOR_EDITING
    @_schema(
        "Merge clauses of an editing draft into one (facilitator)",
        request=MergeSerializer,
        responses={201: s.ClauseSerializer},
    )
    def post(self, request, d, v):
        data = self.parse(MergeSerializer)
        merged = editing.merge_clauses_by_key(
            actor=request.user, draft=self.draft, keys=data["clauses"], key=data["key"]
        )
        clause = selectors.get_numbered_clause(draft=self.draft, key=merged.key)
        return self.render(s.ClauseSerializer, clause, status=201)


class ClauseMoveView(ClauseMixin, ApiView):
    checks = FACILITATOR_EDITING
    @_schema(
        "Move a clause before its previous or after its next sibling (facilitator)",
        request=MoveSerializer,
        responses=s.ClauseSerializer,
    )
    def post(self, request, d, v, k):
        data = self.parse(MoveSerializer)
        editing.move_clause(actor=request.user, clause=self.clause, **data)
        return self.render(
            s.ClauseSerializer, selectors.get_numbered_clause(draft=self.draft, key=k)
        )


urlpatterns = [
    path(K + "split/", ClauseSplitView.as_view(), name="api-clause-split"),
    path(K + "move/", ClauseMoveView.as_view(), name="api-clause-move"),
    path(V + "merge-clauses/", ClauseMergeView.as_view(), name="api-clause-merge"),
]
