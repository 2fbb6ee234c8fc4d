"""Reads for the care plan pages, in a fixed number of queries."""

import datetime

from django.db.models import Prefetch
from django.http import Http404

from carecoord.audit.models import AuditEvent
from carecoord.families import selectors as family_selectors

from .models import Action, CarePlan, CarePlanVersion, Goal, Need


def plan_for_child(user, child_id: int):
    """(child, plan or None, open enrollment or None), or 404 when the child is out of scope.
    The plan shown is the one of the open enrollment, else the latest."""
    child = family_selectors.child_record(user, child_id)
    enrollments = list(child.enrollments.all())
    open_enrollment = next((e for e in enrollments if e.is_open), None)
    actions = Action.objects.select_related("goal")
    goals = Goal.objects.select_related("need__domain").prefetch_related(
        Prefetch("actions", queryset=actions))
    plan = (CarePlan.objects.filter(child=child).select_related(
        "language", "current_version", "created_by").prefetch_related(
        "priorities__language", "strengths",
        Prefetch("needs", queryset=Need.objects.select_related("domain")),
        Prefetch("goals", queryset=goals),
        Prefetch("versions", queryset=CarePlanVersion.objects.only(
            "pk", "plan_id", "number", "agreed_on", "agreed_by_name", "agreed_how",
            "review_due_on")),
    ).order_by("-enrollment__start_date").first())
    return child, plan, open_enrollment


def plan_version(plan: CarePlan, number: int) -> CarePlanVersion:
    version = plan.versions.filter(number=number).first()
    if version is None:
        raise Http404
    return version


def changes_since(plan: CarePlan, since: datetime.datetime, exclude_user_id: int):
    """What others changed in this plan after `since`: shown when a save is refused."""
    return list(AuditEvent.objects.filter(
        child_id=plan.child_id, object_type__startswith="careplans.", at__gt=since,
        action__in=["create", "update", "delete"],
    ).exclude(actor_id=exclude_user_id).order_by("at")[:20])
