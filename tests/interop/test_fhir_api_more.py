"""The API for the resources of care coordination and screening, as a PCP's EMR uses it: read
and search of PractitionerRole, Encounter, Task, ServiceRequest, Consent, Observation and
QuestionnaireResponse,
only for the children the practice may see (attributed to it, with a current consent to share),
behind the scopes of its token, audited like every other read, at a fixed number of queries a
page whatever the caseload."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from carecoord.audit.models import AuditEvent
from carecoord.careplans import assessments
from carecoord.careplans.models import CarePlan
from carecoord.contacts import services as contacts
from carecoord.contacts.models import Contact
from tests import factories
from tests.interop.conftest import AHC_ANSWERS, CHECKIN_ANSWERS, register
from tests.interop.test_fhir_api import ids, ok, outcome
from tests.servicereferrals import helpers

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
NEW_TYPES = ("PractitionerRole", "Encounter", "Task", "Consent", "Observation",
             "QuestionnaireResponse", "ServiceRequest")
CHILD_TYPES = NEW_TYPES[1:]


def paths(sofia) -> list[str]:
    visit, _ = sofia["contacts"]
    follow_up, _ = sofia["tasks"]
    ahc, checkin = sofia["screenings"]
    child = sofia["child"]
    return [f"Encounter/{visit.pk}", f"Task/{follow_up.pk}",
            f"Consent/{child.consents.get().pk}", f"Observation/{ahc.pk}",
            f"Observation/{ahc.pk}-food-worry", f"Observation/{checkin.pk}-sc-1",
            f"QuestionnaireResponse/{ahc.pk}", f"PractitionerRole/clinician-{child.pcp_id}",
            f"PractitionerRole/coordinator-{sofia['nurse'].pk}",
            f"ServiceRequest/{sofia['referral'].pk}"]


def test_each_new_resource_of_the_practices_child_reads_and_validates(network, sofia, fhir):
    for path in paths(sofia):
        resource = ok(fhir(f"/fhir/{path}"))
        assert f"{resource['resourceType']}/{resource['id']}" == path


def test_the_other_practice_sees_none_of_it(client, network, sofia, rsa_key):
    east = register(network.practice_ea, rsa_key, name="Norwich EMR")
    token = east.token(client)

    def get(url):
        return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")

    for path in paths(sofia):
        missing = outcome(get(f"/fhir/{path}"), 404, code="not-found", says="not known")
        assert missing["diagnostics"] == f"{path} is not known to this server."
    for resource_type in CHILD_TYPES:
        body = ok(get(f"/fhir/{resource_type}?patient={sofia['child'].pk}"))
        assert body["total"] == 0, resource_type
        assert "Rivera" not in str(ok(get(f"/fhir/{resource_type}")))
    roles = ids(ok(get("/fhir/PractitionerRole")))
    assert f"PractitionerRole/coordinator-{sofia['nurse'].pk}" not in roles
    assert f"PractitionerRole/coordinator-{network['nurse.ea'].pk}" in roles  # Liam's


def test_without_a_current_consent_the_child_has_none_of_it(network, sofia, fhir):
    consent = sofia["child"].consents.get()
    consent.revoked_on = TODAY
    consent.save()
    for path in paths(sofia):
        if not path.startswith("PractitionerRole/"):  # the practice's own clinician
            outcome(fhir(f"/fhir/{path}"), 404, code="not-found", says="not known")
    for resource_type in CHILD_TYPES:
        assert ok(fhir(f"/fhir/{resource_type}"))["total"] == 0, resource_type
    assert ids(ok(fhir("/fhir/PractitionerRole"))) == [
        f"PractitionerRole/clinician-{sofia['child'].pcp_id}"]  # no child: no coordinator


def test_only_the_consents_given_to_the_practice(network, sofia, fhir):
    factories.consent(network.child_nc, network.practice_ea)  # to share with another practice
    own = sofia["child"].consents.get(shared_with_practice=network.practice_nc)
    assert ids(ok(fhir("/fhir/Consent"))) == [f"Consent/{own.pk}"]


@pytest.mark.parametrize("resource_type", NEW_TYPES)
def test_each_type_needs_its_own_scope(client, network, sofia, rsa_key, resource_type):
    emr = register(network.practice_nc, rsa_key, scopes="system/Patient.read system/CarePlan.rs")
    token = emr.token(client, scope="system/Patient.read system/CarePlan.rs")
    issue = outcome(client.get(f"/fhir/{resource_type}", HTTP_AUTHORIZATION=f"Bearer {token}"),
                    403, code="forbidden", says=f"system/{resource_type}.read")
    assert issue["expression"] == [resource_type]
    allowed = register(network.practice_nc, rsa_key, scopes=f"system/{resource_type}.read",
                       name="Just one type").token(client, scope=f"system/{resource_type}.rs")
    assert ok(client.get(f"/fhir/{resource_type}", HTTP_AUTHORIZATION=f"Bearer {allowed}"))[
        "total"] >= 1


# ---------------------------------------------------------------- searches


def test_encounter_searches(network, sofia, fhir):
    visit, call = sofia["contacts"]
    child = sofia["child"]
    both = [f"Encounter/{visit.pk}", f"Encounter/{call.pk}"]
    assert ids(ok(fhir(f"/fhir/Encounter?patient=Patient/{child.pk}"))) == both
    assert ids(ok(fhir("/fhir/Encounter?status=finished"))) == both[:1]
    assert ids(ok(fhir("/fhir/Encounter?status=cancelled"))) == both[1:]
    assert ids(ok(fhir("/fhir/Encounter?status=planned"))) == []
    assert ids(ok(fhir("/fhir/Encounter?class=HH"))) == both[:1]
    assert ids(ok(fhir("/fhir/Encounter?class=http://terminology.hl7.org/CodeSystem/"
                       "v3-ActCode|VR"))) == both[1:]
    day = timezone.localtime(visit.occurred_at).date().isoformat()
    assert ids(ok(fhir(f"/fhir/Encounter?date={day}"))) == both[:1]
    assert ids(ok(fhir(f"/fhir/Encounter?date=gt{day}"))) == both[1:]
    assert ids(ok(fhir(f"/fhir/Encounter?date=ge{day}&date=le{day}"))) == both[:1]


def test_an_encounter_lasts_its_duration(network, sofia, fhir):
    visit, _ = sofia["contacts"]
    start = visit.occurred_at.astimezone(datetime.UTC).replace(microsecond=0)

    def at(minutes: int) -> str:
        return (start + datetime.timedelta(minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def found(value: str) -> bool:
        return f"Encounter/{visit.pk}" in ids(ok(fhir(f"/fhir/Encounter?date={value}")))

    assert found(f"ap{at(20)}")  # within the visit
    assert found(f"ge{at(30)}")  # it was still going on
    assert not found(f"sa{at(30)}") and not found(f"eb{at(30)}")
    assert found(f"sa{at(-10)}") and found(f"eb{at(50)}")
    assert not found(f"lt{at(-10)}") and found(f"lt{at(10)}")  # it started before 10 minutes in
    assert found(f"ne{at(10)}")  # 45 minutes are not within a second


def test_task_searches(network, sofia, fhir):
    follow_up, reminder = sofia["tasks"]
    both = [f"Task/{follow_up.pk}", f"Task/{reminder.pk}"]
    assert ids(ok(fhir(f"/fhir/Task?patient={sofia['child'].pk}&status=ready"))) == both
    contacts.close_task(user=sofia["nurse"], task=follow_up, status="done")
    assert ids(ok(fhir("/fhir/Task?status=completed"))) == both[:1]
    assert ids(ok(fhir("/fhir/Task?status=http://hl7.org/fhir/task-status|ready"))) == both[1:]
    today = TODAY.isoformat()
    assert ids(ok(fhir(f"/fhir/Task?authored-on={today}"))) == both
    assert ids(ok(fhir(f"/fhir/Task?authored-on=lt{today}"))) == []
    assert ids(ok(fhir(f"/fhir/Task?period=eq{today}"))) == both[:1]  # done: a closed period
    assert ids(ok(fhir(f"/fhir/Task?period=gt{today}"))) == both[1:]  # still open
    assert ids(ok(fhir(f"/fhir/Task?_lastUpdated=ge{today}"))) == both


def test_consent_searches(network, sofia, fhir):
    consent = sofia["child"].consents.get()
    mine = [f"Consent/{consent.pk}"]
    older = factories.consent(network.child_nc, network.practice_nc,
                              given=TODAY - datetime.timedelta(days=800),
                              expires=TODAY - datetime.timedelta(days=435))
    everything = sorted([f"Consent/{consent.pk}", f"Consent/{older.pk}"],
                        key=lambda r: int(r.split("/")[1]))
    assert ids(ok(fhir("/fhir/Consent"))) == everything
    assert ids(ok(fhir("/fhir/Consent?status=active"))) == mine
    assert ids(ok(fhir("/fhir/Consent?status=inactive"))) == [f"Consent/{older.pk}"]
    assert ids(ok(fhir("/fhir/Consent?category=IDSCL&patient="
                       f"{sofia['child'].pk}")))[0].startswith("Consent/")
    assert ids(ok(fhir(f"/fhir/Consent?date={consent.given_on.isoformat()}"))) == mine
    assert ids(ok(fhir(f"/fhir/Consent?date=lt{consent.given_on.year - 1}"))) == [
        f"Consent/{older.pk}"]  # given at least two years before


def test_observation_searches(network, sofia, fhir):
    ahc, checkin = sofia["screenings"]
    asked = len(AHC_ANSWERS) + 1, len(CHECKIN_ANSWERS) + 1
    assert ok(fhir(f"/fhir/Observation?patient={sofia['child'].pk}"))["total"] == sum(asked)
    assert ok(fhir("/fhir/Observation?category=survey"))["total"] == sum(asked)
    assert ok(fhir("/fhir/Observation?category=sdoh"))["total"] == asked[0]
    food = ids(ok(fhir("/fhir/Observation?category=food-insecurity")))
    assert food == [f"Observation/{ahc.pk}", f"Observation/{ahc.pk}-food-worry",
                    f"Observation/{ahc.pk}-food-didnt-last"]
    assert ids(ok(fhir("/fhir/Observation?code=http://loinc.org|88122-7"))) == [
        f"Observation/{ahc.pk}-food-worry"]
    assert ids(ok(fhir("/fhir/Observation?code=96777-8,urn:carecoord:instrument|"
                       "carecoord-protective-factors-checkin"))) == [
        f"Observation/{ahc.pk}", f"Observation/{checkin.pk}"]
    assert ids(ok(fhir("/fhir/Observation?category=sdoh&code=88122-7,88123-5"
                       "&category=food-insecurity"))) == food[1:]
    assert ids(ok(fhir(f"/fhir/Observation?_id={ahc.pk}-utilities,{checkin.pk}"))) == [
        f"Observation/{ahc.pk}-utilities", f"Observation/{checkin.pk}"]
    assert ok(fhir(f"/fhir/Observation?date={ahc.administered_on.isoformat()}"))[
        "total"] == asked[0]
    assert ok(fhir(f"/fhir/Observation?date=gt{ahc.administered_on.isoformat()}"))[
        "total"] == asked[1]
    assert ok(fhir("/fhir/Observation?status=final"))["total"] == sum(asked)
    assert ok(fhir("/fhir/Observation?status=corrected"))["total"] == 0


def test_a_correction_in_searches(network, sofia, fhir):
    _, checkin = sofia["screenings"]
    correction = assessments.administer(
        user=sofia["nurse"], child=sofia["child"], instrument_id=checkin.instrument_id,
        answers={**checkin.answers, "se_2": "agree"}, context="intake",
        respondent=sofia["mother"], administered_on=TODAY, corrects=checkin)
    assert ids(ok(fhir("/fhir/QuestionnaireResponse?status=entered-in-error"))) == [
        f"QuestionnaireResponse/{checkin.pk}"]
    assert ids(ok(fhir("/fhir/QuestionnaireResponse?status=amended"))) == [
        f"QuestionnaireResponse/{correction.pk}"]
    assert ok(fhir("/fhir/Observation?status=corrected"))["total"] == len(CHECKIN_ANSWERS) + 1
    stamp = checkin.created_at.astimezone(datetime.UTC) + datetime.timedelta(microseconds=1)
    since = stamp.strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # after the check-in, before its correction
    assert ids(ok(fhir(f"/fhir/QuestionnaireResponse?_lastUpdated=ge{since}"))) == [
        f"QuestionnaireResponse/{checkin.pk}", f"QuestionnaireResponse/{correction.pk}"]


def test_questionnaire_response_searches(network, sofia, fhir):
    ahc, checkin = sofia["screenings"]
    both = [f"QuestionnaireResponse/{ahc.pk}", f"QuestionnaireResponse/{checkin.pk}"]
    assert ids(ok(fhir(f"/fhir/QuestionnaireResponse?patient={sofia['child'].pk}"))) == both
    assert ids(ok(fhir("/fhir/QuestionnaireResponse?status=completed"))) == both
    assert ids(ok(fhir(f"/fhir/QuestionnaireResponse?authored={TODAY.isoformat()}"))) == [
        both[1]]
    assert ids(ok(fhir(f"/fhir/QuestionnaireResponse?authored=eb{TODAY.isoformat()}"))) == [
        both[0]]
    assert ids(ok(fhir(f"/fhir/QuestionnaireResponse?authored={TODAY.isoformat()[:7]}"
                       f"&authored=ge{ahc.administered_on.isoformat()}"))) == [
        r for r, day in zip(both, (ahc.administered_on, TODAY)) if day.month == TODAY.month]


def test_service_request_searches(network, sofia, fhir):
    referral = sofia["referral"]
    mine = [f"ServiceRequest/{referral.pk}"]
    respite = helpers.send(network, helpers.need(sofia["child"], "respite"),
                           helpers.service(domain="respite"), how="family",
                           on=TODAY - datetime.timedelta(days=40))
    both = mine + [f"ServiceRequest/{respite.pk}"]
    assert ids(ok(fhir(f"/fhir/ServiceRequest?patient={sofia['child'].pk}"))) == both
    assert ids(ok(fhir("/fhir/ServiceRequest?category=sdoh"))) == mine
    assert ids(ok(fhir("/fhir/ServiceRequest?category=food-insecurity"))) == mine
    assert ids(ok(fhir("/fhir/ServiceRequest?category=http://snomed.info/sct|410606002"))) == both
    assert ids(ok(fhir(f"/fhir/ServiceRequest?authored=ge{referral.sent_on}"))) == mine
    assert ids(ok(fhir(f"/fhir/ServiceRequest?authored=lt{referral.sent_on}"))) == both[1:]
    assert ids(ok(fhir("/fhir/ServiceRequest?status=active"))) == both
    helpers.step(network, respite, "failed", reason="no_capacity", closed_on=TODAY)
    assert ids(ok(fhir("/fhir/ServiceRequest?status=revoked"))) == both[1:]
    assert ids(ok(fhir("/fhir/ServiceRequest?status=completed"))) == []


def test_practitioner_role_searches(network, sofia, fhir):
    pcp, nurse = sofia["child"].pcp_id, sofia["nurse"].pk
    assert ids(ok(fhir("/fhir/PractitionerRole"))) == [
        f"PractitionerRole/clinician-{pcp}", f"PractitionerRole/coordinator-{nurse}"]
    assert ids(ok(fhir(f"/fhir/PractitionerRole?practitioner=Practitioner/{pcp}"))) == [
        f"PractitionerRole/clinician-{pcp}"]
    assert ids(ok(fhir(f"/fhir/PractitionerRole?_id=coordinator-{nurse},clinician-999"))) == [
        f"PractitionerRole/coordinator-{nurse}"]
    outcome(fhir(f"/fhir/PractitionerRole/coordinator-{network['nurse.ea'].pk}"), 404,
            code="not-found", says="not known")
    for bad in (str(nurse), f"staff-{nurse}", "coordinator-", "clinician-x"):
        outcome(fhir(f"/fhir/PractitionerRole/{bad}"), 404, code="not-found", says="not known")


def test_whoever_worked_with_the_child_has_a_role(network, sofia, fhir):
    social = network["social.nc"]
    contacts.log_contact(user=social, child=sofia["child"], contact=Contact(
        channel="email", reached=True))
    assert f"PractitionerRole/coordinator-{social.pk}" in ids(ok(fhir("/fhir/PractitionerRole")))
    ok(fhir(f"/fhir/PractitionerRole/coordinator-{social.pk}"))


def test_care_plan_date_is_the_enrollment(network, sofia, fhir):
    plan = sofia["plan"]
    start = plan.enrollment.start_date
    assert ok(fhir(f"/fhir/CarePlan?date={TODAY.isoformat()}"))["total"] == 0  # not within
    assert ok(fhir(f"/fhir/CarePlan?date=ge{TODAY.isoformat()}"))["total"] == 1  # still open
    assert ok(fhir(f"/fhir/CarePlan?date=ap{TODAY.isoformat()}"))["total"] == 1
    assert ok(fhir(f"/fhir/CarePlan?date=sa{start.isoformat()}"))["total"] == 0
    assert ok(fhir(f"/fhir/CarePlan?date=sa{(start - datetime.timedelta(days=1))}"))[
        "total"] == 1
    enrollment = plan.enrollment
    enrollment.discharge_date, enrollment.discharge_reason = TODAY, "goals_met"
    enrollment.save()
    assert ok(fhir(f"/fhir/CarePlan?date={start.isoformat()[:4]}"))["total"] == int(
        start.year == TODAY.year)
    assert ok(fhir(f"/fhir/CarePlan?date=eb{TODAY + datetime.timedelta(days=1)}"))[
        "total"] == 1


# ---------------------------------------------------------------- paging, cost and audit


def test_paging_through_observations(network, sofia, fhir):
    total = len(AHC_ANSWERS) + len(CHECKIN_ANSWERS) + 2
    seen, url, pages = [], "/fhir/Observation?_count=7", 0
    while url:
        bundle = ok(fhir(url))
        assert bundle["total"] == total and len(bundle["entry"]) <= 7
        seen += ids(bundle)
        url = {link["relation"]: link["url"] for link in bundle["link"]}.get(
            "next", "").removeprefix("http://testserver")
        pages += 1
    assert pages == -(-total // 7) and len(seen) == len(set(seen)) == total
    last = ok(fhir(f"/fhir/Observation?_count=7&_offset={total - 1}"))
    assert len(last["entry"]) == 1
    assert "entry" not in ok(fhir(f"/fhir/Observation?_offset={total}"))


def test_a_page_of_each_new_type_costs_the_same_queries_whatever_the_caseload(network, sofia,
                                                                             fhir):
    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            ok(fhir(url))
        return len(captured)

    urls = [f"/fhir/{t}?_count=100" for t in NEW_TYPES] + [
        "/fhir/Observation?category=sdoh", "/fhir/Encounter?date=ge2020"]
    before = [queries(url) for url in urls]
    nurse = network["nurse.nc"]
    for n in range(3):
        kid = factories.child(network.hub, first=f"Kid{n}", last="More",
                              pcp_practice=network.practice_nc)
        factories.consent(kid, network.practice_nc)
        factories.enrolled(kid, nurse)
        CarePlan.objects.create(enrollment=kid.enrollments.get(), child=kid, center=kid.center,
                                language=kid.preferred_language, created_by=nurse)
        contacts.log_contact(user=nurse, child=kid, contact=Contact(
            channel="video", reached=True, duration_minutes=20, participants=["guardian"],
            guardian=kid.household.guardians.get()), follow_up_on=TODAY, follow_up="Again")
        helpers.send(network, helpers.need(kid, "housing"), helpers.service(domain="housing"),
                     how="family", child=kid)
        assessments.administer(user=nurse, child=kid, instrument_id="ahc-hrsn-core",
                               answers=AHC_ANSWERS, context="intake",
                               respondent=kid.household.guardians.get(),
                               administered_on=TODAY)
        factories.user(f"coordinator{n}.nc", "coordinator", center=network.hub,
                       discipline="nurse")
    assert [queries(url) for url in urls] == before


def test_reads_and_searches_are_audited_like_the_others(network, sofia, fhir, emr):
    child, visit = sofia["child"], sofia["contacts"][0]
    fhir(f"/fhir/Encounter/{visit.pk}")
    viewed = AuditEvent.objects.order_by("-pk").first()
    assert (viewed.action, viewed.object_type, viewed.object_id) == (
        "view", "contacts.contact", str(visit.pk))
    assert (viewed.child_id, viewed.center_id) == (child.pk, child.center_id)
    assert viewed.actor_username == f"fhir-client:{emr.client_id}"
    assert viewed.detail == {"fhir": f"Encounter/{visit.pk}"}

    ahc = sofia["screenings"][0]
    fhir(f"/fhir/Observation/{ahc.pk}-food-worry")
    viewed = AuditEvent.objects.order_by("-pk").first()
    assert (viewed.object_type, viewed.object_id, viewed.child_id) == (
        "careplans.assessment", str(ahc.pk), child.pk)

    fhir("/fhir/Observation?category=food-insecurity")
    listed = AuditEvent.objects.order_by("-pk").first()
    assert (listed.action, listed.object_type, listed.detail["ids"]) == (
        "list", "families.child", [child.pk])
    assert listed.detail["fhir"][0] == f"Observation/{ahc.pk}"

    fhir(f"/fhir/PractitionerRole/coordinator-{sofia['nurse'].pk}")
    viewed = AuditEvent.objects.order_by("-pk").first()
    assert (viewed.object_type, viewed.child_id, viewed.center_id) == (
        "accounts.user", None, network.hub.pk)
    start = AuditEvent.objects.count()
    fhir("/fhir/PractitionerRole")
    staff, clinicians = AuditEvent.objects.order_by("-pk")[:2]
    assert AuditEvent.objects.count() == start + 2  # one event per center, as for Organization
    assert {staff.object_type, clinicians.object_type} == {"accounts.user",
                                                           "families.clinician"}


def test_refused_date_searches_read_nothing(network, sofia, fhir):
    start = AuditEvent.objects.count()
    for value in ("2026-02-30", "xx2026", "ge", "2026-01-01T10:00+24:00", "0001-01-01T00:00+05:00"):
        outcome(fhir(f"/fhir/Encounter?date={value.replace('+', '%2B')}"), 400, code="invalid",
                says="", where="date")
    assert AuditEvent.objects.count() == start


def test_the_smart_configuration_offers_the_new_scopes(client):
    offered = client.get("/fhir/.well-known/smart-configuration").json()["scopes_supported"]
    for resource_type in NEW_TYPES:
        assert {f"system/{resource_type}.read", f"system/{resource_type}.rs"} <= set(offered)
