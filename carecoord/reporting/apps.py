from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "carecoord.reporting"
    label = "reporting"
    verbose_name = "Program measures"
