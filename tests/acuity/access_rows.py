"""Rows of the access matrix (tests/accounts/test_access_matrix.py) for this app's pages."""

from django.urls import reverse


def rows(child, *, staff, editors, provider):
    return [
        ("complexity", "get", reverse("complexity", args=[child.pk]), staff | {provider}, 200),
        ("complexity-recheck", "post", reverse("complexity-recheck", args=[child.pk]), editors,
         302),
        # Enrolled with a coordinator: not waiting, so not in anyone's queue.
        ("assignment-assign", "post", reverse("assignment-assign", args=[child.pk]), set(),
         404),
    ]
