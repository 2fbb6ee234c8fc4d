"""Issuing access tokens for signed client assertions, and recognising them on each request.

The assertion rules are SMART Backend Services' (and RFC 7523's): a JWT signed with a key of
the client's registered set (RS384 or ES384, named by kid), iss = sub = client_id, aud = the
token endpoint's URL, exp no more than five minutes ahead, and a jti never seen before."""

import datetime
import secrets
from dataclasses import dataclass

import jwt
from django.db import IntegrityError, transaction
from django.utils import timezone

from carecoord.audit.models import Action
from carecoord.audit.services import record_event

from ..models import AccessToken, BackendClient, UsedAssertion, token_hash
from . import keys, scopes

JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
TOKEN_LIFETIME = datetime.timedelta(minutes=5)
ASSERTION_LIFETIME = datetime.timedelta(minutes=5)
CLOCK_SKEW = datetime.timedelta(seconds=60)


class TokenRefused(Exception):
    """An OAuth 2.0 error response: `error` is the RFC 6749 code, the message says why."""

    def __init__(self, error: str, description: str):
        self.error = error
        self.description = description
        super().__init__(description)

    @property
    def status(self) -> int:
        return 401 if self.error == "invalid_client" else 400


@dataclass(frozen=True)
class Issued:
    token: str
    scopes: str
    expires_in: int


@dataclass(frozen=True)
class Authorized:
    """Who is calling the API, and what it may do."""

    client: BackendClient
    grant: scopes.Grant


def _verified_client(assertion: str, token_url: str, client_id_param: str) -> tuple:
    """(client, claims) for a valid assertion; TokenRefused("invalid_client") otherwise."""
    def refuse(why):
        raise TokenRefused("invalid_client", why)

    try:
        header = jwt.get_unverified_header(assertion)
        unverified = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.PyJWTError:
        refuse("client_assertion is not a signed JWT.")
    alg, kid = header.get("alg"), header.get("kid")
    if alg not in keys.ALGORITHMS:
        refuse(f"The assertion is signed with {alg!r}: this server accepts RS384 and ES384.")
    if "jku" in header:
        refuse("jku is not supported: assertions are verified with the key set registered "
               "for the client.")
    if not isinstance(kid, str) or not kid:
        refuse("The assertion's header names no kid.")
    issuer = unverified.get("iss")
    if not isinstance(issuer, str) or not issuer:
        refuse("The assertion has no iss (the client_id).")
    if client_id_param and client_id_param != issuer:
        refuse("client_id does not match the assertion's iss.")
    client = BackendClient.objects.select_related("practice").filter(
        client_id=issuer, active=True).first()
    if client is None:
        refuse(f"No active client is registered with client_id {issuer[:100]!r}.")
    key = keys.find_key(client.jwks, kid, alg)
    if key is None:
        refuse(f"The client's registered key set has no {alg} key with kid {kid[:100]!r}.")
    try:
        claims = jwt.decode(
            assertion, key=key, algorithms=[alg], audience=token_url, issuer=client.client_id,
            leeway=CLOCK_SKEW, options={"require": ["iss", "sub", "aud", "exp", "jti"]})
    except jwt.InvalidAudienceError:
        refuse(f"The assertion's aud must be this token endpoint: {token_url}")
    except jwt.ExpiredSignatureError:
        refuse("The assertion has expired.")
    except jwt.MissingRequiredClaimError as error:
        refuse(f"The assertion has no {error.claim} claim.")
    except jwt.PyJWTError as error:
        refuse(f"The assertion does not verify: {error}")
    if claims["sub"] != client.client_id:
        refuse("The assertion's sub must equal its iss (the client_id).")
    expires = datetime.datetime.fromtimestamp(int(claims["exp"]), tz=datetime.UTC)
    if expires > timezone.now() + ASSERTION_LIFETIME + CLOCK_SKEW:
        refuse("The assertion's exp is more than five minutes ahead.")
    if not isinstance(claims["jti"], str) or not 0 < len(claims["jti"]) <= 255:
        refuse("The assertion's jti is a string of 1 to 255 characters.")
    return client, claims, expires


def issue(*, form, token_url: str) -> Issued:
    """The client-credentials grant. Every refusal and every token issued is in the audit log,
    as a failed or successful sign-in of the client."""
    try:
        return _issue(form, token_url)
    except TokenRefused as refused:
        issuer = ""
        try:
            issuer = str(jwt.decode(form.get("client_assertion", ""),
                                    options={"verify_signature": False}).get("iss", ""))
        except jwt.PyJWTError:
            pass
        record_event(action=Action.LOGIN_FAILED,
                     username=f"fhir-client:{issuer}"[:150] if issuer else "fhir-client:?",
                     object_type="interop.backendclient",
                     detail={"error": refused.error, "reason": refused.description[:300]})
        raise


def _issue(form, token_url: str) -> Issued:
    if form.get("grant_type") != "client_credentials":
        raise TokenRefused("unsupported_grant_type",
                           "grant_type must be client_credentials (SMART Backend Services).")
    if form.get("client_assertion_type") != JWT_BEARER:
        raise TokenRefused("invalid_request", f"client_assertion_type must be {JWT_BEARER}.")
    if not form.get("client_assertion"):
        raise TokenRefused("invalid_request", "client_assertion (a signed JWT) is required.")
    requested = form.get("scope", "")
    if not requested.strip():
        raise TokenRefused("invalid_scope", "scope is required, e.g. system/CarePlan.read.")
    client, claims, expires = _verified_client(form["client_assertion"], token_url,
                                               form.get("client_id", ""))
    granted = scopes.grant(requested, client.scopes)
    if not granted:
        raise TokenRefused("invalid_scope",
                           f"None of the scopes asked for is allowed for this client; it may "
                           f"be granted: {client.scopes}")
    now = timezone.now()
    UsedAssertion.objects.filter(client=client, expires_at__lt=now - CLOCK_SKEW).delete()
    try:
        with transaction.atomic():
            UsedAssertion.objects.create(client=client, jti=claims["jti"], expires_at=expires)
    except IntegrityError:
        raise TokenRefused("invalid_client", "This assertion's jti was used before: sign a new "
                           "assertion for every token request.") from None
    AccessToken.objects.filter(client=client, expires_at__lt=now).delete()
    token = secrets.token_urlsafe(32)
    AccessToken.objects.create(client=client, token_hash=token_hash(token), scopes=granted,
                               issued_at=now, expires_at=now + TOKEN_LIFETIME)
    record_event(action=Action.LOGIN, username=client.audit_name,
                 object_type="interop.backendclient", object_id=client.pk,
                 detail={"scopes": granted})
    return Issued(token=token, scopes=granted, expires_in=int(TOKEN_LIFETIME.total_seconds()))


def authorize(bearer: str) -> Authorized | None:
    """The client and scopes behind a bearer token, or None when it is unknown, expired, or
    its client was deactivated."""
    if not bearer:
        return None
    token = AccessToken.objects.select_related("client__practice").filter(
        token_hash=token_hash(bearer), expires_at__gt=timezone.now(),
        client__active=True).first()
    if token is None:
        return None
    return Authorized(client=token.client, grant=scopes.parse_all(token.scopes))
