"""The FHIR REST API as a PCP's EMR uses it: read and search of each resource, the children it
may see (attributed to its practice, with a current consent to share), the scopes its token
carries, errors as OperationOutcome, paging, and every read in the audit log."""

import datetime
import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carecoord.accounts import policy
from carecoord.audit.models import AuditEvent
from carecoord.careplans import services
from carecoord.careplans.models import CarePlan
from carecoord.families.models import Guardian
from carecoord.interop.api.metadata import capability_statement_json
from carecoord.interop.api.resources import KINDS
from carecoord.interop.models import AccessToken
from carecoord.interop.validation import problems
from tests import factories
from tests.interop.conftest import register

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def ok(response) -> dict:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/fhir+json; charset=utf-8"
    body = response.json()
    assert problems(body) == []
    for entry in body.get("entry", []):
        assert problems(entry["resource"]) == [], entry["resource"]
    return body


def outcome(response, status: int, *, code: str, says: str, where: str | None = None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/fhir+json")
    body = response.json()
    assert problems(body) == []
    issue = body["issue"][0]
    assert body["resourceType"] == "OperationOutcome" and issue["code"] == code
    assert says in issue["diagnostics"], issue["diagnostics"]
    if where is not None:
        assert issue["expression"] == [where]
    return issue


def ids(bundle) -> list[str]:
    return [f"{e['resource']['resourceType']}/{e['resource']['id']}"
            for e in bundle.get("entry", []) if e["search"]["mode"] == "match"]


# ---------------------------------------------------------------- scope: practice and consent


def test_children_for_practice_is_what_its_providers_see(network):
    provider = network["provider.nc"]
    assert list(policy.children_for_practice(network.practice_nc.pk)) == list(
        policy.children_for(provider)) == [network.child_nc]
    assert not policy.children_for_practice(None).exists()


def test_each_resource_of_the_practices_child_reads_and_validates(network, sofia, fhir):
    child, plan = sofia["child"], sofia["plan"]
    food, _ = sofia["needs"]
    diagnosis = child.diagnoses.first()
    for path in (f"Patient/{child.pk}", f"RelatedPerson/{sofia['mother'].pk}-{child.pk}",
                 f"Practitioner/{child.pcp_id}", f"Organization/practice-{child.pcp_practice_id}",
                 f"Organization/center-{child.center_id}", f"CarePlan/{plan.pk}",
                 f"Goal/{sofia['goals'][0].pk}", f"Condition/need-{food.pk}",
                 f"Condition/diagnosis-{diagnosis.pk}"):
        resource = ok(fhir(f"/fhir/{path}"))
        assert f"{resource['resourceType']}/{resource['id']}" == path


def test_another_practices_child_does_not_exist_for_the_client(network, sofia, fhir):
    other = network.child_ea
    plan = CarePlan.objects.get(child=other)
    guardian = other.household.guardians.get()
    for path in (f"Patient/{other.pk}", f"CarePlan/{plan.pk}",
                 f"RelatedPerson/{guardian.pk}-{other.pk}",
                 f"Organization/center-{other.center_id}",
                 f"Organization/practice-{network.practice_ea.pk}"):
        missing = outcome(fhir(f"/fhir/{path}"), 404, code="not-found",
                          says="is not known to this server")
        assert missing["diagnostics"] == f"{path} is not known to this server."
    never = outcome(fhir("/fhir/Patient/999999"), 404, code="not-found", says="not known")
    assert never["diagnostics"] == "Patient/999999 is not known to this server."
    assert ok(fhir(f"/fhir/CarePlan?patient={other.pk}"))["total"] == 0
    assert ids(ok(fhir("/fhir/Patient"))) == [f"Patient/{network.child_nc.pk}"]


def test_a_guardian_of_the_childs_household_is_only_related_to_that_child(network, sofia, fhir):
    mother = sofia["mother"]
    outcome(fhir(f"/fhir/RelatedPerson/{mother.pk}-{network.child_ea.pk}"), 404,
            code="not-found", says="not known")
    for bad in ("abc", f"{mother.pk}", f"{mother.pk}-", "-1", "1-2-3"):
        outcome(fhir(f"/fhir/RelatedPerson/{bad}"), 404, code="not-found", says="not known")


def test_consent_expired_revoked_or_given_to_another_practice_hides_the_child(network, sofia,
                                                                             fhir):
    child = sofia["child"]
    assert ok(fhir(f"/fhir/Patient?_id={child.pk}"))["total"] == 1
    consent = child.consents.get()
    consent.revoked_on = TODAY
    consent.save()
    outcome(fhir(f"/fhir/Patient/{child.pk}"), 404, code="not-found", says="not known")
    outcome(fhir(f"/fhir/CarePlan/{sofia['plan'].pk}"), 404, code="not-found", says="not known")
    for resource_type in ("Patient", "CarePlan", "Goal", "Condition", "RelatedPerson"):
        assert ok(fhir(f"/fhir/{resource_type}"))["total"] == 0, resource_type
    consent.revoked_on, consent.expires_on = None, TODAY
    consent.save()
    assert ok(fhir("/fhir/Patient"))["total"] == 0
    factories.consent(network.child_ea, network.practice_nc)  # not the child's medical home
    assert ok(fhir("/fhir/Patient"))["total"] == 0


def test_the_other_practices_client_sees_only_its_own_child(client, network, sofia, rsa_key):
    east = register(network.practice_ea, rsa_key, name="Norwich EMR")
    token = east.token(client)

    def get(url):
        return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")

    assert ids(ok(get("/fhir/Patient"))) == [f"Patient/{network.child_ea.pk}"]
    outcome(get(f"/fhir/CarePlan/{sofia['plan'].pk}"), 404, code="not-found", says="not known")
    assert ok(get("/fhir/Condition"))["total"] == 0


# ---------------------------------------------------------------- tokens and scopes


def test_no_token_bad_token_expired_token_or_deactivated_client_is_401(client, network, sofia,
                                                                        emr, fhir):
    url = f"/fhir/Patient/{sofia['child'].pk}"
    issue = outcome(client.get(url), 401, code="login", says="An access token is required")
    response = client.get(url)
    assert response["WWW-Authenticate"] == 'Bearer realm="CareCoord FHIR"'
    outcome(fhir(url, token_="made-up"), 401, code="login", says="not valid")
    assert 'error="invalid_token"' in fhir(url, token_="made-up")["WWW-Authenticate"]
    outcome(client.get(url, HTTP_AUTHORIZATION=f"Basic {fhir.token}"), 401, code="login",
            says="not valid")
    AccessToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    outcome(fhir(url), 401, code="login", says="has expired")
    AccessToken.objects.update(expires_at=timezone.now() + datetime.timedelta(minutes=5))
    assert fhir(url).status_code == 200
    emr.registration.active = False
    emr.registration.save()
    outcome(fhir(url), 401, code="login", says="deactivated")
    assert issue


def test_a_signed_in_session_is_no_token(client, network, sofia):
    client.force_login(network["provider.nc"])
    outcome(client.get(f"/fhir/Patient/{sofia['child'].pk}"), 401, code="login",
            says="access token is required")


def test_a_missing_scope_is_403_before_anything_is_looked_up(client, network, sofia, rsa_key):
    emr = register(network.practice_nc, rsa_key, scopes="system/CarePlan.rs system/Patient.s")
    token = emr.token(client, scope="system/CarePlan.rs system/Patient.s")

    def get(url):
        return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")

    issue = outcome(get(f"/fhir/Goal/{sofia['goals'][0].pk}"), 403, code="forbidden",
                    says="system/Goal.read (or system/Goal.r)", where="Goal")
    assert "do not allow read of Goal" in issue["diagnostics"]
    outcome(get("/fhir/Goal/999999"), 403, code="forbidden", says="Goal")  # not a 404
    outcome(get(f"/fhir/Patient/{sofia['child'].pk}"), 403, code="forbidden",
            says="system/Patient.read (or system/Patient.r)")
    assert ok(get("/fhir/Patient"))["total"] == 1  # search is allowed (.s)
    outcome(get(f"/fhir/CarePlan?_include=CarePlan:goal&patient={sofia['child'].pk}"), 403,
            code="forbidden", says="read of Goal")
    assert get(f"/fhir/CarePlan/{sofia['plan'].pk}").status_code == 200
    assert "insufficient_scope" in get("/fhir/Goal")["WWW-Authenticate"]


# ---------------------------------------------------------------- search


def test_current_care_plan_with_its_goals(network, sofia, fhir):
    child = sofia["child"]
    bundle = ok(fhir(f"/fhir/CarePlan?patient=Patient/{child.pk}&status=active"
                     "&_include=CarePlan:goal"))
    assert bundle["type"] == "searchset" and bundle["total"] == 1
    modes = [(e["resource"]["resourceType"], e["search"]["mode"]) for e in bundle["entry"]]
    assert modes == [("CarePlan", "match"), ("Goal", "include"), ("Goal", "include")]
    plan = bundle["entry"][0]
    assert plan["fullUrl"] == f"http://testserver/fhir/CarePlan/{sofia['plan'].pk}"
    goal_refs = [g["reference"] for g in plan["resource"]["goal"]]
    assert goal_refs == [f"Goal/{e['resource']['id']}" for e in bundle["entry"][1:]]
    assert ok(fhir(f"/fhir/CarePlan?patient={child.pk}&status=draft"))["total"] == 0
    typed = ok(fhir(f"/fhir/CarePlan?patient={child.pk}&_include=CarePlan:goal:Goal"))
    assert len(typed["entry"]) == 3


def test_care_plan_status_and_category(network, sofia, fhir):
    drafts = ok(fhir("/fhir/CarePlan?status=draft"))
    assert drafts["total"] == 0  # Liam's draft belongs to the other practice
    assert ok(fhir("/fhir/CarePlan?status=draft,active"))["total"] == 1
    assert ok(fhir("/fhir/CarePlan?status=http://hl7.org/fhir/request-status|active"))[
        "total"] == 1
    assert ok(fhir("/fhir/CarePlan?status=on-hold"))["total"] == 0
    assert ok(fhir("/fhir/CarePlan?category=assess-plan"))["total"] == 1
    assert ok(fhir("/fhir/CarePlan?category=http://hl7.org/fhir/us/core/CodeSystem/"
                   "careplan-category|assess-plan"))["total"] == 1
    assert ok(fhir("/fhir/CarePlan?category=other|assess-plan"))["total"] == 0
    enrollment = sofia["plan"].enrollment
    enrollment.discharge_date, enrollment.discharge_reason = TODAY, "goals_met"
    enrollment.save()
    assert ok(fhir("/fhir/CarePlan?status=active"))["total"] == 0
    assert ok(fhir("/fhir/CarePlan?status=completed"))["total"] == 1


def test_last_updated(network, sofia, fhir):
    plan = sofia["plan"]
    stamp = plan.updated_at
    before = (stamp - datetime.timedelta(seconds=5)).isoformat().replace("+00:00", "Z")
    after = (stamp + datetime.timedelta(seconds=5)).isoformat().replace("+00:00", "Z")
    assert ok(fhir(f"/fhir/CarePlan?_lastUpdated=ge{before}"))["total"] == 1
    assert ok(fhir(f"/fhir/CarePlan?_lastUpdated=ge{after}"))["total"] == 0
    assert ok(fhir(f"/fhir/CarePlan?_lastUpdated=ge{before}&_lastUpdated=le{after}"))[
        "total"] == 1
    assert ok(fhir(f"/fhir/CarePlan?_lastUpdated=lt{before}"))["total"] == 0
    today = timezone.localtime(stamp).date().isoformat()
    assert ok(fhir(f"/fhir/CarePlan?_lastUpdated={today}"))["total"] == 1
    assert ok(fhir(f"/fhir/Goal?_lastUpdated=ge{today[:7]}"))["total"] == 2
    assert ok(fhir(f"/fhir/Patient?_lastUpdated=gt{today[:4]}"))["total"] == 0


def test_goal_and_condition_searches(network, sofia, fhir):
    child = sofia["child"]
    wic, neuro = sofia["goals"]
    assert ids(ok(fhir(f"/fhir/Goal?patient={child.pk}&lifecycle-status=planned"))) == [
        f"Goal/{wic.pk}", f"Goal/{neuro.pk}"]
    assert ok(fhir("/fhir/Goal?lifecycle-status=active"))["total"] == 0
    food, medical = sofia["needs"]
    diagnoses = [f"Condition/diagnosis-{d.pk}" for d in child.diagnoses.order_by("pk")]
    everything = ids(ok(fhir(f"/fhir/Condition?patient={child.pk}")))
    assert everything == diagnoses + [f"Condition/need-{food.pk}"]  # not the medical need
    assert ids(ok(fhir("/fhir/Condition?category=problem-list-item"))) == diagnoses
    for category in ("health-concern", "sdoh", "food-insecurity",
                     "http://hl7.org/fhir/us/core/CodeSystem/us-core-category|sdoh"):
        assert ids(ok(fhir(f"/fhir/Condition?category={category}"))) == [
            f"Condition/need-{food.pk}"], category
    assert ok(fhir("/fhir/Condition?category=housing-instability"))["total"] == 0
    assert ok(fhir("/fhir/Condition?clinical-status=resolved"))["total"] == 0
    assert ok(fhir("/fhir/Condition?clinical-status=active"))["total"] == 3
    assert ids(ok(fhir(f"/fhir/Condition?_id=need-{food.pk},diagnosis-999"))) == [
        f"Condition/need-{food.pk}"]
    outcome(fhir(f"/fhir/Condition/need-{medical.pk}"), 404, code="not-found", says="not known")


def test_each_guardian_of_a_household_is_their_own_related_person(network, sofia, fhir):
    child, mother = sofia["child"], sofia["mother"]
    father = Guardian.objects.create(household=child.household, first_name="Luis",
                                     last_name="Rivera", relationship="father",
                                     phone="860-555-0143")
    both = ok(fhir(f"/fhir/RelatedPerson?patient={child.pk}"))
    assert ids(both) == [f"RelatedPerson/{mother.pk}-{child.pk}",
                         f"RelatedPerson/{father.pk}-{child.pk}"]
    one = ok(fhir(f"/fhir/RelatedPerson?_id={father.pk}-{child.pk}"))
    assert ids(one) == [f"RelatedPerson/{father.pk}-{child.pk}"]
    assert one["entry"][0]["resource"]["name"][0]["given"] == ["Luis"]
    read = ok(fhir(f"/fhir/RelatedPerson/{father.pk}-{child.pk}"))
    assert read["relationship"][0]["coding"][0]["code"] == "FTH"


def test_related_person_practitioner_and_organization_searches(network, sofia, fhir):
    child, mother = sofia["child"], sofia["mother"]
    assert ids(ok(fhir(f"/fhir/RelatedPerson?patient={child.pk}"))) == [
        f"RelatedPerson/{mother.pk}-{child.pk}"]
    assert ids(ok(fhir(f"/fhir/Practitioner?_id={child.pcp_id}"))) == [
        f"Practitioner/{child.pcp_id}"]
    assert ids(ok(fhir("/fhir/Organization"))) == [
        f"Organization/practice-{network.practice_nc.pk}", f"Organization/center-{network.hub.pk}"]
    assert ids(ok(fhir(f"/fhir/Organization?_id=center-{network.hub.pk}"))) == [
        f"Organization/center-{network.hub.pk}"]


def test_paging_with_next_links(network, sofia, fhir):
    for n in range(4):
        kid = factories.child(network.hub, first=f"Kid{n}", last="Paging",
                              pcp_practice=network.practice_nc)
        factories.consent(kid, network.practice_nc)
    seen, url, pages = [], "/fhir/Patient?_count=2", 0
    while url:
        bundle = ok(fhir(url))
        assert bundle["total"] == 5 and len(bundle["entry"]) <= 2
        seen += ids(bundle)
        links = {link["relation"]: link["url"] for link in bundle["link"]}
        assert links["self"].startswith("http://testserver/fhir/Patient?")
        url = links.get("next", "").removeprefix("http://testserver")
        pages += 1
    assert pages == 3 and len(seen) == len(set(seen)) == 5
    last = ok(fhir("/fhir/Patient?_count=2&_offset=4"))
    assert {link["relation"] for link in last["link"]} == {"self", "previous"}
    counted = ok(fhir("/fhir/Patient?_count=0"))
    assert counted["total"] == 5 and "entry" not in counted
    assert len(ok(fhir("/fhir/Patient?_count=1000"))["entry"]) == 5  # at most 100 a page
    assert ok(fhir("/fhir/Patient?_offset=50"))["total"] == 5


def test_a_search_page_costs_the_same_queries_whatever_the_caseload(network, sofia, fhir):
    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            ok(fhir(url))
        return len(captured)

    urls = ["/fhir/Patient", "/fhir/CarePlan?_include=CarePlan:goal", "/fhir/Goal",
            "/fhir/Condition", "/fhir/RelatedPerson", "/fhir/Practitioner", "/fhir/Organization"]
    before = [queries(url) for url in urls]
    for n in range(3):
        kid = factories.child(network.hub, first=f"Kid{n}", last="More",
                              pcp_practice=network.practice_nc)
        factories.consent(kid, network.practice_nc)
        factories.enrolled(kid, network["nurse.nc"])
        CarePlan.objects.create(enrollment=kid.enrollments.get(), child=kid, center=kid.center,
                                language=kid.preferred_language, created_by=network["nurse.nc"])
    assert [queries(url) for url in urls] == before


# ---------------------------------------------------------------- bad requests


@pytest.mark.parametrize("url,where,says", [
    ("/fhir/Patient?name=Rivera", "name", "is not supported for Patient"),
    ("/fhir/Patient?_count=-1", "_count", "not a whole number"),
    ("/fhir/Patient?_count=1&_count=2", "_count", "more than once"),
    ("/fhir/Patient?_count=ten", "_count", "not a whole number"),
    ("/fhir/Patient?_lastUpdated=yesterday", "_lastUpdated", "not a FHIR date"),
    ("/fhir/Patient?_lastUpdated=ge2026-02-30", "_lastUpdated", "not a valid date"),
    ("/fhir/Patient?_lastUpdated=xx2026-02-01", "_lastUpdated", "'xx' is not a date prefix"),
    ("/fhir/Encounter?date=2026-02-30", "date", "not a valid date"),
    ("/fhir/Task?status=open", "status", "'open' is not one of draft, requested"),
    ("/fhir/Observation?date=yesterday", "date", "not a FHIR date"),
    ("/fhir/Encounter?patient=Group/1", "patient", "does not refer to a Patient"),
    ("/fhir/Patient?_id:missing=true", "_id:missing", "modifier"),
    ("/fhir/CarePlan?status=actve", "status", "'actve' is not one of draft, active"),
    ("/fhir/CarePlan?patient=Practitioner/1", "patient", "does not refer to a Patient"),
    ("/fhir/CarePlan?_include=CarePlan:subject", "_include", "supported: CarePlan:goal"),
    ("/fhir/CarePlan?_include=CarePlan:goal:Patient", "_include", "is not supported"),
    ("/fhir/Goal?status=active", "status", "supported: _id, _lastUpdated, lifecycle-status"),
    ("/fhir/Goal?_include=CarePlan:goal", "_include", "supported: none"),
    ("/fhir/Condition?clinical-status=cured", "clinical-status", "'cured' is not one of"),
    ("/fhir/Patient?_format=xml", "_format", "JSON only"),
    ("/fhir/Patient?_sort=birthdate", "_sort", "is not supported"),
])
def test_bad_search_parameters_are_400_naming_the_parameter(network, fhir, url, where, says):
    outcome(fhir(url), 400, code="invalid", says=says, where=where)


def test_empty_parameters_are_ignored_and_json_formats_accepted(network, sofia, fhir):
    assert ok(fhir("/fhir/Patient?_id=&_format=application/fhir%2Bjson&_pretty=true"))[
        "total"] == 1
    assert fhir("/fhir/Patient?_pretty=true").content.startswith(b'{\n  "resourceType"')


def test_read_refuses_search_parameters_and_writes(network, sofia, fhir, client):
    outcome(fhir(f"/fhir/Patient/{sofia['child'].pk}?status=active"), 400, code="invalid",
            says="not a parameter of read", where="status")
    response = client.post(f"/fhir/Patient/{sofia['child'].pk}", {},
                           HTTP_AUTHORIZATION=f"Bearer {fhir.token}")
    outcome(response, 405, code="not-supported", says="read-only")
    outcome(client.delete("/fhir/Patient", HTTP_AUTHORIZATION=f"Bearer {fhir.token}"), 405,
            code="not-supported", says="read-only")


def test_unknown_types_and_paths_answer_as_fhir(network, fhir):
    outcome(fhir("/fhir/Immunization"), 404, code="not-supported", says="does not serve")
    outcome(fhir("/fhir/Immunization/1"), 404, code="not-supported", says="does not serve")
    outcome(fhir("/fhir/Patient/1/_history"), 404, code="not-supported",
            says="no FHIR endpoint at /fhir/Patient/1/_history")


# ---------------------------------------------------------------- the audit log


def test_every_read_is_audited_with_the_client_as_actor(network, sofia, fhir, emr):
    child = sofia["child"]
    AuditEvent.objects.all()  # the log is append-only; count from here
    start = AuditEvent.objects.count()
    fhir(f"/fhir/Patient/{child.pk}", REMOTE_ADDR="10.1.2.3")
    viewed = AuditEvent.objects.order_by("-pk").first()
    assert (viewed.action, viewed.object_type, viewed.object_id) == ("view", "families.child",
                                                                     str(child.pk))
    assert viewed.actor_username == f"fhir-client:{emr.client_id}" and viewed.actor_id is None
    assert (viewed.child_id, viewed.center_id) == (child.pk, child.center_id)
    assert viewed.ip_address == "10.1.2.3" and viewed.detail == {"fhir": f"Patient/{child.pk}"}
    assert viewed.path == f"/fhir/Patient/{child.pk}"

    fhir(f"/fhir/CarePlan?patient={child.pk}&_include=CarePlan:goal")
    listed = AuditEvent.objects.order_by("-pk").first()
    assert (listed.action, listed.object_type) == ("list", "families.child")
    assert listed.detail["ids"] == [child.pk] and listed.child_id == child.pk
    assert listed.center_id == child.center_id
    plan, (wic, neuro) = sofia["plan"], sofia["goals"]
    assert listed.detail["fhir"] == [f"CarePlan/{plan.pk}", f"Goal/{wic.pk}", f"Goal/{neuro.pk}"]

    fhir("/fhir/Practitioner")
    directory = AuditEvent.objects.order_by("-pk").first()
    assert directory.object_type == "families.clinician" and directory.detail["ids"] == [
        child.pcp_id]
    fhir("/fhir/Patient?_id=999999")
    nothing = AuditEvent.objects.order_by("-pk").first()
    assert nothing.action == "list" and nothing.detail["ids"] == []
    assert AuditEvent.objects.count() == start + 4


def test_refusals_read_nothing_and_record_no_view(network, sofia, fhir):
    start = AuditEvent.objects.count()
    fhir(f"/fhir/Patient/{network.child_ea.pk}")
    fhir("/fhir/Patient?bogus=1")
    assert AuditEvent.objects.count() == start


def test_the_center_administrator_sees_the_clients_reads_of_their_children(network, sofia,
                                                                           fhir):
    fhir(f"/fhir/CarePlan/{sofia['plan'].pk}")
    visible = policy.audit_events_for(network["admin.nc"])
    assert visible.filter(actor_username__startswith="fhir-client:", action="view").exists()
    assert not policy.audit_events_for(network["admin.ea"]).filter(
        actor_username__startswith="fhir-client:").exists()


# ---------------------------------------------------------------- CapabilityStatement


def test_the_capability_statement_tells_the_truth(client, network, sofia, fhir):
    statement = ok(client.get("/fhir/metadata"))  # no token needed to learn how to get one
    assert statement["fhirVersion"] == "4.0.1" and statement["format"] == ["json"]
    rest = statement["rest"][0]
    token_url = rest["security"]["extension"][0]["extension"][0]["valueUri"]
    assert token_url == "http://testserver/fhir/auth/token"
    served = {r["type"]: r for r in rest["resource"]}
    # A Group is only the subject of a bulk export (a center's enrolled children).
    group = served.pop("Group")
    assert [o["definition"] for o in group["operation"]] == [
        "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/group-export"]
    assert "interaction" not in group
    assert set(served) == set(KINDS)
    assert [i["code"] for i in rest["interaction"]] == ["transaction"]
    assert [o["name"] for o in rest["operation"]] == ["export"]
    assert [o["name"] for o in served["Patient"]["operation"]] == ["export"]
    for resource_type, entry in served.items():
        assert [i["code"] for i in entry["interaction"]] == ["read", "search-type"]
        assert ok(fhir(f"/fhir/{resource_type}"))["total"] >= 1, resource_type
        assert entry.get("supportedProfile", []) == list(KINDS[resource_type].profiles)
        for parameter in entry["searchParam"]:
            value = {"token": "x", "reference": "1", "date": "ge2020-01-01"}[parameter["type"]]
            codes = KINDS[resource_type].parameters[parameter["name"]].codes
            if codes:
                value = codes[0]
            response = fhir(f"/fhir/{resource_type}?{parameter['name']}={value}")
            assert response.status_code == 200, (resource_type, parameter["name"])
        for include in entry.get("searchInclude", []):
            assert fhir(f"/fhir/{resource_type}?_include={include}").status_code == 200
    assert served["CarePlan"]["searchInclude"] == ["CarePlan:goal"]
    for undeclared in ("Patient?name=x", "Goal?date=2020", "Condition?code=x"):
        assert fhir(f"/fhir/{undeclared}").status_code == 400


def test_the_capability_statement_validates_on_its_own():
    assert problems(capability_statement_json("https://cc.example/fhir",
                                              "https://cc.example/fhir/auth/token")) == []


def test_smart_configuration(client):
    config = client.get("/fhir/.well-known/smart-configuration").json()
    assert config["token_endpoint"] == "http://testserver/fhir/auth/token"
    assert config["token_endpoint_auth_methods_supported"] == ["private_key_jwt"]
    assert config["token_endpoint_auth_signing_alg_values_supported"] == ["ES384", "RS384"]
    assert "system/CarePlan.read" in config["scopes_supported"]
    assert "system/ServiceRequest.write" in config["scopes_supported"]


def test_every_search_bundle_of_every_type_validates(network, sofia, fhir):
    for resource_type in KINDS:
        bundle = ok(fhir(f"/fhir/{resource_type}?_count=100"))
        assert re.fullmatch(r"[0-9a-f-]{36}", bundle["id"])
        profiles = set(KINDS[resource_type].profiles)
        for entry in bundle["entry"]:  # a type no profile fits (Task) claims none
            assert set(entry["resource"]["meta"].get("profile", [])) <= profiles
            assert bool(entry["resource"]["meta"].get("profile")) == bool(profiles)


def test_ids_never_collide_across_types(network, sofia, fhir):
    seen = list(itertools.chain.from_iterable(
        ids(ok(fhir(f"/fhir/{t}?_count=100"))) for t in KINDS))
    assert len(seen) == len(set(seen))


def test_a_reopened_plan_reads_as_a_draft(network, sofia, fhir):
    plan = sofia["plan"]
    from carecoord.careplans.models import Strength
    services.add_item(user=network["nurse.nc"], plan=plan, expected_version=plan.version,
                      item=Strength(text="Loves music"))
    resource = ok(fhir(f"/fhir/CarePlan/{plan.pk}"))
    assert resource["status"] == "draft" and "version 1 agreed" in resource["text"]["div"]
