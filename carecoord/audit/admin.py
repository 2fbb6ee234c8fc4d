from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read and filter only: nobody edits or deletes the log."""

    list_display = ["at", "actor_username", "action", "object_type", "object_id", "child_id",
                    "ip_address", "path"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_username", "object_id", "path"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
