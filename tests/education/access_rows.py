"""Rows of the access matrix (tests/accounts/test_access_matrix.py) for this app's pages."""

from django.urls import reverse


def rows(child, *, staff, editors, provider):
    return [
        ("school-supports", "get", reverse("school-supports", args=[child.pk]), staff, 200),
        ("school-support-new", "get", reverse("school-support-new", args=[child.pk]), editors,
         200),
        # No support exists yet: the pages of one are not there for anyone.
        ("school-support-edit", "get", reverse("school-support-edit", args=[child.pk, 999999]),
         set(), 404),
        ("school-meeting-new", "post", reverse("school-meeting-new", args=[child.pk, 999999]),
         set(), 404),
        ("school-meeting-record", "post", reverse("school-meeting-record",
                                                  args=[child.pk, 999999, 1]), set(), 404),
        ("school-advocacy", "post", reverse("school-advocacy", args=[child.pk, 999999]), set(),
         404),
    ]
