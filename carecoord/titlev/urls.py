from django.urls import path

from . import views

urlpatterns = [
    path("titlev/", views.report, name="titlev"),
    path("titlev/<int:year>/<slug:scope>/<str:name>", views.download, name="titlev-file"),
]
