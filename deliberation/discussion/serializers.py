"""The shapes of PRODUCT.md §5.1 for comments, dispositions, acknowledgements and flags."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import StrictSerializer
from definition.serializers import VersionField
from deliberation.models import Appeal, Comment, Disposition

MAX_ID = 2**63 - 1


class CommentInputSerializer(StrictSerializer):
    body = serializers.CharField(max_length=20000)
    kind = serializers.ChoiceField(choices=Comment.Kind.choices, required=False)
    parent = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False,
                                      allow_null=True)
    quote = serializers.CharField(max_length=5000, required=False, allow_blank=True,
                                  trim_whitespace=False)
    proposed_text = serializers.CharField(max_length=20000, required=False, allow_blank=True)

    def validate_parent(self, value):
        if value is None:
            return None
        parent = Comment.objects.filter(pk=value).first()
        if parent is None:
            raise serializers.ValidationError(f"No comment {value}.")
        return parent


class CommentEditSerializer(StrictSerializer):
    body = serializers.CharField(max_length=20000)
    quote = serializers.CharField(max_length=5000, allow_blank=True, trim_whitespace=False)
    proposed_text = serializers.CharField(max_length=20000, allow_blank=True)


class DispositionInputSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=Disposition.Status.choices)
    response = serializers.CharField(max_length=10000)
    addressed_in = VersionField(required=False, allow_null=True)
    addressed_in_next = serializers.BooleanField(
        required=False, help_text="addressed in the next draft, which may not exist yet: "
                                  "publishing it fills addressed_in")


class AcknowledgeSerializer(StrictSerializer):
    satisfied = serializers.BooleanField()
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class FlagInputSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class HideSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000)


class FlagSerializer(serializers.Serializer):
    comment = serializers.IntegerField(source="comment_id")
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class DispositionSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Disposition.Status.choices)
    response = serializers.CharField()
    addressed_in = serializers.CharField(source="addressed_in.version", allow_null=True)
    addressed_in_next = serializers.BooleanField()
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True)
    decided_at = serializers.DateTimeField()
    acknowledged_satisfied = serializers.BooleanField(allow_null=True)
    acknowledgement_note = serializers.CharField()
    acknowledged_at = serializers.DateTimeField(allow_null=True)


class CommentSerializer(serializers.Serializer):
    """A comment as the viewer may see it.

    Context: `moderator` (a facilitator: sees hidden text) and `see_voters` (objections show their
    author; false when votes are not public and the viewer is no facilitator)."""

    id = serializers.IntegerField()
    clause = serializers.CharField(source="clause.key")
    draft = serializers.CharField(source="clause.draft.version")
    author = serializers.SerializerMethodField()
    author_verified = serializers.BooleanField()
    kind = serializers.ChoiceField(choices=Comment.Kind.choices)
    body = serializers.SerializerMethodField()
    parent = serializers.IntegerField(source="parent_id", allow_null=True)
    quote = serializers.SerializerMethodField()
    proposed_text = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    edited = serializers.BooleanField()
    edited_at = serializers.DateTimeField(allow_null=True)
    hidden = serializers.BooleanField()
    hidden_reason = serializers.CharField()
    endorsements = serializers.IntegerField(source="endorsement_count")
    disposition = DispositionSerializer(allow_null=True)

    @extend_schema_field(serializers.CharField(allow_null=True))  # null: hidden from the viewer
    def get_author(self, comment):
        hidden = comment.kind == Comment.Kind.OBJECTION and not self.context.get("see_voters")
        viewer = getattr(self.context.get("request"), "user", None)
        if hidden and getattr(viewer, "pk", None) != comment.author_id:
            return None
        return comment.author.username

    def _text(self, comment, name: str) -> str:
        if comment.hidden and not self.context.get("moderator"):
            return ""
        return getattr(comment, name)

    def get_body(self, comment) -> str:
        return self._text(comment, "body")

    def get_quote(self, comment) -> str:
        return self._text(comment, "quote")

    def get_proposed_text(self, comment) -> str:
        return self._text(comment, "proposed_text")


class ThreadSerializer(CommentSerializer):
    replies = CommentSerializer(many=True, source="thread_replies")


class AppealInputSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=10000)


class AppealDecisionInputSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=[("upheld", "upheld"), ("denied", "denied")])
    reason = serializers.CharField(max_length=10000)


class AppealSerializer(serializers.Serializer):
    """A formal objection against a disposition, with the disposition it was against."""

    id = serializers.IntegerField()
    comment = serializers.IntegerField(source="comment_id")
    clause = serializers.CharField(source="comment.clause.key")
    draft = serializers.CharField(source="comment.clause.draft.version")
    author = serializers.CharField(source="author.username")
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    disposition_status = serializers.ChoiceField(choices=Disposition.Status.choices)
    disposition_response = serializers.CharField()
    status = serializers.ChoiceField(choices=Appeal.Status.choices)
    answer = serializers.CharField()
    answered_by = serializers.CharField(source="answered_by.username", allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    decision_reason = serializers.CharField()
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)


class AppealQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Appeal.Status.choices, required=False)
    page = serializers.IntegerField(min_value=1, required=False)
