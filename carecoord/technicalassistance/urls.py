from django.urls import path

from . import views

urlpatterns = [
    path("ta/", views.home, name="ta-home"),
    path("ta/requests/new/", views.request_new, name="ta-request-new"),
    path("ta/requests/<int:request_id>/", views.request_detail, name="ta-request-detail"),
    path("ta/requests/<int:request_id>/edit/", views.request_edit, name="ta-request-edit"),
    path("ta/requests/<int:request_id>/comment/", views.request_comment,
         name="ta-request-comment"),
    path("ta/requests/<int:request_id>/<str:step>/", views.request_step,
         name="ta-request-step"),
    path("ta/consultations/new/", views.consultation_new, name="ta-consultation-new"),
    path("ta/consultations/<int:consultation_id>/", views.consultation_detail,
         name="ta-consultation-detail"),
    path("ta/consultations/<int:consultation_id>/edit/", views.consultation_edit,
         name="ta-consultation-edit"),
    path("ta/trainings/new/", views.training_new, name="ta-training-new"),
    path("ta/trainings/<int:training_id>/", views.training_detail, name="ta-training-detail"),
    path("ta/trainings/<int:training_id>/edit/", views.training_edit, name="ta-training-edit"),
    path("ta/<str:kind>/<int:parent_id>/follow-ups/", views.follow_up_new,
         name="ta-follow-up-new"),
    path("ta/follow-ups/<int:follow_up_id>/done/", views.follow_up_done,
         name="ta-follow-up-done"),
    path("ta/library/", views.library, name="ta-library"),
    path("ta/library/upload/", views.library_upload, name="ta-library-upload"),
    path("ta/library/<int:item_id>/download/", views.library_download,
         name="ta-library-download"),
]
