"""Reads for the coverage pages: each starts from the access policy (a child out of scope is a
404) and fetches what the page shows in a fixed number of queries."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from carecoord.accounts import policy
from carecoord.careplans.models import Need

from .models import CoverageApplication, DocumentRequest
from .services import NEED_DOMAIN


def child_in_scope(user, child_id: int):
    return get_object_or_404(policy.children_for(user).select_related("center"), pk=child_id)


def _applications():
    return CoverageApplication.objects.select_related("child", "need__domain", "created_by")


def applications_of(child) -> list[CoverageApplication]:
    """The child's applications: open ones first, then the closed, newest first."""
    applications = list(_applications().filter(child=child).prefetch_related(
        Prefetch("document_requests", queryset=DocumentRequest.objects.order_by("requested_on",
                                                                               "pk"))))
    return sorted(applications, key=lambda a: a.step == CoverageApplication.Step.CLOSED)


def application_of(user, child_id: int, application_id: int):
    """(child, application), or 404 when the child is out of scope or the application is not
    the child's."""
    child = child_in_scope(user, child_id)
    application = get_object_or_404(
        _applications().prefetch_related("document_requests"), pk=application_id, child=child)
    return child, application


def financial_needs(child):
    """The child's care plan needs in the financial help and coverage domain, to link to."""
    return (Need.objects.filter(plan__child=child, domain__code=NEED_DOMAIN)
            .select_related("domain").order_by("-opened_on", "pk"))
