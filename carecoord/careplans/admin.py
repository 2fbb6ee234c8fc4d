from django.contrib import admin

from .models import NeedDomain


@admin.register(NeedDomain)
class NeedDomainAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "label_es", "usual_reach", "sdoh_category", "order"]
    list_editable = ["order"]
