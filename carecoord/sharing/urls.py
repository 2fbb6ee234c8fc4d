from django.urls import path

from . import views

urlpatterns = [
    path("children/<int:child_id>/plan/share/", views.plan_share, name="plan-share"),
    path("fax/", views.fax_queue, name="fax-queue"),
    path("fax/<int:entry_id>/document.pdf", views.fax_document, name="fax-document"),
    path("fax/<int:entry_id>/mark/", views.fax_mark, name="fax-mark"),
    path("shared/", views.shared_plans, name="shared-plans"),
    path("shared/children/<int:child_id>/", views.provider_child, name="provider-child"),
    path("shared/children/<int:child_id>/respond/", views.provider_respond,
         name="provider-respond"),
]
