"""Who is calling: a bearer token from the token endpoint, never a signed-in session. Every
FHIR view goes through `fhir_api`, which also attributes what the request reads to the client
in the audit log and turns errors into OperationOutcome."""

import functools

from django.contrib.auth.decorators import login_not_required
from django.views.decorators.csrf import csrf_exempt

from carecoord.audit.context import Actor, acting_as
from carecoord.audit.services import client_ip

from ..smart import scopes, tokens
from .responses import FhirError

REALM = 'Bearer realm="CareCoord FHIR"'


def _bearer(request) -> str:
    scheme, _, credentials = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return credentials.strip() if scheme.lower() == "bearer" else ""


def authenticate(request) -> tokens.Authorized:
    if "HTTP_AUTHORIZATION" not in request.META:
        raise FhirError(401, "An access token is required: get one from the token endpoint "
                             "(SMART Backend Services) and send it as 'Authorization: Bearer "
                             "<token>'.", headers={"WWW-Authenticate": REALM})
    authorized = tokens.authorize(_bearer(request))
    if authorized is None:
        raise FhirError(401, "The access token is not valid: it is unknown, has expired, or "
                             "its client was deactivated. Request a new one.",
                        headers={"WWW-Authenticate": f'{REALM}, error="invalid_token"'})
    return authorized


def require(authorized: tokens.Authorized, resource_type: str, interaction: str):
    if not scopes.allows(authorized.grant, resource_type, interaction):
        raise FhirError(403, f"The access token's scopes do not allow {interaction} of "
                             f"{resource_type}: it needs "
                             f"{scopes.needed_scope(resource_type, interaction)}.",
                        resource_type, code="forbidden",
                        headers={"WWW-Authenticate": f'{REALM}, error="insufficient_scope"'})


def fhir_api(view=None, *, authenticated=True):
    """A FHIR endpoint: no session sign-in, no CSRF (no cookies are trusted), a bearer token
    when `authenticated`, the client as the audit actor, errors as OperationOutcome."""
    if view is None:
        return functools.partial(fhir_api, authenticated=authenticated)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        address, path = client_ip(request), request.get_full_path()[:300]
        try:
            if not authenticated:
                with acting_as(Actor(username="fhir-client", ip_address=address, path=path)):
                    return view(request, *args, **kwargs)
            authorized = authenticate(request)
            with acting_as(Actor(username=authorized.client.audit_name, ip_address=address,
                                 path=path)):
                return view(request, authorized, *args, **kwargs)
        except FhirError as error:
            return error.response()

    return login_not_required(csrf_exempt(wrapper))
