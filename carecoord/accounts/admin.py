"""The admin is for reference data and staff accounts. Children's records are not here: they
are read and written only through the pages, where access policy and audit apply."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import Center, Language, Region, Town, User


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]


@admin.register(Town)
class TownAdmin(admin.ModelAdmin):
    list_display = ["name", "county", "planning_region", "region", "region_basis"]
    list_filter = ["region", "region_basis", "county"]
    search_fields = ["name"]
    list_editable = ["region"]


@admin.register(Center)
class CenterAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "region", "is_hub"]


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_es", "native_name"]
    search_fields = ["name", "code"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "discipline", "center",
                    "is_active"]
    list_filter = ["role", "discipline", "center", "is_active"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        ("CareCoord", {"fields": ["role", "discipline", "center", "practice", "languages", "fte",
                                  "caseload_capacity"]}),
    )
    filter_horizontal = ["languages", "groups", "user_permissions"]
