"""The FHIR API under /fhir/.

Its routes are an include(), like the admin's: they answer bearer tokens, not signed-in
sessions, so the session access matrix (tests/accounts/test_access_matrix.py: signed-out
visitors are sent to the sign-in page, out-of-scope users get 404) does not describe them.
tests/interop/test_fhir_access.py walks every route here instead, and fails when one is added
without a row."""

from django.urls import include, path

from .api import bulk, metadata, read, search, token, transaction

fhir_patterns = [
    path("", transaction.transaction, name="fhir-transaction"),
    path("metadata", metadata.capability_statement, name="fhir-metadata"),
    path(".well-known/smart-configuration", metadata.smart_configuration,
         name="fhir-smart-configuration"),
    path("auth/token", token.token, name="fhir-token"),
    path("$export", bulk.kick_off_system, name="fhir-export"),
    path("Patient/$export", bulk.kick_off_patient, name="fhir-export-patient"),
    path("Group/<str:group_id>/$export", bulk.kick_off_group, name="fhir-export-group"),
    path("$export-status/<uuid:export_id>", bulk.status, name="fhir-export-status"),
    path("$export-files/<uuid:export_id>/<str:name>", bulk.file, name="fhir-export-file"),
    path("<str:resource_type>", search.search, name="fhir-search"),
    path("<str:resource_type>/<str:resource_id>", read.read, name="fhir-read"),
    path("<path:path>", metadata.no_such_endpoint, name="fhir-unknown"),
]

urlpatterns = [
    path("fhir/", include(fhir_patterns)),
]
