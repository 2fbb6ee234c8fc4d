"""Rows of the access matrix (tests/accounts/test_access_matrix.py) for this app's pages."""

from django.urls import reverse


def rows(child, *, staff, editors, provider):
    return [
        ("transition", "get", reverse("transition", args=[child.pk]), staff | {provider}, 200),
        ("transition-edit", "get", reverse("transition-edit", args=[child.pk]), editors, 200),
        ("transition-element", "post", reverse("transition-element", args=[child.pk]), editors,
         400),
    ]
