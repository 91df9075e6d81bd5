"""The shapes of PRODUCT.md §5.1 for votes and the ballot."""

from rest_framework import serializers

from core.api import StrictSerializer
from deliberation.models import Position


class VoteInputSerializer(StrictSerializer):
    position = serializers.ChoiceField(choices=Position.choices)
    rationale = serializers.CharField(max_length=10000, required=False, allow_blank=True)


class VoteSerializer(serializers.Serializer):
    position = serializers.ChoiceField(choices=Position.choices)
    rationale = serializers.CharField()
    group = serializers.CharField(source="group.slug")
    updated_at = serializers.DateTimeField()


class BallotEntrySerializer(VoteSerializer):
    voter = serializers.CharField(source="voter.username")
