"""The Django admin is for site admins only (PRODUCT.md §1).

Facilitators work at their desk (/d/{d}/facilitate/) and through the API; they are not staff, and
the admin site opens for superusers only, whatever `is_staff` says. In the admin nothing moves from
one definition to another: the field that ties a row to its definition is read-only once the row
exists.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_site import is_site_admin


class DomainModelAdmin(SimpleHistoryAdmin):
    """Admin of a domain model: superusers only, and its definition fixed once it exists.

    `definition_path` is the ORM path from the model to its Definition ("" for Definition itself);
    its first step (e.g. `definition`, `draft`, `clause`) is read-only on the change form.
    """

    definition_path = "definition"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        owner = self.definition_path.split("__")[0]
        if obj is not None and owner and owner not in fields:
            fields.append(owner)
        return fields

    def has_module_permission(self, request):
        return is_site_admin(request)

    def has_view_permission(self, request, obj=None):
        return is_site_admin(request)

    def has_change_permission(self, request, obj=None):
        return is_site_admin(request)

    def has_add_permission(self, request):
        return is_site_admin(request)

    def has_delete_permission(self, request, obj=None):
        return is_site_admin(request)

    def history_view(self, request, object_id, extra_context=None):
        if hasattr(self.model._meta, "simple_history_manager_attribute"):
            return super().history_view(request, object_id, extra_context)
        # Models without simple-history (the decision log itself, endorsements) get Django's page.
        response = admin.ModelAdmin.history_view(self, request, object_id, extra_context)
        response.template_name = "admin/object_history.html"
        return response
