from django.core.paginator import Paginator

from .models import Contact
from .rules import UNANSWERED_IN_A_ROW, Attempt, suggest_another_channel


def contacts_of(child, page: int = 1, per_page: int = 25):
    contacts = (Contact.objects.filter(child=child)
                .select_related("staff", "guardian", "interpreter_language")
                .prefetch_related("actions", "goals"))
    return Paginator(contacts, per_page).get_page(page)


def channel_suggestion(child, guardians):
    """Whether to try another channel, from the latest attempts and the family's preferences
    (the primary contact's, else the first guardian's)."""
    latest = Contact.objects.filter(child=child).order_by("-occurred_at", "-pk").values_list(
        "channel", "reached")[:UNANSWERED_IN_A_ROW]
    primary = next((g for g in guardians if g.is_primary_contact), guardians[0] if guardians
                   else None)
    preferred = list(primary.preferred_channels) if primary else []
    return suggest_another_channel([Attempt(c, r) for c, r in latest], preferred)
