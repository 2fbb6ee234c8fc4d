from django.apps import AppConfig


class CoverageConfig(AppConfig):
    name = "carecoord.coverage"
    label = "coverage"
    verbose_name = "Coverage and financial help"
