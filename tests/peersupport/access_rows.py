"""Rows of the access matrix (tests/accounts/test_access_matrix.py) for this app's pages."""

from django.urls import reverse


def rows(child, *, staff, editors, provider):
    return [
        ("peer-support", "get", reverse("peer-support", args=[child.pk]), staff, 200),
        ("peer-support-volunteer", "post", reverse("peer-support-volunteer", args=[child.pk]),
         editors, 400),
        ("peer-support-propose", "post", reverse("peer-support-propose", args=[child.pk]),
         editors, 400),
        ("peer-support-introduce", "post", reverse("peer-support-introduce",
                                                   args=[child.pk, 999999]), set(), 404),
        ("peer-support-status", "post", reverse("peer-support-status", args=[child.pk, 999999]),
         set(), 404),
    ]
