"""Logging contacts by whatever channel works for the family."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from carecoord.careplans import services as plan_services
from carecoord.careplans.models import Action, CarePlan, Goal
from carecoord.contacts.models import Contact

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def post(client, network, **overrides):
    data = {"channel": "phone", "direction": "outbound",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "reached": "False",
            "notes": "No answer, left voicemail in Spanish"}
    data.update(overrides)
    return client.post(reverse("contact-new", args=[network.child_nc.pk]), data)


def test_three_missed_calls_prompt_another_channel_on_the_page(network, login):
    guardian = network.child_nc.household.guardians.get()
    guardian.preferred_channels, guardian.phone_can_text = ["phone", "text"], True
    guardian.save()
    client = login(network["nurse.nc"])
    for _ in range(3):
        assert post(client, network).status_code == 302
    page = client.get(reverse("contact-new", args=[network.child_nc.pk])).content.decode()
    assert "The last 3 attempts by" in page and "<strong>Text</strong> next" in page
    assert "Maria Rivera" in page  # who to reach, with their preferences, on the same page
    assert Contact.objects.filter(reached=False).count() == 3


def test_a_home_visit_that_moved_an_action_forward(network, login):
    plan = CarePlan.objects.get(child=network.child_nc)
    goal = plan_services.add_item(user=network["nurse.nc"], plan=plan,
                                  expected_version=plan.version, item=Goal(
                                      statement="Seizure plan at school", measure="Signed",
                                      target_date=TODAY + datetime.timedelta(days=30)))
    plan.refresh_from_db()
    action = plan_services.add_item(user=network["nurse.nc"], plan=plan,
                                    expected_version=plan.version, item=Action(
                                        goal=goal, description="Bring plan to school",
                                        owner="family", due_on=TODAY))
    client = login(network["nurse.nc"])
    response = post(client, network, channel="home_visit", reached="True",
                    duration_minutes="60", participants=["guardian", "child", "interpreter"],
                    guardian=network.child_nc.household.guardians.get().pk,
                    actions=[action.pk])
    assert response.status_code == 400  # interpreter without a language
    assert "Say which language was interpreted" in response.content.decode()
    from carecoord.accounts.models import Language
    response = post(client, network, channel="home_visit", reached="True",
                    duration_minutes="60", participants=["guardian", "child", "interpreter"],
                    interpreter_language=Language.objects.get(code="es").pk,
                    actions=[action.pk])
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert list(contact.actions.all()) == [action] and contact.staff == network["nurse.nc"]
    history = client.get(reverse("contact-list", args=[network.child_nc.pk])).content.decode()
    assert "Home visit" in history and "Bring plan to school" in history


def test_a_contact_cannot_be_in_the_future(network, login):
    client = login(network["nurse.nc"])
    later = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = post(client, network, occurred_at=later)
    assert response.status_code == 400 and "in the future" in response.content.decode()
    assert not Contact.objects.exists()


def test_actions_of_another_child_are_refused(network, login):
    other_plan = CarePlan.objects.get(child=network.child_ea)
    goal = Goal.objects.create(plan=other_plan, statement="x", measure="y",
                               target_date=TODAY)
    action = Action.objects.create(plan=other_plan, goal=goal, description="z", owner="family",
                                   due_on=TODAY)
    client = login(network["nurse.nc"])
    response = post(client, network, actions=[action.pk])
    assert response.status_code == 400 and not Contact.objects.exists()
