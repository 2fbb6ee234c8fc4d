from django.urls import path

from . import views

urlpatterns = [
    path("children/<int:child_id>/referrals/", views.referral_list,
         name="service-referral-list"),
    path("children/<int:child_id>/needs/<int:need_id>/referrals/new/", views.referral_new,
         name="service-referral-new"),
    path("children/<int:child_id>/referrals/<int:referral_id>/", views.referral_detail,
         name="service-referral-detail"),
    path("children/<int:child_id>/referrals/<int:referral_id>/edit/", views.referral_edit,
         name="service-referral-edit"),
    path("children/<int:child_id>/referrals/<int:referral_id>/steps/<str:step>/",
         views.referral_step, name="service-referral-step"),
]
