from django.contrib import admin

from definition.admin_scoping import DomainModelAdmin
from deliberation.models import Appeal, Comment, Disposition, Endorsement, Flag, Vote


@admin.register(Vote)
class VoteAdmin(DomainModelAdmin):
    """Read-only: votes are cast by members; history shows every change."""

    definition_path = "clause__draft__definition"
    list_display = ("voter", "clause", "group", "position", "updated_at")
    list_filter = ("clause__draft__definition", "position", "group")
    readonly_fields = [f.name for f in Vote._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(DomainModelAdmin):
    definition_path = "clause__draft__definition"
    list_display = ("id", "author", "kind", "clause", "hidden", "created_at")
    list_filter = ("clause__draft__definition", "kind", "hidden")
    search_fields = ("body", "author__username")
    raw_id_fields = ("clause", "author", "parent", "vote", "hidden_by")


@admin.register(Disposition)
class DispositionAdmin(DomainModelAdmin):
    definition_path = "comment__clause__draft__definition"
    list_display = ("comment", "status", "decided_by", "decided_at", "acknowledged_satisfied")
    list_filter = ("status",)
    raw_id_fields = ("comment", "addressed_in", "duplicate_of", "decided_by")


@admin.register(Flag)
class FlagAdmin(DomainModelAdmin):
    definition_path = "comment__clause__draft__definition"
    list_display = ("comment", "user", "reason", "resolved", "created_at")
    raw_id_fields = ("comment", "user")


@admin.register(Endorsement)
class EndorsementAdmin(DomainModelAdmin):
    definition_path = "comment__clause__draft__definition"
    list_display = ("comment", "user", "created_at")
    raw_id_fields = ("comment", "user")


@admin.register(Appeal)
class AppealAdmin(DomainModelAdmin):
    """Read-only: appeals are filed by authors and decided on the desk, so each step is logged."""

    definition_path = "comment__clause__draft__definition"
    list_display = ("id", "comment", "author", "status", "created_at", "decided_by")
    list_filter = ("status",)
    readonly_fields = [f.name for f in Appeal._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
