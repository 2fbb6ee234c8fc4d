from django.urls import path

from . import views

urlpatterns = [
    path("children/<int:child_id>/coverage/", views.application_list, name="coverage-list"),
    path("children/<int:child_id>/coverage/new/", views.application_new, name="coverage-new"),
    path("children/<int:child_id>/coverage/<int:application_id>/", views.application_detail,
         name="coverage-detail"),
    path("children/<int:child_id>/coverage/<int:application_id>/<str:step>/",
         views.application_step, name="coverage-step"),
]
