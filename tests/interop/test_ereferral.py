"""E-referrals in: a practice's EMR posts a transaction Bundle; the referral lands in the intake
queue of the center of the family's town, once, or the Bundle is refused naming each bad
element and nothing is written."""

import copy
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carecoord.families.models import Child, Diagnosis, Guardian, Household, Referral
from carecoord.interop import validation
from carecoord.interop.models import ReceivedReferral
from tests.interop.conftest import register

pytestmark = pytest.mark.django_db

WRITE = "system/ServiceRequest.write system/Patient.read"


def bundle(*, town="Norwich", identifier="REF-2026-0042", language="es") -> dict:
    """A referral from a PCP: a 4-year-old with spina bifida whose mother speaks Spanish."""
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {"fullUrl": "urn:uuid:11111111-1111-4111-8111-111111111111",
             "resource": {
                 "resourceType": "ServiceRequest", "status": "active", "intent": "order",
                 "identifier": [{"system": "urn:oid:2.16.840.1.113883.3.999.1",
                                 "value": identifier}],
                 "priority": "urgent", "authoredOn": "2026-11-20",
                 "code": {"text": "Care coordination"},
                 "subject": {"reference": "urn:uuid:22222222-2222-4222-8222-222222222222"},
                 "requester": {"reference": "urn:uuid:44444444-4444-4444-8444-444444444444"},
                 "reasonReference": [
                     {"reference": "urn:uuid:55555555-5555-4555-8555-555555555555"}],
                 "note": [{"text": "Family needs help with equipment and school services."}]},
             "request": {"method": "POST", "url": "ServiceRequest"}},
            {"fullUrl": "urn:uuid:22222222-2222-4222-8222-222222222222",
             "resource": {
                 "resourceType": "Patient",
                 "name": [{"use": "official", "family": "Quintero", "given": ["Mateo"]}],
                 "gender": "male", "birthDate": "2022-03-14",
                 "address": [{"use": "home", "line": ["7 Imaginary Ln"], "city": town,
                              "state": "CT", "postalCode": "06360"}],
                 "communication": [{"language": {"coding": [
                     {"system": "urn:ietf:bcp:47", "code": language}]}, "preferred": True}]},
             "request": {"method": "POST", "url": "Patient"}},
            {"fullUrl": "urn:uuid:33333333-3333-4333-8333-333333333333",
             "resource": {
                 "resourceType": "RelatedPerson",
                 "patient": {"reference": "urn:uuid:22222222-2222-4222-8222-222222222222"},
                 "relationship": [{"coding": [{
                     "system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode",
                     "code": "MTH"}]}],
                 "name": [{"family": "Quintero", "given": ["Lucia"]}],
                 "telecom": [{"system": "phone", "value": "860-555-0142"}],
                 "communication": [{"language": {"coding": [
                     {"system": "urn:ietf:bcp:47", "code": "es"}]}}]},
             "request": {"method": "POST", "url": "RelatedPerson"}},
            {"fullUrl": "urn:uuid:44444444-4444-4444-8444-444444444444",
             "resource": {
                 "resourceType": "Practitioner",
                 "identifier": [{"system": "http://hl7.org/fhir/sid/us-npi",
                                 "value": "1234567893"}],
                 "name": [{"family": "Okafor", "given": ["Grace"], "suffix": ["MD"]}]},
             "request": {"method": "POST", "url": "Practitioner"}},
            {"fullUrl": "urn:uuid:55555555-5555-4555-8555-555555555555",
             "resource": {
                 "resourceType": "Condition",
                 "subject": {"reference": "urn:uuid:22222222-2222-4222-8222-222222222222"},
                 "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm",
                                      "code": "Q05.7", "display": "Lumbar spina bifida"}]},
                 "recordedDate": "2024-05-02"},
             "request": {"method": "POST", "url": "Condition"}},
        ],
    }


@pytest.fixture
def sender(network, client, rsa_key):
    """The North Central practice's EMR, allowed to send referrals."""
    emr = register(network.practice_nc, rsa_key, scopes=WRITE, name="Referring EMR")
    token = emr.token(client, scope=WRITE)

    def post(body, *, token_=token, content_type="application/fhir+json"):
        data = body if isinstance(body, (str, bytes)) else json.dumps(body)
        return client.post("/fhir/", data, content_type=content_type,
                           HTTP_AUTHORIZATION=f"Bearer {token_}")

    post.emr = emr
    return post


def _counts():
    return (Child.objects.count(), Household.objects.count(), Guardian.objects.count(),
            Referral.objects.count(), Diagnosis.objects.count(), ReceivedReferral.objects.count())


def test_the_example_bundle_is_valid_fhir():
    for entry in bundle()["entry"]:
        assert validation.problems(entry["resource"]) == []
    assert validation.schema_problems(bundle()) == []


def test_a_referral_lands_in_the_queue_of_the_familys_center(network, sender):
    response = sender(bundle(town="Norwich"))
    assert response.status_code == 201, response.content
    answer = response.json()
    assert answer["resourceType"] == "Bundle" and answer["type"] == "transaction-response"
    assert [e["response"]["status"] for e in answer["entry"]] == ["201 Created"] * 5
    assert validation.schema_problems(answer) == []

    referral = Referral.objects.get(received_as__client=sender.emr.registration)
    child = referral.child
    # Norwich is in the Eastern region: the Eastern center's intake queue, not the sender's.
    assert referral.center == network.east and child.center == network.east
    assert referral.status == "received" and referral.urgency == Referral.Urgency.PRIORITY
    assert referral.referring_clinician.npi == "1234567893"
    assert "equipment and school services" in referral.reason
    assert (child.first_name, child.last_name, str(child.date_of_birth)) == (
        "Mateo", "Quintero", "2022-03-14")
    assert child.preferred_language.code == "es"
    assert child.household.town.name == "Norwich"
    mother = child.household.guardians.get()
    assert (mother.first_name, mother.relationship, mother.phone) == (
        "Lucia", "mother", "860-555-0142")
    assert list(child.diagnoses.values_list("code", flat=True)) == ["Q057"]
    assert f"Patient/{child.pk}" in [e["response"].get("location") for e in answer["entry"]]


