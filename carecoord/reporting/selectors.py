"""Reads for the program measures (data/measures.yaml): one function a measure, each counting
in SQL with a fixed number of queries whatever the data size (one or two; the protective
factors three). A function returns the raw figures by row (the measure's breakdown) and group
(a center, or a coordinator of one center); measures.py turns them into the published tables,
with suppression where the reader is outside the center.

Medians are taken in Python from one values_list of day counts per measure (the same answer on
SQLite and PostgreSQL); the protective-factor change reads the first and latest check-in of
each child, two JSON results a child, and compares their mean factor scores in Python.

Who the reader may see is decided before these run (accounts.policy): a Scope names the
centers, and these functions never look outside them."""

import datetime
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from carecoord.accounts.models import Discipline, Role, User
from carecoord.careplans.assessment_results import PROTECTIVE_FACTORS_CHECKIN
from carecoord.careplans.models import (
    Assessment,
    CarePlan,
    CarePlanVersion,
    FamilyPriority,
    Goal,
    NeedDomain,
)
from carecoord.careplans.versions import add_months
from carecoord.contacts.models import Channel, Contact
from carecoord.families.models import CoordinatorAssignment, Enrollment, Referral
from carecoord.servicereferrals.models import ServiceReferral
from carecoord.sharing.models import PlanShare
from carecoord.transition.models import ElementCompletion
from carecoord.unmetneeds.models import UnmetNeed

CENTER, COORDINATOR = "center", "coordinator"
ALL = "all"
TRANSITION_PLANNING = "transition_planning"
YOUTH_AGES = (12, 21)
SHARED = (PlanShare.Status.SENT, PlanShare.Status.DELIVERED, PlanShare.Status.ACKNOWLEDGED)
IMPROVED, UNCHANGED, DECLINED = "improved", "unchanged", "declined"
UNSTRATIFIED = "none"


@dataclass(frozen=True)
class Scope:
    """What a report counts: the period (inclusive), the centers, how the columns are grouped
    (by center, or by coordinator within one center) and the child filters (current acuity)."""

    start: datetime.date
    end: datetime.date
    center_ids: tuple[int, ...]
    by: str = CENTER
    tier: int | None = None
    discipline: str = ""
    review_months: int = 6


@dataclass
class Raw:
    """A measure's figures. `counts` are the counts (a count measure), the denominators (a
    percent), the number of values (a median) or the children (a ratio); `met` the percent's
    numerators; `values` the day counts behind a median; `fte` the ratio's denominators. Keys
    are (row key, group key); a group key is a center id, a coordinator id, or None (no
    coordinator assigned)."""

    rows: list[tuple[str, str]]
    counts: dict = field(default_factory=dict)
    met: dict = field(default_factory=dict)
    values: dict = field(default_factory=lambda: defaultdict(list))
    fte: dict = field(default_factory=dict)

    def groups(self) -> set:
        return {g for (_, g) in (*self.counts, *self.fte)}


ONE_ROW = [(ALL, "All")]


# ---------------------------------------------------------------- building blocks


def _in(period_field: str, scope: Scope) -> Q:
    return Q(**{f"{period_field}__gte": scope.start, f"{period_field}__lte": scope.end})


def _in_days(moment_field: str, scope: Scope) -> Q:
    """A date-time within the period's days (local time): a range on the column itself, so
    the database uses its index instead of converting every row's time to a date."""
    zone = timezone.get_current_timezone()
    first = datetime.datetime.combine(scope.start, datetime.time.min, tzinfo=zone)
    after = datetime.datetime.combine(scope.end + datetime.timedelta(days=1),
                                      datetime.time.min, tzinfo=zone)
    return Q(**{f"{moment_field}__gte": first, f"{moment_field}__lt": after})


def _overlapping(scope: Scope, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start_date__lte": scope.end}) & (
        Q(**{f"{prefix}discharge_date__isnull": True})
        | Q(**{f"{prefix}discharge_date__gte": scope.start}))


def _open_on(day: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}discharge_date__isnull": True}) | Q(**{f"{prefix}discharge_date__gt": day}))


