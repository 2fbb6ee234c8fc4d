"""A practice's EMR registered as a SMART backend client, signing its own assertions, and
Sofia's care plan as written and agreed with her mother, with the coordination around it:
contacts, tasks, a referral to WIC and the screenings given in Spanish."""

import datetime
import uuid

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.utils import timezone

from carecoord.accounts.models import Language
from carecoord.careplans import assessments, services
from carecoord.careplans.assessment_results import AHC_HRSN, PROTECTIVE_FACTORS_CHECKIN
from carecoord.careplans.models import (
    Action,
    CarePlan,
    FamilyPriority,
    Goal,
    Need,
    NeedDomain,
    Strength,
)
from carecoord.contacts import services as contacts
from carecoord.contacts.models import Contact, Task
from carecoord.families.models import Diagnosis
from carecoord.interop.models import BackendClient
from tests import factories
from tests.servicereferrals import helpers

TODAY = timezone.localdate()
TOKEN_PATH = "/fhir/auth/token"
JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


@pytest.fixture(scope="session")
def rsa_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def ec_key():
    return ec.generate_private_key(ec.SECP384R1())


def public_jwk(private_key, kid: str, alg: str) -> dict:
    algorithm = jwt.algorithms.RSAAlgorithm if alg == "RS384" else jwt.algorithms.ECAlgorithm
    key = algorithm.to_jwk(private_key.public_key(), as_dict=True)
    return {**key, "kid": kid, "alg": alg, "use": "sig"}


class SmartSystem:
    """The EMR side: its registration, its private key, and the requests it makes."""

    def __init__(self, registration: BackendClient, private_key, kid: str, alg: str):
        self.registration = registration
        self.private_key = private_key
        self.kid = kid
        self.alg = alg

    @property
    def client_id(self) -> str:
        return self.registration.client_id

    def assertion(self, token_url: str, *, headers=None, key=None, **claims) -> str:
        now = int(datetime.datetime.now(tz=datetime.UTC).timestamp())
        body = {"iss": self.client_id, "sub": self.client_id, "aud": token_url,
                "exp": now + 240, "jti": str(uuid.uuid4()), **claims}
        body = {name: value for name, value in body.items() if value is not None}
        return jwt.encode(body, key or self.private_key, algorithm=self.alg,
                          headers={"kid": self.kid, **(headers or {})})

    def token_form(self, token_url: str, scope="system/*.read", **claims) -> dict:
        return {"grant_type": "client_credentials", "client_assertion_type": JWT_BEARER,
                "client_assertion": self.assertion(token_url, **claims), "scope": scope}

    def token(self, http, scope="system/*.read") -> str:
        response = http.post(TOKEN_PATH, self.token_form(f"http://testserver{TOKEN_PATH}",
                                                         scope))
        assert response.status_code == 200, response.content
        return response.json()["access_token"]


def register(practice, private_key, *, alg="RS384", kid="emr-key-1", scopes="system/*.read",
             name="Practice EMR") -> SmartSystem:
    registration = BackendClient(name=name, practice=practice, scopes=scopes,
                                 jwks={"keys": [public_jwk(private_key, kid, alg)]})
    registration.full_clean()
    registration.save()
    return SmartSystem(registration, private_key, kid, alg)


@pytest.fixture
def emr(network, rsa_key):
    """Asylum Hill Pediatrics' EMR (the practice Sofia is attributed to), allowed every read."""
    return register(network.practice_nc, rsa_key)


@pytest.fixture
def fhir(client, emr):
    """GET a FHIR URL with the EMR's token (a fresh one per test)."""
    token = emr.token(client)

    def get(url, token_=token, **extra):
        return client.get(url, HTTP_AUTHORIZATION=f"Bearer {token_}", **extra)

    get.token = token
    return get


def _add(network, plan, item):
    plan.refresh_from_db()
    return services.add_item(user=network["nurse.nc"], plan=plan,
                             expected_version=plan.version, item=item)


