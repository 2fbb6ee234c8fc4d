"""The directory pages as staff of two regions use them: who sees which entries (a center's
local entry never reaches another center), who may edit and verify, the stale flag."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from carecoord.accounts import policy
from carecoord.audit.models import AuditEvent
from carecoord.directory.models import Service

from .access_rows import EA_LOCAL, NC_LOCAL, STATEWIDE, entries
from .helpers import load, service_doc

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def directory(network):
    return entries(network)


def page(client, name, *args, **params):
    response = client.get(reverse(name, args=args), params)
    return response.status_code, response.content.decode()


def test_eastern_staff_never_see_a_north_central_local_entry(network, directory, login):
    for username in ("nurse.ea", "social.ea", "supervisor.ea", "admin.ea"):
        client = login(network[username])
        status, listing = page(client, "directory")
        assert status == 200
        assert "Diaper bank (Eastern local, test)" in listing
        assert "WIC – Hartford office (test)" in listing
        assert "North Central local" not in listing
        for name in ("directory-service", "directory-service-edit"):
            assert page(client, name, NC_LOCAL)[0] == 404
        assert client.post(reverse("directory-service-verify", args=[NC_LOCAL]),
                           {"version": 1}).status_code == 404
        assert policy.directory_services_for(network[username]).filter(pk=NC_LOCAL).count() == 0


def test_north_central_staff_see_statewide_and_their_own_local_entries(network, directory,
                                                                        login):
    client = login(network["nurse.nc"])
    listing = page(client, "directory")[1]
    assert "North Central local" in listing and "Eastern local" not in listing
    assert page(client, "directory", kept_by="local")[1].count("Diaper bank") == 1
    statewide_only = page(client, "directory", kept_by="statewide")[1]
    assert "WIC – Hartford office" in statewide_only and "Diaper bank" not in statewide_only
    assert page(client, "directory-service", EA_LOCAL)[0] == 404


def test_providers_and_the_state_have_no_directory_pages(network, directory, login):
    for username in ("provider.nc", "titlev.state", "norole"):
        client = login(network[username])
        assert page(client, "directory")[0] == 404
        assert page(client, "directory-service", STATEWIDE)[0] == 404


def test_the_detail_page_shows_the_hsds_facts(network, directory, login):
    status, text = page(login(network["social.nc"]), "directory-service", STATEWIDE)
    assert status == 200
    for fact in ("WIC – Hartford office (test)", "Test Organization (synthetic)",
                 "Statewide entry, kept by the hub", "Food (WIC and SNAP)", "860-555-0142",
                 "Monday to Friday, 9:00 AM to 5:00 PM", "English, Spanish", "Ages 0 to 21",
                 "1 Fictional Way", "Hartford", "Free", "Jan 15, 2026"):
        assert fact in text, fact
    assert "Mark verified today" not in text  # a coordinator does not keep statewide entries


def test_who_may_edit_which_entry(network, directory):
    statewide, nc_local = Service.objects.get(pk=STATEWIDE), Service.objects.get(pk=NC_LOCAL)
    may = {username for username in network.users
           if policy.can_edit_directory_service(network[username], statewide)}
    assert may == {"ta.hub", "supervisor.nc", "admin.nc"}
    may = {username for username in network.users
           if policy.can_edit_directory_service(network[username], nc_local)}
    assert may == {"nurse.nc", "social.nc", "supervisor.nc", "admin.nc", "ta.hub"}


def test_the_hub_edits_a_statewide_entry_and_it_is_audited(network, directory, login):
    client = login(network["ta.hub"])
    service = Service.objects.get(pk=STATEWIDE)
    response = client.post(reverse("directory-service-edit", args=[STATEWIDE]), {
        "version": service.version, "name": "WIC – Hartford office", "status": "active",
        "alert": "Closed Friday for training", "minimum_age": "0", "maximum_age": "4",
        "description": ""})
    assert response.status_code == 302
    service.refresh_from_db()
    assert (service.name, service.alert, service.maximum_age) == (
        "WIC – Hartford office", "Closed Friday for training", 4)
    assert service.description is None  # emptied: absent, as HSDS has it
    assert service.version == 2 and service.last_modified.endswith("Z")
    event = AuditEvent.objects.filter(object_type="directory.service", action="update").get()
    assert {"name", "alert", "maximum_age", "description"} <= set(event.detail["fields"])


def test_an_edit_from_a_stale_page_is_refused(network, directory, login):
    service = Service.objects.get(pk=NC_LOCAL)
    form = {"version": service.version, "name": "Mine", "status": "active"}
    first, second = login(network["nurse.nc"]), None
    assert first.post(reverse("directory-service-edit", args=[NC_LOCAL]), form).status_code == 302
    second = login(network["social.nc"])
    response = second.post(reverse("directory-service-edit", args=[NC_LOCAL]),
                           {**form, "name": "Theirs"})
    assert response.status_code == 409
    assert "Not saved: nurse.nc changed this entry" in response.content.decode()
    assert Service.objects.get(pk=NC_LOCAL).name == "Mine"


def test_ages_out_of_order_are_refused_on_the_form(network, directory, login):
    client = login(network["supervisor.nc"])
    service = Service.objects.get(pk=NC_LOCAL)
    response = client.post(reverse("directory-service-edit", args=[NC_LOCAL]), {
        "version": service.version, "name": service.name, "status": "active",
        "minimum_age": "10", "maximum_age": "3"})
    assert response.status_code == 400
    assert "The maximum age is at least the minimum age." in response.content.decode()


def test_mark_verified_today_clears_the_stale_flag(network, login):
    load(service_doc("Old entry", service_id=NC_LOCAL, assured_date="2023-03-01"),
         center=network.hub)
    client = login(network["nurse.nc"])
    listing = page(client, "directory", stale="on")[1]
    assert "Old entry" in listing and "Stale: not verified for over 12 months" in listing
    service = Service.objects.get(pk=NC_LOCAL)
    assert service.is_stale
    response = client.post(reverse("directory-service-verify", args=[NC_LOCAL]),
                           {"version": service.version})
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.assured_date == TODAY and service.verified_by == network["nurse.nc"]
    assert not service.is_stale
    text = page(client, "directory-service", NC_LOCAL)[1]
    assert "Old entry: verified today." in text
    assert "checked by Nurse NC" in text and "Stale" not in text
    assert "Old entry" not in page(client, "directory", stale="on")[1]


def test_verifying_from_a_stale_page_is_refused(network, directory, login):
    client = login(network["admin.nc"])
    response = client.post(reverse("directory-service-verify", args=[STATEWIDE]),
                           {"version": 99})
    assert response.status_code == 409
    assert "Not verified" in response.content.decode()
    assert Service.objects.get(pk=STATEWIDE).verified_by is None


def test_the_list_costs_the_same_queries_whatever_its_size(network, login):
    client = login(network["nurse.nc"])
    load([service_doc(f"Service {n}") for n in range(3)])
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("directory")).status_code == 200
    load([service_doc(f"More {n}", assured_date=(TODAY - datetime.timedelta(days=800))
                      .isoformat()) for n in range(40)])
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("directory")).status_code == 200
    assert len(many) == len(few)


def test_the_detail_page_costs_the_same_queries_whatever_the_service(network, login):
    small, large = service_doc("Small"), service_doc("Large")
    large["phones"] *= 1
    large["service_at_locations"].append({**large["service_at_locations"][0],
                                          "id": "7b0b9a5e-3c1e-4f43-9d8e-2a7f2c6a0b11"})
    load([small, large])
    client = login(network["nurse.nc"])
    counts = []
    for doc in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("directory-service", args=[doc["id"]])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
