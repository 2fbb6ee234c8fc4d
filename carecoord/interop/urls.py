"""The FHIR API under /fhir/.

Its routes are an include(), like the admin's: they answer bearer tokens, not signed-in
sessions, so the session access matrix (tests/accounts/test_access_matrix.py: signed-out
visitors are sent to the sign-in page, out-of-scope users get 404) does not describe them.
tests/interop/test_fhir_access.py walks every route here instead, and fails when one is added
without a row."""

from django.urls import include, path

from .api import metadata, read, search, token

fhir_patterns = [
    path("metadata", metadata.capability_statement, name="fhir-metadata"),
    path(".well-known/smart-configuration", metadata.smart_configuration,
         name="fhir-smart-configuration"),
    path("auth/token", token.token, name="fhir-token"),
    path("<str:resource_type>", search.search, name="fhir-search"),
    path("<str:resource_type>/<str:resource_id>", read.read, name="fhir-read"),
    path("<path:path>", metadata.no_such_endpoint, name="fhir-unknown"),
]

urlpatterns = [
    path("fhir/", include(fhir_patterns)),
]
