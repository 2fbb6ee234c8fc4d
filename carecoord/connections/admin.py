from django.contrib import admin

from .models import OrganizationConnection


@admin.register(OrganizationConnection)
class OrganizationConnectionAdmin(admin.ModelAdmin):
    """Read only: connections move on the child's organizations page, where the step order is
    enforced."""

    list_display = ["organization_name", "child_id", "level", "status", "suggested_on",
                    "outcome_on"]
    list_filter = ["level", "status", "organization"]
    search_fields = ["organization_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
