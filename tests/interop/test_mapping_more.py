"""The resources of care coordination and screening (PractitionerRole, Encounter, Task,
ServiceRequest, Consent, Observation, QuestionnaireResponse): each valid FHIR R4 twice over
(HL7's JSON Schema and the fhir.resources R4B models), claiming the profile it follows,
carrying what that profile asks for, and keeping in CareCoord what must stay there (a
coordinator's notes, licensed item wording). Sofia's family speaks Spanish: her screening was
given in Spanish."""

import datetime
import json

import pytest
import yaml
from django.utils import timezone

from carecoord.careplans import assessments
from carecoord.careplans.assessment_results import CSHCN_SCREENER, PFS_2
from carecoord.careplans.instruments.loader import DATA_DIR
from carecoord.careplans.models import Assessment
from carecoord.contacts import services as contacts
from carecoord.contacts.models import Contact, Task
from carecoord.families.models import Consent
from carecoord.interop import mapping, selectors
from carecoord.interop.mapping import systems
from carecoord.interop.mapping.observation import parse_observation_id, parts
from carecoord.interop.validation import problems
from tests import factories
from tests.careplans.test_instruments_licensed import licensed_file
from tests.interop.conftest import AHC_ANSWERS
from tests.servicereferrals import helpers

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
LOINC, SDOH = systems.LOINC, systems.SDOH_CATEGORY


def valid(resource: dict) -> dict:
    assert problems(resource) == [], resource
    return resource


def codes(concepts):
    return {(c["system"], c["code"]) for concept in concepts for c in concept.get("coding", [])}


def profile(resource) -> list[str]:
    return resource["meta"].get("profile", [])


def loaded(rows, pk):
    return rows.get(pk=pk)


# ---------------------------------------------------------------- PractitionerRole


def test_a_pcp_is_a_us_core_practitioner_role_in_their_practice(network, sofia):
    pcp = selectors.clinician_roles(network.practice_nc.pk).get(pk=sofia["child"].pcp_id)
    role = valid(mapping.clinician_role(pcp))
    assert profile(role) == [systems.PROFILES["PractitionerRole"]]
    assert role["id"] == f"clinician-{pcp.pk}"
    assert role["practitioner"]["reference"] == f"Practitioner/{pcp.pk}"
    assert role["organization"]["reference"] == f"Organization/practice-{network.practice_nc.pk}"
    assert codes(role["code"]) == {(systems.SNOMED, "446050000")}
    assert role["specialty"] == [{"text": "Pediatrics"}]
    assert role["telecom"] == [{"system": "phone", "value": "860-555-0199", "use": "work"}]


def test_a_clinician_without_a_phone_is_reached_through_the_practice(network):
    practice = network.practice_nc
    practice.phone = "860-555-0100"
    practice.save()
    clinician = factories.clinician(practice)
    clinician.is_pcp = False
    role = valid(mapping.clinician_role(clinician))
    assert role["telecom"] == [{"system": "phone", "value": "860-555-0100", "use": "work"}]
    assert "code" not in role
    loose = valid(mapping.clinician_role(factories.clinician(None)))
    assert "organization" not in loose and "telecom" not in loose  # practitioner suffices


@pytest.mark.parametrize("username,code", [("nurse.nc", "163WC0400X"),
                                           ("social.nc", "1041C0700X"),
                                           ("supervisor.nc", None)])
def test_a_coordinator_is_a_role_at_their_center_without_a_practitioner(network, username,
                                                                         code):
    user = network[username]
    user.email = "coordinator@example.org"
    network.hub.phone = "860-555-0300"
    role = valid(mapping.coordinator_role(user))
    assert role["id"] == f"coordinator-{user.pk}"
    assert role["practitioner"] == {"display": str(user)}  # staff have no NPI: no Practitioner
    assert role["organization"]["reference"] == f"Organization/center-{network.hub.pk}"
    assert codes(role["code"]) == {(systems.SNOMED, "768820003")}
    assert codes(role.get("specialty", [])) == ({(systems.NUCC, code)} if code else set())
    assert [t["system"] for t in role["telecom"]] == ["email", "phone"]


