"""The demo network's directory: Connecticut programs under their real names with synthetic
contact details, every care plan need domain covered, several entries stale, a few local entries
per center, valid HSDS; and as many generated services as a benchmark asks for."""

import datetime
import json
import random
import re

import pytest

from carecoord.careplans.models import NeedDomain
from carecoord.demo.hsds_directory import build_demo_directory
from carecoord.directory import hsds, schema
from carecoord.directory.models import (
    HSDS_MODELS,
    Address,
    Attribute,
    Language,
    Organization,
    Phone,
    Service,
)

pytestmark = pytest.mark.django_db
AS_OF = datetime.date(2026, 6, 30)


@pytest.fixture
def demo(network):
    return build_demo_directory(rng=random.Random(7), as_of=AS_OF,
                                centers=[network.hub, network.east])


def test_the_demo_directory_is_valid_hsds(demo, tmp_path):
    hsds.export_json(tmp_path / "demo.json")
    documents = json.loads((tmp_path / "demo.json").read_text())
    validator = schema.validator("service")
    assert len(documents) == demo["directory_services_statewide"]
    for document in documents:
        assert not list(validator.iter_errors(document)), document["name"]
    assert not hsds.read(tmp_path / "demo.json").problems


def test_real_programs_with_synthetic_contact_details(demo):
    names = set(Service.objects.values_list("name", flat=True))
    for name in ("Birth to Three referral and intake", "WIC – Hartford office",
                 "WIC – Norwich office", "SNAP (Supplemental Nutrition Assistance Program)",
                 "HUSKY A", "Katie Beckett Waiver", "2-1-1 Connecticut",
                 "Child Development Infoline", "Parent to Parent support parent match",
                 "Special education information and PPT preparation", "Care 4 Kids",
                 "Free civil legal help – Hartford area", "Public housing – Hartford"):
        assert name in names, name
    organizations = set(Organization.objects.values_list("name", flat=True))
    assert {"CT Office of Early Childhood (OEC)", "CT Department of Social Services (DSS)",
            "United Way of Connecticut", "Connecticut Family Support Network",
            "PATH Parent to Parent / Family Voices of Connecticut",
            "Connecticut Parent Advocacy Center (CPAC)", "Epilepsy Foundation of Connecticut",
            "Greater Hartford Legal Aid"} <= organizations
    assert all(re.fullmatch(r"\d{3}-555-01\d\d", number)
               for number in Phone.objects.values_list("number", flat=True))
    assert all(".example.org" in email or email.endswith("@example.org")
               for email in Service.objects.values_list("email", flat=True))
    assert not Address.objects.filter(town__isnull=True).exists()  # real towns
    dss = Service.objects.get(name="SNAP (Supplemental Nutrition Assistance Program)")
    assert dss.service_at_locations.count() == 14  # the DSS field offices


def test_every_need_domain_has_services_and_spanish_is_common(demo):
    covered = set(Attribute.objects.filter(taxonomy_term__need_domain__isnull=False)
                  .values_list("taxonomy_term__need_domain__code", flat=True))
    assert covered == set(NeedDomain.objects.values_list("code", flat=True))
    spanish = Language.objects.filter(code="es", service__isnull=False).count()
    assert spanish > Service.objects.count() / 2
    wic = Service.objects.get(name="WIC – Hartford office")
    assert "es" in set(wic.languages.values_list("code", flat=True))
    assert set(wic.service_areas.values_list("town__name", flat=True)) >= {
        "Hartford", "West Hartford", "East Hartford"}


def test_statewide_and_local_entries_some_stale(demo, network):
    assert 200 <= demo["directory_services_statewide"] <= 400
    for center in (network.hub, network.east):
        local = Service.objects.filter(center=center)
        assert local.count() == 6
        assert {address.town.region_id for address in Address.objects.filter(
            location__service_at_locations__service__in=local)} == {center.region_id}
    stale = Service.objects.stale(AS_OF).count()
    assert stale == demo["directory_services_stale"]
    assert Service.objects.count() * 0.08 < stale < Service.objects.count() * 0.35
    assert Service.objects.filter(assured_date__isnull=True).exists()


def test_the_same_seed_gives_the_same_directory(network, tmp_path):
    texts = []
    for _ in range(2):
        build_demo_directory(rng=random.Random(11), as_of=AS_OF, centers=[network.hub])
        hsds.export_csv(tmp_path / "out")
        texts.append((tmp_path / "out" / "services.csv").read_text())
        for model in reversed(HSDS_MODELS.values()):
            model.objects.all().delete()
    assert texts[0] == texts[1]


def test_a_benchmark_asks_for_n_services(network):
    counts = build_demo_directory(rng=random.Random(3), as_of=AS_OF, centers=[network.hub],
                                  services=1200)
    assert Service.objects.filter(center__isnull=True).count() == 1200
    assert counts["directory_services_statewide"] == 1200
    assert counts["directory_services_local"] == 6
