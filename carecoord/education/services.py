import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carecoord.accounts import policy
from carecoord.careplans.versions import add_months
from carecoord.families.models import Consent
from carecoord.validation import save_checked

from .models import SchoolMeeting, SchoolSupport

# Meetings after which the plan is next reviewed within a year (IDEA: at least annually).
PLAN_MEETINGS = (SchoolMeeting.Kind.IEP_PPT, SchoolMeeting.Kind.ANNUAL_REVIEW,
                 SchoolMeeting.Kind.SECTION_504)
EDUCATION_SCOPES = (Consent.Scope.EDUCATION, Consent.Scope.FULL_RECORD)


def _require_editor(user, child):
    if not policy.can_edit_child(user, child):
        raise PermissionDenied("You cannot change this child's school support.")


def _not_future(day: datetime.date, field: str):
    if day > timezone.localdate():
        raise ValidationError({field: "The date is in the future."})



@transaction.atomic
def open_support(*, user, child, support: SchoolSupport) -> SchoolSupport:
    _require_editor(user, child)
    _not_future(support.requested_on, "requested_on")
    if support.need_id and support.need.plan.child_id != child.pk:
        raise ValidationError({"need": "Choose a need of this child's care plan."})
    support.child, support.created_by = child, user
    support.stage = SchoolSupport.Stage.REQUESTED
    return save_checked(support)


@transaction.atomic
def schedule_meeting(*, user, support: SchoolSupport, meeting: SchoolMeeting) -> SchoolMeeting:
    _require_editor(user, support.child)
    if support.stage == SchoolSupport.Stage.CLOSED:
        raise ValidationError("This school support is closed.")
    if meeting.meets_on < support.requested_on:
        raise ValidationError({"meets_on": "The meeting is before the evaluation was "
                                           "requested."})
    meeting.support, meeting.recorded_by = support, user
    meeting.status = SchoolMeeting.Status.SCHEDULED
    return save_checked(meeting)


@transaction.atomic
def record_meeting(*, user, meeting: SchoolMeeting, changes: dict) -> SchoolMeeting:
    """What happened at (or to) a meeting. A held meeting that writes or reviews the plan
    sets the next annual review a year later."""
    meeting = SchoolMeeting.objects.select_for_update().select_related("support__child").get(
        pk=meeting.pk)
    _require_editor(user, meeting.support.child)
    for name, value in changes.items():
        setattr(meeting, name, value)
    if meeting.status == SchoolMeeting.Status.HELD:
        _not_future(meeting.meets_on, "meets_on")
    meeting.recorded_by = user
    save_checked(meeting)
    support = meeting.support
    if meeting.status == SchoolMeeting.Status.HELD and meeting.kind in PLAN_MEETINGS:
        support.annual_review_due_on = add_months(meeting.meets_on, 12)
        support.version += 1
        save_checked(support)
    return meeting


@transaction.atomic
def refer_to_advocacy(*, user, support: SchoolSupport, organization: str, reason: str,
                      on: datetime.date) -> SchoolSupport:
    """Refer the family to legal help for educational advocacy. The school records go with
    the referral, so the family must have consented to share education information with that
    organization."""
    support = SchoolSupport.objects.select_for_update().select_related("child").get(
        pk=support.pk)
    _require_editor(user, support.child)
    _not_future(on, "advocacy_referred_on")
    organization = organization.strip()
    consented = support.child.consents.filter(
        Consent.current_q(on=on), scope__in=EDUCATION_SCOPES,
        shared_with_other__iexact=organization).exists()
    if not consented:
        raise ValidationError({"advocacy_organization": (
            f"Record the family's consent to share education information with "
            f"{organization} first.")})
    support.advocacy_organization, support.advocacy_reason = organization, reason.strip()
    support.advocacy_referred_on = on
    support.version += 1
    return save_checked(support)
