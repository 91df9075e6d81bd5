from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + (
        ("Concord", {"fields": ("display_name", "notify_new_draft", "notify_replies",
                                "notify_dispositions", "notify_closing")}),
    )


# django-axes: admins unlock a sign-in by deleting its access attempt. Its logs of successful and of
# failed sign-ins are not written (AXES_DISABLE_ACCESS_LOG, no AXES_ENABLE_ACCESS_FAILURE_LOG), so
# their empty admin pages are not offered.
for _model in (AccessLog, AccessFailureLog):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
