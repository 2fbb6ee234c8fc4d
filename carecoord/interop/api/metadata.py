"""What the server can do: the CapabilityStatement (`GET /fhir/metadata`) and the SMART
configuration (`GET /fhir/.well-known/smart-configuration`). Both are written from the table
of served resources and the scopes module, so they cannot promise more than is implemented.
Neither needs a token: a client reads them to learn where and how to get one."""

from django.http import JsonResponse
from django.urls import reverse
from django.utils import timezone

from ..smart import keys
from ..smart.scopes import RESOURCE_TYPES, WRITABLE_TYPES
from .auth import fhir_api
from .resources import KINDS
from .responses import FhirError, fhir_response

SMART_OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"
BULK_DATA = "http://hl7.org/fhir/uv/bulkdata"


def _allow_get(request):
    if request.method not in ("GET", "HEAD"):
        raise FhirError(405, f"{request.method} is not supported here: use GET.")


def capability_statement_json(base_url: str, token_url: str) -> dict:
    resources = []
    for resource_type in RESOURCE_TYPES:
        kind = KINDS[resource_type]
        entry = {
            "type": resource_type,
            "supportedProfile": list(kind.profiles),
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "versioning": "no-version",
            "readHistory": False,
            "updateCreate": False,
            "searchParam": [{"name": p.name, "definition": p.definition, "type": p.type,
                             "documentation": p.documentation}
                            for p in kind.parameters.values()],
        }
        if not kind.profiles:
            del entry["supportedProfile"]
        if kind.includes:
            entry["searchInclude"] = list(kind.includes)
        if resource_type == "Patient":
            entry["operation"] = [{"name": "export", "definition": f"{BULK_DATA}/"
                                   "OperationDefinition/patient-export"}]
        resources.append(entry)
    resources.append({"type": "Group", "operation": [{
        "name": "export", "definition": f"{BULK_DATA}/OperationDefinition/group-export",
        "documentation": "A center's enrolled children: Group/center-<n> (n as in the "
                         "center's Organization id)."}]})
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": timezone.localdate().isoformat(),
        "publisher": "CareCoord",
        "kind": "instance",
        "instantiates": [f"{BULK_DATA}/CapabilityStatement/bulk-data"],
        "software": {"name": "CareCoord"},
        "implementation": {
            "description": "CareCoord FHIR API: the care plans of children and youth with "
                           "special health care needs, read by the practices they are "
                           "attributed to, with the family's consent to share.",
            "url": base_url,
        },
        "fhirVersion": "4.0.1",
        "format": ["json"],
        "rest": [{
            "mode": "server",
            "documentation": "Read and search; e-referrals in as a transaction Bundle; Bulk "
                             "Data export. Searches refuse parameters they do not support "
                             "(400), page with _count (at most 100) and next links, and a "
                             "resource outside the client's scope is answered as missing "
                             "(404).",
            "interaction": [{"code": "transaction", "documentation": (
                "POST a transaction Bundle with one ServiceRequest (a referral, with an "
                "identifier), its Patient, at least one RelatedPerson, and optionally the "
                "requesting Practitioner, Conditions and a Coverage: the referral enters the "
                "intake queue of the center of the family's town, once per identifier. Needs "
                "system/ServiceRequest.write (or .c).")}],
            "operation": [{"name": "export", "definition": f"{BULK_DATA}/OperationDefinition/"
                           "export"}],
            "security": {
                "extension": [{"url": SMART_OAUTH_URIS, "extension": [
                    {"url": "token", "valueUri": token_url}]}],
                "service": [{"coding": [{
                    "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                    "code": "SMART-on-FHIR", "display": "SMART-on-FHIR"}]}],
                "description": "SMART Backend Services: client-credentials grant with a JWT "
                               "assertion signed RS384 or ES384 by a key registered for the "
                               "client; system scopes (system/<Type>.read or .rs, and "
                               "system/ServiceRequest.write or .c to send referrals).",
            },
            "resource": resources,
        }],
    }


@fhir_api(authenticated=False)
def capability_statement(request):
    _allow_get(request)
    base_url = request.build_absolute_uri(reverse("fhir-metadata")).removesuffix("metadata")
    token_url = request.build_absolute_uri(reverse("fhir-token"))
    return fhir_response(capability_statement_json(base_url.rstrip("/"), token_url))


@fhir_api(authenticated=False)
def smart_configuration(request):
    _allow_get(request)
    return JsonResponse({
        "token_endpoint": request.build_absolute_uri(reverse("fhir-token")),
        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": sorted(keys.ALGORITHMS),
        "grant_types_supported": ["client_credentials"],
        "scopes_supported": ["system/*.read", "system/*.rs"]
        + [f"system/{t}.{access}" for t in RESOURCE_TYPES for access in ("read", "rs")]
        + [f"system/{t}.{access}" for t in WRITABLE_TYPES for access in ("write", "c")],
        "capabilities": ["client-confidential-asymmetric", "permission-v1", "permission-v2"],
    })


@fhir_api(authenticated=False)
def no_such_endpoint(request, path):
    raise FhirError(404, f"There is no FHIR endpoint at {request.path[:200]}: see "
                         f"{reverse('fhir-metadata')} for what this server supports.",
                    code="not-supported")
