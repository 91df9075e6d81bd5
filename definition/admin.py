"""The Django admin, for site admins. Membership decisions and facilitators change here only
through the services, so they reach the decision log like every other path."""

from django import forms
from django.contrib import admin

from definition import memberships, services
from definition.admin_scoping import DomainModelAdmin
from definition.models import Clause, Definition, Draft, Event, Membership, StakeholderGroup

# (from, to) -> the service that makes that decision.
MEMBERSHIP_DECISIONS = {
    (Membership.Status.PENDING, Membership.Status.VERIFIED): memberships.verify_membership,
    (Membership.Status.PENDING, Membership.Status.REJECTED): memberships.reject_membership,
    (Membership.Status.VERIFIED, Membership.Status.REVOKED): memberships.revoke_membership,
}


class GroupInline(admin.TabularInline):
    model = StakeholderGroup
    extra = 0


@admin.register(Definition)
class DefinitionAdmin(DomainModelAdmin):
    definition_path = ""
    list_display = ("slug", "title", "quorum", "min_groups", "votes_public")
    search_fields = ("slug", "title")
    filter_horizontal = ("facilitators",)
    inlines = [GroupInline]

    def save_related(self, request, form, formsets, change):
        """Name and remove facilitators through the services (logged), not by saving the field."""
        wanted = form.cleaned_data.pop("facilitators", None)
        super().save_related(request, form, formsets, change)
        if wanted is None:
            return
        definition = form.instance
        current = set(definition.facilitators.all())
        for user in sorted(set(wanted) - current, key=lambda u: u.username):
            services.add_facilitator(actor=request.user, definition=definition,
                                     username=user.username)
        for user in sorted(current - set(wanted), key=lambda u: u.username):
            services.remove_facilitator(actor=request.user, definition=definition,
                                        username=user.username)


@admin.register(StakeholderGroup)
class StakeholderGroupAdmin(DomainModelAdmin):
    list_display = ("slug", "name", "definition")
    list_filter = ("definition",)


class MembershipDecisionForm(forms.ModelForm):
    """A decision on a membership: its new status and the reason, checked as the services do."""

    reason = forms.CharField(widget=forms.Textarea, required=False, max_length=2000,
                             help_text="Public, in the decision log; required to revoke.")

    class Meta:
        model = Membership
        fields = ("status",)

    def clean(self):
        cleaned = super().clean()
        before = Membership.objects.get(pk=self.instance.pk).status
        after = cleaned.get("status", before)
        if after != before and (before, after) not in MEMBERSHIP_DECISIONS:
            self.add_error("status", f"A {before} membership cannot become {after}.")
        if after == Membership.Status.REVOKED != before and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Give the reason for revoking this membership.")
        self.instance.status = before  # the service writes the new status, not form.save()
        cleaned["decision"] = MEMBERSHIP_DECISIONS.get((before, after))
        return cleaned


@admin.register(Membership)
class MembershipAdmin(DomainModelAdmin):
    """Memberships are applied for by people and decided by facilitators or admins; here an admin
    may only decide (verify, reject, revoke) through the services. No adding, no deleting."""

    form = MembershipDecisionForm
    list_display = ("user", "definition", "group", "status", "affiliation", "decided_at")
    list_filter = ("definition", "status", "group")
    search_fields = ("user__username", "affiliation")
    readonly_fields = ("user", "definition", "group", "affiliation", "conflict_of_interest",
                       "decided_by", "decided_at", "decision_reason", "created_at")
    fields = ("status", "reason") + readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        decision = form.cleaned_data.get("decision")
        if decision is not None:
            decision(actor=request.user, membership=Membership.objects.get(pk=obj.pk),
                     reason=form.cleaned_data.get("reason", ""))


class ClauseInline(admin.StackedInline):
    model = Clause
    extra = 0
    fields = ("key", "heading", "body", "parent", "position", "derived_from")
    raw_id_fields = ("parent",)


@admin.register(Draft)
class DraftAdmin(DomainModelAdmin):
    list_display = ("definition", "version", "status", "based_on", "published_at", "closes_at")
    list_filter = ("definition", "status")
    raw_id_fields = ("based_on", "created_by")
    inlines = [ClauseInline]


@admin.register(Clause)
class ClauseAdmin(DomainModelAdmin):
    definition_path = "draft__definition"
    list_display = ("key", "draft", "heading", "position")
    list_filter = ("draft__definition", "draft")
    search_fields = ("key", "heading", "body")
    raw_id_fields = ("draft", "parent")


@admin.register(Event)
class EventAdmin(DomainModelAdmin):
    list_display = ("created_at", "definition", "kind", "actor", "summary")
    list_filter = ("definition", "kind")
    readonly_fields = [f.name for f in Event._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
