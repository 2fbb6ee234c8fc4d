"""`GET /fhir/<type>/<id>`: one resource, when it is within the client's scope."""

from ..smart.scopes import READ
from .audit import record_read
from .auth import fhir_api, require
from .resources import KINDS, Kind
from .responses import FhirError, fhir_response, not_found

READ_PARAMETERS = {"_format", "_pretty"}
JSON_FORMATS = {"json", "application/json", "application/fhir+json"}


def served(resource_type: str) -> Kind:
    if resource_type not in KINDS:
        raise FhirError(404, f"This server does not serve {resource_type[:64]} resources; "
                             "its CapabilityStatement (/fhir/metadata) lists those it does.",
                        code="not-supported")
    return KINDS[resource_type]


def allow_get(request):
    if request.method not in ("GET", "HEAD"):
        raise FhirError(405, f"{request.method} is not supported: this API is read-only.",
                        headers={"Allow": "GET"})


@fhir_api
def read(request, authorized, resource_type, resource_id):
    kind = served(resource_type)
    allow_get(request)
    require(authorized, resource_type, READ)
    for name in request.GET:
        if name not in READ_PARAMETERS:
            raise FhirError(400, f"{name} is not a parameter of read (supported: _format, "
                                 "_pretty).", name)
    if any(value not in JSON_FORMATS for value in request.GET.getlist("_format")):
        raise FhirError(400, "_format: this server answers in JSON only "
                             "(application/fhir+json).", "_format")
    row = kind.read(authorized.client.practice_id, resource_id)
    if row is None:
        raise not_found(resource_type, resource_id[:64])
    resource = kind.to_fhir(row)
    record_read(kind, row, resource)
    return fhir_response(resource, pretty=request.GET.get("_pretty") == "true")
