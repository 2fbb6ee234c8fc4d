"""Reads for the Title V export and its page: who a center served in a federal fiscal year, and
the counts, measures and validation problems over them. The page and the export call these same
functions on the same queryset, so the table on the page and the rows in the file cannot
disagree. Everything is counted in SQL: a fixed number of queries whatever the data size.

"Served" in a year: enrolled (an Enrollment episode) at the center at any time in the federal
fiscal year, i.e. an episode that started on or before September 30 and was not discharged
before October 1. One row per center and child: a child re-enrolled in the same year is one
row; a child who moved from one center to another is a row at each, with the same
person_pseudo_id (the state counts a person once across centers, as its field list says)."""

import csv
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear, Greatest

from carecoord.accounts.models import Center
from carecoord.connections import steps as connection_steps
from carecoord.connections.models import OrganizationConnection
from carecoord.coverage.models import CoverageApplication
from carecoord.families.models import Child, Enrollment
from carecoord.peersupport.models import PeerMatch
from carecoord.transition.models import ElementCompletion
from carecoord.transition.progress import elements as transition_elements

from . import coverage
from .deidentify import CT_ZIP_CODE
from .models import ReportingSettings
from .periods import FederalFiscalYear

INFANT, CHILD, OTHER = "infant", "child", "other"
POPULATION_TYPES = {
    INFANT: "Infants (under 1)",
    CHILD: "Children 1 through 21",
    OTHER: "Others (22 and older)",
}
# Title V's "children" and MCHB's CYSHCN run through age 21; CareCoord serves youth to 26.
OLDEST_CHILD = 21
TRANSITION_PLANNING = "transition_planning"
RESPITE_FUNDS = "cmhi-respite-funds"
INSURED = (coverage.TITLE_XIX, coverage.TITLE_XXI, coverage.PRIVATE_OTHER)
DATA = Path(__file__).resolve().parent / "data"


@cache
def transition_planning_age() -> int:
    """The age Got Transition's element 4 (transition planning) starts, from the Six Core
    Elements file (14); the state accepts 12+ or 14+."""
    return next(e.start_age for e in transition_elements() if e.id == TRANSITION_PLANNING)


# ---------------------------------------------------------------- scope


def center_code(center: Center) -> str:
    """The center_id the state sees: its DPH region's slug (north-central, eastern…)."""
    return center.region.slug


def centers_by_code(centers) -> dict[str, Center]:
    return {center_code(c): c for c in sorted(centers, key=center_code)}


def identified_centers(center_ids) -> set[int]:
    """Centers whose export is identified. A center without settings is de-identified."""
    return set(ReportingSettings.objects.filter(center_id__in=center_ids, identified=True)
               .values_list("center_id", flat=True))


def reporting_years(today) -> list[FederalFiscalYear]:
    """The current federal fiscal year and every earlier one with an enrollment, newest first."""
    current = FederalFiscalYear.containing(today)
    first = Enrollment.objects.order_by("start_date").values_list("start_date", flat=True).first()
    oldest = FederalFiscalYear.containing(first) if first else current
    return [FederalFiscalYear(y) for y in range(current.year, min(oldest.year, current.year) - 1,
                                                -1)]


# ---------------------------------------------------------------- who was served


def _overlapping(ffy: FederalFiscalYear) -> Q:
    return Q(start_date__lte=ffy.end) & (Q(discharge_date__isnull=True)
                                        | Q(discharge_date__gte=ffy.start))


def served(ffy: FederalFiscalYear, center_ids) -> QuerySet:
    """One Enrollment per (center, child) served in the year: the center's first episode with
    the child that overlaps the year, annotated with first_service_date (the later of its start
    and October 1), age_at_first_service, population_type, cyshcn_flag and coverage_category."""
    earlier = Enrollment.objects.filter(
        _overlapping(ffy), child_id=OuterRef("child_id"), center_id=OuterRef("center_id"),
    ).filter(Q(start_date__lt=OuterRef("start_date"))
             | Q(start_date=OuterRef("start_date"), pk__lt=OuterRef("pk")))
    birthday_not_yet = (Q(service_month__lt=F("birth_month"))
                        | Q(service_month=F("birth_month"), service_day__lt=F("birth_day")))
    return (
        Enrollment.objects.filter(_overlapping(ffy), center_id__in=list(center_ids))
        .filter(~Exists(earlier))
        .annotate(first_service_date=Greatest(F("start_date"), Value(ffy.start),
                                              output_field=DateField()))
        .annotate(service_year=ExtractYear("first_service_date"),
                  service_month=ExtractMonth("first_service_date"),
                  service_day=ExtractDay("first_service_date"),
                  birth_year=ExtractYear("child__date_of_birth"),
                  birth_month=ExtractMonth("child__date_of_birth"),
                  birth_day=ExtractDay("child__date_of_birth"))
        .annotate(age_at_first_service=ExpressionWrapper(
            F("service_year") - F("birth_year")
            - Case(When(birthday_not_yet, then=Value(1)), default=Value(0)),
            output_field=IntegerField()))
        .annotate(
            population_type=Case(
                When(age_at_first_service__lt=1, then=Value(INFANT)),
                When(age_at_first_service__lte=OLDEST_CHILD, then=Value(CHILD)),
                default=Value(OTHER), output_field=CharField()),
            coverage_category=Case(
                *[When(child__insurance_type=code, then=Value(category))
                  for code, (_, category) in coverage.BY_INSURANCE.items()],
                default=Value(coverage.UNKNOWN), output_field=CharField()),
        )
        .annotate(cyshcn_flag=Case(When(population_type__in=[INFANT, CHILD], then=Value(True)),
                                   default=Value(False), output_field=BooleanField()))
    )


