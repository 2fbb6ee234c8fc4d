"""Rows of the access matrix (tests/accounts/test_access_matrix.py) for this app's pages."""

from django.urls import reverse
from django.utils import timezone

from carecoord.titlev.periods import FederalFiscalYear

ANALYSTS = {"ta.hub", "titlev.state"}


def rows(child, *, staff, editors, provider):
    return []


def center_rows(network):
    """Pages not about one child: (url name, method, url, users who may, status)."""
    year = FederalFiscalYear.containing(timezone.localdate()).year
    nc = ANALYSTS | {"supervisor.nc", "admin.nc"}
    ea = ANALYSTS | {"supervisor.ea", "admin.ea"}

    def file(scope, name):
        return reverse("titlev-file", args=[year, scope, name])

    return [
        ("titlev", "get", reverse("titlev"), nc | ea, 200),
        ("titlev", "get", reverse("titlev") + "?center=eastern", ea, 200),
        ("titlev", "get", reverse("titlev") + "?center=all-centers", ANALYSTS, 200),
        ("titlev-file", "get", file("north-central", "export.csv"), nc, 200),
        ("titlev-file", "get", file("eastern", "export.json"), ea, 200),
        ("titlev-file", "get", file("all-centers", "problems.csv"), ANALYSTS, 200),
        ("titlev-file", "get", file("eastern", "dictionary.csv"), ea, 200),
        ("titlev-file", "get", file("eastern", "passwords.txt"), set(), 404),
        ("titlev-file", "get", file("nowhere", "export.csv"), set(), 404),
    ]
