"""Reads for the complexity page and the supervisor's assignment queue, built from a fixed
number of queries whatever the center's size."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404

from carecoord.accounts import policy
from carecoord.accounts.models import Role, User
from carecoord.families import selectors as family_selectors
from carecoord.families.models import (
    Child,
    ContactChannel,
    CoordinatorAssignment,
    Enrollment,
    Guardian,
    Referral,
)
from carecoord.stratification import assignment

from .models import CurrentAcuity, Stratification
from .services import stratify_child


def complexity_for_child(user, child_id: int):
    """(child, current result or None, history newest first), or 404 when out of scope."""
    child = family_selectors.child_record(user, child_id)
    history = list(Stratification.objects.filter(child=child).select_related("computed_by"))
    return child, (history[0] if history else None), history


def coordinators_of(center_id: int) -> tuple[list[assignment.Coordinator], dict[int, User]]:
    """The center's active coordinators as the assignment engine sees them, with the tier of
    every child they carry now."""
    users = list(User.objects.filter(center_id=center_id, role=Role.COORDINATOR,
                                     is_active=True).select_related("center__town")
                 .prefetch_related("languages"))
    tiers: dict[int, list] = {u.pk: [] for u in users}
    for coordinator, tier in CoordinatorAssignment.objects.filter(
            end_date__isnull=True, enrollment__discharge_date__isnull=True,
            coordinator__in=users).values_list("coordinator_id", "enrollment__child__acuity__tier"):
        tiers[coordinator].append(tier)
    engine = [assignment.Coordinator(
        id=u.pk, name=u.get_full_name() or u.username, discipline=u.discipline,
        caseload_capacity=float(u.caseload_capacity or 0), caseload_tiers=tuple(tiers[u.pk]),
        languages=frozenset(language.code for language in u.languages.all()),
        base_town=u.center.town.name if u.center.town_id else None) for u in users]
    return engine, {u.pk: u for u in users}


def child_to_assign(child: Child, result: Stratification) -> assignment.ChildToAssign:
    guardians = list(child.household.guardians.all())
    home_visits = any(ContactChannel.HOME_VISIT in g.preferred_channels[:2] for g in guardians)
    return assignment.ChildToAssign(
        id=child.pk, tier=result.tier, discipline=result.discipline,
        language=child.preferred_language.code, town=child.household.town.name,
        prefers_home_visits=home_visits)


@dataclass
class WaitingChild:
    child: Child
    referral: Referral | None  # accepted, waiting to be enrolled
    enrollment: Enrollment | None  # open, without a coordinator now
    result: Stratification
    candidates: tuple[assignment.Candidate, ...]


def _children(queryset):
    return queryset.select_related("household__town", "preferred_language").prefetch_related(
        Prefetch("household__guardians", Guardian.objects.order_by("-is_primary_contact")))


def assignment_queue(user) -> tuple[list[WaitingChild], dict[int, User]]:
    """Children of the supervisor's center waiting for a coordinator: accepted referrals and
    open enrollments whose coordinator left, highest tier first, each with the coordinators
    the engine suggests."""
    if not policy.can_assign_caseloads(user):
        raise Http404
    referrals = {r.child_id: r for r in Referral.objects.filter(
        center_id=user.center_id, status=Referral.Status.ACCEPTED)}
    staffed = CoordinatorAssignment.objects.filter(
        enrollment=OuterRef("pk"), end_date__isnull=True, coordinator__is_active=True)
    orphans = {e.child_id: e for e in Enrollment.objects.filter(
        center_id=user.center_id, discharge_date__isnull=True).filter(~Exists(staffed))}
    children = list(_children(Child.objects.filter(pk__in=referrals.keys() | orphans.keys())))
    current = {a.child_id: a.stratification for a in CurrentAcuity.objects.filter(
        child__in=children).select_related("stratification")}
    coordinators, users = coordinators_of(user.center_id)
    waiting = []
    for child in children:
        result = current.get(child.pk) or stratify_child(child, trigger="intake")
        waiting.append(WaitingChild(
            child, referrals.get(child.pk), orphans.get(child.pk), result,
            assignment.suggest_coordinators(child_to_assign(child, result), coordinators)))
    waiting.sort(key=lambda w: (-w.result.tier, w.child.last_name, w.child.pk))
    return waiting, users


def caseload_of(user, coordinator_id: int):
    """A coordinator of the supervisor's center and the children they carry, with tiers."""
    if not policy.can_assign_caseloads(user):
        raise Http404
    leaving = User.objects.filter(center_id=user.center_id, role=Role.COORDINATOR,
                                  pk=coordinator_id).first()
    if leaving is None:
        raise Http404
    open_assignments = CoordinatorAssignment.objects.filter(
        coordinator=leaving, end_date__isnull=True, enrollment__discharge_date__isnull=True)
    children = list(_children(Child.objects.filter(
        Q(enrollments__assignments__in=open_assignments))).distinct())
    current = {a.child_id: a.stratification for a in CurrentAcuity.objects.filter(
        child__in=children).select_related("stratification")}
    for child in children:
        if current.get(child.pk) is None:
            current[child.pk] = stratify_child(child, trigger="manual")
    enrollments = {a.enrollment.child_id: a.enrollment
                   for a in open_assignments.select_related("enrollment")}
    return leaving, children, current, enrollments
