from django.urls import path

from . import pdf_views

urlpatterns = [
    path("children/<int:child_id>/plan/pdf/", pdf_views.care_plan_pdf, name="care-plan-pdf"),
]
