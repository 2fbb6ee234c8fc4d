"""FHIR JSON responses, and errors as OperationOutcome."""

import json

from django.http import HttpResponse

FHIR_JSON = "application/fhir+json"

# OperationOutcome.issue.code (IssueType) for each HTTP status this API answers with.
ISSUE_TYPE = {400: "invalid", 401: "login", 403: "forbidden", 404: "not-found",
              405: "not-supported", 406: "not-supported", 500: "exception"}


def fhir_response(resource: dict, status: int = 200, *, pretty: bool = False) -> HttpResponse:
    body = json.dumps(resource, ensure_ascii=False, indent=2 if pretty else None)
    response = HttpResponse(body, status=status, content_type=f"{FHIR_JSON}; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def printable(text: str) -> str:
    """Text that echoes what a client sent, made a valid FHIR string: characters that cannot
    be printed (control characters, unusual white space) written as \\uXXXX."""
    return "".join(c if c.isprintable() or c in " \r\n\t" else f"\\u{ord(c):04x}"
                   for c in text)


class FhirError(Exception):
    """An answer other than success: the status, what went wrong and where (a search
    parameter, an element, a resource)."""

    def __init__(self, status: int, diagnostics: str, expression: str = "", *,
                 code: str = "", headers: dict | None = None):
        self.status = status
        self.diagnostics = printable(diagnostics)
        self.expression = printable(expression)
        self.code = code or ISSUE_TYPE[status]
        self.headers = headers or {}
        super().__init__(diagnostics)

    def outcome(self) -> dict:
        issue = {"severity": "error", "code": self.code, "diagnostics": self.diagnostics}
        if self.expression:
            issue["expression"] = [self.expression]
        return {"resourceType": "OperationOutcome", "issue": [issue]}

    def response(self) -> HttpResponse:
        response = fhir_response(self.outcome(), self.status)
        for name, value in self.headers.items():
            response[name] = value
        return response


def not_found(resource_type: str, resource_id: str) -> FhirError:
    """The same answer for a resource that does not exist and one outside the client's scope,
    so a client cannot learn which children exist."""
    return FhirError(404, f"{resource_type}/{resource_id} is not known to this server.",
                     f"{resource_type}.id")
