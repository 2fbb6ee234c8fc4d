from django.apps import AppConfig


class AcuityConfig(AppConfig):
    name = "carecoord.acuity"
    label = "acuity"
    verbose_name = "Stratification and acuity"

    def ready(self):
        from . import signals  # noqa: F401 (re-stratify when diagnoses or screenings arrive)
