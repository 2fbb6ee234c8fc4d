from django.apps import AppConfig


class PeersupportConfig(AppConfig):
    name = "carecoord.peersupport"
    label = "peersupport"
    verbose_name = "Family-to-family peer support"
