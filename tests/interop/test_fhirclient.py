"""A real client reads it: the SMART on FHIR Python client (fhirclient), against the running
server, discovers the token endpoint from the CapabilityStatement, authenticates with a signed
assertion, reads a child's current care plan with its goals, pages through a search, and fails
cleanly on what is outside its scope."""

import gc
import threading

import pytest
from fhirclient import client as smart_client
from fhirclient.models.bundle import Bundle
from fhirclient.models.careplan import CarePlan
from fhirclient.models.goal import Goal
from fhirclient.models.operationoutcome import OperationOutcome
from fhirclient.models.patient import Patient
from fhirclient.server import (
    FHIRNotFoundException,
    FHIRPermissionDeniedException,
    FHIRUnauthorizedException,
)

from tests import factories
from tests.interop.conftest import register

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def connect(live_server):
    """A connected fhirclient per EMR. When the test ends its connections are closed and the
    test waits for the server's request threads to finish: a kept-alive one would otherwise
    close its database connection after the test server stopped sharing the in-memory
    database, and fail."""
    opened = []

    def open_client(emr, scope="system/*.read", *, authorize=True):
        token_url = f"{live_server.url}/fhir/auth/token"
        smart = smart_client.FHIRClient(settings={
            "app_id": emr.client_id if emr else "nobody", "api_base": f"{live_server.url}/fhir/",
            "scope": scope, "jwt_token": emr.assertion(token_url) if emr else None})
        opened.append(smart)
        if authorize:
            _authorize(smart)
        return smart

    yield open_client
    for smart in opened:
        smart.server.session.close()
    opened.clear()
    gc.collect()  # a response kept in a reference cycle keeps its socket open
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout=5)


def _authorize(smart):
    smart.wants_patient = False  # a backend service asks for no patient launch context
    smart.prepare()  # reads /fhir/metadata, finds the token endpoint there
    smart.authorize()
    assert smart.ready


def outcome_of(error) -> OperationOutcome:
    return OperationOutcome(error.response.json())


def test_reads_the_current_care_plan_with_its_goals(connect, network, sofia, emr):
    smart = connect(emr)
    search = CarePlan.where({"patient": str(sofia["child"].pk), "status": "active"}).include(
        "goal")
    entries = [e for bundle in search.perform_iter(smart.server) for e in bundle.entry]
    plans = [e.resource for e in entries if e.search.mode == "match"]
    goals = {e.resource.id: e.resource for e in entries if e.search.mode == "include"}
    assert len(plans) == 1 and isinstance(plans[0], CarePlan)
    plan = plans[0]
    assert plan.status == "active" and plan.intent == "plan"
    assert plan.note[0].text.startswith("Que Sofía pueda ir a la escuela")
    assert [ref.reference for ref in plan.goal] == [f"Goal/{gid}" for gid in goals]
    assert all(isinstance(goal, Goal) for goal in goals.values())
    assert [g.description.text for g in goals.values()] == ["WIC benefits restarted",
                                                            "Seizure plan at school"]
    again = Goal.read(next(iter(goals)), smart.server)
    assert again.lifecycleStatus == "planned"


def test_pages_through_a_search(connect, network, sofia, emr):
    for n in range(4):
        kid = factories.child(network.hub, first=f"Kid{n}", last="Paging",
                              pcp_practice=network.practice_nc)
        factories.consent(kid, network.practice_nc)
    smart = connect(emr)
    pages = list(Patient.where({"_count": "2"}).perform_iter(smart.server))
    assert [len(page.entry) for page in pages] == [2, 2, 1]
    assert all(isinstance(page, Bundle) and page.total == 5 for page in pages)
    names = {p.resource.name[0].given[0] for page in pages for p in page.entry}
    assert names == {"Sofia", "Kid0", "Kid1", "Kid2", "Kid3"}


def test_fails_cleanly_outside_its_scope(connect, network, sofia, emr, rsa_key):
    smart = connect(emr)
    with pytest.raises(FHIRNotFoundException) as missing:
        Patient.read(str(network.child_ea.pk), smart.server)
    issue = outcome_of(missing.value).issue[0]
    assert issue.code == "not-found"
    assert issue.diagnostics == f"Patient/{network.child_ea.pk} is not known to this server."

    narrow = register(network.practice_nc, rsa_key, scopes="system/CarePlan.read",
                      name="Plans only")
    plans_only = connect(narrow, scope="system/CarePlan.read")
    with pytest.raises(FHIRPermissionDeniedException) as forbidden:
        Patient.read(str(sofia["child"].pk), plans_only.server)
    assert "system/Patient.read" in outcome_of(forbidden.value).issue[0].diagnostics

    anonymous = connect(None, authorize=False)
    with pytest.raises(FHIRUnauthorizedException):
        Patient.read(str(sofia["child"].pk), anonymous.server)


def test_reads_the_coordination_and_the_screenings(connect, network, sofia, emr):
    """The client's own R4 models take every new resource as it is served."""
    from fhirclient.models.consent import Consent
    from fhirclient.models.encounter import Encounter
    from fhirclient.models.observation import Observation
    from fhirclient.models.practitionerrole import PractitionerRole
    from fhirclient.models.questionnaireresponse import QuestionnaireResponse
    from fhirclient.models.task import Task

    smart = connect(emr)
    visit, _ = sofia["contacts"]
    ahc, _ = sofia["screenings"]
    encounter = Encounter.read(str(visit.pk), smart.server)
    assert encounter.status == "finished" and encounter.length.value == 45
    assert encounter.participant[0].individual.reference.startswith("PractitionerRole/")
    role = PractitionerRole.read(encounter.participant[0].individual.reference.split("/")[1],
                                 smart.server)
    assert role.code[0].coding[0].code == "768820003"
    task = Task.read(str(sofia["tasks"][0].pk), smart.server)
    assert task.encounter.reference == f"Encounter/{visit.pk}"
    consent = Consent.read(str(sofia["child"].consents.get().pk), smart.server)
    assert consent.provision.actor[0].role.coding[0].code == "IRCP"
    response = QuestionnaireResponse.read(str(ahc.pk), smart.server)
    assert response.item[0].text == "¿Cuál es su situación de vivienda hoy?"
    search = Observation.where({"patient": str(sofia["child"].pk), "category": "food-insecurity"})
    food = [e.resource for bundle in search.perform_iter(smart.server) for e in bundle.entry]
    assert [o.code.coding[0].code for o in food] == ["96777-8", "88122-7", "88123-5"]
    assert food[2].interpretation[0].coding[0].code == "POS"
