from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "carecoord.interop"
    label = "interop"
    verbose_name = "Interoperability (FHIR R4, SMART backend services)"