def test_a_community_coordinator_and_one_who_left(network):
    user = factories.user("community.nc", "coordinator", center=network.hub,
                          discipline="community")
    user.is_active = False
    role = valid(mapping.coordinator_role(user))
    assert role["active"] is False
    assert codes(role["specialty"]) == {(systems.NUCC, "171M00000X")}


# ---------------------------------------------------------------- Encounter


def encounter_of(network, contact):
    return valid(mapping.encounter(loaded(selectors.contacts(network.practice_nc.pk),
                                          contact.pk)))


def test_a_home_visit_with_an_interpreter_is_a_us_core_encounter(network, sofia):
    visit, _ = sofia["contacts"]
    encounter = encounter_of(network, visit)
    assert profile(encounter) == [systems.PROFILES["Encounter"]]
    assert (encounter["status"], encounter["class"]["code"]) == ("finished", "HH")
    assert codes(encounter["type"]) == {(systems.CONTACT_CHANNEL, "home_visit")}
    assert encounter["subject"]["reference"] == f"Patient/{sofia['child'].pk}"
    start = datetime.datetime.fromisoformat(encounter["period"]["start"])
    end = datetime.datetime.fromisoformat(encounter["period"]["end"])
    assert end - start == datetime.timedelta(minutes=45)
    assert encounter["length"] == {"value": 45, "unit": "min", "system": systems.UCUM,
                                   "code": "min"}
    people = encounter["participant"]
    nurse = sofia["nurse"]
    assert people[0]["individual"]["reference"] == f"PractitionerRole/coordinator-{nurse.pk}"
    assert codes(people[0]["type"]) == {(systems.PARTICIPATION_TYPE, "PPRF")}
    mother = sofia["mother"]
    assert people[1]["individual"]["reference"] == f"RelatedPerson/{mother.pk}-{sofia['child'].pk}"
    assert people[2] == {"type": [{"coding": [{"system": systems.PARTICIPANT_TYPE,
                                               "code": "translator", "display": "Translator"}],
                                   "text": "Interpreter (Spanish)"}]}
    assert len(people) == 3  # the child is the subject, the mother is named once
    assert encounter["serviceProvider"]["reference"] == f"Organization/center-{network.hub.pk}"
    assert "renta" not in json.dumps(encounter, ensure_ascii=False)  # notes stay in CareCoord


def test_an_unanswered_call_is_a_cancelled_encounter(network, sofia):
    _, call = sofia["contacts"]
    encounter = encounter_of(network, call)
    assert (encounter["status"], encounter["class"]["code"]) == ("cancelled", "VR")
    assert "end" not in encounter["period"] and "length" not in encounter
    assert "attempt" in encounter["type"][0]["text"]


@pytest.mark.parametrize("channel", [c for c, _ in Contact._meta.get_field("channel").choices])
def test_every_channel_is_a_class_and_a_type(network, channel):
    contact = contacts.log_contact(
        user=network["nurse.nc"], child=network.child_nc, contact=Contact(
            channel=channel, reached=True, duration_minutes=10,
            participants=["pcp", "school_staff", "agency_staff", "peer_family"]))
    encounter = encounter_of(network, contact)
    assert encounter["class"]["code"] in {"VR", "HH", "FLD", "AMB"}
    labels = [p["type"][0]["text"] for p in encounter["participant"][1:]]
    assert labels == ["Primary care provider", "School staff", "Agency staff",
                      "Peer support family"]


# ---------------------------------------------------------------- Task


def task_of(network, task):
    return valid(mapping.task(loaded(selectors.tasks(network.practice_nc.pk), task.pk)))


