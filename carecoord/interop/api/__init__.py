"""The FHIR REST API: read and search over the mapping, for SMART backend clients."""