def _count(queryset) -> Coalesce:
    return Coalesce(Subquery(queryset.order_by().values("child_id").annotate(n=Count("pk"))
                             .values("n")[:1]), 0)


def _shared_in(ffy: FederalFiscalYear) -> Q:
    return Q(information_shared_on__gte=ffy.start, information_shared_on__lte=ffy.end)


def _connected_by(ffy: FederalFiscalYear) -> Q:
    return Q(status=connection_steps.CONNECTED, outcome_on__lte=ffy.end)


def with_services(qs: QuerySet, ffy: FederalFiscalYear) -> QuerySet:
    """The services and measure flags of each served row (see fields.py for the definitions)."""
    child = OuterRef("child_id")
    shared = OrganizationConnection.objects.filter(_shared_in(ffy), child_id=child)
    return qs.annotate(
        has_identified_medical_home=Case(
            When(Q(child__pcp__isnull=False) | Q(child__pcp_practice__isnull=False),
                 then=Value(True)),
            default=Value(False), output_field=BooleanField()),
        transition_plan_on_file=Exists(ElementCompletion.objects.filter(
            record__child_id=child, element=TRANSITION_PLANNING, done_on__lte=ffy.end)),
        referrals_made=_count(shared),
        referrals_completed=_count(shared.filter(_connected_by(ffy))),
        family_support=Exists(PeerMatch.objects.filter(
            Q(closed_on__isnull=True) | Q(closed_on__gte=ffy.start),
            child_id=child, introduced_on__isnull=False, introduced_on__lte=ffy.end)),
        respite_fund=Exists(CoverageApplication.objects.filter(
            Q(decision=CoverageApplication.Decision.APPROVED, decision_on__gte=ffy.start,
              decision_on__lte=ffy.end)
            | Q(appeal_outcome=CoverageApplication.AppealOutcome.REVERSED,
                appeal_decided_on__gte=ffy.start, appeal_decided_on__lte=ffy.end),
            child_id=child, program=RESPITE_FUNDS)),
    )


def referral_totals(qs: QuerySet, ffy: FederalFiscalYear) -> tuple[int, int]:
    """The sums of the rows' referrals_made and referrals_completed: each referral joined to
    each served row of its child (a child served by two centers is in both rows, as in the
    file). Counted apart because PostgreSQL cannot sum the per-row subqueries."""
    made = OrganizationConnection.objects.filter(_shared_in(ffy),
                                                 child__enrollments__in=qs.values("pk"))
    return made.count(), made.filter(_connected_by(ffy)).count()


# ---------------------------------------------------------------- counts


@dataclass
class Counts:
    """Served rows by center, population type and coverage category (Form 5a's table), by
    coverage program as recorded, and the children counted once across centers."""

    cells: dict[tuple[int, str, str], int] = field(default_factory=dict)
    programs: dict[tuple[int, str], int] = field(default_factory=dict)
    unduplicated: dict[str, int] = field(default_factory=dict)

    def total(self, center_id=None, population_type=None, category=None) -> int:
        return sum(n for (c, p, k), n in self.cells.items()
                   if center_id in (None, c) and population_type in (None, p)
                   and category in (None, k))

    def cyshcn(self, center_id=None, category=None) -> int:
        return (self.total(center_id, INFANT, category)
                + self.total(center_id, CHILD, category))

    def program(self, program, center_id=None) -> int:
        return sum(n for (c, p), n in self.programs.items()
                   if p == program and center_id in (None, c))

    @property
    def unduplicated_total(self) -> int:
        return sum(self.unduplicated.values())

    def table(self, center_id=None) -> list[dict]:
        """Form 5a's layout for one center or all: a row per population type, CSHCN and the
        total, with a count per coverage category."""
        def row(key, label, count):
            total = count(None)
            return {"key": key, "label": label, "total": total,
                    "categories": [count(k) for k in coverage.CATEGORIES],
                    "percents": [percent(count(k), total) for k in coverage.CATEGORIES]}

        rows = [row(p, label, lambda k, p=p: self.total(center_id, p, k))
                for p, label in POPULATION_TYPES.items()]
        rows.append(row("cshcn", "CSHCN (infants and children, 0 through 21)",
                        lambda k: self.cyshcn(center_id, k)))
        rows.append(row("total", "All served", lambda k: self.total(center_id, None, k)))
        return rows