def test_a_follow_up_task_comes_from_its_contact(network, sofia):
    follow_up, reminder = sofia["tasks"]
    resource = task_of(network, follow_up)
    assert "profile" not in resource["meta"] and resource["meta"]["lastUpdated"]
    assert (resource["status"], resource["intent"]) == ("ready", "order")
    assert codes([resource["code"]]) == {(systems.TASK_KIND, "follow_up")}
    assert resource["description"] == "Llamar a la oficina de WIC"
    assert resource["for"]["reference"] == f"Patient/{sofia['child'].pk}"
    assert resource["encounter"]["reference"] == f"Encounter/{sofia['contacts'][0].pk}"
    coordinator = f"PractitionerRole/coordinator-{sofia['nurse'].pk}"
    assert resource["owner"]["reference"] == resource["requester"]["reference"] == coordinator
    assert resource["restriction"] == {"period": {"end": follow_up.due_on.isoformat()}}
    assert "end" not in resource["executionPeriod"]
    made_by_rules = task_of(network, reminder)
    assert made_by_rules["requester"]["reference"] == f"Organization/center-{network.hub.pk}"
    assert "encounter" not in made_by_rules


@pytest.mark.parametrize("closed,status", [("done", "completed"), ("dismissed", "cancelled")])
def test_a_closed_task(network, sofia, closed, status):
    task = contacts.close_task(user=sofia["nurse"], task=sofia["tasks"][0], status=closed,
                               note="La familia ya llamó")
    resource = task_of(network, task)
    assert resource["status"] == status
    assert resource["executionPeriod"]["end"] == resource["lastModified"]
    assert resource["meta"]["lastUpdated"] == resource["lastModified"]
    assert "ya llamó" not in json.dumps(resource, ensure_ascii=False)


# ---------------------------------------------------------------- Consent


def consent_of(network, consent):
    return valid(mapping.consent(Consent.objects.select_related(
        "child__center", "given_by", "shared_with_practice").get(pk=consent.pk)))


def test_the_consent_to_share_with_the_practice_is_a_gravity_consent(network, sofia):
    consent = sofia["child"].consents.get()
    consent.given_by = sofia["mother"]
    consent.save()
    resource = consent_of(network, consent)
    assert profile(resource) == [systems.PROFILES["Consent"]]
    assert resource["status"] == "active"
    assert codes([resource["scope"]]) == {(systems.CONSENT_SCOPE, "patient-privacy")}
    assert codes(resource["category"]) == {(systems.ACT_CODE, "IDSCL")}
    assert resource["patient"]["reference"] == f"Patient/{sofia['child'].pk}"
    assert resource["dateTime"] == consent.given_on.isoformat()
    assert resource["performer"][0]["reference"] == (
        f"RelatedPerson/{sofia['mother'].pk}-{sofia['child'].pk}")
    assert resource["organization"][0]["reference"] == f"Organization/center-{network.hub.pk}"
    assert resource["sourceAttachment"]["title"]  # SDOHCC: source[x] 1..1
    provision = resource["provision"]
    assert provision["type"] == "permit"
    assert provision["period"] == {"start": consent.given_on.isoformat(), "end": (
        consent.expires_on - datetime.timedelta(days=1)).isoformat()}
    actor = provision["actor"][0]
    assert codes([actor["role"]]) == {(systems.PARTICIPATION_TYPE, "IRCP")}
    assert actor["reference"]["reference"] == f"Organization/practice-{network.practice_nc.pk}"
    assert codes(provision["code"]) == {(systems.SHARING_SCOPE, "care_plan")}


def test_a_revoked_consent_and_one_given_by_the_youth_to_a_school(network, sofia):
    given = TODAY - datetime.timedelta(days=30)
    revoked = factories.consent(network.child_nc, network.practice_nc, given=given,
                                revoked=TODAY)
    resource = consent_of(network, revoked)
    assert resource["status"] == "inactive"
    assert resource["provision"]["period"]["end"] == (TODAY - datetime.timedelta(days=1)
                                                      ).isoformat()
    school = Consent.objects.create(child=network.child_nc, shared_with_other="Hartford Public "
                                    "Schools", scope="education", given_on=TODAY,
                                    expires_on=TODAY + datetime.timedelta(days=365))
    resource = consent_of(network, school)
    assert resource["performer"][0]["reference"] == f"Patient/{network.child_nc.pk}"
    assert resource["provision"]["actor"][0]["reference"] == {
        "display": "Hartford Public Schools"}
    same_day = factories.consent(network.child_nc, network.practice_nc, given=TODAY,
                                 revoked=TODAY)
    period = consent_of(network, same_day)["provision"]["period"]
    assert period["end"] >= period["start"]  # FHIR's per-1


