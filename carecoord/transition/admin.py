from django.contrib import admin

from .models import ElementCompletion, TransitionRecord


class ElementCompletionInline(admin.TabularInline):
    model = ElementCompletion
    extra = 0
    fields = readonly_fields = ["element", "done_on", "note", "recorded_by", "recorded_at"]

    def has_add_permission(self, request, obj=None):
        return False  # recorded on the youth's transition page, with its rules


@admin.register(TransitionRecord)
class TransitionRecordAdmin(admin.ModelAdmin):
    list_display = ["child", "adult_clinician", "planned_transfer_on"]
    raw_id_fields = ["child", "adult_practice"]
    inlines = [ElementCompletionInline]