def _coordinator_of(scope: Scope, child: str, center: str) -> Subquery:
    """The child's coordinator at the center in the period: the latest assignment that
    overlaps it."""
    return Subquery(
        CoordinatorAssignment.objects.filter(
            enrollment__child_id=OuterRef(child), enrollment__center_id=OuterRef(center),
            start_date__lte=scope.end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=scope.start))
        .order_by("-start_date", "-pk").values("coordinator_id")[:1])


def _scoped(qs: QuerySet, scope: Scope, *, child: str, center: str,
            child_filters: bool = True) -> QuerySet:
    """Rows of the scope's centers, with the child filters, annotated with `grp`: the center,
    or the coordinator when the report is by coordinator."""
    qs = qs.filter(**{f"{center}__in": scope.center_ids})
    if child_filters and scope.tier is not None:
        qs = qs.filter(**{f"{child}__acuity__tier": scope.tier})
    if child_filters and scope.discipline:
        qs = qs.filter(**{f"{child}__acuity__discipline": scope.discipline})
    if scope.by == COORDINATOR:
        return qs.annotate(grp=_coordinator_of(scope, child, center))
    return qs.annotate(grp=F(center))


def _counted(qs: QuerySet, *, row=None, n=Count("pk"), met=None) -> Raw:
    """One query: the count (and the met count) by row field and group."""
    names = ["grp"] + ([row] if row else [])
    aggregates = {"n": n} | ({"m": met} if met is not None else {})
    raw = Raw(rows=[])
    for item in qs.values(*names).annotate(**aggregates).order_by():
        key = (item[row] if row else ALL, item["grp"])
        raw.counts[key] = item["n"]
        if met is not None:
            raw.met[key] = item["m"]
    return raw


def _days(qs: QuerySet, since: str, until: str) -> Raw:
    """One query: the days between two dates of each row, by group (for a median)."""
    raw = Raw(rows=ONE_ROW)
    for group, first, last in qs.values_list("grp", since, until):
        raw.values[(ALL, group)].append((last - first).days)
    raw.counts = {key: len(days) for key, days in raw.values.items()}
    return raw


def median(values) -> float | None:
    return statistics.median(values) if values else None


def _served(scope: Scope) -> QuerySet:
    return _scoped(Enrollment.objects.filter(_overlapping(scope)), scope, child="child",
                   center="center_id")


def _children(**extra) -> Count:
    return Count("child_id", distinct=True, **extra)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# ---------------------------------------------------------------- the measures


def children_served(scope: Scope) -> Raw:
    raw = _counted(_served(scope), n=_children())
    raw.rows = ONE_ROW
    return raw


def _referrals(scope: Scope) -> QuerySet:
    return _scoped(Referral.objects.filter(_in("received_on", scope)), scope, child="child",
                   center="center_id")


def new_referrals(scope: Scope) -> Raw:
    raw = _counted(_referrals(scope))
    raw.rows = ONE_ROW
    return raw


def days_to_first_contact(scope: Scope) -> Raw:
    return _days(_referrals(scope).filter(first_contact_on__isnull=False), "received_on",
                 "first_contact_on")


def enrolled_by_tier(scope: Scope) -> Raw:
    qs = _scoped(Enrollment.objects.filter(_open_on(scope.end)), scope, child="child",
                 center="center_id").annotate(
        tier=F("child__acuity__tier"), recommended=F("child__acuity__discipline"))
    raw = Raw(rows=[])
    for item in qs.values("grp", "tier", "recommended").annotate(n=_children()).order_by():
        key = (f"{item['tier']}:{item['recommended']}" if item["tier"] is not None
               else UNSTRATIFIED, item["grp"])
        raw.counts[key] = raw.counts.get(key, 0) + item["n"]
    disciplines = dict(Discipline.choices)
    keys = sorted({row for row, _ in raw.counts if row != UNSTRATIFIED},
                  key=lambda k: (int(k.split(":")[0]), k))
    raw.rows = [(k, f"Tier {k.split(':')[0]} · "
                    f"{disciplines.get(k.split(':', 1)[1], k.split(':', 1)[1] or 'no discipline')}")
                for k in keys]
    if any(row == UNSTRATIFIED for row, _ in raw.counts):
        raw.rows.append((UNSTRATIFIED, "Not stratified yet"))
    return raw


def _contacts(scope: Scope) -> QuerySet:
    return _scoped(Contact.objects.filter(_in_days("occurred_at", scope)), scope,
                   child="child", center="child__center_id")