# ---------------------------------------------------------------- screenings


def screening(network, assessment):
    return loaded(selectors.assessments(network.practice_nc.pk), assessment.pk)


def all_observations(assessment) -> dict:
    return {item: valid(mapping.observation(assessment, item))
            for item in parts(assessment.instrument_id, assessment.answers)}


def test_the_ahc_screening_in_spanish_is_a_us_core_questionnaire_response(network, sofia):
    ahc = screening(network, sofia["screenings"][0])
    response = valid(mapping.questionnaire_response(ahc))
    assert profile(response) == [systems.PROFILES["QuestionnaireResponse"]]
    assert response["questionnaire"] == "urn:carecoord:questionnaire:ahc-hrsn-core"
    assert (response["status"], response["language"]) == ("completed", "es")
    assert response["authored"] == ahc.administered_on.isoformat()
    assert response["author"]["reference"] == f"PractitionerRole/coordinator-{sofia['nurse'].pk}"
    assert response["source"]["reference"] == (
        f"RelatedPerson/{sofia['mother'].pk}-{sofia['child'].pk}")
    items = {item["linkId"]: item for item in response["item"]}
    assert list(items) == list(AHC_ANSWERS)
    assert items["living_situation"]["text"] == "¿Cuál es su situación de vivienda hoy?"
    assert items["food_didnt_last"]["answer"] == [{"valueCoding": {
        "system": LOINC, "code": "LA6729-3", "display": "Sometimes true"}}]
    assert [a["valueCoding"]["code"] for a in items["housing_problems"]["answer"]] == [
        "LA28580-1", "LA31996-4"]
    assert "answer" not in items["safety_scream"]  # asked, not answered


def test_the_ahc_screening_is_gravity_sdoh_screening_response_observations(network, sofia):
    ahc = screening(network, sofia["screenings"][0])
    found = all_observations(ahc)
    assert list(found) == [None] + list(AHC_ANSWERS)
    for item, observation in found.items():
        assert profile(observation) == [systems.SDOHCC_SCREENING_RESPONSE]
        assert {(systems.OBSERVATION_CATEGORY, "survey"), (systems.US_CORE_CATEGORY, "sdoh")
                } <= codes(observation["category"])  # SDOH-Obs-4
        assert observation["subject"]["reference"] == f"Patient/{sofia['child'].pk}"
        assert observation["effectiveDateTime"] == ahc.administered_on.isoformat()
        assert observation["derivedFrom"] == [{"reference": f"QuestionnaireResponse/{ahc.pk}"}]
        assert observation["status"] == "final"
    food = found["food_didnt_last"]
    assert food["id"] == f"{ahc.pk}-food-didnt-last"
    assert parse_observation_id(food["id"]) == (ahc.pk, "food-didnt-last")
    assert codes([food["code"]]) == {(LOINC, "88123-5")}
    assert codes(food["category"]) == {(systems.OBSERVATION_CATEGORY, "survey"),
                                       (systems.US_CORE_CATEGORY, "sdoh"),
                                       (SDOH, "food-insecurity")}
    assert food["valueCodeableConcept"]["coding"] == [{"system": LOINC, "code": "LA6729-3",
                                                       "display": "Sometimes true"}]
    assert codes(food["interpretation"]) == {(systems.OBSERVATION_INTERPRETATION, "POS")}
    assert food["performer"][0]["reference"].startswith("RelatedPerson/")
    assert "interpretation" not in found["food_worry"]  # "never true": no flag at all
    housing = found["housing_problems"]
    assert "valueCodeableConcept" not in housing
    assert [c["valueCodeableConcept"]["coding"][0]["code"] for c in housing["component"]] == [
        "LA28580-1", "LA31996-4"]
    assert all(c["code"] == housing["code"] for c in housing["component"])
    declined = found["safety_scream"]
    assert codes([declined["dataAbsentReason"]]) == {(systems.DATA_ABSENT_REASON,
                                                      "asked-declined")}
    assert codes(found["safety_hurt"]["category"]) >= {(SDOH, "sdoh-category-unspecified")}

    panel = found[None]
    assert panel["id"] == str(ahc.pk) and "performer" not in panel  # derived: no performer
    assert codes([panel["code"]]) == {(LOINC, "96777-8")}
    assert [m["reference"] for m in panel["hasMember"]] == [
        f"Observation/{ahc.pk}-{item.replace('_', '-')}" for item in AHC_ANSWERS]
    results = {c["code"]["coding"][0]["code"]: c for c in panel["component"]}
    assert results["food"]["valueBoolean"] is True and codes(results["food"]["interpretation"])
    assert "valueBoolean" not in results["safety"]  # incomplete: an item was declined
    assert results["95614-4"]["dataAbsentReason"]["text"].startswith("Not totalled")


