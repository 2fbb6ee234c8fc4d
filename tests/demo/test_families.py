"""Households, guardians and children: where they live, who they are, what they have."""

import csv
import re
from collections import Counter
from pathlib import Path

import pytest
from django.db.models import Count, F, Q

from carecoord.demo import datafiles
from carecoord.families.models import Child, ContactChannel, Diagnosis, Guardian, Household

pytestmark = pytest.mark.django_db

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference"
EXAMPLE_DOMAIN = re.compile(r"@example\.(org|com|net)$")
ICD10CM = re.compile(r"^[A-TV-Z][0-9][0-9A-Z]{1,5}$")


def shares(values) -> dict[str, float]:
    counts = Counter(values)
    return {key: count / sum(counts.values()) for key, count in counts.items()}


def test_children_are_split_with_the_hub_taking_58_percent(demo_network):
    assert Child.objects.count() == 300
    per_center = dict(Child.objects.values_list("center__short_name").annotate(n=Count("pk")))
    assert per_center["North Central"] == 174
    assert sum(per_center.values()) == 300
    assert demo_network.children_by_center == per_center
    assert all(count > 0 for count in per_center.values())


def test_every_child_lives_in_a_town_of_its_centers_region(demo_network):
    assert not Child.objects.exclude(household__town__region=F("center__region")).exists()
    assert not Child.objects.exclude(household__center=F("center")).exists()
    assert not Household.objects.exclude(town__region=F("center__region")).exists()


def test_some_households_have_siblings(demo_network):
    sizes = Counter(Household.objects.annotate(n=Count("children")).values_list("n", flat=True))
    with_siblings = sum(count for size, count in sizes.items() if size > 1)
    assert 0.08 <= with_siblings / sum(sizes.values()) <= 0.28
    assert max(sizes) <= 3 and min(sizes) >= 1
    assert demo_network.counts["households_with_siblings"] == with_siblings


def test_a_sample_of_each_family_model_passes_full_clean(demo_network):
    for model in (Household, Guardian, Child, Diagnosis):
        for row in model.objects.order_by("pk")[:120]:
            row.full_clean()


def test_guardians_can_be_reached_the_way_they_prefer(demo_network):
    for guardian in Guardian.objects.all():
        assert guardian.phone or guardian.email
        if ContactChannel.TEXT in guardian.preferred_channels:
            assert guardian.phone and guardian.phone_can_text
        if ContactChannel.EMAIL in guardian.preferred_channels:
            assert guardian.email
        if guardian.email:
            assert EXAMPLE_DOMAIN.search(guardian.email), guardian.email
        if guardian.phone:
            assert re.match(r"^\d{3}-555-01\d\d$", guardian.phone)
    primaries = Household.objects.annotate(
        n=Count("guardians", filter=Q(guardians__is_primary_contact=True)))
    assert set(primaries.values_list("n", flat=True)) == {1}


def test_children_ages_grades_and_coverage_are_consistent(demo_network):
    for child in Child.objects.all():
        age = child.age_on(demo_network.as_of)
        assert 0 <= age <= 21
        if child.insurance_type == "husky_d":
            assert age >= 19
        if child.insurance_type == "husky_b":
            assert age < 19
        if child.grade in ("K", "1", "2", "3"):
            assert 4 <= age <= 10
        if child.grade in ("transition", "post"):
            assert age >= 18
        if child.pcp_id:
            assert child.pcp.practice_id == child.pcp_practice_id
            assert child.pcp.practice.town.region_id == child.household.town.region_id
    pcp_share = Child.objects.filter(pcp__isnull=False).count() / Child.objects.count()
    assert 0.85 <= pcp_share <= 0.97


def test_diagnosis_codes_come_from_the_curated_file(demo_network):
    curated = {row.code: row for row in datafiles.diagnoses()}
    for code, description in Diagnosis.objects.values_list("code", "description"):
        assert code in curated
        assert description == curated[code].description
    per_child = Counter(Diagnosis.objects.values_list("child_id", flat=True))
    assert set(per_child) == set(Child.objects.values_list("pk", flat=True))
    assert min(per_child.values()) >= 1 and max(per_child.values()) <= 5


def test_curated_codes_are_icd10cm_and_the_complex_ones_mostly_ccc():
    rows = datafiles.diagnoses()
    assert len({row.code for row in rows}) == len(rows)
    assert {row.group for row in rows} == {"complex", "tech", "chronic", "behavioral",
                                           "developmental", "social"}
    for row in rows:
        assert ICD10CM.match(row.code) and row.description and row.weight > 0, row
        assert row.code == row.code.upper() and "." not in row.code
    ccc_file = REFERENCE / "ccc" / "ccc_v2_icd10cm.csv"
    if not ccc_file.exists():
        pytest.skip("shared/reference is not next to this checkout")
    with open(ccc_file, newline="") as handle:
        entries = [(r["code"], r["match"]) for r in csv.DictReader(handle)]

    def in_ccc(code):
        return any(code == entry if match == "exact" else code.startswith(entry)
                   for entry, match in entries)

    complex_rows = [row for row in rows if row.group in ("complex", "tech")]
    flagged = sum(row.weight for row in complex_rows if in_ccc(row.code))
    assert flagged / sum(row.weight for row in complex_rows) >= 0.5
    assert not any(in_ccc(row.code) for row in rows if row.group in ("behavioral", "social"))
