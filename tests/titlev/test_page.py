"""The analysts' page: its counts are the export's, problems name the child (or, for those who
may not see names, the pseudonym) and the field, downloads are audited, identified files go
only to those the center's setting is for, and everyone else gets a 404."""

import csv
import io
import re
from collections import Counter

import pytest
from django.urls import reverse

from carecoord.accounts.models import User
from carecoord.audit.models import AuditEvent
from carecoord.titlev import coverage
from carecoord.titlev.deidentify import person_pseudo_id
from carecoord.titlev.models import ReportingSettings
from tests.factories import PASSWORD, child, enrolled
from tests.titlev.conftest import D

pytestmark = pytest.mark.django_db
PAGE = reverse("titlev")


def sign_in(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def download(client, scope, name, year=2026):
    response = client.get(reverse("titlev-file", args=[year, scope, name]))
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def rows_of(body):
    return list(csv.DictReader(io.StringIO(body)))


def identify(center):
    ReportingSettings.objects.create(center=center, identified=True,
                                     identified_basis="DPH CMHI contract, exhibit B")


@pytest.mark.parametrize("scope", ["all-centers", "north-central", "eastern"])
def test_the_page_shows_the_export_s_totals(network, year, client, scope):
    sign_in(client, "titlev.state")
    response = client.get(PAGE, {"year": 2026, "center": scope})
    assert response.status_code == 200
    exported = Counter((r["population_type"], r["coverage_category"])
                       for r in rows_of(download(client, scope, "export.csv")))
    table = {row["key"]: row for row in response.context["table"]}
    for population in ("infant", "child", "other"):
        assert table[population]["total"] == sum(
            n for (p, _), n in exported.items() if p == population)
        assert table[population]["categories"] == [exported[population, c]
                                                   for c in coverage.CATEGORIES]
    assert table["total"]["total"] == sum(exported.values())
    assert table["cshcn"]["total"] == table["infant"]["total"] + table["child"]["total"]
    # The counts file says the same as the page.
    counts = {r["population_type"]: r for r in rows_of(download(client, scope, "counts.csv"))
              if r["center_id"] == scope}
    for key, row in table.items():
        assert [int(counts[key][c]) for c in ("total", *coverage.CATEGORIES)] == [
            row["total"], *row["categories"]]
    html = response.content.decode()
    total_row = re.search(r"<th scope=\"row\">All served</th><td>([\d,]+)</td>", html)
    assert int(total_row.group(1).replace(",", "")) == sum(exported.values())


def test_all_centers_shows_each_center_and_the_unduplicated_count(network, year, client):
    sign_in(client, "ta.hub")
    response = client.get(PAGE, {"year": 2026})
    by_center = {row["code"]: row for row in response.context["by_center"]}
    assert (by_center["north-central"]["total"], by_center["eastern"]["total"]) == (6, 2)
    assert by_center["north-central"]["others"] == 1 and by_center["eastern"]["cshcn"] == 2
    # The child who moved is a row at each center and one child across the network.
    assert (response.context["all_centers_sum"], response.context["unduplicated"]) == (8, 7)
    measures = {m.id: m for m in response.context["measures"]}
    assert (measures["medical_home_identified"].numerator,
            measures["medical_home_identified"].denominator) == (1, 8)
    assert (measures["transition_plan_documented"].numerator,
            measures["transition_plan_documented"].denominator) == (1, 2)


def test_problems_name_the_child_for_the_center_and_the_pseudonym_for_the_state(
        network, year, client):
    sign_in(client, "supervisor.nc")
    response = client.get(PAGE, {"year": 2026})
    html = response.content.decode()
    assert response.context["problem_count"] == 2  # Eastern's problem is not theirs
    assert "Lucas Sinseguro" in html and "<code>insurance_type</code>" in html
    assert reverse("child-detail", args=[year.no_insurance.pk]) in html
    listed = AuditEvent.objects.filter(action="list", object_type="families.child").latest("at")
    assert listed.detail["ids"] == [year.no_insurance.pk]

    sign_in(client, "titlev.state")
    html = client.get(PAGE, {"year": 2026}).content.decode()
    assert "Sinseguro" not in html and "Fuera" not in html
    assert person_pseudo_id(year.no_insurance.pk) in html
    assert person_pseudo_id(year.out_of_region.pk) in html and "<code>town</code>" in html

    sign_in(client, "ta.hub")  # names for the hub's own children only
    html = client.get(PAGE, {"year": 2026}).content.decode()
    assert "Lucas Sinseguro" in html and "Fuera" not in html


def test_identified_files_go_to_the_state_and_the_center_not_to_other_centers(
        network, year, client):
    identify(network.east)
    assert "Fuera" in download(sign_in(client, "titlev.state"), "eastern", "export.csv")
    assert "Fuera" in download(sign_in(client, "supervisor.ea"), "eastern", "export.csv")
    assert "Fuera" not in download(sign_in(client, "ta.hub"), "eastern", "export.csv")
    # A file mixing an identified and a de-identified center names no one.
    everything = download(sign_in(client, "titlev.state"), "all-centers", "export.csv")
    assert "Fuera" not in everything and "first_name" not in everything.splitlines()[0]
    problems = download(sign_in(client, "supervisor.ea"), "eastern", "problems.csv")
    assert rows_of(problems)[0]["child"] == "Emma Fuera"


def test_downloads_are_audited(network, year, client):
    sign_in(client, "titlev.state")
    download(client, "north-central", "export.json")
    event = AuditEvent.objects.filter(action="export").latest("at")
    assert event.object_type == "titlev.export" and event.center_id == network.hub.pk
    assert event.detail == {"count": 6, "reporting_ffy": 2026, "scope": "north-central",
                            "file": "export.json", "identified": False}
    download(client, "all-centers", "dictionary.csv")
    assert AuditEvent.objects.filter(action="export").latest("at").object_type == (
        "titlev.dictionary")


def test_a_download_is_named_for_its_year_and_center(network, year, client):
    sign_in(client, "titlev.state")
    response = client.get(reverse("titlev-file", args=[2026, "eastern", "counts.csv"]))
    assert response["Content-Disposition"] == (
        'attachment; filename="titlev-2026-eastern-counts.csv"')
    assert response["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize("username", ["nurse.nc", "social.ea", "provider.nc", "provider.ea",
                                      "norole"])
