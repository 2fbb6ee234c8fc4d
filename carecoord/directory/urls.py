from django.urls import path

from . import views

urlpatterns = [
    path("directory/", views.directory, name="directory"),
    path("directory/search/", views.search, name="directory-search"),
    path("directory/services/<str:service_id>/", views.service_detail,
         name="directory-service"),
    path("directory/services/<str:service_id>/edit/", views.service_edit,
         name="directory-service-edit"),
    path("directory/services/<str:service_id>/verify/", views.service_verify,
         name="directory-service-verify"),
]
