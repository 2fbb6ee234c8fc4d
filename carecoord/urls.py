from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import path

from carecoord.accounts import views as accounts
from carecoord.acuity import urls as acuity
from carecoord.audit import views as audit
from carecoord.careplans import assessment_views as assessments
from carecoord.careplans import pdf_urls as care_plan_pdf
from carecoord.careplans import views as careplans
from carecoord.connections import urls as connections
from carecoord.contacts import views as contacts
from carecoord.coverage import urls as coverage
from carecoord.directory import urls as directory
from carecoord.education import urls as education
from carecoord.families import views as families
from carecoord.interop import urls as interop
from carecoord.peersupport import urls as peersupport
from carecoord.reporting import urls as reporting
from carecoord.servicereferrals import urls as servicereferrals
from carecoord.sharing import urls as sharing
from carecoord.technicalassistance import urls as technicalassistance
from carecoord.titlev import urls as titlev
from carecoord.transition import urls as transition
from carecoord.unmetneeds import urls as unmetneeds

urlpatterns = [
    path("", accounts.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True),
         name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", login_not_required(lambda request: HttpResponse("ok",
                                                                    content_type="text/plain"))),
    path("children/", families.caseload, name="caseload"),
    path("children/export.csv", families.caseload_export, name="caseload-export"),
    path("children/<int:child_id>/", families.child_detail, name="child-detail"),
    path("children/<int:child_id>/edit/", families.child_edit, name="child-edit"),
    path("children/<int:child_id>/guardians/<int:guardian_id>/edit/", families.guardian_edit,
         name="guardian-edit"),
    path("children/<int:child_id>/consents/new/", families.consent_new, name="consent-new"),
    path("children/<int:child_id>/consents/<int:consent_id>/revoke/", families.consent_revoke,
         name="consent-revoke"),
    path("children/<int:child_id>/reassign/", families.reassign, name="child-reassign"),
    path("children/<int:child_id>/discharge/", families.discharge, name="child-discharge"),
    path("children/<int:child_id>/plan/", careplans.plan_detail, name="care-plan"),
    path("children/<int:child_id>/plan/start/", careplans.plan_start, name="care-plan-start"),
    path("children/<int:child_id>/plan/<str:section>/add/", careplans.item_add,
         name="care-plan-add"),
    path("children/<int:child_id>/plan/<str:section>/<int:item_id>/status/",
         careplans.item_status, name="care-plan-status"),
    path("children/<int:child_id>/plan/reviewed/", careplans.plan_review,
         name="care-plan-reviewed"),
    path("children/<int:child_id>/plan/call-review/", careplans.plan_call_review,
         name="care-plan-call-review"),
    path("children/<int:child_id>/plan/agree/", careplans.plan_agree, name="care-plan-agree"),
    path("children/<int:child_id>/plan/compare/", careplans.plan_compare,
         name="care-plan-compare"),
    path("children/<int:child_id>/assessments/", assessments.assessment_list,
         name="assessment-list"),
    path("children/<int:child_id>/assessments/<int:assessment_id>/",
         assessments.assessment_detail, name="assessment-detail"),
    path("children/<int:child_id>/assessments/<int:assessment_id>/goals/<str:subscale_id>/",
         assessments.assessment_add_goal, name="assessment-add-goal"),
    path("children/<int:child_id>/assessments/<int:assessment_id>/needs/<str:domain_id>/",
         assessments.assessment_add_need, name="assessment-add-need"),
    path("children/<int:child_id>/assessments/<str:instrument_id>/new/",
         assessments.assessment_new, name="assessment-new"),
    path("children/<int:child_id>/assessments/<str:instrument_id>/history/",
         assessments.assessment_history, name="assessment-history"),
    path("children/<int:child_id>/contacts/", contacts.contact_list, name="contact-list"),
    path("children/<int:child_id>/contacts/new/", contacts.contact_new, name="contact-new"),
    path("children/<int:child_id>/tasks/new/", contacts.task_new, name="task-new"),
    path("today/", contacts.my_day, name="my-day"),
    path("tasks/<int:task_id>/close/", contacts.task_close, name="task-close"),
    path("referrals/", families.referral_list, name="referral-list"),
    path("referrals/new/", families.referral_new, name="referral-new"),
    path("referrals/new/check/", families.referral_check, name="referral-check"),
    path("referrals/<int:referral_id>/", families.referral_detail, name="referral-detail"),
    path("referrals/<int:referral_id>/screen/", families.referral_screen, name="referral-screen"),
    path("referrals/<int:referral_id>/accept/", families.referral_accept, name="referral-accept"),
    path("referrals/<int:referral_id>/decline/", families.referral_decline,
         name="referral-decline"),
    path("referrals/<int:referral_id>/enroll/", families.referral_enroll, name="referral-enroll"),
    path("center/", accounts.center, name="center"),
    path("network/", accounts.network, name="network"),
    path("audit/", audit.audit_log, name="audit-log"),
    path("admin/", admin.site.urls),
]

# Domain workflows and stratification; each app lists its own pages.
for workflow in (education, transition, peersupport, coverage, connections, acuity,
                 directory, care_plan_pdf, interop, titlev, servicereferrals, unmetneeds,
                 sharing, technicalassistance, reporting):
    urlpatterns += workflow.urlpatterns
