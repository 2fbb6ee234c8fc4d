"""Writing the audit log. Reads of a child's record call `record_view` from the view that
shows it; writes are recorded by signals; sign-ins by auth signals."""

from django.conf import settings

from .context import current_actor
from .models import Action, AuditEvent


def client_ip(request) -> str | None:
    header = settings.AUDIT_CLIENT_IP_HEADER
    if header and request.META.get(header):
        return request.META[header].split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


def record_event(*, action, object_type="", object_id="", child_id=None, center_id=None,
                 detail=None, user=None, username="", ip_address=None, path=""):
    actor = current_actor()
    if user is not None:
        actor_id, actor_username = user.pk, user.get_username()
    else:
        actor_id, actor_username = actor.user_id, username or actor.username
    return AuditEvent.objects.create(
        actor_id=actor_id,
        actor_username=actor_username,
        action=action,
        object_type=object_type,
        object_id="" if object_id is None else str(object_id),
        child_id=child_id,
        center_id=center_id,
        ip_address=ip_address or actor.ip_address,
        path=(path or actor.path)[:300],
        detail=detail or {},
    )


def record_view(instance, *, child_id=None):
    """A person looked at one record (a child's page, a referral)."""
    return record_event(
        action=Action.VIEW,
        object_type=instance._meta.label_lower,
        object_id=instance.pk,
        child_id=child_id if child_id is not None else instance.audit_child_id,
        center_id=instance.audit_center_id,
    )


def record_list(object_type: str, ids, *, center_id=None, child_id=None, **detail):
    """A person saw a page listing records: which ones, so a later question "who saw this
    child's name?" has an answer."""
    return record_event(
        action=Action.LIST, object_type=object_type, center_id=center_id, child_id=child_id,
        detail={"ids": list(ids), **detail},
    )


def record_export(object_type: str, *, count: int, center_id=None, child_id=None, **detail):
    return record_event(action=Action.EXPORT, object_type=object_type, center_id=center_id,
                        child_id=child_id, detail={"count": count, **detail})
