"""Writes for technical assistance: one transaction each. Every write starts from the access
policy; a request's steps are refused out of order with the field that has to come first named
(steps.py); an edit from a page older than the record is refused (EditConflict), not merged."""

import datetime
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carecoord.accounts import policy
from carecoord.accounts.models import Center
from carecoord.families.services import EditConflict
from carecoord.validation import save_checked

from . import steps, uploads
from .models import (
    Attendee,
    Consultation,
    FollowUp,
    LibraryItem,
    RequestComment,
    TARequest,
    Training,
)


def _require_hub(user):
    if not policy.can_give_technical_assistance(user):
        raise PermissionDenied("Only the hub's technical assistance staff record this.")


# ---------------------------------------------------------------- requests


@transaction.atomic
def log_request(*, user, request: TARequest) -> TARequest:
    _require_hub(user)
    request.created_by = user
    request.status = TARequest.Status.OPEN
    request.started_on = request.resolved_on = None
    request.resolution = ""
    return save_checked(request)


def _open_for_step(user, request, expected_version, action) -> TARequest:
    _require_hub(user)
    current = TARequest.objects.select_for_update().get(pk=request.pk)
    if current.version != expected_version:
        raise EditConflict(current)
    try:
        steps.check(current.status, action)
    except steps.StepRefused as refused:
        raise ValidationError({refused.field: str(refused)}) from None
    current.version += 1
    return current


@transaction.atomic
def start_request(*, user, request: TARequest, expected_version: int,
                  started_on: datetime.date) -> TARequest:
    request = _open_for_step(user, request, expected_version, steps.START)
    request.started_on = started_on
    request.status = TARequest.Status.IN_PROGRESS
    return save_checked(request)


@transaction.atomic
def resolve_request(*, user, request: TARequest, expected_version: int,
                    resolved_on: datetime.date, resolution: str) -> TARequest:
    request = _open_for_step(user, request, expected_version, steps.RESOLVE)
    request.resolved_on, request.resolution = resolved_on, resolution.strip()
    request.status = TARequest.Status.RESOLVED
    return save_checked(request)


@transaction.atomic
def comment(*, user, request: TARequest, body: str) -> RequestComment:
    if not policy.can_comment_on_ta_request(user, request):
        raise PermissionDenied("You cannot comment on this request.")
    return save_checked(RequestComment(request=request, author=user, body=body.strip()))


# ---------------------------------------------------------------- edits of a shared record


@transaction.atomic
def update_record(*, user, record, changes: dict, expected_version: int,
                  many_to_many: dict | None = None):
    """Save the hub's edit of a request, consultation, training or library item, refused when
    the record moved on since the version the user loaded."""
    _require_hub(user)
    current = type(record).objects.select_for_update().get(pk=record.pk)
    if current.version != expected_version:
        raise EditConflict(current)
    for name, value in changes.items():
        setattr(current, name, value)
    current.version += 1
    save_checked(current)
    for name, values in (many_to_many or {}).items():
        getattr(current, name).set(values)
    return current


# ---------------------------------------------------------------- consultations and trainings


def parse_attendees(text: str, *, default_center: Center | None = None) -> list[Attendee]:
    """One attendee a line: "Name; role; center" (the center by its short name or name, which
    may be left out on a request's consultation). Unsaved rows, or a ValidationError naming
    the line."""
    centers = {}
    for center in Center.objects.all():
        centers[center.short_name.lower()] = centers[center.name.lower()] = center
    attendees = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(";")]
        name, role = parts[0], parts[1] if len(parts) > 1 else ""
        center = centers.get(parts[2].lower()) if len(parts) > 2 and parts[2] else (
            default_center)
        if not name or center is None or len(parts) > 3:
            raise ValidationError({"attendees": f"Line {number} (“{line.strip()}”): write "
                                                "“Name; role; center”, the center as in the "
                                                "list of centers."})
        attendees.append(Attendee(name=name[:120], role=role[:80], center=center))
    return attendees


def _save_attendees(parent, attendees, field):
    for attendee in attendees:
        setattr(attendee, field, parent)
        save_checked(attendee)


@transaction.atomic
def log_consultation(*, user, consultation: Consultation, centers, attendees_text: str = "",
                     request: TARequest | None = None) -> Consultation:
    """A call or meeting; on a request, its center takes part."""
    _require_hub(user)
    centers = set(centers)
    if request is not None:
        if request.status == TARequest.Status.RESOLVED:
            raise ValidationError({"request": "This request is resolved: log the consultation "
                                              "on its own or on a new request."})
        centers.add(request.center)
    if not centers:
        raise ValidationError({"centers": "Choose the centers taking part."})
    attendees = parse_attendees(attendees_text,
                                default_center=request.center if request else None)
    consultation.request = request
    consultation.created_by = user
    save_checked(consultation)
    consultation.centers.set(centers)
    _save_attendees(consultation, attendees, "consultation")
    return consultation


@transaction.atomic
def log_training(*, user, training: Training, centers, materials=(),
                 attendees_text: str = "") -> Training:
    _require_hub(user)
    centers = set(centers)
    if not centers:
        raise ValidationError({"centers": "Choose the centers whose staff attend."})
    attendees = parse_attendees(attendees_text)
    outside = {a.center for a in attendees} - centers
    if outside:
        raise ValidationError({"attendees": "Attendees come from the centers chosen; add "
                               + ", ".join(sorted(str(c) for c in outside)) + " to them."})
    training.created_by = user
    save_checked(training)
    training.centers.set(centers)
    training.materials.set(materials)
    _save_attendees(training, attendees, "training")
    return training


@transaction.atomic
def add_follow_up(*, user, parent, follow_up: FollowUp) -> FollowUp:
    _require_hub(user)
    if isinstance(parent, Consultation):
        follow_up.consultation, follow_up.training = parent, None
    else:
        follow_up.training, follow_up.consultation = parent, None
    follow_up.done, follow_up.done_on = False, None
    return save_checked(follow_up)


@transaction.atomic
def mark_follow_up_done(*, user, follow_up: FollowUp,
                        done_on: datetime.date | None = None) -> FollowUp:
    _require_hub(user)
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.done:
        raise ValidationError({"done": f"Already done on {follow_up.done_on:%b %-d, %Y}."})
    follow_up.done, follow_up.done_on = True, done_on or timezone.localdate()
    return save_checked(follow_up)


# ---------------------------------------------------------------- the library


@transaction.atomic
def add_library_item(*, user, item: LibraryItem, upload, services=()) -> LibraryItem:
    """Check the file by its content, store it under a new name in MEDIA_ROOT/ta-library and
    record it; the name the user gave it comes back on download."""
    _require_hub(user)
    kind = uploads.check(upload)
    if any(service.center_id is not None for service in services):
        raise ValidationError({"services": "Link statewide directory entries only."})
    item.kind, item.size = kind, upload.size
    item.original_name = (upload.name or f"file.{kind}").replace("/", "_")[-200:]
    item.uploaded_by = user
    item.file.save(f"{uuid.uuid4().hex}.{kind}", upload, save=False)
    try:
        save_checked(item)
    except ValidationError:
        item.file.delete(save=False)
        raise
    item.services.set(services)
    return item
