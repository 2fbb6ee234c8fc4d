"""SMART Backend Services: a registered client trades a signed assertion for a short-lived
token; every way an assertion can be wrong is refused with the OAuth error a client expects
and a reason its developer can act on; every attempt is in the audit log."""

import datetime
import hashlib
import json

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from django.core.exceptions import ValidationError
from django.utils import timezone

from carecoord.audit.models import AuditEvent
from carecoord.interop.models import AccessToken, BackendClient, UsedAssertion
from carecoord.interop.smart import scopes
from carecoord.interop.smart.keys import key_set_problems
from tests.interop.conftest import TOKEN_PATH, public_jwk, register

pytestmark = pytest.mark.django_db
TOKEN_URL = f"http://testserver{TOKEN_PATH}"


def ask(client, emr, *, scope="system/*.read", form=None, **claims):
    body = {**emr.token_form(TOKEN_URL, scope, **claims), **(form or {})}
    return client.post(TOKEN_PATH, body)


def refused(response, error, status=None):
    assert response.status_code == (status or (401 if error == "invalid_client" else 400))
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["error"] == error and body["error_description"]
    return body["error_description"]


def test_a_registered_client_gets_a_short_lived_opaque_token(client, emr):
    response = ask(client, emr, scope="system/CarePlan.read system/Patient.read")
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 300
    assert body["scope"] == "system/CarePlan.read system/Patient.read"
    stored = AccessToken.objects.get()
    assert stored.token_hash == hashlib.sha256(body["access_token"].encode()).hexdigest()
    assert body["access_token"] not in json.dumps(list(AccessToken.objects.values()),
                                                  default=str)
    assert stored.expires_at - stored.issued_at == datetime.timedelta(minutes=5)
    signed_in = AuditEvent.objects.get(action="login")
    assert signed_in.actor_username == f"fhir-client:{emr.client_id}"
    assert signed_in.actor_id is None and signed_in.detail["scopes"] == body["scope"]


def test_es384_keys_work_too(client, network, ec_key):
    emr = register(network.practice_nc, ec_key, alg="ES384", kid="ec-1")
    assert ask(client, emr).status_code == 200


def test_scopes_are_narrowed_to_the_registration(client, network, rsa_key):
    emr = register(network.practice_nc, rsa_key, scopes="system/CarePlan.rs system/Goal.rs")
    body = ask(client, emr, scope="system/*.read launch/patient system/Patient.write").json()
    assert body["scope"] == "system/CarePlan.read system/Goal.read"
    description = refused(ask(client, emr, scope="system/Patient.read"), "invalid_scope")
    assert "system/CarePlan.rs system/Goal.rs" in description
    refused(ask(client, emr, scope=""), "invalid_scope")


@pytest.mark.parametrize("form,error,reason", [
    ({"grant_type": "authorization_code"}, "unsupported_grant_type", "client_credentials"),
    ({"client_assertion_type": "urn:other"}, "invalid_request", "jwt-bearer"),
    ({"client_assertion": ""}, "invalid_request", "client_assertion"),
    ({"client_assertion": "not.a.jwt"}, "invalid_client", "not a signed JWT"),
    ({"client_id": "someone-else"}, "invalid_client", "does not match"),
])
def test_malformed_requests_are_refused(client, emr, form, error, reason):
    assert reason in refused(ask(client, emr, form=form), error)


@pytest.mark.parametrize("claims,reason", [
    ({"aud": "https://elsewhere.example/token"}, "aud must be this token endpoint"),
    ({"exp": int(timezone.now().timestamp()) + 3600}, "more than five minutes ahead"),
    ({"exp": int(timezone.now().timestamp()) - 120}, "expired"),
    ({"sub": "another-client"}, "sub must equal its iss"),
    ({"jti": None}, "no jti"),
    ({"exp": None}, "no exp"),
    ({"iss": "unknown-client", "sub": "unknown-client"}, "No active client"),
])
def test_bad_assertions_are_refused(client, emr, claims, reason):
    assert reason in refused(ask(client, emr, **claims), "invalid_client")
    failed = AuditEvent.objects.get(action="login_failed")
    assert failed.detail["error"] == "invalid_client" and reason in failed.detail["reason"]
    assert not AccessToken.objects.exists()


def test_an_assertion_is_used_once(client, emr):
    form = emr.token_form(TOKEN_URL)
    assert client.post(TOKEN_PATH, form).status_code == 200
    assert "jti was used before" in refused(client.post(TOKEN_PATH, form), "invalid_client")
    assert UsedAssertion.objects.count() == 1


def test_a_key_the_client_did_not_register_does_not_verify(client, emr, network):
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    form = {**emr.token_form(TOKEN_URL), "client_assertion": emr.assertion(TOKEN_URL,
                                                                           key=stranger)}
    assert "does not verify" in refused(client.post(TOKEN_PATH, form), "invalid_client")
    other_kid = {**emr.token_form(TOKEN_URL), "client_assertion": emr.assertion(
        TOKEN_URL, headers={"kid": "nope"})}
    assert "no RS384 key with kid 'nope'" in refused(client.post(TOKEN_PATH, other_kid),
                                                      "invalid_client")


