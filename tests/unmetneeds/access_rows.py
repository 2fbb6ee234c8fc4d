"""Rows of the access matrix (tests/accounts/test_access_matrix.py) for this app's pages."""

from django.urls import reverse

from tests.servicereferrals.access_rows import matrix_need

CENTER_STAFF = {"nurse.nc", "social.nc", "supervisor.nc", "admin.nc", "ta.hub",
                "nurse.ea", "social.ea", "supervisor.ea", "admin.ea"}
# Counts only: the state's Title V analysts too; providers never.
REPORT_READERS = CENTER_STAFF | {"titlev.state"}


def rows(child, *, staff, editors, provider):
    url = reverse("unmet-need-new", args=[child.pk, matrix_need(child).pk])
    return [
        ("unmet-need-new", "get", url, editors, 200),
        ("unmet-need-new", "post", url, editors, 400),  # empty: refused, nothing recorded
    ]


def center_rows(network):
    """Pages not about one child: (url name, method, url, users who may, status)."""
    report, download = reverse("unmet-needs-report"), reverse("unmet-needs-csv")
    return [
        ("unmet-needs-report", "get", report, REPORT_READERS, 200),
        ("unmet-needs-report", "get", report + "?since=2026-01-01&domain=999999",
         REPORT_READERS, 400),
        ("unmet-needs-csv", "get", download, REPORT_READERS, 200),
    ]
