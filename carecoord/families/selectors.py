"""Reads for the pages: each starts from the access policy and fetches what the page shows in a
fixed number of queries, whatever the size of the caseload or the network."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Concat
from django.shortcuts import get_object_or_404
from django.utils import timezone

from carecoord.accounts import policy
from carecoord.accounts.models import Role, User

from . import referral_states
from .models import (
    Child,
    Consent,
    CoordinatorAssignment,
    Enrollment,
    Guardian,
    Referral,
    ReferralStatusChange,
)

PAGE_SIZE = 50


class ChildStatus:
    ENROLLED = "enrolled"
    REFERRED = "referred"
    CLOSED = "closed"
    CHOICES = [(ENROLLED, "Enrolled"), (REFERRED, "Referral open"), (CLOSED, "Not active")]


def with_status(children: QuerySet) -> QuerySet:
    """Annotates each child with is_enrolled, has_open_referral and the current coordinator.
    A child has at most one open enrollment and it at most one current assignment (database
    constraints), so these are plain outer joins: no row is repeated, and the database reads
    them only for the rows it returns."""
    return children.annotate(
        open_enrollment=FilteredRelation(
            "enrollments", condition=Q(enrollments__discharge_date__isnull=True)),
        current_assignment=FilteredRelation(
            "open_enrollment__assignments",
            condition=Q(open_enrollment__assignments__end_date__isnull=True)),
    ).annotate(
        is_enrolled=ExpressionWrapper(Q(open_enrollment__id__isnull=False),
                                      output_field=BooleanField()),
        has_open_referral=Exists(Referral.objects.filter(child=OuterRef("pk"),
                                                         status__in=referral_states.OPEN)),
        coordinator_id=F("current_assignment__coordinator_id"),
        coordinator_name=Concat("current_assignment__coordinator__first_name", Value(" "),
                                "current_assignment__coordinator__last_name"),
    )


@dataclass
class CaseloadFilters:
    q: str = ""
    town: str = ""
    status: str = ""
    scope: str = "mine"  # "mine": my assigned children; "center": everyone I may see


def caseload_children(user: User, filters: CaseloadFilters) -> QuerySet:
    """The children on a coordinator's list, searchable by name and filtered by town and
    status, in list order. Not annotated: see `with_status`."""
    children = policy.children_for(user)
    if filters.scope == "mine":
        # Driven from the coordinator's current assignments (an index), not from every child.
        children = children.filter(pk__in=Enrollment.objects.filter(
            discharge_date__isnull=True, assignments__coordinator=user,
            assignments__end_date__isnull=True).values("child_id"))
    if filters.q:
        for word in filters.q.split()[:4]:
            children = children.filter(
                Q(first_name__istartswith=word) | Q(last_name__istartswith=word)
                | Q(preferred_name__istartswith=word)
            )
    if filters.town:
        children = children.filter(household__town__name__iexact=filters.town)
    if filters.status:
        enrolled = Exists(Enrollment.objects.filter(child=OuterRef("pk"),
                                                    discharge_date__isnull=True))
        referred = Exists(Referral.objects.filter(child=OuterRef("pk"),
                                                  status__in=referral_states.OPEN))
        children = children.filter({
            ChildStatus.ENROLLED: enrolled,
            ChildStatus.REFERRED: ~enrolled & referred,
            ChildStatus.CLOSED: ~enrolled & ~referred,
        }.get(filters.status, Q()))
    return children.select_related("household__town", "preferred_language").order_by(
        "last_name", "first_name", "pk"
    )


def caseload(user: User, filters: CaseloadFilters, page: int = 1):
    """One page of the caseload: counted and sliced on the plain list, then the status of just
    those children read in one more query."""
    page = Paginator(caseload_children(user, filters), PAGE_SIZE).get_page(page)
    ids = [child.pk for child in page.object_list]
    annotated = {child.pk: child for child in with_status(
        Child.objects.filter(pk__in=ids).select_related("household__town", "preferred_language"))}
    page.object_list = [annotated[pk] for pk in ids]
    return page


def child_record(user: User, child_id: int) -> Child:
    """One child's record with everything its page shows, or 404 when out of scope."""
    enrollments = Enrollment.objects.select_related("center", "transferred_to").prefetch_related(
        Prefetch("assignments", queryset=CoordinatorAssignment.objects.select_related(
            "coordinator", "assigned_by"))
    )
    referrals = Referral.objects.select_related("referring_clinician").prefetch_related(
        Prefetch("history", queryset=ReferralStatusChange.objects.select_related("changed_by"))
    )
    guardians = Guardian.objects.select_related("preferred_language").prefetch_related(
        "languages")
    queryset = policy.children_for(user).select_related(
        "household__town", "preferred_language", "center", "pcp", "pcp_practice__town",
    ).prefetch_related(
        "races", "diagnoses",
        Prefetch("household__guardians", queryset=guardians),
        Prefetch("household__children", queryset=Child.objects.only(
            "pk", "first_name", "last_name", "date_of_birth", "household_id")),
        Prefetch("enrollments", queryset=enrollments),
        Prefetch("referrals", queryset=referrals),
        Prefetch("consents", queryset=Consent.objects.select_related(
            "shared_with_practice", "given_by")),
    )
    return get_object_or_404(queryset, pk=child_id)


