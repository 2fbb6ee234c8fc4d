import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator

from carecoord.accounts import policy


@dataclass
class AuditFilters:
    actor: str = ""
    action: str = ""
    child_id: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def audit_events(user, filters: AuditFilters, page: int = 1):
    events = policy.audit_events_for(user)
    if filters.actor:
        events = events.filter(actor_username__icontains=filters.actor)
    if filters.action:
        events = events.filter(action=filters.action)
    if filters.child_id.isdigit():
        events = events.filter(child_id=int(filters.child_id))
    if filters.date_from:
        events = events.filter(at__date__gte=filters.date_from)
    if filters.date_to:
        events = events.filter(at__date__lte=filters.date_to)
    return Paginator(events.order_by("-at", "-pk"), 100).get_page(page)
