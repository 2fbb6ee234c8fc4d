from django.contrib import admin

from .models import Assessment, NeedDomain


@admin.register(NeedDomain)
class NeedDomainAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "label_es", "usual_reach", "sdoh_category", "order"]
    list_editable = ["order"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    """Read only: an administration is corrected by a new one, never edited."""

    list_display = ["instrument_id", "child_id", "context", "administered_on", "administered_by"]
    list_filter = ["instrument_id", "context"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
