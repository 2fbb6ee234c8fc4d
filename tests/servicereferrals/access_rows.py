"""Rows of the access matrix (tests/accounts/test_access_matrix.py) for this app's pages."""

from django.urls import reverse

from carecoord.accounts.models import User
from carecoord.careplans.models import Need, NeedDomain
from carecoord.directory.models import Service
from carecoord.servicereferrals.models import ServiceReferral

from .helpers import days_ago, service

SERVICE_NAME = "Food pantry (access matrix)"


def matrix_need(child) -> Need:
    need, _ = Need.objects.get_or_create(
        plan=child.care_plans.get(), description="Food runs out at the end of the month",
        defaults={"domain": NeedDomain.objects.get(code="food"), "raised_by": "family",
                  "family_priority": "high", "reach": "within_reach", "opened_on": days_ago(30),
                  "status": "in_progress"})
    return need


def matrix_service() -> Service:
    return Service.objects.filter(name=SERVICE_NAME).first() or service(SERVICE_NAME)


def rows(child, *, staff, editors, provider):
    need, pantry = matrix_need(child), matrix_service()
    referral, _ = ServiceReferral.objects.get_or_create(
        child=child, need=need, defaults={
            "service": pantry, "service_name": pantry.name,
            "organization_name": pantry.organization.name, "sent_how": "family",
            "sent_on": days_ago(3), "consent_basis": "not_shared",
            "consent_checked": "Nothing shared by the center.",
            "sent_by": User.objects.get(username=sorted(editors)[0])})
    readers = staff | {provider}
    ids = [child.pk, referral.pk]
    new = reverse("service-referral-new", args=[child.pk, need.pk])
    return [
        ("service-referral-list", "get", reverse("service-referral-list", args=[child.pk]),
         readers, 200),
        ("service-referral-new", "get", f"{new}?service={pantry.pk}", editors, 200),
        # Empty forms: refused, so nothing changes while the matrix walks.
        ("service-referral-new", "post", new, editors, 400),
        ("service-referral-detail", "get", reverse("service-referral-detail", args=ids),
         readers, 200),
        ("service-referral-edit", "get", reverse("service-referral-edit", args=ids), editors,
         200),
        ("service-referral-edit", "post", reverse("service-referral-edit", args=ids), editors,
         400),
        ("service-referral-step", "post",
         reverse("service-referral-step", args=[*ids, "acknowledged"]), editors, 400),
        ("service-referral-step", "post",
         reverse("service-referral-step", args=[*ids, "no-such-step"]), set(), 404),
    ]


def center_rows(network):
    """Pages not about one child: (url name, method, url, users who may, status)."""
    return []
