"""The JSON shapes of definitions, groups, memberships, drafts and clauses (PRODUCT.md §5.1)."""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import StrictSerializer
from core.errors import NotFound
from definition.models import Membership, version_validator
from definition.selectors import get_draft

VERSION_FIELD = {"max_length": 40, "validators": [version_validator]}


class VersionField(serializers.CharField):
    """A draft, named by its version, of the definition of the view in the context."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.max_length = 40  # documented; checked below, before the lookup

    def to_internal_value(self, data):
        version = super().to_internal_value(data)
        try:
            if len(version) > self.max_length:
                raise DjangoValidationError(f"At most {self.max_length} characters.")
            version_validator(version)
            return get_draft(definition=self.context["view"].definition, version=version,
                             viewer=self.context["request"].user)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None
        except NotFound as error:
            raise serializers.ValidationError(error.message) from None


# Definitions -----------------------------------------------------------------------------------


class SettingsSerializer(StrictSerializer):
    quorum = serializers.IntegerField(min_value=0, max_value=1000)
    min_groups = serializers.IntegerField(min_value=0, max_value=1000)
    votes_public = serializers.BooleanField()
    comments_members_only = serializers.BooleanField()
    sections_votable = serializers.BooleanField()
    language = serializers.CharField(max_length=35)
    thresholds = serializers.DictField(
        child=serializers.FloatField(min_value=0, max_value=1), source="effective_thresholds"
    )


class DefinitionSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    summary = serializers.CharField()
    current_draft = serializers.CharField(source="current_version", allow_null=True)
    settings = SettingsSerializer(source="*")
    created_at = serializers.DateTimeField()


class DefinitionDetailSerializer(DefinitionSerializer):
    facilitators = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_facilitators(self, definition) -> list[str]:
        return [user.username for user in definition.facilitators.all()]


class DefinitionCreateSerializer(StrictSerializer):
    slug = serializers.SlugField(max_length=80)
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class DefinitionUpdateSerializer(StrictSerializer):
    title = serializers.CharField(max_length=200)
    summary = serializers.CharField(max_length=5000, allow_blank=True)
    settings = SettingsSerializer()

    def validate(self, attrs):
        settings = attrs.pop("settings", {})
        if "effective_thresholds" in settings:
            settings["thresholds"] = settings.pop("effective_thresholds")
        return {**attrs, **settings}


class GroupSerializer(StrictSerializer):
    slug = serializers.SlugField(max_length=50)
    name = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class FacilitatorSerializer(StrictSerializer):
    username = serializers.CharField(max_length=150)


# Memberships -----------------------------------------------------------------------------------


class MembershipApplySerializer(StrictSerializer):
    group = serializers.SlugField(max_length=50)
    affiliation = serializers.CharField(max_length=200, required=False, allow_blank=True)
    conflict_of_interest = serializers.CharField(
        max_length=2000, required=False, allow_blank=True
    )


class MembershipSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user = serializers.CharField(source="user.username")
    group = serializers.CharField(source="group.slug")
    status = serializers.ChoiceField(choices=Membership.Status.choices)
    affiliation = serializers.CharField()
    conflict_of_interest = serializers.CharField()
    created_at = serializers.DateTimeField()
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_reason = serializers.CharField()


class MembershipQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Membership.Status.choices, required=False)


class DecisionSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class RevokeSerializer(StrictSerializer):
    reason = serializers.CharField(max_length=2000)


# Drafts and clauses ----------------------------------------------------------------------------


class ClauseSerializer(serializers.Serializer):
    key = serializers.SlugField()
    number = serializers.CharField()
    heading = serializers.CharField()
    body = serializers.CharField()
    kind = serializers.CharField()
    parent = serializers.SlugField(source="parent_key", allow_null=True)
    position = serializers.IntegerField()
    derived_from = serializers.ListField(child=serializers.SlugField())


class ClauseInputSerializer(StrictSerializer):
    key = serializers.SlugField(max_length=80)
    heading = serializers.CharField(max_length=300, required=False, allow_blank=True)
    body = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    kind = serializers.CharField(max_length=20, required=False)
    parent = serializers.SlugField(max_length=80, required=False, allow_null=True, allow_blank=True)
    position = serializers.IntegerField(min_value=0, max_value=100000, required=False)
    derived_from = serializers.ListField(
        child=serializers.SlugField(max_length=80), max_length=50, required=False
    )


class DraftSummarySerializer(serializers.Serializer):
    version = serializers.CharField()
    status = serializers.CharField()
    based_on = serializers.CharField(source="based_on.version", allow_null=True)
    closes_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    finalized_at = serializers.DateTimeField(allow_null=True)
    changelog = serializers.CharField()
    created_at = serializers.DateTimeField()


class DraftSerializer(DraftSummarySerializer):
    clauses = ClauseSerializer(many=True, source="numbered_clauses")


class KeyMatchSerializer(serializers.Serializer):
    new_key = serializers.SlugField()
    old_key = serializers.SlugField(allow_null=True)
    score = serializers.FloatField()
    how = serializers.ChoiceField(choices=["exact", "similar", "heading", "new"])


class ImportedDraftSerializer(DraftSerializer):
    matches = KeyMatchSerializer(many=True)


class DraftCreateSerializer(StrictSerializer):
    version = serializers.CharField(**VERSION_FIELD)
    based_on = VersionField(required=False, allow_null=True)
    changelog = serializers.CharField(max_length=50000, required=False, allow_blank=True)


class DraftImportSerializer(DraftCreateSerializer):
    markdown = serializers.CharField(max_length=settings.IMPORT_MAX_CHARS)


class DraftUpdateSerializer(StrictSerializer):
    version = serializers.CharField(**VERSION_FIELD)
    changelog = serializers.CharField(max_length=50000, allow_blank=True)


class PublishSerializer(StrictSerializer):
    closes_at = serializers.DateTimeField()
    changelog = serializers.CharField(max_length=50000, required=False, allow_blank=True)


# History, comparison, activity -----------------------------------------------------------------


class DiffOpSerializer(serializers.Serializer):
    op = serializers.ChoiceField(choices=["equal", "delete", "insert"])
    text = serializers.CharField()

    def to_representation(self, instance):
        op, text = instance
        return {"op": op, "text": text}


class ClauseVersionSerializer(serializers.Serializer):
    version = serializers.CharField(source="draft.version")
    status = serializers.CharField(source="draft.status")
    heading = serializers.CharField()
    body = serializers.CharField()
    previous_version = serializers.CharField(allow_null=True)
    changed = serializers.BooleanField()
    diff = DiffOpSerializer(many=True)


class ClauseHistorySerializer(serializers.Serializer):
    key = serializers.SlugField()
    versions = ClauseVersionSerializer(many=True)


class CompareQuerySerializer(serializers.Serializer):
    from_ = serializers.CharField(**VERSION_FIELD)
    to = serializers.CharField(**VERSION_FIELD)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class ClauseChangeSerializer(serializers.Serializer):
    key = serializers.CharField()
    status = serializers.ChoiceField(
        choices=["added", "removed", "changed", "unchanged", "renamed"]
    )
    old_key = serializers.CharField(allow_null=True)
    new_key = serializers.CharField(allow_null=True)
    heading_old = serializers.CharField()
    heading_new = serializers.CharField()
    old_text = serializers.CharField()
    new_text = serializers.CharField()
    diff = DiffOpSerializer(many=True)


class ComparisonSerializer(serializers.Serializer):
    from_ = serializers.CharField()
    to = serializers.CharField()
    changes = ClauseChangeSerializer(many=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    summary = serializers.CharField()
    reason = serializers.CharField()
    actor = serializers.CharField(source="actor.username", allow_null=True)
    draft = serializers.CharField(source="draft.version", allow_null=True)
    data = serializers.DictField()
    created_at = serializers.DateTimeField()
