"""Rows of the access matrix (tests/accounts/test_access_matrix.py) for this app's pages."""

from django.urls import reverse
from django.utils import timezone

from carecoord.accounts.models import User
from carecoord.coverage.models import CoverageApplication


def rows(child, *, staff, editors, provider):
    application, _ = CoverageApplication.objects.get_or_create(
        child=child, program="husky-b", defaults={
            "eligibility_checked_on": timezone.localdate(),
            "eligibility_finding": "likely_eligible",
            "created_by": User.objects.get(username=sorted(editors)[0])})
    readers = staff | {provider}
    ids = [child.pk, application.pk]
    return [
        ("coverage-list", "get", reverse("coverage-list", args=[child.pk]), readers, 200),
        ("coverage-new", "get", reverse("coverage-new", args=[child.pk]), editors, 200),
        ("coverage-new", "post", reverse("coverage-new", args=[child.pk]), editors, 400),
        ("coverage-detail", "get", reverse("coverage-detail", args=ids), readers, 200),
        # An empty step: refused by the form, so nothing changes while the matrix walks.
        ("coverage-step", "post", reverse("coverage-step", args=[*ids, "submitted"]), editors,
         400),
        ("coverage-step", "post", reverse("coverage-step", args=[*ids, "no-such-step"]),
         set(), 404),
    ]