def percent(numerator: int, denominator: int) -> str:
    return f"{100 * numerator / denominator:.1f}" if denominator else ""


def counts(qs: QuerySet) -> Counts:
    result = Counts()
    for row in (qs.values("center_id", "population_type", "coverage_category")
                .annotate(n=Count("pk")).order_by()):
        result.cells[row["center_id"], row["population_type"], row["coverage_category"]] = (
            row["n"])
    for row in qs.values("center_id", "child__insurance_type").annotate(n=Count("pk")).order_by():
        key = row["center_id"], coverage.program(row["child__insurance_type"])
        result.programs[key] = result.programs.get(key, 0) + row["n"]
    for row in (qs.values("coverage_category").annotate(n=Count("child_id", distinct=True))
                .order_by()):
        result.unduplicated[row["coverage_category"]] = row["n"]
    return result


# ---------------------------------------------------------------- measures


@cache
def state_measures() -> tuple[dict, ...]:
    """The Title V measures for CYSHCN care coordination (data/measures.csv, a copy of
    ../shared/reference/titlev/), each with the CareCoord measure that speaks to it, if any."""
    with open(DATA / "measures.csv", newline="", encoding="utf-8") as handle:
        return tuple(row | {"carecoord_measure": MEASURE_LINKS.get(
            (row["generation"], row["measure_id"]), "")} for row in csv.DictReader(handle))


MEDICAL_HOME, TRANSITION, INSURED_MEASURE, REFERRALS = (
    "medical_home_identified", "transition_plan_documented", "insured", "referrals_completed")
# (generation, measure_id) of measures.csv → the programme measure CareCoord can put beside it.
MEASURE_LINKS = {
    ("pre-2016", "NPM 03"): MEDICAL_HOME,
    ("2016-2025", "NPM 11"): MEDICAL_HOME,
    ("2026-2030", "Universal NPM"): MEDICAL_HOME,
    ("pre-2016", "NPM 06"): TRANSITION,
    ("2016-2025", "NPM 12"): TRANSITION,
    ("2026-2030", "NPM (selectable)"): TRANSITION,
    ("pre-2016", "NPM 04"): INSURED_MEASURE,
    ("2016-2025", "NPM 15"): INSURED_MEASURE,
}


def linked_measures(measure_id: str) -> str:
    return "; ".join(f"{m['measure_id']} {m['short_name']} ({m['generation']})"
                     for m in state_measures() if m["carecoord_measure"] == measure_id)


@dataclass(frozen=True)
class Measure:
    id: str
    name: str
    definition: str
    numerator: int
    denominator: int

    @property
    def percent(self) -> str:
        return percent(self.numerator, self.denominator)

    @property
    def linked_to(self) -> str:
        """The Title V measures this programme figure speaks to; it computes none of them."""
        return linked_measures(self.id) or "A state ESM; no national measure"


