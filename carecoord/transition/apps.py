from django.apps import AppConfig


class TransitionConfig(AppConfig):
    name = "carecoord.transition"
    label = "transition"
    verbose_name = "Transition to adult health care"
