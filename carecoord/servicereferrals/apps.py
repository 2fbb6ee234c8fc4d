from django.apps import AppConfig


class ServiceReferralsConfig(AppConfig):
    name = "carecoord.servicereferrals"
    label = "servicereferrals"
    verbose_name = "Service referrals (closed loop)"
