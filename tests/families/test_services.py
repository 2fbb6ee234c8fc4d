"""Intake, the referral state machine as users meet it, enrollment and its history."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from carecoord.accounts.models import Language, Town
from carecoord.families import services
from carecoord.families.models import Child, Clinician, Guardian, Household, Referral
from carecoord.families.referral_states import IllegalTransition

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def intake(user, *, town="Hartford", first="Mateo", last="Santos", dob=datetime.date(2019, 1, 5),
           npi="", **kwargs):
    return services.receive_referral(
        user=user,
        child=Child(first_name=first, last_name=last, date_of_birth=dob, sex="M",
                    preferred_language=Language.objects.get(code="es"),
                    insurance_type=Child.Insurance.HUSKY_A, insurance_member_id="HA9"),
        household=Household(town=Town.objects.get(name=town), address_line1="3 Elm St"),
        guardian=Guardian(first_name="Lucia", last_name=last, relationship="mother",
                          phone="860-555-0111"),
        referral=Referral(source_type=Referral.SourceType.PCP, referrer_name="Dr Ruth Okafor",
                          received_on=TODAY, reason="New diagnosis of epilepsy"),
        referrer_npi=npi, **kwargs,
    )


def test_intake_creates_child_household_guardian_and_referral_routed_by_town(network):
    result = intake(network["nurse.nc"])
    referral = result.referral
    assert not result.routed_elsewhere
    assert referral.status == "received" and referral.center == network.hub
    assert referral.child.center == network.hub
    assert referral.child.household.guardians.get().is_primary_contact
    assert [h.to_status for h in referral.history.all()] == ["received"]


def test_a_sibling_joins_the_household_with_its_guardians(network):
    result = intake(network["nurse.nc"], first="Diego", last="Rivera", sibling_of=network.child_nc)
    sibling = result.referral.child
    assert sibling.household == network.child_nc.household
    assert Guardian.objects.filter(household=sibling.household).count() == 1
    assert sibling.center == network.hub


def test_intake_for_a_family_in_another_region_goes_to_that_center(network):
    result = intake(network["nurse.nc"], town="Norwich")
    assert result.routed_elsewhere
    assert result.referral.center == network.east


def test_a_corrected_town_region_changes_routing_at_once(network):
    town = Town.objects.get(name="Hartford")
    town.region = network.east.region
    town.save()
    assert intake(network["nurse.nc"]).referral.center == network.east


def test_suspected_duplicate_is_refused_until_confirmed(network):
    with pytest.raises(services.DuplicateChildSuspected) as suspected:
        intake(network["nurse.nc"], first="sofia", last="RIVERA",
               dob=network.child_nc.date_of_birth)
    assert suspected.value.matches == [network.child_nc]
    assert Child.objects.filter(last_name__iexact="rivera").count() == 1
    result = intake(network["nurse.nc"], first="Sofia", last="Rivera",
                    dob=network.child_nc.date_of_birth, confirmed_new_child=True)
    assert result.referral.child != network.child_nc


def test_referral_for_an_existing_child_adds_no_new_record(network):
    before = Child.objects.count()
    result = intake(network["nurse.nc"], existing_child=network.child_nc)
    assert result.referral.child == network.child_nc and Child.objects.count() == before


def test_referring_npi_links_or_adds_the_directory_entry(network):
    referral = intake(network["nurse.nc"], npi="1234567893").referral
    assert referral.referring_clinician.npi == "1234567893"
    again = intake(network["nurse.nc"], npi="1234567893", first="Other").referral
    assert again.referring_clinician == referral.referring_clinician
    assert Clinician.objects.filter(npi="1234567893").count() == 1


def test_bad_npi_is_refused_and_nothing_is_saved(network):
    before = (Child.objects.count(), Household.objects.count(), Referral.objects.count())
    with pytest.raises(ValidationError):
        intake(network["nurse.nc"], npi="1234567890")
    assert (Child.objects.count(), Household.objects.count(), Referral.objects.count()) == before


def test_roles_without_intake_cannot_enter_referrals(network):
    for username in ("provider.nc", "titlev.state", "ta.hub"):
        with pytest.raises(PermissionDenied):
            intake(network[username])


def test_the_whole_path_from_referral_to_enrollment(network):
    supervisor, nurse = network["supervisor.nc"], network["nurse.nc"]
    referral = intake(nurse).referral
    services.start_screening(user=nurse, referral=referral, first_contact_on=TODAY)
    with pytest.raises(PermissionDenied):
        services.accept_referral(user=nurse, referral=referral)
    services.accept_referral(user=supervisor, referral=referral)
    enrollment = services.enroll(user=supervisor, referral=referral, coordinator=nurse,
                                 start_date=TODAY)
    referral.refresh_from_db()
    assert referral.status == "enrolled" and referral.days_to_first_contact == 0
    assert enrollment.assignments.get().coordinator == nurse
    assert [h.to_status for h in referral.history.all()] == [
        "received", "screening", "accepted", "enrolled"]


def test_illegal_transitions_are_refused_with_the_reason(network):
    referral = intake(network["nurse.nc"]).referral
    with pytest.raises(IllegalTransition, match="screened before it is accepted"):
        services.accept_referral(user=network["supervisor.nc"], referral=referral)
    referral.refresh_from_db()
    assert referral.status == "received"


def test_a_decline_needs_a_reason_and_is_final(network):
    supervisor = network["supervisor.nc"]
    referral = intake(network["nurse.nc"]).referral
    services.start_screening(user=supervisor, referral=referral, first_contact_on=TODAY)
    with pytest.raises(ValidationError):
        services.decline_referral(user=supervisor, referral=referral, reason="")
    with pytest.raises(ValidationError, match="other"):
        services.decline_referral(user=supervisor, referral=referral, reason="other", note=" ")
    services.decline_referral(user=supervisor, referral=referral, reason="family_declined")
    with pytest.raises(IllegalTransition, match="final"):
        services.start_screening(user=supervisor, referral=referral, first_contact_on=TODAY)


def test_supervisor_of_another_center_cannot_decide(network):
    referral = intake(network["nurse.nc"]).referral
    with pytest.raises(PermissionDenied):
        services.start_screening(user=network["supervisor.ea"], referral=referral,
                                 first_contact_on=TODAY)


def test_enroll_only_with_a_coordinator_of_the_center(network):
    supervisor = network["supervisor.nc"]
    referral = intake(network["nurse.nc"]).referral
    services.start_screening(user=supervisor, referral=referral, first_contact_on=TODAY)
    services.accept_referral(user=supervisor, referral=referral)
    with pytest.raises(ValidationError, match="coordinator of your center"):
        services.enroll(user=supervisor, referral=referral, coordinator=network["nurse.ea"],
                        start_date=TODAY)


def test_reassign_and_discharge_keep_the_history(network):
    supervisor = network["supervisor.nc"]
    enrollment = network.child_nc.enrollments.get()
    with pytest.raises(ValidationError, match="why"):
        services.reassign(user=supervisor, enrollment=enrollment,
                          coordinator=network["social.nc"], on=TODAY, reason="")
    services.reassign(user=supervisor, enrollment=enrollment, coordinator=network["social.nc"],
                      on=TODAY, reason="New behavioral health needs")
    services.discharge(user=supervisor, enrollment=enrollment, on=TODAY, reason="goals_met")
    history = list(enrollment.assignments.order_by("pk"))
    assert [a.coordinator.username for a in history] == ["nurse.nc", "social.nc"]
    assert all(a.end_date == TODAY for a in history)
    enrollment.refresh_from_db()
    assert not enrollment.is_open and enrollment.discharge_reason == "goals_met"


def test_transfer_discharge_names_the_receiving_center(network):
    with pytest.raises(ValidationError, match="center the family moves to"):
        services.discharge(user=network["supervisor.nc"],
                           enrollment=network.child_nc.enrollments.get(), on=TODAY,
                           reason="transferred")
