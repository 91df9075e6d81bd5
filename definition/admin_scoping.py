"""Lets facilitators use the Django admin for the definitions they facilitate, and nothing else."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin


class FacilitatorScopedAdmin(SimpleHistoryAdmin):
    """Admin whose rows a facilitator sees only for their definitions.

    `definition_path` is the ORM path from the model to its Definition ("" for Definition itself).
    """

    definition_path = "definition"
    facilitator_can_delete = False

    def _facilitates(self, request, obj=None) -> bool:
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        if obj is None:
            return user.facilitated_definitions.exists()
        return self.get_queryset(request).filter(pk=obj.pk).exists()

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        prefix = f"{self.definition_path}__" if self.definition_path else ""
        return queryset.filter(**{f"{prefix}facilitators": request.user}).distinct()

    def has_module_permission(self, request):
        return request.user.is_superuser or self._facilitates(request)

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser or self._facilitates(request, obj)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser or self._facilitates(request, obj)

    def has_add_permission(self, request):
        return request.user.is_superuser or self._facilitates(request)

    def has_delete_permission(self, request, obj=None):
        if request.user.is_superuser:
            return True
        return self.facilitator_can_delete and self._facilitates(request, obj)

    def history_view(self, request, object_id, extra_context=None):
        if hasattr(self.model._meta, "simple_history_manager_attribute"):
            return super().history_view(request, object_id, extra_context)
        # Models without simple-history (the decision log itself, endorsements) get Django's page.
        response = admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        response.template_name = "admin/object_history.html"
        return response
