"""Every resource the mapping produces is valid FHIR R4 twice over (HL7's JSON Schema and the
fhir.resources R4B models), carries the US Core elements it promises, and reads back into the
same record where records can arrive from outside."""

import csv
import datetime
import hashlib
import pathlib
import re

import pytest
from django.utils import timezone

from carecoord.careplans import services
from carecoord.careplans.models import CarePlan
from carecoord.families.models import Diagnosis, RaceCategory
from carecoord.interop import mapping
from carecoord.interop.mapping import systems
from carecoord.interop.mapping.common import DATA
from carecoord.interop.mapping.condition import dotted
from carecoord.interop.validation import model_problems, problems, schema_problems
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
ROOT = pathlib.Path(__file__).resolve().parents[2]


def valid(resource: dict) -> dict:
    assert problems(resource) == [], resource
    return resource


def extension(resource, url):
    return next(e for e in resource["extension"] if e["url"] == url)


def codes(concepts):
    return {(c["system"], c["code"]) for concept in concepts for c in concept.get("coding", [])}


# ---------------------------------------------------------------- the two validators


def test_the_schema_is_hl7s_r4_schema_as_recorded_in_the_provenance():
    digest = hashlib.sha256((DATA / "fhir.schema.json").read_bytes()).hexdigest()
    assert digest == "2230406893b4cf002a4ee1e5e2bbeca22ac5d2d4931b3e9ef7b9594bbc376a01"
    assert digest in (DATA / "README.md").read_text()


def test_both_validators_catch_what_they_should():
    broken = {"resourceType": "CarePlan", "intent": "plan", "subject": {"reference": "P/1"},
              "status": "active", "colour": "blue"}
    assert any("colour" in p for p in schema_problems(broken))
    assert any("colour" in p for p in model_problems(broken))
    without_status = {k: v for k, v in broken.items() if k not in ("status", "colour")}
    assert schema_problems(without_status) == []  # the schema leaves 1..1 primitives to others
    assert any(p.startswith("status") for p in model_problems(without_status))
    assert schema_problems({"resourceType": "Spaceship"}) == [
        "resourceType: 'Spaceship' is not an R4 resource"]
    assert any("birthDate" in p for p in schema_problems(
        {"resourceType": "Patient", "birthDate": "2016-13-45"}))


def test_profiles_are_the_canonicals_of_the_reference_table():
    with open(DATA / "profiles.csv", newline="") as handle:
        canonical = {row["canonical_url"] for row in csv.DictReader(handle)}
    for resource_type, url in [*systems.PROFILES.items(),
                               ("Observation", systems.SDOHCC_SCREENING_RESPONSE)]:
        assert url in canonical or resource_type in ("Practitioner", "Encounter")  # not there
        assert url.startswith((f"{systems.US_CORE}/StructureDefinition/us-core-",
                               f"{systems.SDOHCC}/StructureDefinition/SDOHCC-"))


# ---------------------------------------------------------------- Patient and RelatedPerson


def test_patient_is_a_us_core_patient(network, sofia):
    child = sofia["child"]
    child.middle_name, child.preferred_name, child.ethnicity = "Luz", "Sofi", "hispanic"
    child.save()
    child.races.set(RaceCategory.objects.filter(code__in=["2106-3", "2131-1"]))
    patient = valid(mapping.patient(child))
    assert patient["meta"]["profile"] == [systems.PROFILES["Patient"]]
    assert patient["identifier"][0]["system"] and patient["identifier"][0]["value"] == str(
        child.pk)
    assert patient["name"][0] == {"use": "official", "family": "Rivera",
                                  "given": ["Sofia", "Luz"]}
    assert patient["name"][1]["use"] == "usual" and patient["name"][1]["given"] == ["Sofi"]
    assert (patient["gender"], patient["birthDate"]) == ("female", "2016-04-02")
    race = extension(patient, systems.US_CORE_RACE)["extension"]
    assert {"url": "ombCategory", "valueCoding": {"system": systems.CDC_RACE_ETHNICITY,
                                                  "code": "2106-3", "display": "White"}} in race
    assert next(p for p in race if p["valueCoding"]["code"] == "2131-1")["url"] == "detailed"
    assert race[-1] == {"url": "text", "valueString": "White, Other Race"}
    ethnicity = extension(patient, systems.US_CORE_ETHNICITY)["extension"]
    assert ethnicity[0]["valueCoding"]["code"] == "2135-2"
    assert patient["communication"] == [{"language": {"coding": [
        {"system": "urn:ietf:bcp:47", "code": "es", "display": "Spanish"}], "text": "Spanish"},
        "preferred": True}]
    assert patient["address"][0]["city"] == "Hartford" and patient["address"][0]["state"] == "CT"
    assert patient["generalPractitioner"][0]["reference"] == f"Practitioner/{child.pcp_id}"
    assert patient["managingOrganization"]["reference"] == f"Organization/center-{network.hub.pk}"


