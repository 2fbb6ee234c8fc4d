from django.apps import AppConfig


class FamiliesConfig(AppConfig):
    name = "carecoord.families"
    label = "families"
    verbose_name = "Children, families and providers"