def contacts_by_channel(scope: Scope) -> Raw:
    raw = _counted(_contacts(scope), row="channel")
    raw.rows = list(Channel.choices)
    return raw


def contacts_reached(scope: Scope) -> Raw:
    raw = _counted(_contacts(scope), row="channel", met=Count("pk", filter=Q(reached=True)))
    raw.rows = list(Channel.choices)
    return raw


def care_plans_current(scope: Scope) -> Raw:
    since = add_months(scope.end, -scope.review_months)
    reviewed = CarePlanVersion.objects.filter(plan__enrollment_id=OuterRef("pk"),
                                              agreed_on__gte=since, agreed_on__lte=scope.end)
    qs = _scoped(Enrollment.objects.filter(_open_on(scope.end)), scope, child="child",
                 center="center_id").annotate(current=Exists(reviewed))
    raw = _counted(qs, n=_children(), met=_children(filter=Q(current=True)))
    raw.rows = ONE_ROW
    return raw


def plans_with_priorities(scope: Scope) -> Raw:
    qs = _scoped(CarePlan.objects.filter(_overlapping(scope, "enrollment__")), scope,
                 child="child", center="center_id").annotate(
        prioritized=Exists(FamilyPriority.objects.filter(plan_id=OuterRef("pk"))))
    raw = _counted(qs, met=Count("pk", filter=Q(prioritized=True)))
    raw.rows = ONE_ROW
    return raw


def goals_met(scope: Scope) -> Raw:
    qs = _scoped(Goal.objects.filter(_in("target_date", scope))
                 .exclude(status=Goal.Status.DISCONTINUED), scope,
                 child="plan__child", center="plan__center_id")
    raw = _counted(qs, met=Count("pk", filter=Q(status=Goal.Status.MET)))
    raw.rows = ONE_ROW
    return raw


def _service_referrals(scope: Scope, period_field: str) -> QuerySet:
    return _scoped(ServiceReferral.objects.filter(_in(period_field, scope)), scope,
                   child="child", center="child__center_id")


def closed_loop_rate(scope: Scope) -> Raw:
    raw = _counted(_service_referrals(scope, "sent_on"),
                   met=Count("pk", filter=Q(closed_on__isnull=False, closed_on__lte=scope.end)))
    raw.rows = ONE_ROW
    return raw


def days_to_close(scope: Scope) -> Raw:
    return _days(_service_referrals(scope, "closed_on"), "sent_on", "closed_on")


def _unmet(scope: Scope) -> QuerySet:
    return _scoped(UnmetNeed.objects.filter(_in("recorded_on", scope)), scope,
                   child="child", center="center_id")


def unmet_needs_by_domain(scope: Scope) -> Raw:
    raw = _counted(_unmet(scope), row="domain__code")
    raw.rows = list(NeedDomain.objects.order_by("order", "label").values_list("code", "label"))
    return raw


def unmet_needs_by_town(scope: Scope) -> Raw:
    raw = _counted(_unmet(scope), row="town__name")
    raw.rows = [(name, name) for name in sorted({row for row, _ in raw.counts})]
    return raw


def _mean_score(result: dict) -> Fraction | None:
    scores = [Fraction(v) for v in (result.get("subscale_scores_exact") or {}).values()
              if v is not None]
    return sum(scores) / len(scores) if scores else None


def protective_factor_change(scope: Scope) -> Raw:
    """Three queries: each child's first and latest check-in in effect (not corrected), for
    the children whose latest is in the period; then the two results of each."""
    checkins = Assessment.objects.filter(instrument_id=PROTECTIVE_FACTORS_CHECKIN).exclude(
        Exists(Assessment.objects.filter(corrects_id=OuterRef("pk"))))
    mine = checkins.filter(child_id=OuterRef("child_id"), administered_on__lte=scope.end)
    latest = _scoped(checkins.filter(_in("administered_on", scope)), scope, child="child",
                     center="center_id").annotate(
        latest_pk=Subquery(mine.order_by("-administered_on", "-pk").values("pk")[:1]),
        first_pk=Subquery(mine.order_by("administered_on", "pk").values("pk")[:1]),
    ).filter(pk=F("latest_pk")).exclude(first_pk=F("latest_pk"))
    pairs = list(latest.values_list("grp", "first_pk", "result"))
    firsts = dict(Assessment.objects.filter(pk__in=[p for _, p, _ in pairs])
                  .values_list("pk", "result"))
    raw = Raw(rows=[(IMPROVED, "Improved"), (UNCHANGED, "Unchanged"), (DECLINED, "Declined")])
    for group, first_pk, result in pairs:
        before, after = _mean_score(firsts[first_pk]), _mean_score(result)
        if before is None or after is None:
            continue
        row = IMPROVED if after > before else DECLINED if after < before else UNCHANGED
        raw.counts[(row, group)] = raw.counts.get((row, group), 0) + 1
    return raw


