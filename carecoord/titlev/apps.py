from django.apps import AppConfig


class TitlevConfig(AppConfig):
    name = "carecoord.titlev"
    label = "titlev"
    verbose_name = "Title V reporting"
