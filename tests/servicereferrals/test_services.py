"""Referring a family to a service and following the referral until the loop closes: the
consent checked first, each step in order with its date and who recorded it, and the care plan
need resolved only by the service received."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from carecoord.audit.models import AuditEvent
from carecoord.families.services import EditConflict
from carecoord.servicereferrals.models import ServiceReferral

from .helpers import TODAY, consent, days_ago, need, referred, send, service, step

pytestmark = pytest.mark.django_db


def refusal(call, *args, **kwargs) -> dict:
    with pytest.raises(ValidationError) as refused:
        call(*args, **kwargs)
    return refused.value.message_dict


# ---------------------------------------------------------------- the consent


def test_a_referral_the_center_sends_rests_on_a_consent_naming_the_organization(network):
    child = network.child_nc
    food = need(child)
    pantry = service("Food pantry (synthetic)")
    covering = consent(child, "FOODSHARE (synthetic) ")  # names compare case and space blind
    referral = send(network, food, pantry, how="fax")
    assert referral.consent == covering and referral.consent_basis == "consent"
    assert referral.consent_checked.startswith(
        "Consent to share care plan and care coordination notes with FOODSHARE (synthetic)")
    assert "current on" in referral.consent_checked
    assert (referral.service_name, referral.organization_name) == (
        "Food pantry (synthetic)", "Foodshare (synthetic)")
    food.refresh_from_db()
    assert food.status == "in_progress" and food.closed_on is None
    assert [(h.status, h.on, h.recorded_by.username) for h in referral.history.all()] == [
        ("sent", days_ago(20), "nurse.nc")]


def test_without_a_consent_the_referral_is_refused_with_the_reason(network):
    child = network.child_nc
    errors = refusal(send, network, need(child), service(), how="e_referral")
    assert errors["consent"] == [
        "No current consent covers sharing care plan and care coordination notes with "
        "Foodshare (synthetic): record the family's consent first, or choose “The family "
        "contacts the service themselves”."]
    assert not ServiceReferral.objects.exists()


def test_a_consent_that_does_not_cover_it_is_refused_saying_why(network):
    child = network.child_nc
    food, pantry = need(child), service()
    other = consent(child, "Another agency (synthetic)")
    expired = consent(child, given=days_ago(400), expires=days_ago(35))
    revoked = consent(child, revoked=days_ago(25))
    assert refusal(send, network, food, pantry, consent=other)["consent"] == [
        "This consent is for Another agency (synthetic), not this organization."]
    assert refusal(send, network, food, pantry, consent=expired)["consent"] == [
        f"This consent expired on {days_ago(35):%b %-d, %Y}."]
    assert refusal(send, network, food, pantry, consent=revoked)["consent"] == [
        f"This consent was revoked on {days_ago(25):%b %-d, %Y}."]
    # Not found by itself either: none of them is current and for this organization.
    assert "No current consent" in refusal(send, network, food, pantry)["consent"][0]
    theirs = consent(network.child_ea)
    assert refusal(send, network, food, pantry, consent=theirs)["consent"] == [
        "Choose a consent of this child."]


def test_behavioral_health_needs_a_consent_for_behavioral_health_information(network):
    child = network.child_nc
    counseling_need = need(child, "behavioral_health")
    clinic = service("Child guidance clinic (synthetic)", domain="behavioral_health",
                     organization="Child Guidance (synthetic)")
    plan_only = consent(child, "Child Guidance (synthetic)")
    assert refusal(send, network, counseling_need, clinic, consent=plan_only)["consent"] == [
        "This consent covers care plan and care coordination notes; this referral shares "
        "behavioral health information."]
    behavioral = consent(child, "Child Guidance (synthetic)", scope="behavioral")
    assert send(network, counseling_need, clinic).consent == behavioral


def test_a_family_that_contacts_the_service_themselves_needs_no_consent(network):
    referral = send(network, need(network.child_nc), service(), how="family")
    assert referral.consent is None and referral.consent_basis == "not_shared"
    assert referral.consent_checked == ("Nothing shared by the center: the family contacts "
                                        "Foodshare (synthetic) themselves.")


# ---------------------------------------------------------------- what may be referred


def test_a_closed_need_an_unusable_service_or_a_second_open_referral_is_refused(network):
    child = network.child_nc
    food, pantry = need(child), service()
    consent(child)
    food.status, food.closed_on = "met", days_ago(1)
    food.save()
    assert "reopen it on the care plan" in refusal(send, network, food, pantry)["need"][0]
    food.status, food.closed_on = "in_progress", None
    food.save()
    closed = service(status="temporarily closed")
    assert refusal(send, network, food, closed)["service"] == [
        f"{closed.name} is temporarily closed in the directory: choose another service."]
    eastern = service(center=network.east)  # another center's local entry
    assert refusal(send, network, food, eastern)["service"] == [
        "Choose a service of the directory."]
    send(network, food, pantry)
    assert "still open (sent): continue that one" in refusal(send, network, food,
                                                            pantry)["service"][0]
    assert refusal(send, network, need(network.child_ea), pantry)["need"] == [
        "Choose a need of this child's care plan."]
    assert refusal(send, network, food, service(), on=TODAY + datetime.timedelta(days=1))[
        "sent_on"] == ["This date is in the future."]


def test_only_the_childs_coordinators_may_refer(network):
    child = network.child_nc
    food, pantry = need(child), service()
    consent(child)
    for username in ("admin.nc", "ta.hub", "provider.nc", "nurse.ea"):
        with pytest.raises(PermissionDenied):
            send(network, food, pantry, user=network[username])


# ---------------------------------------------------------------- the loop


def test_the_loop_closes_when_the_service_is_received_and_meets_the_need(network):
    referral = referred(network)
    step(network, referral, "acknowledged", acknowledged_on=days_ago(18), note="Intake called")
    step(network, referral, "scheduled", scheduled_on=days_ago(15),
         appointment_on=days_ago(5), user=network["social.nc"])
    referral.need.refresh_from_db()
    assert referral.need.status == "in_progress"  # not until the loop closes
    done = step(network, referral, "received", received_on=days_ago(5),
                outcome="Enrolled in WIC; first benefits loaded")
    assert (done.status, done.received_on, done.closed_on, done.version) == (
        "service_received", days_ago(5), days_ago(5), 4)
    assert [(h.status, h.on, h.recorded_by.username, h.note) for h in done.history.all()] == [
        ("sent", days_ago(20), "nurse.nc", ""),
        ("acknowledged", days_ago(18), "nurse.nc", "Intake called"),
        ("scheduled", days_ago(15), "social.nc", ""),
        ("service_received", days_ago(5), "nurse.nc", "Enrolled in WIC; first benefits loaded"),
    ]
    need_ = done.need
    need_.refresh_from_db()
    assert (need_.status, need_.closed_on) == ("met", days_ago(5))
    assert need_.outcome.endswith("Enrolled in WIC; first benefits loaded")


def test_a_service_received_may_leave_a_need_that_goes_on_open(network):
    referral = referred(network)
    step(network, referral, "acknowledged", acknowledged_on=days_ago(18))
    step(network, referral, "scheduled", scheduled_on=days_ago(15))
    step(network, referral, "received", received_on=days_ago(5), outcome="One box of food",
         need_met=False)
    referral.need.refresh_from_db()
    assert referral.need.status == "in_progress"
    assert refusal(step, network, referral, "received", received_on=TODAY,
                   outcome="x")["closed_on"]


def test_a_failure_keeps_the_need_open_for_another_try(network):
    referral = referred(network, domain="housing")
    failed = step(network, referral, "failed", reason="no_capacity", closed_on=days_ago(3),
                  details="Waitlist closed")
    assert (failed.status, failed.closed_on, failed.outcome) == ("no_capacity", days_ago(3),
                                                                 "Waitlist closed")
    failed.need.refresh_from_db()
    assert failed.need.status == "in_progress"  # the register or another service closes it
    assert failed.has_failed and not failed.is_open
    # Another service may be tried for the same need.
    shelter = service(domain="housing", organization="Housing Authority (synthetic)")
    consent(network.child_nc, "Housing Authority (synthetic)")
    assert send(network, failed.need, shelter).status == "sent"


@pytest.mark.parametrize("reason", ["declined", "ineligible", "no_capacity",
                                    "family_declined", "unable_to_reach"])
def test_every_failure_reason_is_recorded_from_a_sent_referral(network, reason):
    failed = step(network, referred(network), "failed", reason=reason, closed_on=days_ago(2))
    assert failed.status == reason
    assert failed.history.last().status == reason


def test_steps_out_of_order_are_refused_naming_the_field(network):
    referral = referred(network)
    assert refusal(step, network, referral, "scheduled", scheduled_on=days_ago(1))[
        "acknowledged_on"][0].startswith("Record when the service acknowledged")
    assert "acknowledged_on" in refusal(step, network, referral, "received",
                                        received_on=days_ago(1), outcome="x")
    step(network, referral, "acknowledged", acknowledged_on=days_ago(10))
    assert "scheduled_on" in refusal(step, network, referral, "received",
                                     received_on=days_ago(1), outcome="x")
    step(network, referral, "scheduled", scheduled_on=days_ago(5))
    assert refusal(step, network, referral, "failed", reason="no_capacity",
                   closed_on=days_ago(1))["scheduled_on"] == [
        "The service already scheduled the family: it had room for them."]
    referral.refresh_from_db()
    assert referral.status == "scheduled" and referral.version == 3


def test_dates_go_forward_and_not_into_the_future(network):
    referral = referred(network)
    assert refusal(step, network, referral, "acknowledged", acknowledged_on=days_ago(25))[
        "acknowledged_on"] == [f"This date comes before the referral was sent "
                               f"({days_ago(20):%b %-d, %Y})."]
    assert refusal(step, network, referral, "acknowledged",
                   acknowledged_on=TODAY + datetime.timedelta(days=1))["acknowledged_on"]
    step(network, referral, "acknowledged", acknowledged_on=days_ago(10))
    assert "appointment_on" in refusal(step, network, referral, "scheduled",
                                       scheduled_on=days_ago(5), appointment_on=days_ago(6))
    # The appointment may be ahead.
    ahead = step(network, referral, "scheduled", scheduled_on=days_ago(5),
                 appointment_on=TODAY + datetime.timedelta(days=9))
    assert ahead.appointment_on == TODAY + datetime.timedelta(days=9)


def test_a_step_from_a_stale_page_is_refused(network):
    referral = referred(network)
    seen = referral.version
    step(network, referral, "acknowledged", acknowledged_on=days_ago(10))
    from carecoord.servicereferrals import services
    with pytest.raises(EditConflict):
        services.record_failure(user=network["social.nc"], referral=referral,
                                expected_version=seen, reason="declined", closed_on=TODAY)
    referral.refresh_from_db()
    assert referral.status == "acknowledged"


def test_steps_are_for_the_childs_coordinators_only(network):
    referral = referred(network)
    for username in ("admin.nc", "supervisor.ea", "provider.nc"):
        with pytest.raises(PermissionDenied):
            step(network, referral, "acknowledged", acknowledged_on=TODAY,
                 user=network[username])


def test_every_write_is_audited_with_the_child_and_center(network):
    referral = referred(network)
    step(network, referral, "acknowledged", acknowledged_on=days_ago(10))
    events = AuditEvent.objects.filter(object_type__startswith="servicereferrals.")
    assert {(e.action, e.object_type) for e in events} == {
        ("create", "servicereferrals.servicereferral"),
        ("update", "servicereferrals.servicereferral"),
        ("create", "servicereferrals.statuschange")}
    assert {(e.child_id, e.center_id) for e in events} == {(network.child_nc.pk,
                                                            network.hub.pk)}
    update = events.get(action="update")
    assert {"status", "acknowledged_on", "version"} <= set(update.detail["fields"])