def test_a_complete_safety_screen_carries_its_total(network, sofia):
    answers = {**AHC_ANSWERS, "safety_scream": "LA10082-8"}  # 2 + 3 + 1 + 3
    given = assessments.administer(user=sofia["nurse"], child=sofia["child"],
                                   instrument_id="ahc-hrsn-core", answers=answers,
                                   context="review", respondent=sofia["mother"],
                                   administered_on=TODAY)
    panel = valid(mapping.observation(screening(network, given)))
    results = {c["code"]["coding"][0]["code"]: c for c in panel["component"]}
    assert results["95614-4"]["valueInteger"] == 9
    assert results["safety"]["valueBoolean"] is False and "interpretation" not in results[
        "safety"]


def test_the_protective_factors_check_in_is_us_core_screening_assessment(network, sofia):
    checkin = screening(network, sofia["screenings"][1])
    found = all_observations(checkin)
    for observation in found.values():
        assert profile(observation) == [systems.PROFILES["Observation"]]
        assert codes(observation["category"]) == {(systems.OBSERVATION_CATEGORY, "survey")}
    item = found["sc_2"]
    system = systems.instrument_codes(checkin.instrument_id, "item")
    assert codes([item["code"]]) == {(system, "sc_2")}
    assert item["valueCodeableConcept"]["coding"] == [{
        "system": systems.instrument_codes(checkin.instrument_id, "answer"),
        "code": "strongly_disagree", "display": "Strongly disagree"}]
    assert "interpretation" not in item  # flags are for social-needs answers only
    panel = found[None]
    assert codes([panel["code"]]) == {(systems.INSTRUMENT, checkin.instrument_id)}
    scores = {c["code"]["coding"][0]["code"]: c for c in panel["component"]}
    assert scores["social_connections"]["valueQuantity"] == {"value": 2.33, "unit": "score"}
    assert codes(scores["social_connections"]["interpretation"]) == {
        (systems.OBSERVATION_INTERPRETATION, "L")}
    assert "interpretation" not in scores["parental_resilience"]
    assert "dataAbsentReason" in scores["social_emotional_competence"]
    response = valid(mapping.questionnaire_response(checkin))
    assert response["language"] == "en"


def test_a_spanish_check_in_displays_carecoords_own_answers_in_spanish(network, sofia):
    given = assessments.administer(
        user=sofia["nurse"], child=sofia["child"],
        instrument_id="carecoord-protective-factors-checkin",
        answers={**{f"{p}_{n}": "agree" for p, k in (("pr", 3), ("sc", 3), ("kp", 2),
                                                     ("cs", 3), ("se", 2))
                    for n in range(1, k + 1)}}, context="review", respondent=sofia["mother"],
        administered_on=TODAY, language="es")
    response = valid(mapping.questionnaire_response(screening(network, given)))
    first = response["item"][0]
    assert first["answer"][0]["valueCoding"]["display"] == "De acuerdo"
    assert first["text"] != yaml.safe_load((DATA_DIR / (
        "carecoord-protective-factors-checkin.yaml")).read_text())["items"][0]["text"]