def test_symmetric_and_unsigned_assertions_are_refused(client, emr):
    now = int(timezone.now().timestamp())
    claims = {"iss": emr.client_id, "sub": emr.client_id, "aud": TOKEN_URL, "exp": now + 60,
              "jti": "x"}
    for assertion in (jwt.encode(claims, "s" * 48, algorithm="HS384",
                                 headers={"kid": emr.kid}),
                      jwt.encode(claims, None, algorithm="none")):
        form = {**emr.token_form(TOKEN_URL), "client_assertion": assertion}
        assert "accepts RS384 and ES384" in refused(client.post(TOKEN_PATH, form),
                                                    "invalid_client")


def test_a_jku_header_is_refused(client, emr):
    form = {**emr.token_form(TOKEN_URL), "client_assertion": emr.assertion(
        TOKEN_URL, headers={"jku": "https://attacker.example/jwks"})}
    assert "jku is not supported" in refused(client.post(TOKEN_PATH, form), "invalid_client")


def test_a_deactivated_client_gets_nothing(client, emr):
    emr.registration.active = False
    emr.registration.save()
    assert "No active client" in refused(ask(client, emr), "invalid_client")


def test_the_token_endpoint_takes_only_posts(client, emr):
    response = client.get(TOKEN_PATH)
    assert response.status_code == 405 and response["Allow"] == "POST"


def test_the_token_endpoint_needs_no_session_and_no_csrf_token(network, emr):
    from django.test import Client
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(network["nurse.nc"])
    assert strict.post(TOKEN_PATH, emr.token_form(TOKEN_URL)).status_code == 200


# ---------------------------------------------------------------- registering a client


def test_registration_refuses_private_keys_weak_keys_and_unknown_scopes(network, rsa_key):
    private = jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key, as_dict=True) | {"kid": "k"}
    assert "private key material" in key_set_problems({"keys": [private]})[0]
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    assert "at least 2048 bits" in key_set_problems({"keys": [public_jwk(weak, "k", "RS384")]})[0]
    p256 = jwt.algorithms.ECAlgorithm.to_jwk(ec.generate_private_key(ec.SECP256R1())
                                             .public_key(), as_dict=True) | {"kid": "k"}
    assert "P-384" in key_set_problems({"keys": [p256]})[0]
    no_kid = {k: v for k, v in public_jwk(rsa_key, "k", "RS384").items() if k != "kid"}
    assert "no kid" in key_set_problems({"keys": [no_kid]})[0]
    assert "RS384 or ES384" in key_set_problems({"keys": [public_jwk(rsa_key, "k", "RS384")
                                                          | {"alg": "RS256"}]})[0]
    assert key_set_problems({"keys": []}) and key_set_problems([])
    client = BackendClient(name="EMR", practice=network.practice_nc,
                           jwks={"keys": [public_jwk(rsa_key, "k", "RS384")]},
                           scopes="system/Patient.read patient/*.read system/Claim.read")
    with pytest.raises(ValidationError) as error:
        client.full_clean()
    assert "patient/*.read, system/Claim.read" in str(error.value.message_dict["scopes"])


def test_registering_a_client_is_audited_and_it_gets_its_own_id(network, rsa_key):
    one = register(network.practice_nc, rsa_key).registration
    two = register(network.practice_nc, rsa_key, name="Second EMR").registration
    assert one.client_id != two.client_id and len(one.client_id) == 36
    assert AuditEvent.objects.filter(action="create", object_type="interop.backendclient",
                                     object_id=str(one.pk)).exists()


# ---------------------------------------------------------------- scopes (pure)


@pytest.mark.parametrize("scope,expected", [
    ("system/Patient.read", {("Patient", "read"), ("Patient", "search")}),
    ("system/Patient.rs", {("Patient", "read"), ("Patient", "search")}),
    ("system/Patient.r", {("Patient", "read")}),
    ("system/Patient.s", {("Patient", "search")}),
    ("system/Patient.cruds", {("Patient", "read"), ("Patient", "search")}),
    ("system/Patient.*", {("Patient", "read"), ("Patient", "search")}),
    ("system/Patient.write", set()), ("system/Patient.cud", set()),
    ("system/Patient.sr", set()),  # v2 letters come in the order c, r, u, d, s
    ("patient/Patient.read", set()), ("user/*.read", set()),
    ("system/Claim.read", set()), ("system/Patient.rs?category=x", set()),
    # A referral is the one thing a client may create.
    ("system/ServiceRequest.write", {("ServiceRequest", "create")}),
    ("system/ServiceRequest.c", {("ServiceRequest", "create")}),
    ("system/ServiceRequest.cud", {("ServiceRequest", "create")}),
])
def test_scope_parsing(scope, expected):
    assert scopes.parse(scope) == expected


def test_wildcards_cover_every_served_type():
    assert {t for t, _ in scopes.parse("system/*.rs")} == set(scopes.RESOURCE_TYPES)
    assert scopes.grant("system/*.*", "system/*.read") == "system/*.read"
    assert scopes.grant("system/*.rs", "system/Goal.r") == "system/Goal.r"


def test_a_write_scope_is_granted_only_where_registered_and_spelled_as_asked():
    allowed = "system/*.read system/ServiceRequest.write"
    assert scopes.grant("system/ServiceRequest.write", allowed) == "system/ServiceRequest.write"
    assert scopes.grant("system/ServiceRequest.c", allowed) == "system/ServiceRequest.c"
    assert scopes.grant("system/ServiceRequest.write", "system/*.read") == ""
    # Asked for create, update and delete: granted what is done here, spelled for it.
    assert scopes.grant("system/ServiceRequest.cud", allowed) == "system/ServiceRequest.c"
    assert ("ServiceRequest", "create") in scopes.parse_all(
        scopes.grant("system/*.*", "system/*.*"))
