"""Writes for intake, referral decisions and enrollment: one transaction per user action, the
rules checked here (and in the models) whatever calls them — a page, a command or the API."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carecoord.accounts import policy
from carecoord.accounts.models import Center, Town
from carecoord.validation import save_checked

from . import referral_states
from .models import (
    Child,
    Clinician,
    Consent,
    CoordinatorAssignment,
    Diagnosis,
    Enrollment,
    Guardian,
    Household,
    RaceCategory,
    Referral,
    ReferralStatusChange,
)


class DuplicateChildSuspected(Exception):
    """A child with the same name and date of birth is already on file."""

    def __init__(self, matches):
        self.matches = list(matches)
        super().__init__(f"{len(self.matches)} child(ren) with this name and date of birth")


def center_for_town(town: Town) -> Center:
    """Routing: a family goes to the center of their town's region (an administrator's
    correction of the town table changes routing at once)."""
    return Center.objects.get(region_id=town.region_id)


def possible_duplicates(user, *, first_name: str, last_name: str, date_of_birth):
    return policy.children_for(user).filter(
        first_name__iexact=first_name.strip(), last_name__iexact=last_name.strip(),
        date_of_birth=date_of_birth,
    ).select_related("household__town")



def _log_status(referral, from_status, user, note=""):
    ReferralStatusChange.objects.create(
        referral=referral, from_status=from_status, to_status=referral.status,
        changed_by=user, note=note,
    )


def _referring_clinician(npi: str, name: str, organization: str) -> Clinician | None:
    """The directory entry for the referrer's NPI; a provider new to the directory is added,
    so their next referral finds them."""
    if not npi:
        return None
    clinician = Clinician.objects.filter(npi=npi).first()
    if clinician is None:
        first, _, last = (name or "Unknown provider").strip().rpartition(" ")
        clinician = save_checked(Clinician(first_name=first or last, last_name=last, npi=npi,
                                           specialty=organization or "Referring provider"))
    return clinician


@dataclass
class IntakeResult:
    referral: Referral
    routed_elsewhere: bool


@transaction.atomic
def receive_referral(*, user, child: Child, referral: Referral,
                     household: Household | None = None, guardian: Guardian | None = None,
                     races=(), guardian_languages=(), referrer_npi: str = "",
                     existing_child: Child | None = None, sibling_of: Child | None = None,
                     confirmed_new_child: bool = False) -> IntakeResult:
    """Intake: record a new referral. For a child already on file (`existing_child`) only the
    referral is added; for a sibling (`sibling_of`) the child joins that household; otherwise
    the household and its first guardian are created too. A child whose name and date of birth
    match one the user can see is refused (DuplicateChildSuspected) until the user confirms."""
    if not policy.can_take_referrals(user):
        raise PermissionDenied("You cannot enter referrals.")
    in_scope = policy.children_for(user)
    for known in (existing_child, sibling_of):
        if known is not None and not in_scope.filter(pk=known.pk).exists():
            raise PermissionDenied("That child is not in your scope.")
    if existing_child is not None:
        child = existing_child
    else:
        if not confirmed_new_child:
            matches = possible_duplicates(user, first_name=child.first_name,
                                          last_name=child.last_name,
                                          date_of_birth=child.date_of_birth)
            if matches:
                raise DuplicateChildSuspected(matches)
        if sibling_of is not None:
            household = sibling_of.household
        else:
            household.center = center_for_town(household.town)
            save_checked(household)
            guardian.household = household
            guardian.is_primary_contact = True
            save_checked(guardian)
            guardian.languages.set(guardian_languages)
        child.household = household
        child.center = household.center
        save_checked(child)
        child.races.set(races)
    referral.child = child
    referral.center = child.center
    referral.status = referral_states.RECEIVED
    referral.created_by = user
    referral.referring_clinician = _referring_clinician(
        referrer_npi, referral.referrer_name, referral.referrer_organization
    ) or referral.referring_clinician
    save_checked(referral)
    _log_status(referral, "", user, "Referral received")
    return IntakeResult(referral=referral, routed_elsewhere=child.center_id != user.center_id)


@dataclass
class ElectronicReferral:
    """What a referring EMR sent, as unsaved records: the child, their household and
    guardians, the referral, its diagnoses, and the referring clinician's NPI."""

    child: Child
    household: Household
    guardians: list[Guardian]
    referral: Referral
    diagnoses: list[Diagnosis]
    referrer_npi: str = ""
    race_codes: tuple[str, ...] = ()
    # Each guardian's languages, in the order of `guardians`.
    guardian_languages: list[list] = field(default_factory=list)


