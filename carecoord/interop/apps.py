from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "carecoord.interop"
    label = "interop"
    verbose_name = "Interoperability (FHIR R4, SMART backend services)"

    def ready(self):
        from carecoord.sharing import routes

        from .documents import care_plan_bundle

        routes.register_fhir_document(care_plan_bundle)
