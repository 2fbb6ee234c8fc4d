"""Reads for the organizations page: each starts from the access policy (a child out of scope
is a 404) and fetches what the page shows in a fixed number of queries."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from carecoord.accounts import policy
from carecoord.careplans.models import Need
from carecoord.families.models import Diagnosis

from . import catalog
from .models import OrganizationConnection
from .services import NEED_DOMAIN


def child_in_scope(user, child_id: int):
    """The child with the diagnoses on file, or 404."""
    diagnoses = Diagnosis.objects.order_by("-recorded_on", "code")
    return get_object_or_404(policy.children_for(user).select_related("center")
                             .prefetch_related(Prefetch("diagnoses", queryset=diagnoses)),
                             pk=child_id)


def _connections():
    return OrganizationConnection.objects.select_related("child", "diagnosis", "need")


def connections_of(child) -> list[OrganizationConnection]:
    """Open connections first (oldest suggestion first), then the closed ones."""
    connections = list(_connections().filter(child=child))
    return sorted(connections, key=lambda c: not c.is_open)


def connection_of(user, child_id: int, connection_id: int):
    child = child_in_scope(user, child_id)
    return child, get_object_or_404(_connections(), pk=connection_id, child=child)


def suggestions_for(child, connections) -> list[catalog.Suggestion]:
    """Catalog organizations for the child's ICD-10-CM diagnoses (and for every family), less
    those already on the list."""
    rows = [(d.pk, d.code, d.description) for d in child.diagnoses.all()
            if d.code_system == Diagnosis.CodeSystem.ICD10CM]
    return catalog.suggest(rows, {c.organization for c in connections if c.organization})


def organization_needs(child):
    return (Need.objects.filter(plan__child=child, domain__code=NEED_DOMAIN)
            .select_related("domain").order_by("-opened_on", "pk"))