def test_declined_race_and_ethnicity_are_null_flavors(network):
    child = network.child_ea
    child.ethnicity = "declined"
    child.save()
    child.races.set(RaceCategory.objects.filter(code="ASKU"))
    patient = valid(mapping.patient(child))
    race = extension(patient, systems.US_CORE_RACE)["extension"]
    assert race[0]["valueCoding"] == {"system": systems.NULL_FLAVOR, "code": "ASKU",
                                      "display": "Asked but no answer"}
    ethnicity = extension(patient, systems.US_CORE_ETHNICITY)["extension"]
    assert ethnicity[0]["valueCoding"]["code"] == "ASKU"
    child.races.clear()
    assert [e["url"] for e in mapping.patient(child)["extension"]] == [
        systems.US_CORE_ETHNICITY]  # no race recorded: no race extension


def test_patient_reads_back_into_a_child(network, sofia):
    child = sofia["child"]
    child.races.set(RaceCategory.objects.filter(code="2054-5"))
    child.ethnicity = "not_hispanic"
    fields = mapping.child_fields(mapping.patient(child))
    assert fields == {"first_name": "Sofia", "middle_name": "", "last_name": "Rivera",
                      "date_of_birth": datetime.date(2016, 4, 2), "sex": "F",
                      "preferred_language_code": "es", "race_codes": ["2054-5"],
                      "ethnicity": "not_hispanic"}


def test_a_patient_missing_what_a_child_needs_names_each_element():
    with pytest.raises(mapping.Unmappable) as refused:
        mapping.child_fields({"resourceType": "Patient", "name": [{"given": [" "]}],
                              "gender": ["female"], "birthDate": "2016-02"})
    where = [element for element, _ in refused.value.problems]
    assert where == ["Patient.name.given", "Patient.name.family", "Patient.birthDate",
                     "Patient.gender"]


def test_guardian_is_a_related_person_of_one_child(network, sofia):
    mother = sofia["mother"]
    mother.email, mother.phone_can_text = "maria@example.org", True
    person = valid(mapping.related_person(mother, sofia["child"]))
    assert person["id"] == f"{mother.pk}-{sofia['child'].pk}"
    assert person["active"] is True
    assert person["patient"]["reference"] == f"Patient/{sofia['child'].pk}"
    assert codes(person["relationship"]) == {(systems.ROLE_CODE, "MTH"),
                                             (systems.ROLE_CLASS, "GUARD")}
    assert {t["system"] for t in person["telecom"]} == {"phone", "sms", "email"}
    back = mapping.guardian_fields(person)
    assert back == {"first_name": "Maria", "last_name": "Rivera", "relationship": "mother",
                    "is_legal_guardian": True, "phone": "860-555-0142", "phone_can_text": True,
                    "email": "maria@example.org", "preferred_language_code": None}


@pytest.mark.parametrize("relationship", ["father", "stepparent", "grandparent", "aunt_uncle",
                                          "sibling", "foster", "legal_guardian", "other"])
def test_every_relationship_maps_and_reads_back(network, relationship):
    guardian = network.child_ea.household.guardians.get()
    guardian.relationship = relationship
    guardian.is_legal_guardian = relationship == "legal_guardian"
    person = valid(mapping.related_person(guardian, network.child_ea))
    assert person["relationship"], relationship
    assert mapping.guardian_fields(person)["relationship"] == relationship


def test_a_related_person_without_a_way_to_reach_them_is_refused():
    with pytest.raises(mapping.Unmappable, match="RelatedPerson.telecom"):
        mapping.guardian_fields({"name": [{"family": "Lopez", "given": ["Ana"]}],
                                 "telecom": [{"system": "phone", "value": "  "}]})


# ---------------------------------------------------------------- Organization, Practitioner


def test_practice_and_center_are_us_core_organizations(network):
    practice = network.practice_nc
    practice.phone, practice.fax, practice.address = "860-555-0100", "860-555-0101", "1 Elm St"
    org = valid(mapping.practice_organization(practice))
    assert org["id"] == f"practice-{practice.pk}" and org["active"] is True
    assert org["identifier"] == [{"system": systems.NPI, "value": practice.npi}]
    assert mapping.practice_fields(org) == {
        "name": practice.name, "npi": practice.npi, "phone": "860-555-0100",
        "fax": "860-555-0101", "address": "1 Elm St", "town_name": "Hartford"}
    center = valid(mapping.center_organization(network.hub))
    assert center["id"] == f"center-{network.hub.pk}" and center["name"] == network.hub.name


