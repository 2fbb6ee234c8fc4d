from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "carecoord.sharing"
    label = "sharing"
    verbose_name = "Sharing the care plan with the care team"
