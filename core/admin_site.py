"""The Django admin site, for site admins only (PRODUCT.md §1: facilitators use their desk)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


def is_site_admin(request) -> bool:
    user = request.user
    return bool(user.is_active and user.is_superuser)


class ConcordAdminSite(admin.AdminSite):
    """Only an active superuser gets past the login page, whatever `is_staff` says."""

    def has_permission(self, request):
        return is_site_admin(request)


class ConcordAdminConfig(AdminConfig):
    default_site = "core.admin_site.ConcordAdminSite"