def test_clinician_is_a_us_core_practitioner_with_npi(network):
    clinician = factories.clinician(network.practice_nc, phone="860-555-0199",
                                    email="dr@example.org")
    practitioner = valid(mapping.practitioner(clinician))
    assert practitioner["identifier"] == [{"system": systems.NPI, "value": clinician.npi}]
    assert practitioner["name"][0]["suffix"] == ["MD"]
    assert mapping.clinician_fields(practitioner) == {
        "first_name": "Ana", "last_name": clinician.last_name, "credentials": "MD",
        "npi": clinician.npi, "phone": "860-555-0199", "email": "dr@example.org"}
    with pytest.raises(mapping.Unmappable, match="NPI"):
        mapping.clinician_fields({**practitioner, "identifier": []})


# ---------------------------------------------------------------- Conditions


def test_diagnoses_are_problem_list_conditions_with_dotted_icd_codes(network, sofia):
    diagnosis = sofia["child"].diagnoses.get(code="G40909")
    condition = valid(mapping.diagnosis_condition(diagnosis))
    assert condition["id"] == f"diagnosis-{diagnosis.pk}"
    assert codes(condition["category"]) == {(systems.CONDITION_CATEGORY, "problem-list-item")}
    assert condition["code"]["coding"] == [{"system": systems.ICD_10_CM, "code": "G40.909"}]
    assert condition["clinicalStatus"]["coding"][0]["code"] == "active"
    assert mapping.diagnosis_fields(condition) == {
        "code_system": "icd10cm", "code": "G40909", "description": "Epilepsy, unspecified",
        "recorded_on": diagnosis.recorded_on}


def test_icd_dots():
    assert dotted("icd10cm", "F840") == "F84.0" and dotted("icd10cm", "Q90") == "Q90"
    assert dotted("icd9cm", "E8889") == "E888.9" and dotted("icd9cm", "3439") == "343.9"


def test_a_condition_without_an_icd_code_is_refused():
    with pytest.raises(mapping.Unmappable) as refused:
        mapping.diagnosis_fields({"code": {"coding": [{"system": "http://snomed.info/sct",
                                                       "code": "84757009"}]}})
    assert [w for w, _ in refused.value.problems] == ["Condition.code.coding",
                                                      "Condition.recordedDate"]


def test_social_needs_are_sdoh_health_concerns(network, sofia):
    food, _ = sofia["needs"]
    condition = valid(mapping.need_condition(food))
    assert condition["id"] == f"need-{food.pk}"
    assert codes(condition["category"]) == {
        (systems.US_CORE_CONDITION_CATEGORY, "health-concern"),
        (systems.US_CORE_CATEGORY, "sdoh"), (systems.SDOH_CATEGORY, "food-insecurity")}
    assert condition["code"] == {"text": "WIC lapsed after the move"}
    assert "abatementDateTime" not in condition
    notes = " ".join(n["text"] for n in condition["note"])
    assert "Family's priority: High; provider's priority: Medium" in notes


def test_a_met_need_is_resolved_and_abated(network, sofia):
    food, _ = sofia["needs"]
    plan = sofia["plan"]
    services.update_item(user=network["nurse.nc"], plan=plan, expected_version=plan.version,
                         item=food, status="met", outcome="WIC restarted")
    food.refresh_from_db()
    condition = valid(mapping.need_condition(food))
    assert condition["clinicalStatus"]["coding"][0]["code"] == "resolved"
    assert condition["abatementDateTime"] == TODAY.isoformat()


def test_every_sdoh_domain_of_the_need_catalog_is_a_gravity_category():
    with open(ROOT / "carecoord/careplans/data/need_domains.csv", newline="") as handle:
        used = {row["sdoh_category"] for row in csv.DictReader(handle)} - {""}
    with open(DATA / "sdoh_categories.csv", newline="") as handle:
        gravity = {row["code"] for row in csv.DictReader(handle)}
    assert used and used <= gravity


# ---------------------------------------------------------------- Goal and CarePlan


def test_goal_is_a_us_core_goal_addressing_its_social_need(network, sofia):
    wic, neuro = sofia["goals"]
    goal = valid(mapping.goal(wic))
    assert goal["lifecycleStatus"] == "planned" and goal["description"] == {
        "text": "WIC benefits restarted"}
    assert goal["target"] == [{"measure": {"text": "WIC card active and used"},
                               "dueDate": wic.target_date.isoformat()}]
    assert goal["addresses"] == [{"reference": f"Condition/need-{wic.need_id}",
                                  "display": "WIC lapsed after the move"}]
    assert codes(goal["category"]) == {(systems.SDOH_CATEGORY, "food-insecurity")}
    medical = valid(mapping.goal(neuro))
    assert "addresses" not in medical and "category" not in medical  # a medical need


