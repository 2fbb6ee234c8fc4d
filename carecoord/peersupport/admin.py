from django.contrib import admin

from .models import PeerMatch, SupportParent


@admin.register(SupportParent)
class SupportParentAdmin(admin.ModelAdmin):
    list_display = ["guardian", "center", "diagnosis_codes", "max_matches", "active"]
    list_filter = ["center", "active"]
    raw_id_fields = ["guardian", "registered_by"]


@admin.register(PeerMatch)
class PeerMatchAdmin(admin.ModelAdmin):
    list_display = ["child", "supporter", "status", "proposed_on", "introduced_on"]
    list_filter = ["status"]
    raw_id_fields = ["child", "supporter", "proposed_by"]
