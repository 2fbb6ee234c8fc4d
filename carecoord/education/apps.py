from django.apps import AppConfig


class EducationConfig(AppConfig):
    name = "carecoord.education"
    label = "education"
    verbose_name = "Education (IEP and 504 support)"
