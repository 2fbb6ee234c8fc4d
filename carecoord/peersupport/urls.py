from django.urls import path

from . import views

urlpatterns = [
    path("children/<int:child_id>/peer-support/", views.peer_support, name="peer-support"),
    path("children/<int:child_id>/peer-support/volunteer/", views.volunteer,
         name="peer-support-volunteer"),
    path("children/<int:child_id>/peer-support/propose/", views.propose,
         name="peer-support-propose"),
    path("children/<int:child_id>/peer-support/<int:match_id>/introduce/", views.introduce,
         name="peer-support-introduce"),
    path("children/<int:child_id>/peer-support/<int:match_id>/status/", views.match_status,
         name="peer-support-status"),
]
