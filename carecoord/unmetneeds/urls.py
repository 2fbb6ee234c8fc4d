from django.urls import path

from . import views

urlpatterns = [
    path("children/<int:child_id>/needs/<int:need_id>/unmet/", views.unmet_need_new,
         name="unmet-need-new"),
    path("unmet-needs/", views.report, name="unmet-needs-report"),
    path("unmet-needs/unmet-needs.csv", views.report_csv, name="unmet-needs-csv"),
]
