from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "carecoord.accounts"
    label = "accounts"
    verbose_name = "Network, centers and staff"
