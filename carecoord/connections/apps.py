from django.apps import AppConfig


class ConnectionsConfig(AppConfig):
    name = "carecoord.connections"
    label = "connections"
    verbose_name = "Diagnosis-specific organizations"
