"""The export's rows: who counts as served, how each field is filled, identified against
de-identified (HIPAA Safe Harbor) files, the pseudonym, and byte-identical re-runs."""

import csv
import datetime
import io
import json
from pathlib import Path

import pytest

from carecoord.titlev import export
from carecoord.titlev.deidentify import person_pseudo_id
from carecoord.titlev.fields import NO, dictionary, state_fields
from tests.titlev.conftest import FFY

pytestmark = pytest.mark.django_db
REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference" / "titlev"
DATA = Path(__file__).resolve().parents[2] / "carecoord" / "titlev" / "data"


def build(network, centers=None, identified=False):
    return export.build(FFY, centers or [network.hub, network.east], identified=identified)


def read_csv(body: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"))))


def by_child(result, kid, center="north-central"):
    pseudo = person_pseudo_id(kid.pk)
    return next(r for r in result.rows
                if r["person_pseudo_id"] == pseudo and r["center_id"] == center)


def test_served_means_enrolled_at_any_time_in_the_federal_fiscal_year(network, year):
    result = build(network)
    served = {(r["center_id"], r["person_pseudo_id"]) for r in result.rows}
    nc, ea = "north-central", "eastern"
    expected = {(nc, year.infant), (nc, year.continuing), (nc, year.adult), (nc, year.youth),
                (nc, year.no_insurance), (nc, year.moved), (ea, year.moved),
                (ea, year.out_of_region)}
    assert served == {(center, person_pseudo_id(kid.pk)) for center, kid in expected}
    # Discharged on September 30, enrolled on October 1 of the next year, or 30 days ago
    # (the network's own children): not served in FFY 2026.
    assert len(result.rows) == 8


def test_first_service_age_and_population_type(network, year):
    result = build(network, identified=True)
    continuing = by_child(result, year.continuing)
    # Enrolled since 2024: first served in the year on October 1, the day before turning 9.
    assert continuing["first_service_date"] == "2025-10-01"
    assert continuing["birth_date_or_age_at_first_service"] == 8
    infant = by_child(result, year.infant)
    assert (infant["population_type"], infant["person_role"], infant["cyshcn_flag"]) == (
        "infant", "child", True)
    adult = by_child(result, year.adult)
    assert (adult["population_type"], adult["person_role"], adult["cyshcn_flag"]) == (
        "other", "other", False)
    assert adult["birth_date_or_age_at_first_service"] == 23
    # Discharged and re-enrolled in the year: one row, from the first episode.
    youth = [r for r in result.rows if r["person_pseudo_id"] == person_pseudo_id(year.youth.pk)]
    assert len(youth) == 1 and youth[0]["first_service_date"] == "2025-10-20"
    # Moved between centers: a row at each, the same pseudonym.
    assert by_child(result, year.moved, "eastern")["first_service_date"] == "2025-10-15"
    assert by_child(result, year.moved)["first_service_date"] == "2026-01-20"


def test_coverage_category_and_program(network, year):
    result = build(network)
    cases = {year.infant: ("title_xix", "HUSKY_A"), year.continuing: ("title_xxi", "HUSKY_B"),
             year.moved: ("title_xix", "HUSKY_C"), year.adult: ("private_other", "private"),
             year.youth: ("none", "none"), year.no_insurance: ("unknown", "unknown")}
    for kid, expected in cases.items():
        row = by_child(result, kid)
        assert (row["coverage_category"], row["coverage_program"]) == expected, kid


def test_services_and_measure_fields(network, year):
    result = build(network)
    youth = by_child(result, year.youth)
    assert youth["transition_plan_documented"] is True
    assert by_child(result, year.adult)["transition_plan_documented"] is False
    assert by_child(result, year.infant)["transition_plan_documented"] is None  # under 14
    assert by_child(result, year.continuing)["has_identified_medical_home"] is True
    assert by_child(result, year.infant)["race"] == ["2054-5", "2106-3"]
    assert by_child(result, year.continuing)["ethnicity"] == "Hispanic or Latino"
    assert all(r["service_types"] == ["care_coordination"] and r["service_level"] == "enabling"
               for r in result.rows)


def test_deidentified_files_carry_no_identifier(network, year):
    result = build(network, identified=False)
    files = {name: export.render(result, name) for name in export.FILES}
    everything = b"".join(files.values()).decode()
    for kid in vars(year).values():
        for identifier in (kid.first_name, kid.last_name, kid.date_of_birth.isoformat(),
                           kid.insurance_member_id):
            if identifier:
                assert identifier not in everything, identifier
    for identifier in ("12 Fictional St", "Hartford", "0911037070", "2025-10-20", "06106"):
        assert identifier not in everything, identifier
    header = read_csv(files["export.csv"])[0].keys()
    assert {"birth_year", "first_service_year", "zip3"} <= set(header)
    assert not {"first_name", "last_name", "date_of_birth", "street_address", "town",
                "zip_code", "insurance_member_id", "first_service_date", "town_fips_2022",
                "carecoord_child_id"} & set(header)
    infant = by_child(result, year.infant)
    assert (infant["birth_year"], infant["zip3"]) == (2025, "000")  # 063: HHS lists it
    assert by_child(result, year.continuing)["zip3"] == "061"
    assert by_child(result, year.no_insurance)["zip3"] is None


def test_identified_files_name_the_children(network, year):
    result = build(network, identified=True)
    rows = read_csv(export.render(result, "export.csv"))
    ortiz = next(r for r in rows if r["last_name"] == "Ortiz")
    assert (ortiz["first_name"], ortiz["date_of_birth"], ortiz["insurance_member_id"],
            ortiz["street_address"], ortiz["town"], ortiz["zip_code"],
            ortiz["town_fips_2022"], ortiz["carecoord_child_id"]) == (
        "Mateo", "2016-10-02", "HB1", "12 Fictional St", "Hartford", "06106", "0911037070",
        str(year.continuing.pk))
    assert "zip3" not in ortiz and "birth_year" not in ortiz
    # The pseudonym is the same in both kinds of file, so the state can match them.
    assert ortiz["person_pseudo_id"] == by_child(build(network), year.continuing)[
        "person_pseudo_id"]


def test_the_pseudonym_is_a_keyed_hash_stable_across_runs(network, year, settings):
    first = person_pseudo_id(year.infant.pk)
    assert first == person_pseudo_id(year.infant.pk) and len(first) == 32
    assert first != person_pseudo_id(year.continuing.pk)
    settings.TITLEV_PSEUDONYM_KEY = "another-key"
    assert person_pseudo_id(year.infant.pk) != first


def test_rerunning_writes_the_same_bytes(network, year):
    for identified in (False, True):
        first, second = build(network, identified=identified), build(network,
                                                                       identified=identified)
        for name in export.FILES:
            assert export.render(first, name) == export.render(second, name), name


def test_json_holds_rows_counts_measures_and_problems(network, year):
    data = json.loads(export.render(build(network), "export.json"))
    assert data["reporting_ffy"] == 2026 and data["period_start"] == "2025-10-01"
    assert data["centers"] == ["eastern", "north-central"] and data["identified"] is False
    assert len(data["rows"]) == 8 and data["fields"] == list(data["rows"][0])
    assert {m["measure_id"] for m in data["measures"]} >= {"medical_home_identified"}
    assert len(data["problems"]) == 3


def test_the_dictionary_covers_every_state_field_and_every_column(network, year):
    entries = {row["field"]: row for row in dictionary()}
    assert set(state_fields()) <= set(entries)
    for identified in (False, True):
        result = build(network, identified=identified)
        assert set(result.rows[0]) <= set(entries)
        # A field CareCoord cannot fill is an empty column, never a guess.
        for name, entry in entries.items():
            if entry["filled"] == NO:
                assert all(row[name] is None for row in result.rows), name
                assert entry["notes"], name
    rows = read_csv(export.render_dictionary("dictionary.csv"))
    assert [r["field"] for r in rows] == list(entries)
    assert all(r["description"] and r["type"] and r["source_in_carecoord"] for r in rows)


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="the shared reference is not beside the repo")
def test_the_shipped_copies_match_the_reference():
    for name in ("export_fields.csv", "measures.csv"):
        assert (DATA / name).read_bytes() == (REFERENCE / name).read_bytes(), name


