from django.contrib import admin

from .models import CoverageApplication, DocumentRequest


class DocumentRequestInline(admin.TabularInline):
    model = DocumentRequest
    extra = 0
    can_delete = False
    readonly_fields = ["requested_on", "documents", "due_on", "sent_on"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CoverageApplication)
class CoverageApplicationAdmin(admin.ModelAdmin):
    """Read only: steps are recorded on the child's pages, where their order is enforced."""

    list_display = ["program", "child_id", "step", "eligibility_checked_on", "decision",
                    "renewal_due_on"]
    list_filter = ["program", "step", "decision"]
    inlines = [DocumentRequestInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
