"""Writes for connections to diagnosis-specific organizations: one transaction per user action,
the step order (steps.py) enforced here, and a change from a page older than the connection
refused (no lost updates)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carecoord.accounts import policy
from carecoord.families.services import EditConflict
from carecoord.validation import save_checked

from . import catalog, steps
from .models import OrganizationConnection

NEED_DOMAIN = "diagnosis_organization"



@transaction.atomic
def add_connection(*, user, child, connection: OrganizationConnection) -> OrganizationConnection:
    """Put an organization on the child's list as a suggestion: from the catalog (its name,
    domain and level are copied, so what was shared stays as it was) or named by the user."""
    if not policy.can_edit_child(user, child):
        raise PermissionDenied("You cannot record organizations for this child.")
    if connection.diagnosis_id and connection.diagnosis.child_id != child.pk:
        raise ValidationError({"diagnosis": "Choose a diagnosis of this child."})
    need = connection.need
    if need is not None and (need.plan.child_id != child.pk or need.domain.code != NEED_DOMAIN):
        raise ValidationError({"need": "Choose a need of this child's care plan in the "
                                       "diagnosis-specific organizations domain."})
    entry = catalog.get(connection.organization) if connection.organization else None
    if entry is not None:
        existing = OrganizationConnection.objects.filter(
            child=child, organization=entry.code).first()
        if existing is not None:
            raise ValidationError({"organization": f"{entry.name} is already on this child's "
                                   f"list ({existing.get_status_display().lower()})."})
        connection.organization_name = entry.name
        connection.website = entry.website
        connection.level = entry.level
    else:
        if not connection.level:
            raise ValidationError({"level": "Say whether the organization is community, state "
                                            "or national."})
        named = connection.organization_name.strip()
        if named and OrganizationConnection.objects.filter(
                child=child, organization_name__iexact=named).exists():
            raise ValidationError({"organization_name": f"{named} is already on this child's "
                                                        "list."})
    connection.organization_name = connection.organization_name.strip()
    connection.child = child
    connection.created_by = user
    connection.status = OrganizationConnection.Status.SUGGESTED
    connection.suggested_on = connection.suggested_on or timezone.localdate()
    return save_checked(connection)


@transaction.atomic
def advance(*, user, connection: OrganizationConnection, expected_version: int, status: str,
            on: datetime.date, connected_how: str = "",
            outcome_note: str = "") -> OrganizationConnection:
    """Move the connection to its next step, on a date, refused when a step is skipped (the
    field of the missing step is named) or the page was older than the connection."""
    current = (OrganizationConnection.objects.select_for_update().select_related("child")
               .get(pk=connection.pk))
    if not policy.can_edit_child(user, current.child):
        raise PermissionDenied("You cannot change this child's organizations.")
    if current.version != expected_version:
        raise EditConflict(current)
    try:
        steps.check(current.status, status)
    except steps.StepRefused as refused:
        raise ValidationError({refused.field: str(refused)}) from None
    setattr(current, steps.DATE_FIELD[status], on)
    current.status = status
    current.connected_how = connected_how if status == steps.CONNECTED else ""
    current.outcome_note = outcome_note.strip()
    current.version += 1
    return save_checked(current)
