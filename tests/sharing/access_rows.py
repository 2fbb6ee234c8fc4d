"""Rows of the access matrix (tests/accounts/test_access_matrix.py) for this app's pages.

The matrix's children have a plan but no agreed version (other rows rely on that), so the
share page shows "nothing to share yet" and its empty POST is refused (400); the provider
view shows "no care plan agreed yet". Nothing is sent while the matrix walks."""

from django.urls import reverse

from carecoord.accounts.models import CENTER_ROLES, Role


def rows(child, *, staff, editors, provider):
    share = reverse("plan-share", args=[child.pk])
    return [
        ("plan-share", "get", share, staff, 200),
        ("plan-share", "post", share, editors, 400),
        ("provider-child", "get", reverse("provider-child", args=[child.pk]), {provider}, 200),
        ("provider-respond", "post", reverse("provider-respond", args=[child.pk]), {provider},
         400),
    ]


def center_rows(network):
    """Pages not about one child: (url name, method, url, users who may, status)."""
    staff = {name for name, user in network.users.items() if user.role in CENTER_ROLES}
    providers = {name for name, user in network.users.items() if user.role == Role.PROVIDER}
    return [
        ("shared-plans", "get", reverse("shared-plans"), providers, 200),
        ("fax-queue", "get", reverse("fax-queue"), staff, 200),
        ("fax-document", "get", reverse("fax-document", args=[999999]), set(), 404),
        ("fax-mark", "post", reverse("fax-mark", args=[999999]), set(), 404),
    ]
