"""Two people editing the same record: the second save is refused and shown, never silently
overwriting the first."""

import pytest
from django.urls import reverse

from carecoord.families.models import Child, Guardian

pytestmark = pytest.mark.django_db


def form_data(response):
    """What the browser would send back: the form as loaded, field by field."""
    form = response.context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value in (None, ""):
            continue
        key = form.add_prefix(name)
        if isinstance(value, (list, tuple)):
            data[key] = [getattr(v, "pk", v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[key] = "on"
        else:
            data[key] = getattr(value, "pk", value)
    return data


def test_edit_saves_and_bumps_the_version(network, login):
    client = login(network["nurse.nc"])
    url = reverse("child-edit", args=[network.child_nc.pk])
    data = form_data(client.get(url))
    data["school_name"] = "Burr Elementary School"
    assert client.post(url, data).status_code == 302
    child = Child.objects.get(pk=network.child_nc.pk)
    assert (child.school_name, child.version) == ("Burr Elementary School", 2)


def test_second_save_from_a_stale_form_is_refused_and_shown(network, client, login):
    url = reverse("child-edit", args=[network.child_nc.pk])
    nurse = login(network["nurse.nc"])
    nurse_form = form_data(nurse.get(url))
    supervisor_client = type(client)()
    supervisor_client.force_login(network["supervisor.nc"])
    supervisor_form = form_data(supervisor_client.get(url))

    nurse_form["school_name"] = "Burr Elementary School"
    assert nurse.post(url, nurse_form).status_code == 302
    supervisor_form["school_name"] = "Kinsella Magnet School"
    supervisor_form["grade"] = "4"
    response = supervisor_client.post(url, supervisor_form)

    assert response.status_code == 409
    page = response.content.decode()
    assert "Not saved: nurse.nc changed this record" in page
    assert "Burr Elementary School" in page and "Kinsella Magnet School" in page
    child = Child.objects.get(pk=network.child_nc.pk)
    assert child.school_name == "Burr Elementary School" and child.grade == ""
    # Having seen the other change, saving again is a deliberate choice and goes through.
    again = form_data(response)
    assert supervisor_client.post(url, again).status_code == 302
    assert Child.objects.get(pk=network.child_nc.pk).school_name == "Kinsella Magnet School"


def test_guardian_contact_preferences_are_edited_with_the_same_protection(network, login):
    guardian = network.child_nc.household.guardians.get()
    url = reverse("guardian-edit", args=[network.child_nc.pk, guardian.pk])
    client = login(network["social.nc"])
    data = form_data(client.get(url))
    data.update({"preferred_channels": ["text", "home_visit"], "phone_can_text": "on",
                 "best_days": ["tue", "thu"], "best_time_from": "17:00",
                 "best_time_to": "19:30"})
    assert client.post(url, data).status_code == 302
    guardian.refresh_from_db()
    assert guardian.preferred_channels == ["text", "home_visit"]
    stale = dict(data, contact_notes="Call after work")
    response = client.post(url, stale)
    assert response.status_code == 409
    assert Guardian.objects.get(pk=guardian.pk).contact_notes == ""


def test_edit_errors_name_the_field(network, login):
    client = login(network["nurse.nc"])
    url = reverse("child-edit", args=[network.child_nc.pk])
    data = form_data(client.get(url))
    data["date_of_birth"] = "2999-01-01"
    response = client.post(url, data)
    assert response.status_code == 400
    assert "The date of birth is in the future." in response.content.decode()
