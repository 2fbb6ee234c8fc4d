from django.apps import AppConfig


class UnmetNeedsConfig(AppConfig):
    name = "carecoord.unmetneeds"
    label = "unmetneeds"
    verbose_name = "Unmet-needs register"
