"""Writes a user makes to a directory entry, one transaction each: an edit of the service's own
facts, and "verified today". Who may is the access policy's decision; an edit from a page older
than the entry (someone else saved meanwhile, or an import changed it) is refused, not merged.
Bulk changes (phones, schedules, locations) come in through an HSDS import (hsds.py)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from carecoord.accounts import policy
from carecoord.families.services import EditConflict

from . import derived
from .models import Service

# The fields of a service a page edits: its own facts, not what hangs under it.
EDITABLE = ("name", "alternate_name", "status", "description", "alert", "url", "email",
            "eligibility_description", "minimum_age", "maximum_age", "fees_description",
            "application_process", "interpretation_services", "wait_time")


def _hsds_now() -> str:
    """HSDS `last_modified`: a date-time in UTC."""
    return timezone.now().astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _open_for_change(user, service: Service, expected_version: int) -> Service:
    current = Service.objects.select_for_update(of=("self",)).select_related("center").get(
        pk=service.pk)
    if not policy.can_edit_directory_service(user, current):
        raise PermissionDenied("You cannot change this directory entry.")
    if current.version != expected_version:
        raise EditConflict(current)
    current.version += 1
    current.last_modified = _hsds_now()
    return current


@transaction.atomic
def update_service(*, user, service: Service, changes: dict, expected_version: int) -> Service:
    """Save an edit of a service's own facts. Text left empty becomes absent (HSDS has no
    empty values); the name is required."""
    current = _open_for_change(user, service, expected_version)
    for name, value in changes.items():
        if name not in EDITABLE:
            raise ValueError(f"{name} is not edited on a page.")
        if isinstance(value, str):
            value = value.strip() or (None if name != "name" else "")
        setattr(current, name, value)
    current.full_clean()
    current.search_text = derived.search_text_for(current)
    current.save()
    return current


@transaction.atomic
def mark_verified(*, user, service: Service, expected_version: int,
                  on: datetime.date | None = None) -> Service:
    """Someone checked the entry with the provider: HSDS `assured_date` becomes today."""
    current = _open_for_change(user, service, expected_version)
    current.assured_date = on or timezone.localdate()
    current.verified_by = user
    current.full_clean()
    current.save()
    return current
