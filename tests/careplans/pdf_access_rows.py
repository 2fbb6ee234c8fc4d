"""Rows of the access matrix (tests/accounts/test_access_matrix.py) for the care plan PDF.

The matrix reads every 200 answer as text to look for names out of scope, and a PDF is
binary, so the printable copy is checked with HEAD (same access path, headers only);
tests/careplans/test_care_plan_pdf.py reads the PDF itself for each role."""

from django.urls import reverse


def rows(child, *, staff, editors, provider):
    url = reverse("care-plan-pdf", args=[child.pk])
    readers = staff | {provider}
    return [
        ("care-plan-pdf", "head", f"{url}?language=es", readers, 200),
        ("care-plan-pdf", "get", f"{url}?language=xx", readers, 400),  # checked after access
        ("care-plan-pdf", "get", f"{url}?version=1", set(), 404),  # nothing agreed yet
    ]
