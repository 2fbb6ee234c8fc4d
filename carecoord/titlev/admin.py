from django.contrib import admin

from .models import ReportingSettings


@admin.register(ReportingSettings)
class ReportingSettingsAdmin(admin.ModelAdmin):
    """Superusers only: whether a center's children are named to the state is not a permission
    to hand out through groups."""

    list_display = ["center", "identified", "identified_basis", "updated_at"]
    readonly_fields = ["updated_at"]

    @staticmethod
    def _superuser(request) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self._superuser(request)

    def has_view_permission(self, request, obj=None):
        return self._superuser(request)

    def has_add_permission(self, request):
        return self._superuser(request)

    def has_change_permission(self, request, obj=None):
        return self._superuser(request)

    def has_delete_permission(self, request, obj=None):
        return self._superuser(request)
