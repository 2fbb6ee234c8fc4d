"""The unmet-needs report: counts by region, domain and town for the hub's technical
assistance (every region), a center's staff (their own) and the state (counts only); nothing
for providers. No child ever appears in it or in its download."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from carecoord.accounts.models import Town
from carecoord.audit.models import AuditEvent
from carecoord.careplans.models import NeedDomain
from carecoord.unmetneeds.models import UnmetNeed
from tests.factories import child, enrolled
from tests.servicereferrals.helpers import TODAY, days_ago, need

pytestmark = pytest.mark.django_db


def entry(network, kid, domain, reason, *, days=10, town=None):
    town = Town.objects.get(name=town) if town else kid.household.town
    return UnmetNeed.objects.create(
        child=kid, need=need(kid, domain), reason=reason, details="Synthetic",
        recorded_on=days_ago(days), recorded_by=network["nurse.nc"], center=kid.center,
        region=town.region, town=town, domain=NeedDomain.objects.get(code=domain))


@pytest.fixture
def register(network):
    nc, ea = network.child_nc, network.child_ea
    entry(network, nc, "housing", "outside_control")
    entry(network, nc, "housing", "waitlist", town="West Hartford")
    entry(network, nc, "child_care", "waitlist")
    entry(network, nc, "housing", "cost", days=400)  # outside the default 12 months
    entry(network, ea, "housing", "outside_control")
    entry(network, ea, "behavioral_health", "waitlist")
    return network


def report(client, **params):
    response = client.get(reverse("unmet-needs-report"), params)
    assert response.status_code == 200
    return response.context["report"], response.content.decode()


def counts(rows):
    return {row["label"]: row["total"] for row in rows}


def test_the_hub_ta_counts_every_region_by_region_domain_and_town(register, login):
    result, page = report(login(register["ta.hub"]))
    assert result.total == 5
    assert counts(result.by_region) == {"Eastern": 2, "North Central": 3}
    assert counts(result.by_domain) == {"Behavioral health": 1, "Child care": 1, "Housing": 3}
    assert counts(result.by_town) == {"Hartford": 2, "Norwich": 2, "West Hartford": 1}
    housing = next(r for r in result.by_domain if r["label"] == "Housing")
    reasons = [value for value, _ in UnmetNeed.Reason.choices]
    assert dict(zip(reasons, housing["reasons"], strict=True)) == {
        "no_provider": 0, "waitlist": 1, "cost": 0, "eligibility": 0, "outside_control": 2}
    assert "Rivera" not in page and "Kowalski" not in page and "Sofia" not in page
    assert 'id="small-cell-note"' in page


def test_the_filters_narrow_by_period_region_and_domain(register, login):
    client = login(register["titlev.state"])
    eastern = register.east.region
    result, _ = report(client, region=eastern.pk)
    assert counts(result.by_region) == {"Eastern": 2}
    housing = NeedDomain.objects.get(code="housing")
    result, _ = report(client, domain=housing.pk)
    assert result.total == 3
    assert counts(result.by_domain) == {"Housing": 3}
    since = (TODAY - datetime.timedelta(days=500)).isoformat()
    result, _ = report(client, since=since, domain=housing.pk)
    assert counts(result.by_domain) == {"Housing": 4}
    result, _ = report(client, until=days_ago(11).isoformat(), since=since)
    assert result.total == 1  # only the old one
    response = client.get(reverse("unmet-needs-report"), {"since": TODAY.isoformat(),
                                                          "until": days_ago(1).isoformat()})
    assert response.status_code == 400


def test_a_centers_staff_count_their_own_center_only(register, login):
    result, page = report(login(register["supervisor.ea"]))
    assert counts(result.by_region) == {"Eastern": 2}
    assert "North Central" not in counts(result.by_region)
    # Another region asked for by hand: not theirs to filter by.
    response = login(register["nurse.ea"]).get(reverse("unmet-needs-report"),
                                               {"region": register.hub.region.pk})
    assert response.status_code == 400


def test_providers_and_users_without_a_role_get_404(register, login):
    for username in ("provider.nc", "norole"):
        client = login(register[username])
        assert client.get(reverse("unmet-needs-report")).status_code == 404
        assert client.get(reverse("unmet-needs-csv")).status_code == 404


def test_the_download_is_counts_at_the_finest_grain_and_audited(register, login):
    client = login(register["titlev.state"])
    response = client.get(reverse("unmet-needs-csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["region", "town", "domain", "reason", "unmet_needs"]
    assert rows[1:] == [
        ["Eastern", "Norwich", "Behavioral health", "Waitlist: no opening", "1"],
        ["Eastern", "Norwich", "Housing",
         "Outside the center's control (supply, e.g. housing)", "1"],
        ["North Central", "Hartford", "Housing",
         "Outside the center's control (supply, e.g. housing)", "1"],
        ["North Central", "Hartford", "Child care", "Waitlist: no opening", "1"],
        ["North Central", "West Hartford", "Housing", "Waitlist: no opening", "1"],
    ]
    text = response.content.decode()
    assert "Rivera" not in text and "Kowalski" not in text
    exported = AuditEvent.objects.get(action="export", object_type="unmetneeds.report")
    assert exported.detail["count"] == 5 and exported.actor_username == "titlev.state"
    client.get(reverse("unmet-needs-report"))
    assert AuditEvent.objects.filter(action="view", object_type="unmetneeds.report").exists()


def test_counts_follow_more_children_in_one_town(register, login):
    sibling = child(register.hub, first="Mia", last="Rivera")
    enrolled(sibling, register["nurse.nc"])
    from carecoord.careplans.models import CarePlan
    CarePlan.objects.create(enrollment=sibling.enrollments.get(), child=sibling,
                            center=sibling.center, language=sibling.preferred_language,
                            created_by=register["nurse.nc"])
    entry(register, sibling, "housing", "outside_control")
    result, _ = report(login(register["supervisor.nc"]))
    assert counts(result.by_town) == {"Hartford": 3, "West Hartford": 1}
    assert counts(result.by_domain) == {"Child care": 1, "Housing": 3}


def test_the_menu_links_the_report_for_those_who_may_see_it(register, login):
    link = f'href="{reverse("unmet-needs-report")}"'
    for username, shown in (("ta.hub", True), ("titlev.state", True), ("nurse.nc", True),
                            ("provider.nc", False)):
        page = login(register[username]).get(reverse("home"), follow=True).content.decode()
        assert (link in page) is shown, username