def transition_plan(scope: Scope) -> Raw:
    youngest, oldest = YOUTH_AGES
    planned = ElementCompletion.objects.filter(record__child_id=OuterRef("child_id"),
                                               element=TRANSITION_PLANNING,
                                               done_on__lte=scope.end)
    qs = _served(scope).filter(
        child__date_of_birth__lte=_years_before(scope.end, youngest),
        child__date_of_birth__gt=_years_before(scope.end, oldest + 1),
    ).annotate(planned=Exists(planned))
    raw = _counted(qs, n=_children(), met=_children(filter=Q(planned=True)))
    raw.rows = ONE_ROW
    return raw


def medical_home_identified(scope: Scope) -> Raw:
    has_pcp = Q(child__pcp__isnull=False) | Q(child__pcp_practice__isnull=False)
    raw = _counted(_served(scope), n=_children(), met=_children(filter=has_pcp))
    raw.rows = ONE_ROW
    return raw


def plan_shared_with_pcp(scope: Scope) -> Raw:
    shared = PlanShare.objects.filter(child_id=OuterRef("child_id"), status__in=SHARED,
                                      sent_at__date__lte=scope.end,
                                      recipient__practice_id=OuterRef("home_practice"))
    qs = (_served(scope)
          .annotate(home_practice=Coalesce("child__pcp_practice_id", "child__pcp__practice_id"))
          .filter(home_practice__isnull=False)
          .annotate(shared=Exists(shared)))
    raw = _counted(qs, n=_children(), met=_children(filter=Q(shared=True)))
    raw.rows = ONE_ROW
    return raw


def caseload_per_fte(scope: Scope) -> Raw:
    """Two queries: the children assigned on the last day by discipline and group, and the FTE
    of the active coordinators by discipline and group. The tier filter does not apply; the
    discipline filter is the coordinator's."""
    assignments = CoordinatorAssignment.objects.filter(
        enrollment__center_id__in=scope.center_ids, start_date__lte=scope.end,
        coordinator__role=Role.COORDINATOR,
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=scope.end)).filter(
        _open_on(scope.end, "enrollment__"))
    staff = User.objects.filter(role=Role.COORDINATOR, is_active=True,
                                center_id__in=scope.center_ids)
    if scope.discipline:
        assignments = assignments.filter(coordinator__discipline=scope.discipline)
        staff = staff.filter(discipline=scope.discipline)
    group = "coordinator_id" if scope.by == COORDINATOR else "enrollment__center_id"
    staff_group = "pk" if scope.by == COORDINATOR else "center_id"
    raw = Raw(rows=[(d, label) for d, label in Discipline.choices
                    if not scope.discipline or d == scope.discipline])
    for item in (assignments.values(group, "coordinator__discipline")
                 .annotate(n=Count("enrollment__child_id", distinct=True)).order_by()):
        raw.counts[(item["coordinator__discipline"], item[group])] = item["n"]
    for item in staff.values(staff_group, "discipline").annotate(fte=Sum("fte")).order_by():
        key = (item["discipline"], item[staff_group])
        raw.fte[key] = item["fte"] or Decimal(0)
        raw.counts.setdefault(key, 0)
    return raw


def coordinators_of(center_id: int) -> dict[int, str]:
    """Labels for the columns of a report by coordinator: the center's coordinators and
    supervisors (who may carry a caseload)."""
    return {u.pk: u.get_full_name() or u.username for u in
            User.objects.filter(center_id=center_id,
                                role__in=(Role.COORDINATOR, Role.SUPERVISOR))
            .order_by("last_name", "first_name")}
