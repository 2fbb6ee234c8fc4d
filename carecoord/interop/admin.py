from django.contrib import admin

from .models import AccessToken, BackendClient


class AccessTokenInline(admin.TabularInline):
    """The tokens issued lately, for answering "is their EMR connecting?". Never the token."""

    model = AccessToken
    fields = ["issued_at", "expires_at", "scopes"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-issued_at"]


@admin.register(BackendClient)
class BackendClientAdmin(admin.ModelAdmin):
    """Registering a practice's EMR: name it, choose its practice, paste the public JWK set its
    team sends, keep the scopes to what it needs, then give the team the client id and the
    token URL (/fhir/auth/token). Untick "active" to cut it off at once."""

    list_display = ["name", "practice", "client_id", "scopes", "active", "updated_at"]
    list_filter = ["active"]
    search_fields = ["name", "client_id", "practice__name"]
    inlines = [AccessTokenInline]

    def get_readonly_fields(self, request, obj=None):
        # The client's EMR signs with this id: changing it would cut the client off silently.
        return ["client_id", "created_at", "updated_at"] if obj else ["created_at",
                                                                     "updated_at"]