def test_the_cshcn_screener_skips_what_was_not_asked(network, sofia):
    document = yaml.safe_load((DATA_DIR / "cshcn-screener.yaml").read_text(encoding="utf-8"))
    answers = next(e for e in document["examples"] if e["id"] == "daily-controller-medicine")[
        "answers"]
    given = assessments.administer(user=sofia["nurse"], child=sofia["child"],
                                   instrument_id=CSHCN_SCREENER, answers=answers,
                                   context="intake", respondent=sofia["mother"],
                                   administered_on=TODAY)
    found = all_observations(screening(network, given))
    assert "q2b_services_condition" not in found  # skipped by the screener's own logic
    results = {c["code"]["coding"][0]["code"]: c for c in found[None]["component"]}
    assert results["qualifies"]["valueBoolean"] is True
    assert results["prescription_medication"]["valueBoolean"] is True


def test_a_correction_replaces_the_administration_it_corrects(network, sofia):
    first = sofia["screenings"][1]
    correction = assessments.administer(
        user=sofia["nurse"], child=sofia["child"], instrument_id=first.instrument_id,
        answers={**first.answers, "se_2": "agree"}, context="intake",
        respondent=sofia["mother"], administered_on=TODAY, corrects=first)
    old, new = screening(network, first), screening(network, correction)
    assert mapping.questionnaire_response(old)["status"] == "entered-in-error"
    assert mapping.questionnaire_response(new)["status"] == "amended"
    assert {o["status"] for o in all_observations(old).values()} == {"entered-in-error"}
    assert {o["status"] for o in all_observations(new).values()} == {"corrected"}
    assert mapping.observation(old)["meta"]["lastUpdated"] == mapping.observation(new)[
        "meta"]["lastUpdated"]  # the old one changed when it was corrected


def test_licensed_pfs2_wording_never_leaves_carecoord(network, sofia, settings, tmp_path):
    settings.CAREPLANS_PFS2_LICENSED_ITEMS = str(licensed_file(tmp_path))
    answers = {f"pfs2_{n:02d}": "4" for n in range(1, 20)}
    given = assessments.administer(user=sofia["nurse"], child=sofia["child"],
                                   instrument_id=PFS_2, answers=answers, context="review",
                                   respondent=sofia["mother"], administered_on=TODAY)
    given = screening(network, given)
    response = valid(mapping.questionnaire_response(given))
    everything = json.dumps([response, *all_observations(given).values()])
    assert "Statement pfs2_" not in everything and "TO BE LICENSED" not in everything
    assert "text" not in response["item"][0]


def test_an_instrument_no_longer_shipped_still_maps(network, sofia):
    retired = Assessment.objects.create(
        child=sofia["child"], center=network.hub, instrument_id="retired-screen",
        instrument_title="A screening CareCoord no longer offers", context="other",
        administered_on=TODAY, administered_by=sofia["nurse"], respondent_name="Maria Rivera",
        language="en", answers={"q_1": "yes", "q_2": ["a", "b"], "q_3": None},
        result={"method": "domain_screen", "order": ["d1"], "domain_results": {"d1": "x"}})
    retired = screening(network, retired)
    found = all_observations(retired)
    assert list(found) == [None, "q_1", "q_2", "q_3"]
    assert codes([found["q_1"]["code"]]) == {(systems.instrument_codes("retired-screen",
                                                                        "item"), "q_1")}
    assert found[None]["code"]["text"] == "A screening CareCoord no longer offers"
    assert [i["linkId"] for i in valid(mapping.questionnaire_response(retired))["item"]] == [
        "q_1", "q_2", "q_3"]


@pytest.mark.parametrize("value,parsed", [("12", (12, None)), ("12-food-worry",
                                                                (12, "food-worry")),
                                          ("12-", None), ("x-1", None), ("-1", None),
                                          ("0", None)])
def test_observation_ids(value, parsed):
    assert parse_observation_id(value) == parsed


