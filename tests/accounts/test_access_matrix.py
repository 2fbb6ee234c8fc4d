"""Walks every page and endpoint as every role of every region and checks that nothing leaks:
out of scope is 404 (the record might as well not exist), never a name on a page."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.acuity import access_rows as acuity_rows
from tests.careplans import pdf_access_rows as care_plan_pdf_rows
from tests.connections import access_rows as connections_rows
from tests.coverage import access_rows as coverage_rows
from tests.directory import access_rows as directory_rows
from tests.education import access_rows as education_rows
from tests.factories import PASSWORD
from tests.interop import access_rows as interop_rows
from tests.peersupport import access_rows as peersupport_rows
from tests.reporting import access_rows as reporting_rows
from tests.servicereferrals import access_rows as servicereferrals_rows
from tests.sharing import access_rows as sharing_rows
from tests.technicalassistance import access_rows as technicalassistance_rows
from tests.titlev import access_rows as titlev_rows
from tests.transition import access_rows as transition_rows
from tests.unmetneeds import access_rows as unmetneeds_rows

pytestmark = pytest.mark.django_db

NC_STAFF = {"nurse.nc", "social.nc", "supervisor.nc", "admin.nc", "ta.hub"}
EA_STAFF = {"nurse.ea", "social.ea", "supervisor.ea", "admin.ea"}
CENTER_STAFF = NC_STAFF | EA_STAFF
PROVIDERS = {"provider.nc", "provider.ea"}
INTAKE = {"nurse.nc", "social.nc", "supervisor.nc", "admin.nc",
          "nurse.ea", "social.ea", "supervisor.ea", "admin.ea"}
EVERYONE = CENTER_STAFF | PROVIDERS | {"titlev.state", "norole"}
CHILD_NAMES = {"nc": "Rivera", "ea": "Kowalski"}


def _pages(network):
    """(url name, method, url, users who may open it, status they get, region of the child the
    page is about or None)."""
    ref_nc, ref_ea = network.child_nc.referrals.get(), network.child_ea.referrals.get()
    pages = [
        ("caseload", "get", reverse("caseload"), CENTER_STAFF | PROVIDERS, 200, None),
        ("caseload", "get", reverse("caseload") + "?scope=center", CENTER_STAFF | PROVIDERS,
         200, None),
        ("caseload-export", "get", reverse("caseload-export") + "?scope=center", CENTER_STAFF,
         200, None),
        ("referral-list", "get", reverse("referral-list"), CENTER_STAFF, 200, None),
        ("referral-new", "get", reverse("referral-new"), INTAKE, 200, None),
        ("referral-check", "get", reverse("referral-check") + "?child-first_name=Liam&"
         "child-last_name=Kowalski&child-date_of_birth=2016-04-02", INTAKE, 200, None),
        ("center", "get", reverse("center"), {"supervisor.nc", "supervisor.ea", "admin.nc",
                                              "admin.ea", "ta.hub"}, 200, None),
        ("my-day", "get", reverse("my-day"), {"nurse.nc", "social.nc", "supervisor.nc",
                                              "nurse.ea", "social.ea", "supervisor.ea"},
         200, None),
        ("task-close", "post", reverse("task-close", args=[999999]), set(), 404, None),
        ("network", "get", reverse("network"), {"ta.hub", "titlev.state"}, 200, None),
        ("audit-log", "get", reverse("audit-log"), {"admin.nc", "admin.ea"}, 200, None),
        ("assignment-queue", "get", reverse("assignment-queue"),
         {"supervisor.nc", "supervisor.ea"}, 200, None),
        ("rebalance", "get", reverse("rebalance", args=[network.users["nurse.nc"].pk]),
         {"supervisor.nc"}, 200, None),
        ("population", "get", reverse("population"), {"ta.hub", "titlev.state"}, 200, None),
        ("population-run", "get", reverse("population-run", args=[999999]), set(), 404, None),
        ("population-file", "get", reverse("population-file", args=[999999, "outreach.csv"]),
         set(), 404, None),
    ]
    for app in (directory_rows, interop_rows, titlev_rows, servicereferrals_rows,
                unmetneeds_rows, sharing_rows, reporting_rows, technicalassistance_rows):
        pages += [(*row, None) for row in app.center_rows(network)]
    editors = {"nc": {"nurse.nc", "social.nc", "supervisor.nc"},
               "ea": {"nurse.ea", "social.ea", "supervisor.ea"}}
    for region, child, referral, staff, provider in (
        ("nc", network.child_nc, ref_nc, NC_STAFF, "provider.nc"),
        ("ea", network.child_ea, ref_ea, EA_STAFF, "provider.ea"),
    ):
        pages += [
            ("child-detail", "get", reverse("child-detail", args=[child.pk]),
             staff | {provider}, 200, region),
            ("child-edit", "get", reverse("child-edit", args=[child.pk]), editors[region], 200,
             region),
            ("guardian-edit", "get", reverse("guardian-edit", args=[
                child.pk, child.household.guardians.get().pk]), editors[region], 200, region),
            ("consent-new", "get", reverse("consent-new", args=[child.pk]), editors[region],
             200, region),
            ("consent-revoke", "post", reverse("consent-revoke", args=[
                child.pk, child.consents.get().pk]), editors[region], 302, region),
            ("care-plan", "get", reverse("care-plan", args=[child.pk]), staff | {provider},
             200, region),
            ("care-plan-start", "post", reverse("care-plan-start", args=[child.pk]), set(),
             404, region),  # the plan exists: starting another is never offered
            ("care-plan-add", "post", reverse("care-plan-add", args=[child.pk, "strengths"]),
             editors[region], 400, region),
            ("care-plan-status", "post", reverse("care-plan-status",
                                                 args=[child.pk, "goals", 1]),
             editors[region], 400, region),
            ("care-plan-reviewed", "post", reverse("care-plan-reviewed", args=[child.pk]),
             editors[region], 400, region),
            ("care-plan-call-review", "post", reverse("care-plan-call-review",
                                                      args=[child.pk]),
             editors[region], 400, region),
            ("care-plan-agree", "post", reverse("care-plan-agree", args=[child.pk]),
             editors[region], 400, region),
            ("care-plan-compare", "get", reverse("care-plan-compare", args=[child.pk]), set(),
             404, region),  # no agreed versions yet
            ("assessment-list", "get", reverse("assessment-list", args=[child.pk]),
             staff | {provider}, 200, region),
            ("assessment-new", "get", reverse("assessment-new", args=[
                child.pk, "carecoord-protective-factors-checkin"]), editors[region], 200, region),
            ("assessment-history", "get", reverse("assessment-history", args=[
                child.pk, "carecoord-protective-factors-checkin"]), staff | {provider}, 200,
             region),
            ("assessment-detail", "get", reverse("assessment-detail", args=[child.pk, 999999]),
             set(), 404, region),  # nothing administered yet
            ("assessment-add-goal", "post", reverse("assessment-add-goal", args=[
                child.pk, 999999, "social_connections"]), set(), 404, region),
            ("assessment-add-need", "post", reverse("assessment-add-need", args=[
                child.pk, 999999, "food"]), set(), 404, region),
            ("contact-list", "get", reverse("contact-list", args=[child.pk]), staff, 200,
             region),
            ("contact-new", "get", reverse("contact-new", args=[child.pk]), editors[region], 200,
             region),
            ("task-new", "get", reverse("task-new", args=[child.pk]), editors[region], 200,
             region),
            ("child-reassign", "post", reverse("child-reassign", args=[child.pk]),
             staff | {provider}, 400, region),
            ("child-discharge", "post", reverse("child-discharge", args=[child.pk]),
             staff | {provider}, 400, region),
            ("referral-detail", "get", reverse("referral-detail", args=[referral.pk]),
             staff, 200, region),
        ]
        for workflow in (education_rows, transition_rows, peersupport_rows, coverage_rows,
                         connections_rows, acuity_rows, directory_rows, care_plan_pdf_rows,
                         interop_rows, titlev_rows, servicereferrals_rows, unmetneeds_rows,
                         sharing_rows, reporting_rows, technicalassistance_rows):
            pages += [(*row, region) for row in workflow.rows(
                child, staff=staff, editors=editors[region], provider=provider)]
        for action in ("screen", "accept", "decline", "enroll"):
            pages.append((f"referral-{action}", "post",
                          reverse(f"referral-{action}", args=[referral.pk]), staff, 400, region))
    return pages


def _named_routes(resolver=None, prefix=""):
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            continue  # the admin: checked separately below
        if isinstance(pattern, URLPattern) and pattern.name:
            names.add(pattern.name)
    return names


def test_the_matrix_covers_every_page(network):
    covered = {name for name, *_ in _pages(network)} | {"home", "login", "logout"}
    assert _named_routes() == covered, "a new page needs a row in the access matrix"


@pytest.mark.parametrize("username", sorted(EVERYONE))
def test_each_role_sees_only_its_scope(network, client, username):
    assert client.login(username=username, password=PASSWORD)
    for name, method, url, allowed, status, region in _pages(network):
        response = getattr(client, method)(url)
        expected = status if username in allowed else 404
        assert response.status_code == expected, f"{username} {method.upper()} {url}"
        if response.status_code == 200:
            text = response.content.decode()
            for other_region, last_name in CHILD_NAMES.items():
                may_see = username in (NC_STAFF | {"provider.nc"} if other_region == "nc"
                                       else EA_STAFF | {"provider.ea"})
                if not may_see:
                    assert last_name not in text, f"{username} saw {last_name} at {url}"


def test_nothing_changed_while_walking(network, client):
    for username in EVERYONE:
        client.login(username=username, password=PASSWORD)
        for _, method, url, *_ in _pages(network):
            getattr(client, method)(url)
    assert network.child_nc.referrals.get().status == "enrolled"
    assert network.child_nc.enrollments.get().is_open


def test_home_sends_each_role_to_its_start_page(network, client):
    starts = {"nurse.nc": "/today/", "supervisor.nc": "/center/", "ta.hub": "/network/",
              "titlev.state": "/network/", "provider.nc": reverse("shared-plans"),
              "admin.ea": "/center/"}
    for username, start in starts.items():
        client.login(username=username, password=PASSWORD)
        assert client.get("/").url == start
    client.login(username="norole", password=PASSWORD)
    assert client.get("/").status_code == 403


def test_signed_out_visitors_reach_only_the_sign_in_page(network, client):
    for _, method, url, *_ in _pages(network):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/"), url
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/healthz").content == b"ok"  # for the load balancer, no data


def test_the_admin_is_closed_to_staff_without_admin_rights(network, client):
    client.login(username="supervisor.nc", password=PASSWORD)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_provider_loses_sight_when_consent_expires_or_is_revoked(network, client):
    client.login(username="provider.nc", password=PASSWORD)
    url = reverse("child-detail", args=[network.child_nc.pk])
    assert client.get(url).status_code == 200
    consent = network.child_nc.consents.get()
    consent.revoked_on = consent.given_on
    consent.save()
    assert client.get(url).status_code == 404
    assert "Rivera" not in client.get(reverse("caseload")).content.decode()


def test_provider_does_not_see_a_child_of_another_practice_even_with_consent(network, client):
    from tests.factories import consent
    consent(network.child_ea, network.practice_nc)  # consent to a practice that is not the PCP
    client.login(username="provider.nc", password=PASSWORD)
    assert client.get(reverse("child-detail", args=[network.child_ea.pk])).status_code == 404


def test_a_narrower_consent_does_not_open_the_record_to_the_practice(network, client):
    """Consent to share education or peer-support details with the PCP's practice is not
    consent to share the care plan."""
    consent = network.child_nc.consents.get()
    client.login(username="provider.nc", password=PASSWORD)
    url = reverse("child-detail", args=[network.child_nc.pk])
    for scope, status in (("education", 404), ("peer_support", 404), ("full_record", 200),
                          ("care_plan", 200)):
        consent.scope = scope
        consent.save()
        assert client.get(url).status_code == status, scope