def referral_detail(user: User, referral_id: int) -> Referral:
    queryset = policy.referrals_for(user).select_related(
        "child__household__town", "child__preferred_language", "referring_clinician",
        "center", "created_by",
    ).prefetch_related(
        Prefetch("history", queryset=ReferralStatusChange.objects.select_related("changed_by"))
    )
    return get_object_or_404(queryset, pk=referral_id)


def open_referrals(user: User) -> QuerySet:
    """Referrals waiting for a decision, oldest and most urgent first."""
    urgency_rank = {Referral.Urgency.URGENT: 0, Referral.Urgency.PRIORITY: 1,
                    Referral.Urgency.ROUTINE: 2}
    return policy.referrals_for(user).filter(status__in=referral_states.OPEN).annotate(
        urgency_rank=Case(*[When(urgency=k, then=v) for k, v in urgency_rank.items()],
                          output_field=IntegerField())
    ).select_related("child__household__town", "child__preferred_language").order_by(
        "urgency_rank", "received_on", "pk")


def staff_caseloads(center_id: int) -> list[User]:
    """Coordinators of a center, each with `active_children`: how many they carry now."""
    loads = dict(CoordinatorAssignment.objects.filter(
        coordinator__center_id=center_id, end_date__isnull=True,
        enrollment__discharge_date__isnull=True,
    ).values("coordinator").annotate(n=Count("pk")).values_list("coordinator", "n"))
    staff = list(User.objects.filter(center_id=center_id, role=Role.COORDINATOR, is_active=True)
                 .prefetch_related("languages").order_by("discipline", "last_name", "first_name"))
    for member in staff:
        member.active_children = loads.get(member.pk, 0)
    return staff


def center_counts(center_ids) -> dict[int, dict]:
    """Counts per center (never names): for a center's own overview and the hub's comparison.
    A fixed handful of grouped queries, whatever the number of children."""
    since = timezone.localdate() - datetime.timedelta(days=365)
    counts = {pk: {"children": 0, "enrolled": 0, "open_referrals": 0, "referrals_12m": 0,
                   "by_discipline": {}} for pk in center_ids}

    def fill(key, rows):
        for row in rows:
            counts[row["center_id"]][key] = row["n"]

    fill("children", Child.objects.filter(center_id__in=center_ids).values("center_id")
         .annotate(n=Count("pk")).order_by())
    fill("enrolled", Enrollment.objects.filter(center_id__in=center_ids,
                                               discharge_date__isnull=True)
         .values("center_id").annotate(n=Count("pk")).order_by())
    fill("open_referrals", Referral.objects.filter(center_id__in=center_ids,
                                                   status__in=referral_states.OPEN)
         .values("center_id").annotate(n=Count("pk")).order_by())
    fill("referrals_12m", Referral.objects.filter(center_id__in=center_ids,
                                                  received_on__gte=since)
         .values("center_id").annotate(n=Count("pk")).order_by())
    rows = CoordinatorAssignment.objects.filter(
        enrollment__center_id__in=center_ids, end_date__isnull=True,
        enrollment__discharge_date__isnull=True,
    ).values("enrollment__center_id", "coordinator__discipline").annotate(n=Count("pk")).order_by()
    for row in rows:
        counts[row["enrollment__center_id"]]["by_discipline"][row["coordinator__discipline"]] = (
            row["n"])
    return counts


def last_change(record):
    """The latest recorded write of a record (who and when), from the audit log."""
    from carecoord.audit.models import AuditEvent

    return AuditEvent.objects.filter(
        object_type=record._meta.label_lower, object_id=str(record.pk),
        action__in=["create", "update"],
    ).order_by("-at", "-pk").first()
