from django.contrib import admin

from .models import SchoolMeeting, SchoolSupport


class SchoolMeetingInline(admin.TabularInline):
    model = SchoolMeeting
    extra = 0
    fields = readonly_fields = ["kind", "meets_on", "status", "outcome", "recorded_by"]

    def has_add_permission(self, request, obj=None):
        return False  # meetings are recorded on the child's school page, with their rules


@admin.register(SchoolSupport)
class SchoolSupportAdmin(admin.ModelAdmin):
    list_display = ["child", "plan_kind", "school", "stage", "requested_on"]
    list_filter = ["plan_kind", "stage"]
    raw_id_fields = ["child", "need", "created_by"]
    inlines = [SchoolMeetingInline]
