"""Writes for service referrals: one transaction per step a user records. A step is refused
when the referral is not at a status it may follow (steps.py), naming the field that has to come
first, and when the user's page is older than the referral (someone recorded a step meanwhile):
no lost updates. Every step closes the referral's open follow-up tasks.

The care plan need follows the loop: a referral sent puts an open need in progress; the service
received meets it, with its outcome. A failed referral leaves the need open for the next try
(another service) or for the unmet-needs register, which closes it as unmet."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carecoord.accounts import policy
from carecoord.careplans import services as careplans
from carecoord.careplans.models import CarePlan, Need
from carecoord.contacts.services import answer_reminders
from carecoord.directory.models import Service
from carecoord.families.models import Consent
from carecoord.families.services import EditConflict
from carecoord.validation import save_checked

from . import consent as consents
from . import reminders, steps
from .models import ServiceReferral, StatusChange

CLOSED_NEED = (Need.Status.MET, Need.Status.UNMET, Need.Status.WITHDRAWN)
NAME_LENGTH = 300



def _not_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: "This date is in the future."})


def check_need(child, need: Need) -> None:
    """The need is the child's and still open: a closed need takes no referral."""
    if need.plan.child_id != child.pk:
        raise ValidationError({"need": "Choose a need of this child's care plan."})
    if need.status in CLOSED_NEED:
        status = need.get_status_display().lower()
        raise ValidationError({"need": f"This need is closed ({status}): reopen it on the care "
                                       "plan to refer again."})


def update_need(user, need: Need, **changes) -> Need:
    """Record progress on the need through the care plan's own write (so the plan's version
    moves on and a plan page opened before is told)."""
    plan = CarePlan.objects.select_for_update().get(pk=need.plan_id)
    return careplans.update_item(user=user, plan=plan, expected_version=plan.version, item=need,
                                 **changes)


@transaction.atomic
def send_referral(*, user, child, need: Need, service: Service, sent_how: str,
                  sent_on: datetime.date, consent: Consent | None = None,
                  service_contact: str = "", notes: str = "") -> ServiceReferral:
    """Refer the family to a service for a need of their care plan, after checking the consent
    that covers what the center shares with the service (consent.py)."""
    if not policy.can_edit_child(user, child):
        raise PermissionDenied("You cannot refer this child to a service.")
    need = Need.objects.select_for_update().select_related("plan", "domain").get(pk=need.pk)
    check_need(child, need)
    if not policy.directory_services_for(user).filter(pk=service.pk).exists():
        raise ValidationError({"service": "Choose a service of the directory."})
    service = Service.objects.select_related("organization").get(pk=service.pk)
    if service.status != Service.Status.ACTIVE:
        status = service.get_status_display().lower()
        raise ValidationError({"service": f"{service.name} is {status} in the directory: "
                                          "choose another service."})
    _not_future(sent_on, "sent_on")
    already = (ServiceReferral.objects.filter(need=need, service=service,
                                              status__in=steps.OPEN).first())
    if already is not None:
        raise ValidationError({"service": f"A referral to {service.name} for this need is "
                                          f"still open ({already.get_status_display().lower()})"
                                          ": continue that one."})
    family = sent_how == ServiceReferral.SentHow.FAMILY
    covering, checked = consents.check(
        child=child, domain_code=need.domain.code, organization=service.organization.name,
        service=service.name, family_contacts=family, on=sent_on, consent=consent)
    referral = save_checked(ServiceReferral(
        child=child, need=need, service=service, service_name=service.name[:NAME_LENGTH],
        organization_name=service.organization.name[:NAME_LENGTH], sent_how=sent_how,
        sent_on=sent_on, sent_by=user, consent=covering, consent_checked=checked,
        consent_basis=(ServiceReferral.ConsentBasis.NOT_SHARED if family
                              else ServiceReferral.ConsentBasis.CONSENT),
        status=ServiceReferral.Status.SENT, service_contact=service_contact.strip(),
        notes=notes.strip()))
    _history(referral, steps.SENT, sent_on, user)
    if need.status == Need.Status.OPEN:
        update_need(user, need, status=Need.Status.IN_PROGRESS)
    return referral