def test_sending_the_same_referral_again_writes_nothing(network, sender):
    assert sender(bundle()).status_code == 201
    before = _counts()
    again = sender(bundle())
    assert again.status_code == 200
    assert [e["response"]["status"] for e in again.json()["entry"]] == ["200 OK"] * 5
    assert _counts() == before
    # Another identifier is another referral (for the child now on file).
    assert sender(bundle(identifier="REF-2026-0043")).status_code == 201
    assert Referral.objects.filter(child__last_name="Quintero").count() == 2
    assert Child.objects.filter(last_name="Quintero").count() == 1


@pytest.mark.parametrize("change, element, words", [
    (lambda b: b["entry"][1]["resource"].pop("birthDate"),
     "Bundle.entry[1].resource.birthDate", "date"),
    (lambda b: b["entry"][1]["resource"]["address"][0].update(city="Springfield"),
     "Bundle.entry[1].resource.address[0].city", "not a Connecticut town"),
    (lambda b: b["entry"][0]["resource"].pop("identifier"),
     "Bundle.entry[0].resource.identifier", "identifier"),
    (lambda b: b["entry"][2]["resource"].pop("telecom"),
     "Bundle.entry[2].resource.telecom", "phone number or an email"),
    (lambda b: b["entry"][3]["resource"]["identifier"][0].update(system="urn:x"),
     "Bundle.entry[3].resource.identifier", "NPI"),
    (lambda b: b["entry"][4]["resource"]["code"]["coding"][0].update(code="??"),
     "Bundle.entry[4].resource.code.coding.code", "not an ICD code"),
    (lambda b: b["entry"][0]["resource"].update(subject={"reference": "urn:uuid:nobody"}),
     "Bundle.entry[0].resource.subject.reference", "not the fullUrl"),
    (lambda b: b["entry"][1]["resource"].update(gender="boy"),
     "Bundle.entry[1].resource.gender", ""),
    (lambda b: b.update(type="batch"), "Bundle.type", "transaction"),
    (lambda b: b["entry"].pop(2), "Bundle.entry", "RelatedPerson"),
])
def test_a_bad_bundle_is_refused_naming_the_element_and_nothing_is_written(
        network, sender, change, element, words):
    body = bundle()
    change(body)
    before = _counts()
    response = sender(body)
    assert response.status_code == 400
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    found = [(issue["expression"][0], issue["diagnostics"]) for issue in outcome["issue"]]
    assert any(where == element and words in why for where, why in found), found
    assert _counts() == before


def test_every_problem_is_listed_at_once(network, sender):
    body = bundle()
    body["entry"][1]["resource"].pop("birthDate")
    body["entry"][2]["resource"].pop("telecom")
    response = sender(body)
    where = {issue["expression"][0] for issue in response.json()["issue"]}
    assert {"Bundle.entry[1].resource.birthDate", "Bundle.entry[2].resource.telecom"} <= where


def test_not_json_or_without_the_write_scope_is_refused(network, sender, client, rsa_key):
    assert sender("{not json").status_code == 400
    assert sender(bundle(), content_type="text/plain").status_code == 400
    reader = register(network.practice_nc, rsa_key, name="Read-only EMR")
    refused = sender(bundle(), token_=reader.token(client))
    assert refused.status_code == 403
    assert "system/ServiceRequest.write" in refused.json()["issue"][0]["diagnostics"]
    assert not Referral.objects.filter(child__last_name="Quintero").exists()


def test_the_write_is_audited_as_the_client(network, sender):
    from carecoord.audit.models import AuditEvent

    sender(bundle())
    child = Child.objects.get(last_name="Quintero")
    events = AuditEvent.objects.filter(child_id=child.pk)
    actors = set(events.values_list("actor_username", flat=True))
    assert actors == {sender.emr.registration.audit_name}


_paths = st.sampled_from([
    ("entry", 0, "resource", "status"), ("entry", 1, "resource", "name"),
    ("entry", 1, "resource", "address"), ("entry", 2, "resource", "patient"),
    ("entry", 0, "resource", "priority"), ("entry", 4, "resource", "recordedDate"),
    ("entry", 0, "request"), ("entry", 3, "resource"), ("entry",), ("resourceType",),
])
_junk = st.one_of(st.none(), st.integers(), st.text(max_size=20), st.booleans(),
                  st.lists(st.text(max_size=5), max_size=3),
                  st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=2))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.lists(st.tuples(_paths, _junk), min_size=1, max_size=3))
def test_fuzzed_bundles_never_500_and_write_nothing(network, sender, changes):
    body = copy.deepcopy(bundle())
    for path, value in changes:
        target = body
        try:
            for step in path[:-1]:
                target = target[step]
            target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    before = _counts()
    response = sender(body)
    assert response.status_code in (200, 201, 400), response.content
    if response.status_code == 400:
        assert response.json()["resourceType"] == "OperationOutcome"
        assert _counts() == before