@pytest.mark.parametrize("status,lifecycle,achievement", [
    ("in_progress", "active", "in-progress"), ("met", "completed", "achieved"),
    ("partly_met", "completed", "not-achieved"), ("not_met", "completed", "not-achieved"),
    ("discontinued", "cancelled", None)])
def test_goal_statuses(network, sofia, status, lifecycle, achievement):
    wic = sofia["goals"][0]
    wic.status, wic.outcome = status, "As it went"
    goal = valid(mapping.goal(wic))
    assert goal["lifecycleStatus"] == lifecycle
    assert goal.get("achievementStatus", {}).get("coding", [{}])[0].get("code") == achievement


def test_care_plan_is_a_us_core_care_plan_with_the_familys_words(network, sofia):
    plan = sofia["plan"]
    care_plan = valid(mapping.care_plan(plan))
    assert care_plan["meta"]["profile"] == [systems.PROFILES["CarePlan"]]
    assert (care_plan["status"], care_plan["intent"]) == ("active", "plan")
    assert codes(care_plan["category"]) == {(systems.CAREPLAN_CATEGORY, "assess-plan")}
    assert care_plan["subject"]["reference"] == f"Patient/{plan.child_id}"
    assert care_plan["period"] == {"start": plan.enrollment.start_date.isoformat()}
    assert [g["reference"] for g in care_plan["goal"]] == [f"Goal/{g.pk}" for g in
                                                           sofia["goals"]]
    addressed = {a["reference"] for a in care_plan["addresses"]}
    food, medical = sofia["needs"]
    assert f"Condition/need-{food.pk}" in addressed
    assert f"Condition/need-{medical.pk}" not in addressed
    assert {f"Condition/diagnosis-{d.pk}" for d in plan.child.diagnoses.all()} <= addressed
    note = care_plan["note"][0]
    assert note["text"].startswith("Que Sofía pueda ir a la escuela sin convulsiones")
    assert "That Sofia can go to school without seizures" in note["text"]
    assert note["authorString"] == "Maria Rivera"
    assert care_plan["text"]["status"] == "generated"
    assert "Que Sofía pueda ir a la escuela" in care_plan["text"]["div"]
    assert "version 1 agreed" in care_plan["text"]["div"]
    activity = care_plan["activity"][0]["detail"]
    assert activity == {"status": "not-started", "description": "Call the WIC office in Hartford",
                        "goal": [{"reference": f"Goal/{sofia['goals'][0].pk}"}],
                        "scheduledPeriod": {"end": activity["scheduledPeriod"]["end"]},
                        "performer": [{"display": "Family: Maria"}]}


def test_care_plan_status_follows_the_plan_and_the_enrollment(network, sofia):
    plan = sofia["plan"]
    draft = CarePlan.objects.get(child=network.child_ea)
    assert valid(mapping.care_plan(draft))["status"] == "draft"
    assert "goal" not in mapping.care_plan(draft)  # an empty plan still validates
    enrollment = plan.enrollment
    enrollment.discharge_date, enrollment.discharge_reason = TODAY, "goals_met"
    enrollment.save()
    finished = valid(mapping.care_plan(plan))
    assert finished["status"] == "completed" and finished["period"]["end"] == TODAY.isoformat()


def test_narrative_escapes_what_families_and_staff_write(network, sofia):
    plan = sofia["plan"]
    priority = plan.priorities.get()
    priority.text = "<script>alert('x')</script> & más"
    priority.save()
    plan = CarePlan.objects.get(pk=plan.pk)
    div = valid(mapping.care_plan(plan))["text"]["div"]
    assert "<script>" not in div and "&lt;script&gt;" in div and "&amp; más" in div


def test_the_domain_never_imports_fhir():
    pattern = re.compile(r"^\s*(from|import)\s+(carecoord\.interop|fhir|fhirclient)\b", re.M)
    offenders = [str(path.relative_to(ROOT)) for path in (ROOT / "carecoord").rglob("*.py")
                 if "interop" not in path.parts and path.name != "urls.py"
                 and pattern.search(path.read_text())]
    assert offenders == []


def test_a_diagnosis_of_a_child_without_a_plan_still_maps(network):
    diagnosis = Diagnosis.objects.create(child=network.child_ea, code="Q909", code_system="icd10cm",
                                         recorded_on=TODAY)
    condition = valid(mapping.diagnosis_condition(diagnosis))
    assert condition["code"]["text"] == "Q90.9" and "note" not in condition
