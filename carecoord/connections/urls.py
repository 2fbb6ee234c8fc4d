from django.urls import path

from . import views

urlpatterns = [
    path("children/<int:child_id>/organizations/", views.organization_list,
         name="organization-list"),
    path("children/<int:child_id>/organizations/new/", views.organization_new,
         name="organization-new"),
    path("children/<int:child_id>/organizations/<int:connection_id>/advance/",
         views.organization_advance, name="organization-advance"),
]
