from django.contrib import admin

from .models import FaxQueueEntry, PlanShare, ProviderComment, Recipient


@admin.register(Recipient)
class RecipientAdmin(admin.ModelAdmin):
    """Where each practice (or organization) takes care plans: kept by administrators. A
    recipient is never deleted once something was sent to it: untick *active* instead."""

    list_display = ["__str__", "preferred_route", "fhir_endpoint", "secure_email", "fax_number",
                    "active"]
    list_filter = ["preferred_route", "active"]
    search_fields = ["practice__name", "organization", "secure_email"]
    raw_id_fields = ["practice"]

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.shares.exists()


class _ReadOnly(admin.ModelAdmin):
    """The record of what was sent and answered is written by the pages, never edited."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PlanShare)
class PlanShareAdmin(_ReadOnly):
    list_display = ["sent_at", "child_id", "recipient_name", "route", "status", "answer"]
    list_filter = ["route", "status"]


@admin.register(FaxQueueEntry)
class FaxQueueEntryAdmin(_ReadOnly):
    list_display = ["queued_at", "child_id", "fax_number", "status", "handled_at"]
    list_filter = ["status"]
    exclude = ["document"]


@admin.register(ProviderComment)
class ProviderCommentAdmin(_ReadOnly):
    list_display = ["created_at", "child_id", "practice", "kind"]
    list_filter = ["kind"]
