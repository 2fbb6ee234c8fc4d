from django.contrib import admin

from .models import Clinician, Practice, RaceCategory


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "npi", "town", "phone"]
    list_filter = ["kind"]
    search_fields = ["name", "npi"]


@admin.register(Clinician)
class ClinicianAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "credentials", "npi", "specialty", "practice",
                    "is_pcp"]
    list_filter = ["is_pcp", "specialty"]
    search_fields = ["last_name", "npi"]


@admin.register(RaceCategory)
class RaceCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "label_es", "order"]
