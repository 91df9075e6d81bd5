from django.contrib import admin

from .admin_scoping import FacilitatorScopedAdmin
from .models import Clause, Definition, Draft, Event, Membership, StakeholderGroup


class GroupInline(admin.TabularInline):
    model = StakeholderGroup
    extra = 0


@admin.register(Definition)
class DefinitionAdmin(FacilitatorScopedAdmin):
    definition_path = ""
    list_display = ("slug", "title", "quorum", "min_groups", "votes_public")
    search_fields = ("slug", "title")
    filter_horizontal = ("facilitators",)
    inlines = [GroupInline]

    def has_add_permission(self, request):
        return request.user.is_superuser


@admin.register(StakeholderGroup)
class StakeholderGroupAdmin(FacilitatorScopedAdmin):
    list_display = ("slug", "name", "definition")
    list_filter = ("definition",)


@admin.register(Membership)
class MembershipAdmin(FacilitatorScopedAdmin):
    list_display = ("user", "definition", "group", "status", "affiliation", "decided_at")
    list_filter = ("definition", "status", "group")
    search_fields = ("user__username", "affiliation")
    raw_id_fields = ("user", "decided_by")


class ClauseInline(admin.StackedInline):
    model = Clause
    extra = 0
    fields = ("key", "heading", "body", "parent", "position", "derived_from")
    raw_id_fields = ("parent",)


@admin.register(Draft)
class DraftAdmin(FacilitatorScopedAdmin):
    list_display = ("definition", "version", "status", "based_on", "published_at", "closes_at")
    list_filter = ("definition", "status")
    raw_id_fields = ("based_on", "created_by")
    inlines = [ClauseInline]


@admin.register(Clause)
class ClauseAdmin(FacilitatorScopedAdmin):
    definition_path = "draft__definition"
    list_display = ("key", "draft", "heading", "position")
    list_filter = ("draft__definition", "draft")
    search_fields = ("key", "heading", "body")
    raw_id_fields = ("draft", "parent")


@admin.register(Event)
class EventAdmin(FacilitatorScopedAdmin):
    list_display = ("created_at", "definition", "kind", "actor", "summary")
    list_filter = ("definition", "kind")
    readonly_fields = [f.name for f in Event._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
