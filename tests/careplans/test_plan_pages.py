"""The care plan pages as coordinators use them, including two people editing at once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from carecoord.careplans.models import CarePlan, Need, NeedDomain, Strength
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def plan_of(network):
    return CarePlan.objects.get(child=network.child_nc)


def hidden(response):
    return {"plan_version": response.context["plan"].version,
            "loaded_at": response.context["loaded_at"]}


def test_start_a_plan_from_the_child_page(network, login):
    child = factories.child(network.hub, first="Ana", last="Zapata")
    factories.enrolled(child, network["nurse.nc"])
    client = login(network["nurse.nc"])
    page = client.get(reverse("care-plan", args=[child.pk])).content.decode()
    assert "Start the care plan" in page
    response = client.post(reverse("care-plan-start", args=[child.pk]))
    assert response.status_code == 302
    assert CarePlan.objects.get(child=child).status == "draft"


def test_add_a_need_outside_the_center_control_through_the_page(network, login):
    client = login(network["nurse.nc"])
    url = reverse("care-plan", args=[network.child_nc.pk])
    loaded = client.get(url)
    data = {**hidden(loaded), "needs-domain": NeedDomain.objects.get(code="housing").pk,
            "needs-description": "Accessible apartment", "needs-raised_by": "family",
            "needs-family_priority": "high", "needs-provider_priority": "low",
            "needs-reach": "outside_control", "needs-expectation": ""}
    refused = client.post(reverse("care-plan-add", args=[network.child_nc.pk, "needs"]), data)
    assert refused.status_code == 400
    assert "write down the expectation discussed with the family" in refused.content.decode()
    data["needs-expectation"] = "We help with applications; we cannot supply housing."
    assert client.post(reverse("care-plan-add", args=[network.child_nc.pk, "needs"]),
                       data).status_code == 302
    page = client.get(url).content.decode()
    assert "Outside the center's control." in page
    assert "Priorities differ" in page


def test_second_coordinator_is_refused_and_sees_the_first_change(network, login, client):
    url = reverse("care-plan", args=[network.child_nc.pk])
    add = reverse("care-plan-add", args=[network.child_nc.pk, "strengths"])
    nurse = login(network["nurse.nc"])
    nurse_page = nurse.get(url)
    social = type(client)()
    social.force_login(network["social.nc"])
    social_page = social.get(url)

    assert nurse.post(add, {**hidden(nurse_page), "strengths-text": "Grandmother helps daily",
                            "strengths-protective_factor": "social_connections"}
                      ).status_code == 302
    response = social.post(add, {**hidden(social_page), "strengths-text": "Loves soccer"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Not saved: this plan was changed after you opened it" in page
    assert "nurse.nc" in page and "Loves soccer" in page  # their change; my entry kept
    assert list(Strength.objects.values_list("text", flat=True)) == ["Grandmother helps daily"]


def test_the_comparison_shows_versions_side_by_side(network, login):
    from carecoord.careplans import services
    from carecoord.careplans.models import Action, FamilyPriority, Goal
    plan = plan_of(network)
    nurse = network["nurse.nc"]

    def fresh():
        plan.refresh_from_db()
        return plan.version

    services.add_item(user=nurse, plan=plan, expected_version=fresh(),
                      item=FamilyPriority(text="Fewer ER visits", language=plan.language))
    goal = services.add_item(user=nurse, plan=plan, expected_version=fresh(), item=Goal(
        statement="Seizure action plan at school", measure="Plan signed by school nurse",
        target_date=TODAY + datetime.timedelta(days=30)))
    action = services.add_item(user=nurse, plan=plan, expected_version=fresh(), item=Action(
        goal=goal, description="Bring plan to school nurse", owner="family",
        due_on=TODAY + datetime.timedelta(days=7)))
    guardian = network.child_nc.household.guardians.get()
    services.agree(user=nurse, plan=plan, expected_version=fresh(), agreed_on=TODAY,
                   how="phone", guardian=guardian)
    services.update_item(user=nurse, plan=plan, expected_version=fresh(), item=action,
                         status="done")
    services.agree(user=nurse, plan=plan, expected_version=fresh(), agreed_on=TODAY,
                   how="in_person", guardian=guardian)
    page = login(nurse).get(reverse("care-plan-compare", args=[network.child_nc.pk]))
    text = page.content.decode()
    assert "version 1 and version 2" in text
    assert "status: to_do" in text and "status: done" in text
    assert text.count('class="diff-changed"') == 1


def test_provider_reads_the_plan_but_cannot_change_it(network, client):
    client.force_login(network["provider.nc"])
    page = client.get(reverse("care-plan", args=[network.child_nc.pk])).content.decode()
    assert "Care plan for Sofia Rivera" in page and "Add a need" not in page
    response = client.post(reverse("care-plan-add", args=[network.child_nc.pk, "strengths"]),
                           {"plan_version": 1, "strengths-text": "x"})
    assert response.status_code == 404 and not Need.objects.exists()
