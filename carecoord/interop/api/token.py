"""`POST /fhir/auth/token`: the SMART Backend Services token endpoint. Answers in OAuth 2.0's
JSON (not FHIR): a token, or an error code with a description a client's developer can act
on."""

from django.http import JsonResponse
from django.urls import reverse

from ..smart import tokens
from .auth import fhir_api


def _oauth_response(body: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    response["Pragma"] = "no-cache"
    return response


@fhir_api(authenticated=False)
def token(request):
    if request.method != "POST":
        response = _oauth_response({"error": "invalid_request",
                                    "error_description": "POST a form to this endpoint."}, 405)
        response["Allow"] = "POST"
        return response
    try:
        issued = tokens.issue(form=request.POST,
                              token_url=request.build_absolute_uri(reverse("fhir-token")))
    except tokens.TokenRefused as refused:
        return _oauth_response({"error": refused.error,
                                "error_description": refused.description}, refused.status)
    return _oauth_response({"access_token": issued.token, "token_type": "bearer",
                            "expires_in": issued.expires_in, "scope": issued.scopes})
