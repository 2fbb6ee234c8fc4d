from django.urls import path

from . import views

urlpatterns = [
    path("children/<int:child_id>/school/", views.school_list, name="school-supports"),
    path("children/<int:child_id>/school/new/", views.school_new, name="school-support-new"),
    path("children/<int:child_id>/school/<int:support_id>/edit/", views.school_edit,
         name="school-support-edit"),
    path("children/<int:child_id>/school/<int:support_id>/meetings/", views.meeting_new,
         name="school-meeting-new"),
    path("children/<int:child_id>/school/<int:support_id>/meetings/<int:meeting_id>/",
         views.meeting_record, name="school-meeting-record"),
    path("children/<int:child_id>/school/<int:support_id>/advocacy/", views.advocacy_referral,
         name="school-advocacy"),
]
