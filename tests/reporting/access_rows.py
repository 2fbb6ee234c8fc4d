"""Rows of the access matrix (tests/accounts/test_access_matrix.py) for the program measures:
a center's supervisors and administrators, hub technical assistance and the state's Title V
analysts; coordinators and providers get a 404."""

from django.urls import reverse

READERS = {"supervisor.nc", "admin.nc", "supervisor.ea", "admin.ea", "ta.hub", "titlev.state"}


def rows(child, *, staff, editors, provider):
    return []  # no page about one child


def center_rows(network):
    """Pages not about one child: (url name, method, url, users who may, status)."""
    page = reverse("reports")
    return [
        ("reports", "get", page, READERS, 200),
        ("reports", "get", page + "?by=coordinator", READERS, 200),
        ("reports", "get", page + "?start=2026-02-01&end=2026-01-01", READERS, 400),
        ("reports-csv", "get", reverse("reports-csv"), READERS, 200),
        # The matrix reads every 200 answer as text; a workbook is binary, so HEAD here (same
        # access path) and tests/reporting/test_reports.py opens the file itself.
        ("reports-xlsx", "head", reverse("reports-xlsx"), READERS, 200),
        ("reports-xlsx", "get", reverse("reports-xlsx") + "?start=2026-02-01&end=2026-01-01",
         READERS, 400),
    ]