@transaction.atomic
def receive_electronic_referral(*, sent: ElectronicReferral) -> IntakeResult:
    """Intake of a referral a practice's system sent (no staff member enters it): it lands in
    the intake queue of the center of the family's town. A child on file with the same name
    and date of birth gets the referral added (the intake coordinator sees the note);
    otherwise the child, household and guardians are created."""
    child, household, referral = sent.child, sent.household, sent.referral
    existing = Child.objects.filter(
        first_name__iexact=child.first_name.strip(), last_name__iexact=child.last_name.strip(),
        date_of_birth=child.date_of_birth).select_related("center").first()
    note = "Received electronically"
    if existing is not None:
        child = existing
        note += " and matched to the child on file by name and date of birth: please check"
    else:
        household.center = center_for_town(household.town)
        save_checked(household)
        for number, guardian in enumerate(sent.guardians):
            guardian.household = household
            guardian.is_primary_contact = number == 0
            save_checked(guardian)
            if number < len(sent.guardian_languages):
                guardian.languages.set(sent.guardian_languages[number])
        child.household = household
        child.center = household.center
        save_checked(child)
        child.races.set(RaceCategory.objects.filter(code__in=sent.race_codes))
    known = set(child.diagnoses.values_list("code_system", "code")) if existing else set()
    for diagnosis in sent.diagnoses:
        if (diagnosis.code_system, diagnosis.code) not in known:
            diagnosis.child = child
            save_checked(diagnosis)
            known.add((diagnosis.code_system, diagnosis.code))
    referral.child = child
    referral.center = child.center
    referral.status = referral_states.RECEIVED
    referral.referring_clinician = _referring_clinician(
        sent.referrer_npi, referral.referrer_name, referral.referrer_organization)
    save_checked(referral)
    _log_status(referral, "", None, note)
    return IntakeResult(referral=referral, routed_elsewhere=False)


def _locked_referral(referral_id) -> Referral:
    return Referral.objects.select_for_update().get(pk=referral_id)


def _move(referral: Referral, target: str) -> str:
    """Set the new status if the state machine allows it; return the previous one."""
    referral_states.check_transition(referral.status, target)
    previous = referral.status
    referral.status = target
    return previous


@transaction.atomic
def start_screening(*, user, referral: Referral, first_contact_on: datetime.date,
                    note: str = "") -> Referral:
    referral = _locked_referral(referral.pk)
    if not policy.can_screen_referral(user, referral):
        raise PermissionDenied("You cannot screen this referral.")
    previous = _move(referral, referral_states.SCREENING)
    if first_contact_on > timezone.localdate():
        raise ValidationError({"first_contact_on": "The first contact date is in the future."})
    referral.first_contact_on = first_contact_on
    save_checked(referral)
    _log_status(referral, previous, user, note)
    return referral


@transaction.atomic
def accept_referral(*, user, referral: Referral, note: str = "") -> Referral:
    referral = _locked_referral(referral.pk)
    if not policy.can_decide_referral(user, referral):
        raise PermissionDenied("Only a supervisor of this center accepts referrals.")
    previous = _move(referral, referral_states.ACCEPTED)
    referral.decided_on = timezone.localdate()
    save_checked(referral)
    _log_status(referral, previous, user, note)
    return referral


@transaction.atomic
def decline_referral(*, user, referral: Referral, reason: str, note: str = "") -> Referral:
    referral = _locked_referral(referral.pk)
    if not policy.can_decide_referral(user, referral):
        raise PermissionDenied("Only a supervisor of this center declines referrals.")
    previous = _move(referral, referral_states.DECLINED)
    if reason not in Referral.DeclineReason.values:
        raise ValidationError({"decline_reason": "Choose why the referral is declined."})
    if reason == Referral.DeclineReason.OTHER and not note.strip():
        raise ValidationError({"decline_note": "Say why, when the reason is “other”."})
    referral.decline_reason, referral.decline_note = reason, note
    referral.decided_on = timezone.localdate()
    save_checked(referral)
    _log_status(referral, previous, user, note)
    return referral


def _check_coordinator(user, coordinator):
    if not policy.assignable_coordinators(user).filter(pk=coordinator.pk).exists():
        raise ValidationError({"coordinator": "Choose an active coordinator of your center."})


