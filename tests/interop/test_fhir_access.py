"""The FHIR API's access matrix: every route, called with no token, from every role's signed-in
session (sessions carry no authority here), with the token of the child's practice and with
the token of another practice. A route added to the API without a row fails here."""

import pytest
from django.urls import URLPattern

from carecoord.careplans.models import CarePlan
from carecoord.interop.urls import fhir_patterns
from tests.accounts.test_access_matrix import EVERYONE
from tests.factories import PASSWORD
from tests.interop.conftest import TOKEN_PATH, register

pytestmark = pytest.mark.django_db
UNKNOWN = "5b0f3c1e-0000-4000-8000-000000000000"


def _rows(network):
    """(route name, method, path, status without a token, status with this practice's token,
    status with the other practice's token)."""
    child = network.child_nc
    plan = CarePlan.objects.get(child=child)
    consent = child.consents.get()
    return [
        ("fhir-metadata", "get", "/fhir/metadata", 200, 200, 200),
        # An e-referral needs system/ServiceRequest.write; these tokens only read.
        ("fhir-transaction", "post", "/fhir/", 401, 403, 403),
        # Kick-offs without Prefer: respond-async are refused before anything is exported.
        ("fhir-export", "get", "/fhir/$export", 401, 400, 400),
        ("fhir-export-patient", "get", "/fhir/Patient/$export", 401, 400, 400),
        ("fhir-export-group", "get", f"/fhir/Group/center-{child.center_id}/$export", 401,
         400, 400),
        ("fhir-export-status", "get", f"/fhir/$export-status/{UNKNOWN}", 401, 404, 404),
        ("fhir-export-file", "get", f"/fhir/$export-files/{UNKNOWN}/Patient.ndjson", 401, 404,
         404),
        ("fhir-smart-configuration", "get", "/fhir/.well-known/smart-configuration", 200, 200,
         200),
        ("fhir-token", "get", TOKEN_PATH, 405, 405, 405),
        ("fhir-token", "post", TOKEN_PATH, 400, 400, 400),  # no grant in the form
        ("fhir-search", "get", "/fhir/Patient", 401, 200, 200),
        ("fhir-search", "get", f"/fhir/CarePlan?patient={child.pk}", 401, 200, 200),
        ("fhir-read", "get", f"/fhir/Patient/{child.pk}", 401, 200, 404),
        ("fhir-read", "get", f"/fhir/CarePlan/{plan.pk}", 401, 200, 404),
        ("fhir-read", "get", f"/fhir/Consent/{consent.pk}", 401, 200, 404),
        *[("fhir-search", "get", f"/fhir/{kind}?patient={child.pk}", 401, 200, 200)
          for kind in ("Encounter", "Task", "Consent", "Observation", "QuestionnaireResponse",
                       "ServiceRequest", "Condition", "Goal", "RelatedPerson")],
        ("fhir-search", "get", "/fhir/PractitionerRole", 401, 200, 200),
        ("fhir-unknown", "get", "/fhir/Patient/1/_history/2", 404, 404, 404),
    ]


def test_every_fhir_route_has_a_row(network):
    names = {p.name for p in fhir_patterns if isinstance(p, URLPattern)}
    assert names == {name for name, *_ in _rows(network)}


def test_no_token_and_every_roles_session_get_the_same_answer(network, client):
    for name, method, path, anonymous, *_ in _rows(network):
        assert getattr(client, method)(path).status_code == anonymous, path
    for username in sorted(EVERYONE):
        assert client.login(username=username, password=PASSWORD)
        for name, method, path, anonymous, *_ in _rows(network):
            response = getattr(client, method)(path)
            assert response.status_code == anonymous, f"{username} {method.upper()} {path}"
            assert "Rivera" not in response.content.decode()


def test_tokens_see_their_practices_children_only(network, client, rsa_key):
    tokens = {}
    for tag, practice in (("nc", network.practice_nc), ("ea", network.practice_ea)):
        tokens[tag] = register(practice, rsa_key, name=f"EMR {tag}").token(client)
    for name, method, path, _, own, other in _rows(network):
        for tag, expected in (("nc", own), ("ea", other)):
            response = getattr(client, method)(path, HTTP_AUTHORIZATION=f"Bearer {tokens[tag]}")
            assert response.status_code == expected, f"{tag} {method.upper()} {path}"
            if tag == "ea":
                assert "Rivera" not in response.content.decode(), path
