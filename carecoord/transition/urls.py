from django.urls import path

from . import views

urlpatterns = [
    path("children/<int:child_id>/transition/", views.transition_detail, name="transition"),
    path("children/<int:child_id>/transition/elements/", views.transition_element,
         name="transition-element"),
    path("children/<int:child_id>/transition/edit/", views.transition_edit,
         name="transition-edit"),
]