@transaction.atomic
def enroll(*, user, referral: Referral, coordinator, start_date: datetime.date,
           note: str = "", reason: str = "First assignment at enrollment") -> Enrollment:
    """Open an episode of service from an accepted referral, with its first coordinator."""
    referral = _locked_referral(referral.pk)
    if not policy.can_decide_referral(user, referral):
        raise PermissionDenied("Only a supervisor of this center enrolls children.")
    previous = _move(referral, referral_states.ENROLLED)
    _check_coordinator(user, coordinator)
    if start_date < referral.received_on:
        raise ValidationError({"start_date": "Enrollment starts on or after the referral date."})
    if start_date > timezone.localdate():
        raise ValidationError({"start_date": "The enrollment date is in the future."})
    if Enrollment.objects.filter(child_id=referral.child_id, discharge_date__isnull=True).exists():
        raise ValidationError("This child already has an open enrollment: discharge it first.")
    save_checked(referral)
    _log_status(referral, previous, user, note)
    enrollment = save_checked(Enrollment(child_id=referral.child_id, center_id=referral.center_id,
                                         referral=referral, start_date=start_date))
    save_checked(CoordinatorAssignment(enrollment=enrollment, coordinator=coordinator,
                                       start_date=start_date, assigned_by=user, reason=reason))
    return enrollment


@transaction.atomic
def reassign(*, user, enrollment: Enrollment, coordinator, on: datetime.date,
             reason: str) -> CoordinatorAssignment:
    enrollment = Enrollment.objects.select_for_update().select_related("child").get(
        pk=enrollment.pk)
    if not policy.can_manage_enrollment(user, enrollment.child):
        raise PermissionDenied("Only a supervisor of this center reassigns children.")
    if not enrollment.is_open:
        raise ValidationError("This enrollment is closed.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why the child changes coordinator."})
    _check_coordinator(user, coordinator)
    current = enrollment.assignments.filter(end_date__isnull=True).first()
    if current is not None:
        if current.coordinator_id == coordinator.pk:
            raise ValidationError({"coordinator": "This coordinator is already assigned."})
        current.end_date = on
        save_checked(current)
    return save_checked(CoordinatorAssignment(enrollment=enrollment, coordinator=coordinator,
                                              start_date=on, assigned_by=user, reason=reason))


@transaction.atomic
def discharge(*, user, enrollment: Enrollment, on: datetime.date, reason: str, note: str = "",
              transferred_to: Center | None = None) -> Enrollment:
    enrollment = Enrollment.objects.select_for_update().select_related("child").get(
        pk=enrollment.pk)
    if not policy.can_manage_enrollment(user, enrollment.child):
        raise PermissionDenied("Only a supervisor of this center discharges children.")
    if not enrollment.is_open:
        raise ValidationError("This enrollment is already closed.")
    if reason == Enrollment.DischargeReason.TRANSFERRED and transferred_to is None:
        raise ValidationError({"transferred_to": "Choose the center the family moves to."})
    enrollment.discharge_date, enrollment.discharge_reason = on, reason
    enrollment.discharge_note, enrollment.transferred_to = note, transferred_to
    save_checked(enrollment)
    for assignment in enrollment.assignments.filter(end_date__isnull=True):
        assignment.end_date = on
        save_checked(assignment)
    return enrollment


class EditConflict(Exception):
    """The record changed since the user opened it: their save is refused, not merged."""

    def __init__(self, current):
        self.current = current
        super().__init__("This record was changed by someone else after you opened it.")


@transaction.atomic
def update_record(*, user, record, changes: dict, expected_version: int,
                  many_to_many: dict | None = None, child: Child | None = None):
    """Save a user's edit of a child, guardian, household or another Versioned record of a
    `child`, refusing it when the record has moved on since the version they loaded
    (optimistic concurrency: no lost updates)."""
    if child is None:
        child = record if isinstance(record, Child) else Child.objects.filter(
            household_id=record.household_id if isinstance(record, Guardian)
            else record.pk).first()
    if child is None or not policy.can_edit_child(user, child):
        raise PermissionDenied("You cannot edit this record.")
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


@transaction.atomic
def record_consent(*, user, child: Child, consent: Consent) -> Consent:
    """A guardian's (or the youth's) consent to share, as signed."""
    if not policy.can_edit_child(user, child):
        raise PermissionDenied("You cannot record consents for this child.")
    if consent.given_by_id and consent.given_by.household_id != child.household_id:
        raise ValidationError({"given_by": "Choose a guardian of this child's household."})
    consent.child = child
    return save_checked(consent)


@transaction.atomic
def revoke_consent(*, user, consent: Consent, on: datetime.date) -> Consent:
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if not policy.can_edit_child(user, consent.child):
        raise PermissionDenied("You cannot revoke this consent.")
    if consent.revoked_on is not None:
        raise ValidationError("This consent is already revoked.")
    if on < consent.given_on:
        raise ValidationError({"revoked_on": "A consent is revoked after it was given."})
    consent.revoked_on = on
    return save_checked(consent)
