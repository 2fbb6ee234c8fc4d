"""Rows of the access matrix (tests/accounts/test_access_matrix.py) for this app's pages."""

from django.urls import reverse
from django.utils import timezone

from carecoord.accounts.models import User
from carecoord.connections.models import OrganizationConnection


def rows(child, *, staff, editors, provider):
    connection, _ = OrganizationConnection.objects.get_or_create(
        child=child, organization="cpac", defaults={
            "organization_name": "Connecticut Parent Advocacy Center (CPAC)", "level": "state",
            "suggested_on": timezone.localdate(),
            "created_by": User.objects.get(username=sorted(editors)[0])})
    return [
        ("organization-list", "get", reverse("organization-list", args=[child.pk]),
         staff | {provider}, 200),
        ("organization-new", "get", reverse("organization-new", args=[child.pk]), editors, 200),
        ("organization-new", "post", reverse("organization-new", args=[child.pk]), editors,
         400),
        # An empty step: refused by the form, so nothing changes while the matrix walks.
        ("organization-advance", "post", reverse("organization-advance", args=[
            child.pk, connection.pk]), editors, 400),
    ]
