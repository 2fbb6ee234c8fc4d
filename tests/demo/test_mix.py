"""The population mix on a network big enough to measure it (1,500 children): languages,
names, interpreters, coverage."""

from collections import Counter

import pytest
from django.db.models import Count

from carecoord.accounts.models import Center
from carecoord.demo import datafiles
from carecoord.families.models import Child, CoordinatorAssignment, Guardian

pytestmark = pytest.mark.django_db


def shares(values) -> dict[str, float]:
    counts = Counter(values)
    return {key: count / sum(counts.values()) for key, count in counts.items()}


def test_language_mix_matches_connecticut_families(demo_network_1500):
    primary = Guardian.objects.filter(is_primary_contact=True)
    mix = shares(primary.values_list("preferred_language__code", flat=True))
    assert 0.55 <= mix["en"] <= 0.70
    assert 0.22 <= mix["es"] <= 0.34
    assert 0.008 <= mix.get("pt", 0) <= 0.05
    assert 0.008 <= mix.get("pl", 0) <= 0.045
    assert sum(v for k, v in mix.items() if k not in ("en", "es", "pt", "pl")) <= 0.10
    hub = Center.objects.get(is_hub=True)
    assert Child.objects.filter(center=hub).count() == 870
    # Spanish is commoner in Hartford than in the hub region's suburbs.
    hartford = shares(primary.filter(household__town__name="Hartford")
                      .values_list("preferred_language__code", flat=True))
    assert hartford["es"] > mix["es"]


def test_names_and_interpreters_follow_the_familys_language(demo_network_1500):
    hispanic = set(datafiles.names()["hispanic"]["surname"])
    spanish = Guardian.objects.filter(is_primary_contact=True, preferred_language__code="es")
    assert spanish.count() > 100
    share = sum(g.last_name in hispanic for g in spanish) / spanish.count()
    assert share >= 0.95
    assert not Guardian.objects.filter(preferred_language__code="en",
                                       interpreter_needed=True).exists()
    assert not Guardian.objects.filter(preferred_language__code="ase",
                                       interpreter_needed=False).exists()
    assert spanish.filter(interpreter_needed=True).count() > spanish.count() / 2
    spanish_children = Child.objects.filter(preferred_language__code="es")
    assert spanish_children.filter(ethnicity="hispanic").count() >= 0.85 * spanish_children.count()
    assert Child.objects.filter(races__code="ASKU").exists()
    assert Child.objects.annotate(n=Count("races")).filter(n__gt=1).exists()


def test_insurance_mix(demo_network_1500):
    mix = shares(Child.objects.values_list("insurance_type", flat=True))
    assert 0.42 <= mix["husky_a"] <= 0.56
    assert 0.28 <= mix["commercial"] <= 0.42
    assert 0.005 <= mix["uninsured"] <= 0.06
    for child in Child.objects.all():
        if child.insurance_type in ("uninsured", ""):
            assert child.insurance_member_id == ""
        elif child.insurance_type != "other":
            assert child.insurance_member_id


def test_families_get_a_coordinator_who_speaks_their_language_when_one_can(demo_network_1500):
    current = CoordinatorAssignment.objects.filter(
        end_date__isnull=True, enrollment__center__is_hub=True,
        enrollment__child__preferred_language__code="es")
    speaking = current.filter(coordinator__languages__code="es").count()
    assert current.count() > 100
    # Spanish speakers hold about half of the hub's caseload capacity: chance alone would
    # give a Spanish-speaking family one of them about half the time.
    assert speaking / current.count() >= 0.75
