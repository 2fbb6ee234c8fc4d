"""A coordinator follows a youth through the Six Core Elements on the transition page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from carecoord.audit.models import AuditEvent
from carecoord.transition.models import ElementCompletion

pytestmark = pytest.mark.django_db


@pytest.fixture
def youth(network):
    child = network.child_nc
    child.date_of_birth = timezone.localdate().replace(year=timezone.localdate().year - 19)
    child.save()
    return child


def record(client, child, element, done_on=None, note=""):
    return client.post(reverse("transition-element", args=[child.pk]), {
        "element": element, "done_on": (done_on or timezone.localdate()).isoformat(),
        "note": note})


def test_the_page_shows_what_is_due_for_the_age_and_the_child_page_links_to_it(
        network, youth, client, login):
    login(network.users["nurse.nc"])
    assert reverse("transition", args=[youth.pk]) in client.get(
        reverse("child-detail", args=[youth.pk])).content.decode()
    page = client.get(reverse("transition", args=[youth.pk])).content.decode()
    assert 'data-element="transition_policy" data-state="due"' in page
    assert 'data-element="transfer_of_care" data-state="due"' in page
    assert 'data-element="transfer_completion" data-state="upcoming"' in page


def test_recording_elements_moves_the_youth_along_and_is_audited(network, youth, client, login):
    login(network.users["nurse.nc"])
    response = record(client, youth, "transition_policy", note="Shared in Spanish at home")
    assert response.status_code == 302
    page = client.get(reverse("transition", args=[youth.pk])).content.decode()
    assert 'data-element="transition_policy" data-state="done"' in page
    assert "Shared in Spanish at home" in page
    completion = ElementCompletion.objects.get(record__child=youth)
    assert AuditEvent.objects.filter(object_type="transition.elementcompletion",
                                     object_id=completion.pk, child_id=youth.pk,
                                     action="create").exists()
    assert AuditEvent.objects.filter(action="view", child_id=youth.pk,
                                     object_type="transition.transitionrecord").exists()


def test_the_transfer_needs_the_adult_clinician_and_completion_follows_it(
        network, youth, client, login):
    login(network.users["nurse.nc"])
    refused = record(client, youth, "transfer_of_care")
    assert refused.status_code == 400
    assert "Name the adult clinician" in refused.content.decode()
    early = record(client, youth, "transfer_completion")
    assert early.status_code == 400 and "after the transfer of care" in early.content.decode()
    future = record(client, youth, "transition_policy",
                    timezone.localdate() + datetime.timedelta(days=1))
    assert "The date is in the future." in future.content.decode()

    edit = reverse("transition-edit", args=[youth.pk])
    form = client.get(edit).content.decode()
    assert 'name="version" value="1"' in form
    assert client.post(edit, {"adult_clinician": "Dr. Ana Lopez (internal medicine)",
                              "version": "1"}).status_code == 302
    assert record(client, youth, "transfer_of_care",
                  timezone.localdate() - datetime.timedelta(days=100)).status_code == 302
    youth.transition.refresh_from_db()
    assert youth.transition.last_pediatric_visit_on == (
        timezone.localdate() - datetime.timedelta(days=100))
    page = client.get(reverse("transition", args=[youth.pk])).content.decode()
    assert 'data-element="transfer_completion" data-state="due"' in page


def test_a_stale_edit_of_the_adult_care_details_is_refused_and_shown(
        network, youth, client, login):
    login(network.users["nurse.nc"])
    edit = reverse("transition-edit", args=[youth.pk])
    client.post(edit, {"adult_clinician": "Dr. Ana Lopez", "version": "1"})
    client.post(edit, {"adult_clinician": "Dr. Ben Ortiz", "version": "2"})
    stale = client.post(edit, {"adult_clinician": "Dr. Carla Diaz", "version": "2"})
    assert stale.status_code == 409
    text = stale.content.decode()
    assert "Dr. Ben Ortiz" in text and "Dr. Carla Diaz" in text
    youth.transition.refresh_from_db()
    assert youth.transition.adult_clinician == "Dr. Ben Ortiz"


def test_the_reminder_job_follows_what_is_recorded(network, youth, client, login):
    from carecoord.contacts.jobs import create_due_tasks
    from carecoord.contacts.models import Task

    create_due_tasks()
    first = Task.objects.get(child=youth, kind="transition")
    assert "Transition policy" in first.title
    login(network.users["nurse.nc"])
    record(client, youth, "transition_policy")
    create_due_tasks()
    tasks = dict(Task.objects.filter(child=youth, kind="transition")
                 .values_list("title", "status"))
    assert tasks == {"Transition: Transition policy / guide (element 1)": "done",
                     "Transition: Tracking and monitoring (element 2)": "open"}


def test_a_provider_reads_but_cannot_record(network, youth, client, login):
    login(network.users["provider.nc"])
    page = client.get(reverse("transition", args=[youth.pk])).content.decode()
    assert "Record an element done" not in page
    assert record(client, youth, "transition_policy").status_code == 404