def test_every_task_kind_maps(network, sofia):
    for kind, _ in Task.Kind.choices:
        task = Task.objects.create(child=sofia["child"], assigned_to=sofia["nurse"], kind=kind,
                                   title=kind, due_on=TODAY)
        assert task_of(network, task)["code"]["coding"][0]["code"] == kind


# ---------------------------------------------------------------- ServiceRequest


def request_of(network, referral):
    return valid(mapping.service_request(
        selectors.service_referrals(network.practice_nc.pk).get(pk=referral.pk)))


def test_a_referral_for_a_social_need_is_a_gravity_service_request(network, sofia):
    referral = sofia["referral"]
    food, _ = sofia["needs"]
    wic, _ = sofia["goals"]
    resource = request_of(network, referral)
    assert profile(resource) == [systems.SDOHCC_SERVICE_REQUEST]
    assert (resource["status"], resource["intent"]) == ("active", "order")
    assert codes(resource["category"]) == {(systems.US_CORE_CATEGORY, "sdoh"),
                                           (SDOH, "food-insecurity"),
                                           (systems.SNOMED, "410606002")}
    assert codes([resource["code"]]) == {(systems.SNOMED, "3457005")}
    assert resource["code"]["text"] == ("Referral to WIC Hartford (synthetic), Foodshare "
                                        "(synthetic)")
    assert resource["subject"]["reference"] == f"Patient/{sofia['child'].pk}"
    assert resource["authoredOn"] == referral.sent_on.isoformat()
    nurse = sofia["nurse"]
    assert resource["requester"]["reference"] == f"PractitionerRole/coordinator-{nurse.pk}"
    assert resource["performer"] == [{"display": "WIC Hartford (synthetic), Foodshare "
                                                 "(synthetic)"}]
    assert resource["reasonReference"] == [{"reference": f"Condition/need-{food.pk}",
                                            "display": food.description}]
    assert resource["extension"] == [{"url": systems.PERTAINS_TO_GOAL, "valueReference": {
        "reference": f"Goal/{wic.pk}", "display": wic.statement}}]
    assert resource["note"][0]["text"].startswith("Sent on ")
    assert "supportingInfo" not in resource  # the family contacts the service themselves


def test_where_the_loop_stands(network, sofia):
    referral = sofia["referral"]
    helpers.step(network, referral, "acknowledged", acknowledged_on=TODAY)
    helpers.step(network, referral, "scheduled", scheduled_on=TODAY,
                 appointment_on=TODAY + datetime.timedelta(days=9))
    resource = request_of(network, referral)
    assert resource["status"] == "active"
    assert resource["occurrenceDateTime"] == (TODAY + datetime.timedelta(days=9)).isoformat()
    assert "appointment on" in resource["note"][0]["text"]
    helpers.step(network, referral, "failed", reason="unable_to_reach", closed_on=TODAY,
                 details="No answer at three numbers")
    resource = request_of(network, referral)
    assert resource["status"] == "revoked"
    assert resource["note"][0]["text"] == (f"Unable to reach the family on {TODAY.isoformat()}."
                                           " Outcome: No answer at three numbers")


def test_a_referral_for_another_need_is_a_us_core_service_request(network, sofia):
    respite = helpers.need(sofia["child"], "respite", "Weekend respite for the parents")
    organization = "Respite League (synthetic)"
    covering = helpers.consent(sofia["child"], organization)
    referral = helpers.send(network, respite, helpers.service(
        name="Saturday respite", domain="respite", organization=organization),
        consent=covering, notes="Mamá pidió sábados; no llamar al papá")
    resource = request_of(network, referral)
    assert profile(resource) == [systems.PROFILES["ServiceRequest"]]
    assert codes(resource["category"]) == {(systems.SNOMED, "410606002")}
    assert resource["reasonCode"] == [{"text": "Respite: Weekend respite for the parents"}]
    assert "reasonReference" not in resource and "extension" not in resource
    assert resource["supportingInfo"][0]["display"].startswith("Consent to share")
    assert "papá" not in json.dumps(resource, ensure_ascii=False)  # notes stay in CareCoord
