"""`POST /fhir/`: a transaction Bundle carrying an e-referral (see interop/intake.py).

The answer is a transaction-response Bundle: `201 Created` for each entry the first time,
`200 OK` when the ServiceRequest's identifier was received before (nothing is written again).
A Bundle that cannot become a referral gets 400 with an OperationOutcome holding one issue per
problem, each naming its element; nothing is written."""

import json

from django.utils import timezone

from .. import intake, services
from ..mapping import common
from ..smart.scopes import CREATE
from .auth import fhir_api, require
from .responses import FHIR_JSON, FhirError, fhir_response, printable

MAX_BYTES = 2 * 1024 * 1024


@fhir_api
def transaction(request, authorized):
    if request.method != "POST":
        raise FhirError(405, f"{request.method} is not supported here: POST a transaction "
                             "Bundle.", headers={"Allow": "POST"})
    require(authorized, "ServiceRequest", CREATE)
    if request.content_type not in (FHIR_JSON, "application/json"):
        raise FhirError(400, "Send the Bundle as application/fhir+json.",
                        "Bundle")
    if len(request.body) > MAX_BYTES:
        raise FhirError(400, f"The Bundle is larger than {MAX_BYTES // 1024} KB.", "Bundle")
    try:
        bundle = json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as error:
        raise FhirError(400, f"The body is not JSON ({error}).", "Bundle") from None
    try:
        receipt = services.receive_referral_bundle(authorized.client, bundle)
    except intake.BadBundle as error:
        return fhir_response(_outcome(error.problems), 400)
    status = "201 Created" if receipt.created else "200 OK"
    entries = bundle["entry"]
    response = {
        "resourceType": "Bundle",
        "type": "transaction-response",
        "meta": {"lastUpdated": common.instant(timezone.now())},
        "entry": [{"response": _entry_response(item["resource"]["resourceType"], receipt,
                                               status)} for item in entries],
    }
    return fhir_response(response, 201 if receipt.created else 200)


def _entry_response(resource_type: str, receipt, status: str) -> dict:
    answer = {"status": status}
    if resource_type == "Patient":
        answer["location"] = f"Patient/{receipt.child_id}"
    elif resource_type == "ServiceRequest":
        answer["outcome"] = {"resourceType": "OperationOutcome", "issue": [{
            "severity": "information", "code": "informational",
            "diagnostics": (f"Referral {receipt.referral_id} is in the center's intake queue."
                            if receipt.created else
                            f"Already received as referral {receipt.referral_id}: nothing "
                            "was written again.")}]}
    return answer


def _outcome(problems) -> dict:
    return {"resourceType": "OperationOutcome", "issue": [
        {"severity": "error", "code": "invalid", "diagnostics": printable(why)[:1000],
         "expression": [printable(where)[:300]]} for where, why in problems]}
