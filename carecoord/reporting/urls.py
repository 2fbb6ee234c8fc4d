from django.urls import path

from . import views

urlpatterns = [
    path("reports/", views.reports, name="reports"),
    path("reports/measures.csv", views.reports_csv, name="reports-csv"),
    path("reports/measures.xlsx", views.reports_xlsx, name="reports-xlsx"),
]
