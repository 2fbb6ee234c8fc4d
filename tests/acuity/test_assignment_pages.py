"""A supervisor gives waiting children a coordinator from the engine's suggestions, overrides
with a reason, and rebalances a leaver's caseload; a coordinator sees why a child has a tier."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from carecoord.accounts.models import Discipline, Language, Role
from carecoord.families.models import Diagnosis, Referral
from tests.factories import child as make_child
from tests.factories import user as make_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def accepted(network, first, last, codes=(), language_code="es"):
    kid = make_child(network.hub, first=first, last=last, language_code=language_code)
    for code in codes:
        Diagnosis.objects.create(child=kid, code=code,
                                 recorded_on=TODAY() - datetime.timedelta(days=20))
    Referral.objects.create(child=kid, center=kid.center, source_type=Referral.SourceType.SCHOOL,
                            received_on=TODAY() - datetime.timedelta(days=10),
                            reason="Complex needs", status=Referral.Status.ACCEPTED)
    return kid


@pytest.fixture
def spanish_nurse(network):
    nurse = make_user("nurse2.nc", Role.COORDINATOR, center=network.hub,
                      discipline=Discipline.NURSE)
    nurse.languages.set([Language.objects.get(code="es")])
    return nurse


def test_the_queue_suggests_the_right_discipline_and_language_highest_tier_first(
        network, spanish_nurse, client, login):
    complex_child = accepted(network, "Ana", "Lopez", ["Q213", "G40909", "J45909"])
    calm_child = accepted(network, "Ben", "Ortiz", ["F900"], language_code="en")
    login(network["supervisor.nc"])
    response = client.get(reverse("assignment-queue"))
    waiting = response.context["waiting"]
    assert [w.child for w in waiting] == [complex_child, calm_child]  # highest tier first
    assert waiting[0].result.discipline == "nurse"
    assert waiting[0].candidates[0].coordinator.id == spanish_nurse.pk
    assert "speaks Spanish" in waiting[0].candidates[0].reasons
    assert waiting[1].result.discipline == "social_worker"
    assert waiting[1].candidates[0].coordinator.id == network["social.nc"].pk
    assert "Lopez" in response.content.decode()


def test_taking_the_suggestion_enrolls_and_an_override_needs_a_reason(
        network, spanish_nurse, client, login):
    kid = accepted(network, "Ana", "Lopez", ["Q213", "G40909"])
    login(network["supervisor.nc"])
    url = reverse("assignment-assign", args=[kid.pk])
    prefix = f"assign-{kid.pk}"
    override = {f"{prefix}-coordinator": network["nurse.nc"].pk,
                f"{prefix}-start_date": TODAY().isoformat()}
    refused = client.post(url, override)
    assert refused.status_code == 400
    assert "Say why you chose someone other than the first suggestion." in (
        refused.content.decode())
    assert client.post(url, {**override, f"{prefix}-reason": "Knows the family already"}
                       ).status_code == 302
    assignment = kid.enrollments.get().assignments.get()
    assert assignment.coordinator == network["nurse.nc"]
    assert assignment.reason == "Override of the suggestion: Knows the family already"
    assert kid.referrals.get().status == "enrolled"


def test_rebalancing_a_leavers_caseload_moves_every_child(network, spanish_nurse, client,
                                                          login):
    Diagnosis.objects.create(child=network.child_nc, code="J45909", recorded_on=TODAY())
    login(network["supervisor.nc"])
    leaver = network["nurse.nc"]
    page = client.get(reverse("rebalance", args=[leaver.pk]))
    assert page.status_code == 200 and "Rivera" in page.content.decode()
    assert "Nurse2 NC" in page.content.decode()  # the other nurse, who has room
    assert client.post(reverse("rebalance", args=[leaver.pk])).status_code == 302
    current = network.child_nc.enrollments.get().assignments.get(end_date__isnull=True)
    assert current.coordinator == spanish_nurse
    assert current.reason.startswith("Rebalanced:")


def test_the_complexity_page_shows_tier_reasons_and_history(network, client, login,
                                                            django_capture_on_commit_callbacks):
    kid = network.child_nc
    with django_capture_on_commit_callbacks(execute=True):
        Diagnosis.objects.create(child=kid, code="E840", recorded_on=TODAY())
    login(network["nurse.nc"])
    detail = client.get(reverse("child-detail", args=[kid.pk])).content.decode()
    assert "Tier " in detail and reverse("complexity", args=[kid.pk]) in detail
    page = client.get(reverse("complexity", args=[kid.pk])).content.decode()
    assert 'id="reasons"' in page and "respiratory" in page.lower()
    assert client.post(reverse("complexity-recheck", args=[kid.pk])).status_code == 302