def test_family_support_respite_funds_and_referrals(network, year):
    from carecoord.connections.models import OrganizationConnection
    from carecoord.coverage.models import CoverageApplication
    from carecoord.peersupport.models import PeerMatch, SupportParent

    nurse, kid, D = network["nurse.nc"], year.continuing, datetime.date

    def connection(name, shared, status="information_shared", outcome=None):
        OrganizationConnection.objects.create(
            child=kid, organization_name=name, level="national", status=status,
            suggested_on=shared, information_shared_on=shared, outcome_on=outcome,
            connected_how="joined" if status == "connected" else "", created_by=nurse)

    connection("Made and connected", D(2026, 2, 1), "connected", D(2026, 3, 1))
    connection("Made, still open", D(2026, 5, 1))
    connection("Made, connected after the year", D(2026, 6, 1), "connected", D(2026, 10, 2))
    connection("Made the year before", D(2025, 9, 1), "connected", D(2025, 11, 1))
    supporter = SupportParent.objects.create(
        guardian=network.child_nc.household.guardians.get(), center=network.hub,
        experience="Lived it", registered_by=nurse)
    PeerMatch.objects.create(child=kid, supporter=supporter, reason="Someone to talk to",
                             status="active", proposed_on=D(2025, 8, 1),
                             introduced_on=D(2025, 8, 20), proposed_by=nurse)
    CoverageApplication.objects.create(
        child=kid, program="cmhi-respite-funds", eligibility_checked_on=D(2026, 1, 5),
        eligibility_finding="likely_eligible", step="decided", decision="approved",
        decision_on=D(2026, 2, 1), benefit_starts_on=D(2026, 2, 1), created_by=nurse)

    result = build(network)
    row = by_child(result, kid)
    assert (row["referrals_made"], row["referrals_completed"]) == (3, 1)
    assert row["service_types"] == ["care_coordination", "family_support", "respite_fund",
                                    "referral"]
    referrals = {m.id: m for m in result.measures}["referrals_completed"]
    assert (referrals.numerator, referrals.denominator) == (1, 3)
    assert sum(r["referrals_made"] for r in result.rows) == referrals.denominator
