"""Invariants the database and the models keep, whatever code path writes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from carecoord.accounts.models import Center, Region, Role, Town, User
from carecoord.families.models import (
    Child,
    Clinician,
    Consent,
    CoordinatorAssignment,
    Enrollment,
    Guardian,
    Referral,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_reference_data_is_loaded_by_migrations():
    assert sorted(Region.objects.values_list("name", flat=True)) == [
        "Eastern", "North Central", "Northwest", "South Central", "Southwest"]
    assert Town.objects.count() == 169
    assert Town.objects.get(name="Hartford").region.name == "North Central"
    assert Town.objects.get(name="Stamford").region_basis == "confirmed"


def test_only_one_center_is_the_hub(network):
    with pytest.raises(IntegrityError), transaction.atomic():
        Center.objects.create(name="Second hub", short_name="X", is_hub=True,
                              region=Region.objects.get(name="Southwest"),
                              town=Town.objects.get(name="Stamford"))


def test_a_child_has_one_open_enrollment_at_a_time(network):
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrollment.objects.create(child=network.child_nc, center=network.hub, start_date=TODAY)


def test_a_discharge_needs_a_reason(network):
    enrollment = network.child_nc.enrollments.get()
    enrollment.discharge_date = TODAY
    with pytest.raises(IntegrityError), transaction.atomic():
        enrollment.save()


def test_an_enrollment_has_one_current_coordinator(network):
    enrollment = network.child_nc.enrollments.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        CoordinatorAssignment.objects.create(enrollment=enrollment,
                                             coordinator=network["social.nc"], start_date=TODAY)


def test_a_declined_referral_has_a_reason(network):
    referral = network.child_nc.referrals.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=referral.pk).update(status="declined")


def test_child_born_in_the_future_is_refused(network):
    child = network.child_nc
    child.date_of_birth = TODAY + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        child.full_clean()
    assert "date_of_birth" in error.value.message_dict


def test_insured_child_needs_a_member_id_and_uninsured_has_none(network):
    child = network.child_nc
    child.insurance_member_id = ""
    with pytest.raises(ValidationError, match="member ID"):
        child.full_clean()
    child.insurance_type = Child.Insurance.UNINSURED
    child.full_clean()
    child.insurance_member_id = "X1"
    with pytest.raises(ValidationError, match="no member ID"):
        child.full_clean()


def test_guardian_must_be_reachable_and_preferences_must_fit(network):
    guardian = Guardian(household=network.child_nc.household, first_name="Ana", last_name="Diaz",
                        relationship=Guardian.Relationship.MOTHER)
    with pytest.raises(ValidationError) as error:
        guardian.full_clean()
    assert "phone" in error.value.message_dict
    guardian.phone = "860-555-0100"
    guardian.preferred_channels = ["text"]
    with pytest.raises(ValidationError, match="no phone number that can receive texts"):
        guardian.full_clean()
    guardian.phone_can_text = True
    guardian.preferred_channels = ["text", "carrier_pigeon"]
    with pytest.raises(ValidationError, match="carrier_pigeon"):
        guardian.full_clean()
    guardian.preferred_channels = ["text", "home_visit"]
    guardian.full_clean()


def test_clinician_npi_check_digit_is_validated(network):
    clinician = Clinician(first_name="Lee", last_name="Park", npi="1234567890",
                          specialty="Pediatrics")
    with pytest.raises(ValidationError) as error:
        clinician.full_clean()
    assert "check digit" in str(error.value.message_dict["npi"])


def test_consent_is_current_only_between_given_and_expiry_unless_revoked(network):
    consent = network.child_nc.consents.get()
    assert consent.is_current()
    assert not consent.is_current(consent.expires_on)
    assert not consent.is_current(consent.given_on - datetime.timedelta(days=1))
    consent.revoked_on = TODAY
    assert not consent.is_current()


def test_consent_names_exactly_one_recipient(network):
    consent = Consent(child=network.child_nc, scope=Consent.Scope.CARE_PLAN, given_on=TODAY,
                      expires_on=TODAY + datetime.timedelta(days=30))
    with pytest.raises(ValidationError, match="one recipient"):
        consent.full_clean()


@pytest.mark.parametrize("role, fields, problem", [
    (Role.COORDINATOR, {}, "discipline"),
    (Role.HUB_TA, {"center": "east"}, "hub center"),
    (Role.PROVIDER, {}, "practice"),
    (Role.TITLE_V, {"center": "hub"}, "do not belong to a center"),
])
def test_staff_roles_have_what_they_need(network, role, fields, problem):
    user = User(username="x", role=role, center=network.hub,
                caseload_capacity=10 if role == Role.COORDINATOR else None)
    if "center" in fields:
        user.center = getattr(network, fields["center"])
    if role in (Role.PROVIDER, Role.TITLE_V) and "center" not in fields:
        user.center = None
    with pytest.raises(ValidationError, match=problem):
        user.full_clean()


def test_diagnosis_codes_are_normalized(network):
    dx = network.child_nc.diagnoses.create(code="g80.9 ", recorded_on=TODAY)
    assert dx.code == "G809"
