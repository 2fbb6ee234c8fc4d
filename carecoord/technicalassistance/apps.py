from django.apps import AppConfig


class TechnicalAssistanceConfig(AppConfig):
    name = "carecoord.technicalassistance"
    label = "technicalassistance"
    verbose_name = "Technical assistance"