def test_coordinators_providers_and_others_get_404(network, year, client, username):
    sign_in(client, username)
    assert client.get(PAGE).status_code == 404
    assert client.get(reverse("titlev-file", args=[2026, "north-central",
                                                   "export.csv"])).status_code == 404


def test_a_center_s_staff_see_only_their_center(network, year, client):
    sign_in(client, "supervisor.nc")
    response = client.get(PAGE, {"year": 2026})
    assert response.context["scope"] == "north-central"
    assert [c for c, _ in response.context["form"].fields["center"].choices] == [
        "north-central"]
    assert client.get(PAGE, {"center": "eastern"}).status_code == 404
    assert client.get(PAGE, {"center": "all-centers"}).status_code == 404
    assert client.get(reverse("titlev-file", args=[2026, "eastern",
                                                   "export.csv"])).status_code == 404


def test_a_year_outside_the_list_is_refused(network, year, client):
    sign_in(client, "titlev.state")
    response = client.get(PAGE, {"year": 1999})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert client.get(reverse("titlev-file", args=[2100, "eastern",
                                                   "export.csv"])).status_code == 404


def test_the_page_is_labelled_and_captioned(network, year, client):
    sign_in(client, "titlev.state")
    html = client.get(PAGE, {"year": 2026}).content.decode()
    assert '<label for="id_year">' in html and '<label for="id_center">' in html
    tables = html.count("<table")
    assert tables >= 5 and html.count("<caption>") == tables
    assert 'scope="col"' in html and 'scope="row"' in html


def test_only_superusers_edit_the_setting_in_the_admin(network, client):
    staff = User.objects.create_user("staff.admin", password=PASSWORD, is_staff=True)
    client.force_login(staff)
    assert client.get("/admin/titlev/reportingsettings/add/").status_code == 403
    root = User.objects.create_superuser("root", password=PASSWORD)
    client.force_login(root)
    assert client.get("/admin/titlev/reportingsettings/add/").status_code == 200
    response = client.post("/admin/titlev/reportingsettings/add/", {
        "center": network.east.pk, "identified": "on", "identified_basis": ""})
    assert response.status_code == 200 and not ReportingSettings.objects.exists()
    client.post("/admin/titlev/reportingsettings/add/", {
        "center": network.east.pk, "identified": "on", "identified_basis": "Contract B"})
    assert ReportingSettings.objects.get().identified
    assert AuditEvent.objects.filter(object_type="titlev.reportingsettings",
                                     center_id=network.east.pk).exists()


def test_the_page_costs_the_same_queries_whatever_the_number_of_children(network, year, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign_in(client, "supervisor.nc")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PAGE, {"year": 2026}).status_code == 200
        return len(captured)

    before = queries()
    for n in range(5):
        kid = child(network.hub, first=f"Extra{n}", last="Nino", dob=D(2015, 1, 1 + n))
        enrolled(kid, network["nurse.nc"], start=D(2026, 2, 1 + n))
        kid.household.zip_code = ""
        kid.household.save()
    assert queries() == before