def measures(qs: QuerySet, ffy: FederalFiscalYear) -> list[Measure]:
    """CareCoord's programme measures (ESM-style) for the year. The national measures of
    measures.csv (NPMs, NOMs) come from the National Survey of Children's Health and are
    pre-populated by HRSA: no center computes them, so these are the programme figures the
    state can put beside them."""
    age = transition_planning_age()
    youth = Q(age_at_first_service__gte=age)
    totals = with_services(qs, ffy).aggregate(
        served=Count("pk"),
        medical_home=Count("pk", filter=Q(has_identified_medical_home=True)),
        youth=Count("pk", filter=youth),
        youth_with_plan=Count("pk", filter=youth & Q(transition_plan_on_file=True)),
        insured=Count("pk", filter=Q(coverage_category__in=INSURED)),
        known_coverage=Count("pk", filter=~Q(coverage_category=coverage.UNKNOWN)),
    )
    totals["referrals_made"], totals["referrals_completed"] = referral_totals(qs, ffy)
    return [
        Measure(MEDICAL_HOME, "Children served with an identified medical home",
                "Served children with a PCP or a PCP practice on their record, of all served.",
                totals["medical_home"], totals["served"]),
        Measure(TRANSITION, f"Youth {age} and older with a transition plan documented",
                f"Served youth aged {age} or more at first service with Got Transition element "
                f"4 (transition planning) recorded by September 30, of served youth {age}+.",
                totals["youth_with_plan"], totals["youth"]),
        Measure(INSURED_MEASURE, "Children served with health coverage",
                "Served children whose coverage is Title XIX, Title XXI or private/other, of "
                "served children whose coverage is known. Any coverage, not the survey's "
                "'adequate and continuous' insurance.",
                totals["insured"], totals["known_coverage"]),
        Measure(REFERRALS, "Referrals completed",
                "Referrals to diagnosis-specific organizations made in the year that were "
                "connected by September 30, of those made in the year.",
                totals["referrals_completed"], totals["referrals_made"]),
    ]


# ---------------------------------------------------------------- validation problems


@dataclass(frozen=True)
class Problem:
    center_id: int
    child_id: int
    field: str
    message: str


INSURED_WITH_ID = [code for code in coverage.BY_INSURANCE if code not in ("uninsured", "other")]

# (field, message, the served rows it applies to). A problem never drops a child from the
# export or the counts: the field goes out empty or "unknown" and the problem is listed.
CHECKS = (
    ("insurance_type", "No insurance type is recorded: the child is counted under unknown "
     "coverage.", ~Q(child__insurance_type__in=list(coverage.BY_INSURANCE))),
    ("insurance_member_id", "No member ID is recorded for the child's insurance.",
     Q(child__insurance_type__in=INSURED_WITH_ID, child__insurance_member_id="")),
    ("zip_code", "No ZIP code is recorded for the household: zip3 is left empty.",
     Q(child__household__zip_code="")),
    ("zip_code", "The household's ZIP code is not a Connecticut ZIP code.",
     ~Q(child__household__zip_code="") & ~Q(child__household__zip_code__regex=CT_ZIP_CODE)),
    # Only while the child is still with the center: after a transfer the town is the new one.
    ("town", "The family's town is outside the region of the center serving the child.",
     Q(child__center_id=F("center_id"))
     & ~Q(child__household__town__region_id=F("center__region_id"))),
    ("date_of_birth", "The date of birth is after the first service date.",
     Q(child__date_of_birth__gt=F("first_service_date"))),
)
FIELD_ORDER = {name: i for i, (name, _, _) in enumerate(CHECKS)}


def problems(qs: QuerySet) -> list[Problem]:
    """Every problem of every served row, by center, child and field (one query a check)."""
    found = []
    for name, message, condition in CHECKS:
        found += [Problem(center_id, child_id, name, message)
                  for center_id, child_id in qs.filter(condition).values_list("center_id",
                                                                              "child_id")]
    return sorted(found, key=lambda p: (p.center_id, p.child_id, FIELD_ORDER[p.field],
                                        p.message))


def child_names(child_ids) -> dict[int, str]:
    return {pk: f"{first} {last}" for pk, first, last in
            Child.objects.filter(pk__in=list(child_ids)).values_list("pk", "first_name",
                                                                      "last_name")}


# ---------------------------------------------------------------- the rows


ROW_VALUES = (
    "center_id", "child_id", "first_service_date", "age_at_first_service", "population_type",
    "cyshcn_flag", "coverage_category", "child__insurance_type", "child__insurance_member_id",
    "child__first_name", "child__last_name", "child__date_of_birth", "child__ethnicity",
    "child__preferred_language__code", "child__household__address_line1",
    "child__household__address_line2", "child__household__zip_code",
    "child__household__town__name", "child__household__town__fips_2022",
    "has_identified_medical_home", "transition_plan_on_file", "referrals_made",
    "referrals_completed", "family_support", "respite_fund",
)


def rows(qs: QuerySet, ffy: FederalFiscalYear) -> list[dict]:
    """The served rows with everything the export's fields read, races as a list of codes."""
    values = list(with_services(qs, ffy).values(*ROW_VALUES).order_by("center_id", "child_id"))
    races: dict[int, list[str]] = {}
    through = Child.races.through.objects.filter(child_id__in=qs.values("child_id"))
    for child_id, code in through.order_by("racecategory__order", "racecategory__code") \
            .values_list("child_id", "racecategory__code"):
        races.setdefault(child_id, []).append(code)
    for row in values:
        row["races"] = races.get(row["child_id"], [])
    return values
