"""The fixed part of the demo network: centers, staff, the provider directory."""

import re
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from carecoord.accounts.models import Center, Discipline, Role, User
from carecoord.demo.directory import DEMO_PASSWORD
from carecoord.demo.logins import DEMO_URL
from carecoord.families.models import Clinician, Practice
from carecoord.families.npi import npi_problem

pytestmark = pytest.mark.django_db

FICTIONAL_PHONE = re.compile(r"^\d{3}-555-01\d\d$")
HUB_TOWNS = {"North Central": "Hartford", "Northwest": "Waterbury", "Eastern": "Norwich",
             "South Central": "New Haven", "Southwest": "Stamford"}


def test_five_centers_one_per_region_and_one_hub(demo_network):
    centers = list(Center.objects.select_related("region", "town"))
    assert len(centers) == 5
    assert {c.region.name: c.town.name for c in centers} == HUB_TOWNS
    hubs = [c for c in centers if c.is_hub]
    assert [c.region.name for c in hubs] == ["North Central"]
    for center in centers:
        center.full_clean()
        assert center.town.region_id == center.region_id
        assert FICTIONAL_PHONE.match(center.phone)
        assert "Center for Care Coordination" in center.name


def test_staff_cover_every_discipline_at_every_center(demo_network):
    staff = User.objects.filter(center__isnull=False)
    assert 22 <= staff.count() <= 32
    for center in Center.objects.all():
        disciplines = set(staff.filter(center=center, role=Role.COORDINATOR)
                          .values_list("discipline", flat=True))
        assert disciplines == set(Discipline.values), center
        assert staff.filter(center=center, role=Role.SUPERVISOR).exists()
    hub_roles = Counter(staff.filter(center__is_hub=True).values_list("role", flat=True))
    assert hub_roles[Role.HUB_TA] == 1 and hub_roles[Role.CENTER_ADMIN] == 1
    assert hub_roles[Role.COORDINATOR] == 9
    coordinators = staff.filter(role=Role.COORDINATOR)
    assert all(u.caseload_capacity for u in coordinators)
    assert coordinators.filter(fte__lt=1).exists()
    spoken = Counter(code for u in staff.prefetch_related("languages")
                     for code in (lang.code for lang in u.languages.all()))
    assert spoken["es"] >= 5 and spoken["pt"] >= 1 and spoken["pl"] >= 1


def test_every_login_validates_and_shares_one_password(demo_network):
    users = list(User.objects.all())
    for user in users:
        user.full_clean()
    assert len({u.password for u in users}) == 1
    providers = User.objects.filter(role=Role.PROVIDER).select_related("practice__town__region")
    assert providers.count() == 2
    for provider in providers:
        assert provider.practice.kind == Practice.Kind.PRIMARY_CARE
        assert provider.practice.town.region.name == "North Central"
        assert provider.center is None
    analyst = User.objects.get(role=Role.TITLE_V)
    assert analyst.center is None
    assert User.objects.get(username="admin").is_superuser


def test_directory_has_practices_of_every_kind_in_each_region(demo_network):
    for center in Center.objects.all():
        practices = Practice.objects.filter(town__region=center.region_id)
        assert 10 <= practices.count() <= 15
        assert set(practices.values_list("kind", flat=True)) == set(Practice.Kind.values)
    specialties = set(Clinician.objects.values_list("specialty", flat=True))
    assert {"Pediatrics", "Family medicine", "Pediatric neurology", "Pediatric cardiology",
            "Child and adolescent psychiatry", "Developmental-behavioral pediatrics"} <= specialties
    pcps = Clinician.objects.filter(is_pcp=True).select_related("practice")
    assert all(c.practice.kind in ("primary_care", "fqhc") for c in pcps)


def test_every_npi_passes_the_check_digit_and_is_unique(demo_network):
    npis = list(Clinician.objects.values_list("npi", flat=True))
    organization_npis = list(Practice.objects.values_list("npi", flat=True))
    assert all(npi_problem(npi) is None for npi in npis + organization_npis)
    assert all(npi.startswith("1") for npi in npis)
    assert all(npi.startswith("2") for npi in organization_npis)
    assert len(set(npis + organization_npis)) == len(npis) + len(organization_npis)
    for clinician in Clinician.objects.order_by("pk")[:40]:
        clinician.full_clean()
    for practice in Practice.objects.order_by("pk")[:20]:
        practice.full_clean()


def test_demo_logins_lists_every_role_with_password_and_address(demo_network):
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert DEMO_PASSWORD in text and DEMO_URL == "http://127.0.0.1:8000" and DEMO_URL in text
    for label in ("Care coordinator", "Supervisor", "Hub technical assistance",
                  "Center administrator", "Provider (read-only)", "State Title V analyst",
                  "Superuser"):
        assert label in text
    for username in ("nurse.nc", "social.nc", "community.nc", "supervisor.nc", "ta.hub",
                     "admin.nc", "supervisor.nw", "provider.pcp1", "titlev.state", "admin"):
        assert re.search(rf"\s{re.escape(username)}\s", text), username
    # The hub's staff come first.
    assert text.index("supervisor.nc") < text.index("supervisor.ea")