@pytest.fixture
def sofia(network):
    """Sofia's plan, agreed with her mother: a priority in Spanish with its translation, a food
    need (social: a Condition) and a medical need (not one), two goals, actions for the family
    and the coordinator, a strength; two diagnoses on file, her PCP at the practice."""
    child = network.child_nc
    child.pcp = factories.clinician(network.practice_nc, phone="860-555-0199")
    child.save()
    plan = CarePlan.objects.get(child=child)
    mother = child.household.guardians.get()
    _add(network, plan, FamilyPriority(
        text="Que Sofía pueda ir a la escuela sin convulsiones", language=plan.language,
        translation="That Sofia can go to school without seizures", voiced_by=mother))
    _add(network, plan, Strength(text="Her grandmother helps every afternoon",
                                 protective_factor="social_connections"))
    food = _add(network, plan, Need(
        domain=NeedDomain.objects.get(code="food"), description="WIC lapsed after the move",
        raised_by="family", family_priority="high", provider_priority="medium",
        reach="within_reach"))
    medical = _add(network, plan, Need(
        domain=NeedDomain.objects.get(code="medical"), description="Neurology follow-up",
        raised_by="pcp", family_priority="medium", reach="within_reach"))
    wic = _add(network, plan, Goal(need=food, statement="WIC benefits restarted",
                                   measure="WIC card active and used",
                                   target_date=TODAY + datetime.timedelta(days=30)))
    neuro = _add(network, plan, Goal(need=medical, statement="Seizure plan at school",
                                     measure="Seizure action plan signed by neurology and "
                                             "on file with the school nurse",
                                     target_date=TODAY + datetime.timedelta(days=60)))
    _add(network, plan, Action(goal=wic, description="Call the WIC office in Hartford",
                               owner="family", owner_name="Maria",
                               due_on=TODAY + datetime.timedelta(days=7)))
    _add(network, plan, Action(goal=neuro, description="Send the seizure plan to the school",
                               owner="coordinator", due_on=TODAY + datetime.timedelta(days=21)))
    for code, text in (("G40909", "Epilepsy, unspecified"), ("F840", "Autistic disorder")):
        Diagnosis.objects.create(child=child, code=code, description=text,
                                 recorded_on=TODAY - datetime.timedelta(days=90),
                                 source="Referral")
    plan.refresh_from_db()
    version = services.agree(user=network["nurse.nc"], plan=plan, expected_version=plan.version,
                             agreed_on=TODAY, how="in_person", guardian=mother)
    plan.refresh_from_db()
    referral = helpers.send(network, food, helpers.service(name="WIC Hartford (synthetic)"),
                            how="family", on=TODAY - datetime.timedelta(days=2))
    plan.refresh_from_db()  # the referral moved the need on: progress, the plan stays agreed
    return {"child": child, "plan": plan, "version": version, "mother": mother,
            "needs": (food, medical), "goals": (wic, neuro), "referral": referral,
            **coordination(network, child, mother)}


# The AHC HRSN as Sofia's mother answered it (in Spanish): food, housing (two problems with the
# flat: a "check all that apply" answer), transportation and utilities positive; safety 9.
AHC_ANSWERS = {
    "living_situation": "LA31994-9", "housing_problems": ["LA28580-1", "LA31996-4"],
    "food_worry": "LA28398-8", "food_didnt_last": "LA6729-3", "transportation": "LA33-6",
    "utilities": "LA32002-0", "safety_hurt": "LA10066-1", "safety_insult": "LA10082-8",
    "safety_threaten": "LA6270-8", "safety_scream": None,
}
CHECKIN_ANSWERS = {
    "pr_1": "agree", "pr_2": "agree", "pr_3": "neither", "sc_1": "disagree",
    "sc_2": "strongly_disagree", "sc_3": "disagree", "kp_1": "agree", "kp_2": "agree",
    "cs_1": "agree", "cs_2": "neither", "cs_3": "agree", "se_1": "strongly_agree", "se_2": None,
}


def coordination(network, child, mother):
    """A home visit with an interpreter (and its follow-up task), an unanswered call, a task of
    the reminder rules, and two screenings: the AHC HRSN in Spanish, the check-in in English."""
    nurse = network["nurse.nc"]
    visit = contacts.log_contact(
        user=nurse, child=child, contact=Contact(
            channel="home_visit", reached=True, duration_minutes=45, guardian=mother,
            occurred_at=timezone.now() - datetime.timedelta(days=3),
            participants=["guardian", "child", "interpreter"],
            interpreter_language=Language.objects.get(code="es"),
            notes="Mamá preocupada por la renta; pidió no compartirlo."),
        follow_up_on=TODAY + datetime.timedelta(days=5), follow_up="Llamar a la oficina de WIC")
    call = contacts.log_contact(user=nurse, child=child, contact=Contact(
        channel="phone", reached=False, occurred_at=timezone.now() - datetime.timedelta(days=1)))
    reminder = Task.objects.create(child=child, assigned_to=nurse, kind="plan_review",
                                   title="Care plan review due", due_on=TODAY,
                                   rule_key=f"test-review-{child.pk}")
    ahc = assessments.administer(user=nurse, child=child, instrument_id=AHC_HRSN,
                                 answers=AHC_ANSWERS, context="intake", respondent=mother,
                                 administered_on=TODAY - datetime.timedelta(days=3),
                                 language="es")
    checkin = assessments.administer(user=nurse, child=child,
                                     instrument_id=PROTECTIVE_FACTORS_CHECKIN,
                                     answers=CHECKIN_ANSWERS, context="intake",
                                     respondent=mother, administered_on=TODAY)
    return {"contacts": (visit, call), "tasks": (visit.follow_ups.get(), reminder),
            "screenings": (ahc, checkin), "nurse": nurse}