def _history(referral, status, on, user, note=""):
    return save_checked(StatusChange(referral=referral, status=status, on=on, recorded_by=user,
                                     note=note.strip()[:300]))


def _open_for_step(user, referral: ServiceReferral, expected_version: int,
                   to: str) -> ServiceReferral:
    """Lock the referral, check the user may change it, was looking at its latest version and
    that it may move to `to`; move it on by one version."""
    current = (ServiceReferral.objects.select_for_update().select_related("child", "need")
               .get(pk=referral.pk))
    if not policy.can_edit_child(user, current.child):
        raise PermissionDenied("You cannot record this referral's steps.")
    if current.version != expected_version:
        raise EditConflict(current)
    try:
        steps.check(current.status, to)
    except steps.StepRefused as refused:
        raise ValidationError({refused.field: str(refused)}) from None
    current.version += 1
    return current


def _move(user, referral: ServiceReferral, to: str, on: datetime.date, note: str = ""):
    _not_future(on, steps.DATE_FIELD[to])
    referral.status = to
    setattr(referral, steps.DATE_FIELD[to], on)
    save_checked(referral)
    _history(referral, to, on, user, note)
    answer_reminders(child=referral.child, rule_prefix=reminders.rule_prefix(referral.pk),
                     note=f"The referral moved on: {steps.LABELS[to].lower()}.")
    return referral


@transaction.atomic
def record_acknowledged(*, user, referral: ServiceReferral, expected_version: int,
                        acknowledged_on: datetime.date, note: str = "") -> ServiceReferral:
    referral = _open_for_step(user, referral, expected_version, steps.ACKNOWLEDGED)
    return _move(user, referral, steps.ACKNOWLEDGED, acknowledged_on, note)


@transaction.atomic
def record_scheduled(*, user, referral: ServiceReferral, expected_version: int,
                     scheduled_on: datetime.date, appointment_on: datetime.date | None = None,
                     note: str = "") -> ServiceReferral:
    referral = _open_for_step(user, referral, expected_version, steps.SCHEDULED)
    if appointment_on and appointment_on < scheduled_on:
        raise ValidationError({"appointment_on": "The appointment comes on or after the day it "
                                                 "was scheduled."})
    referral.appointment_on = appointment_on
    return _move(user, referral, steps.SCHEDULED, scheduled_on, note)


@transaction.atomic
def record_received(*, user, referral: ServiceReferral, expected_version: int,
                    received_on: datetime.date, outcome: str,
                    need_met: bool = True) -> ServiceReferral:
    """The family received the service: the loop is closed. The need is met with the outcome
    unless the coordinator says the need goes on (one service of several)."""
    referral = _open_for_step(user, referral, expected_version, steps.RECEIVED)
    if not outcome.strip():
        raise ValidationError({"outcome": "Say what the family received."})
    referral.closed_on, referral.outcome = received_on, outcome.strip()[:300]
    _move(user, referral, steps.RECEIVED, received_on, outcome)
    need = Need.objects.select_for_update().get(pk=referral.need_id)
    if need_met and need.status not in CLOSED_NEED:
        update_need(user, need, status=Need.Status.MET, closed_on=received_on,
                    outcome=f"{referral.service_name}: {outcome.strip()}"[:300])
    return referral


@transaction.atomic
def record_failure(*, user, referral: ServiceReferral, expected_version: int, reason: str,
                   closed_on: datetime.date, details: str = "") -> ServiceReferral:
    """The referral ended without the service, for `reason` (a failed status). The need stays
    open: the coordinator tries another service or records it in the unmet-needs register."""
    if reason not in steps.FAILED:
        raise ValidationError({"reason": "Choose why the referral did not work out."})
    referral = _open_for_step(user, referral, expected_version, reason)
    referral.outcome = details.strip()[:300]
    return _move(user, referral, reason, closed_on, details)
