"""What the API serves, type by type: the search parameters each supports, what they match,
how one resource is found by id, and what its read is recorded as in the audit log. The
CapabilityStatement is written from this table, so it says exactly what is implemented."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from .. import mapping, selectors
from ..mapping import common, systems
from ..mapping.careplan import STATUS as CAREPLAN_STATUS
from ..mapping.condition import NEED_CLINICAL_STATUS
from ..mapping.goal import LIFECYCLE_STATUS
from ..query import Parameter, Period, Token

NOTHING = Q(pk__in=[])
# Not Q(): Django drops an empty Q from an OR, and here "every row" must survive one.
EVERYTHING = ~NOTHING
SP = "http://hl7.org/fhir/SearchParameter/"

ID = Parameter("_id", "token", f"{SP}Resource-id", "The resource's logical id; several "
               "separated by commas.")
LAST_UPDATED = Parameter("_lastUpdated", "date", f"{SP}Resource-lastUpdated",
                         "When the resource last changed (meta.lastUpdated); prefixes ge, gt, "
                         "le, lt, eq.")


def _patient(definition: str) -> Parameter:
    return Parameter("patient", "reference", definition, "The child: 123, Patient/123 or the "
                     "Patient's URL.", target="Patient")


CAREPLAN_STATUS_SYSTEM = "http://hl7.org/fhir/request-status"
GOAL_STATUS_SYSTEM = "http://hl7.org/fhir/goal-status"
REQUEST_STATUSES = ("draft", "active", "on-hold", "revoked", "completed", "entered-in-error",
                    "unknown")
GOAL_STATUSES = ("proposed", "planned", "accepted", "active", "on-hold", "completed",
                 "cancelled", "entered-in-error", "rejected")
CLINICAL_STATUSES = ("active", "recurrence", "relapse", "inactive", "remission", "resolved")


@dataclass(frozen=True)
class AuditTarget:
    object_type: str
    object_id: int
    child_id: int | None
    center_id: int | None


class Matches:
    """The results of a search, counted and read a page at a time, in a stable order."""

    def __init__(self, *querysets: QuerySet, load: Callable[[list], list] | None = None):
        self.querysets = querysets
        self.load = load or (lambda rows: rows)

    def count(self) -> int:
        return sum(qs.count() for qs in self.querysets)

    def page(self, offset: int, limit: int) -> list:
        rows = []
        for qs in self.querysets:
            if limit <= len(rows):
                break
            size = qs.count() if len(self.querysets) > 1 else None
            if size is not None and offset >= size:
                offset -= size
                continue
            taken = list(qs[offset:offset + limit - len(rows)])
            rows += self.load(taken)
            offset = 0
        return rows


@dataclass(frozen=True)
class Kind:
    type: str
    parameters: dict[str, Parameter]
    # (practice id, {parameter: [[OR-ed values] per occurrence]}) → Matches
    search: Callable[[int, dict], Matches]
    # (practice id, id) → the domain object, or None (missing and out of scope alike)
    read: Callable[[int, str], object | None]
    to_fhir: Callable[[object], dict]
    audit: Callable[[object], AuditTarget]
    includes: dict[str, str] = field(default_factory=dict)


def _where(filters: dict, name: str, one: Callable[[object], Q]) -> Q:
    """AND over the occurrences of a parameter, OR over the values of each."""
    result = Q()
    for alternatives in filters.get(name, []):
        if alternatives:
            either = NOTHING
            for value in alternatives:
                either |= one(value)
            result &= either
    return result


def _in_period(field_name: str) -> Callable[[Period], Q]:
    def one(period: Period) -> Q:
        q = Q()
        if period.start is not None:
            q &= Q(**{f"{field_name}__gte": period.start})
        if period.end is not None:
            q &= Q(**{f"{field_name}__lt": period.end})
        return q
    return one


def _ids(parse: Callable[[str], int | None], field_name: str = "pk") -> Callable[[str], Q]:
    def one(value: str) -> Q:
        number = parse(value)
        return Q(**{field_name: number}) if number else NOTHING
    return one


def _token_in(codes: dict[tuple[str, str], Q]) -> Callable[[Token], Q]:
    """A token parameter whose every (system, code) this server writes is listed with the rows
    it stands for."""
    def one(token: Token) -> Q:
        either = NOTHING
        for (system, code), q in codes.items():
            if token.matches(system, code):
                either |= q
        return either
    return one


def _statuses(system: str, mapped: dict[str, str], field_name: str) -> Callable[[Token], Q]:
    """A status token, matched through the mapping's own table (domain status → FHIR code)."""
    return _token_in({(system, code): Q(**{f"{field_name}__in": [
        ours for ours, theirs in mapped.items() if theirs == code]})
        for code in set(mapped.values())})


# ---------------------------------------------------------------- Patient


def _search_patients(practice_id: int, f: dict) -> Matches:
    return Matches(selectors.patients(practice_id).filter(
        _where(f, "_id", _ids(common.parse_plain_id))
        & _where(f, "_lastUpdated", _in_period("updated_at"))))


def _read_patient(practice_id: int, resource_id: str):
    pk = common.parse_plain_id(resource_id)
    return selectors.patients(practice_id).filter(pk=pk).first() if pk else None


PATIENT = Kind(
    "Patient", {"_id": ID, "_lastUpdated": LAST_UPDATED}, _search_patients, _read_patient,
    mapping.patient, lambda c: AuditTarget("families.child", c.pk, c.pk, c.center_id))


# ---------------------------------------------------------------- RelatedPerson


def _search_related(practice_id: int, f: dict) -> Matches:
    def one_id(value: str) -> Q:
        pair = common.parse_related_person_id(value)
        return Q(household__guardians__pk=pair[0], pk=pair[1]) if pair else NOTHING

    pairs = selectors.guardian_pairs(practice_id, _where(f, "_id", one_id)
                                     & _where(f, "patient", _ids(common.parse_plain_id)))
    return Matches(pairs, load=selectors.guardians_of)


def _read_related(practice_id: int, resource_id: str):
    pair = common.parse_related_person_id(resource_id)
    if pair is None:
        return None
    found = list(selectors.guardian_pairs(practice_id, Q(household__guardians__pk=pair[0],
                                                        pk=pair[1])))
    return selectors.guardians_of(found)[0] if found else None


RELATED_PERSON = Kind(
    "RelatedPerson",
    {"_id": ID, "patient": _patient(f"{SP}RelatedPerson-patient")},
    _search_related, _read_related,
    lambda pair: mapping.related_person(pair.guardian, pair.child),
    lambda pair: AuditTarget("families.guardian", pair.guardian.pk, pair.child.pk,
                             pair.child.center_id))


# ---------------------------------------------------------------- Practitioner


def _search_practitioners(practice_id: int, f: dict) -> Matches:
    return Matches(selectors.clinicians(practice_id).filter(
        _where(f, "_id", _ids(common.parse_plain_id))))


def _read_practitioner(practice_id: int, resource_id: str):
    pk = common.parse_plain_id(resource_id)
    return selectors.clinicians(practice_id).filter(pk=pk).first() if pk else None


PRACTITIONER = Kind(
    "Practitioner", {"_id": ID}, _search_practitioners, _read_practitioner,
    mapping.practitioner, lambda c: AuditTarget("families.clinician", c.pk, None, None))


# ---------------------------------------------------------------- Organization


def _organization_id(prefix: str) -> Callable[[str], int | None]:
    return lambda value: common.parse_prefixed_id(value, prefix)


def _search_organizations(practice_id: int, f: dict) -> Matches:
    return Matches(
        selectors.practices(practice_id).filter(_where(f, "_id", _ids(_organization_id(
            "practice")))),
        selectors.centers(practice_id).filter(_where(f, "_id", _ids(_organization_id(
            "center")))),
    )


def _read_organization(practice_id: int, resource_id: str):
    for prefix, rows in (("practice", selectors.practices), ("center", selectors.centers)):
        pk = common.parse_prefixed_id(resource_id, prefix)
        if pk:
            return rows(practice_id).filter(pk=pk).first()
    return None


def _organization(org) -> dict:
    if org._meta.model_name == "practice":
        return mapping.practice_organization(org)
    return mapping.center_organization(org)


def _audit_organization(org) -> AuditTarget:
    if org._meta.model_name == "practice":
        return AuditTarget("families.practice", org.pk, None, None)
    return AuditTarget("accounts.center", org.pk, None, org.pk)


ORGANIZATION = Kind("Organization", {"_id": ID}, _search_organizations, _read_organization,
                    _organization, _audit_organization)


# ---------------------------------------------------------------- CarePlan


def _careplan_status(token: Token) -> Q:
    open_plans = _statuses(CAREPLAN_STATUS_SYSTEM, CAREPLAN_STATUS, "status")(token)
    finished = NOTHING
    if token.matches(CAREPLAN_STATUS_SYSTEM, "completed"):
        finished = Q(enrollment__discharge_date__isnull=False)
    return (open_plans & Q(enrollment__discharge_date__isnull=True)) | finished


def _search_care_plans(practice_id: int, f: dict) -> Matches:
    category = _token_in({(systems.CAREPLAN_CATEGORY, "assess-plan"): EVERYTHING})
    return Matches(selectors.care_plans(practice_id).filter(
        _where(f, "_id", _ids(common.parse_plain_id))
        & _where(f, "patient", _ids(common.parse_plain_id, "child_id"))
        & _where(f, "status", _careplan_status)
        & _where(f, "category", category)
        & _where(f, "_lastUpdated", _in_period("updated_at"))))


def _read_care_plan(practice_id: int, resource_id: str):
    pk = common.parse_plain_id(resource_id)
    return selectors.care_plans(practice_id).filter(pk=pk).first() if pk else None


CARE_PLAN = Kind(
    "CarePlan",
    {"_id": ID, "patient": _patient(f"{SP}clinical-patient"),
     "status": Parameter("status", "token", f"{SP}CarePlan-status",
                         "draft (being written or reviewed with the family), active (agreed), "
                         "completed (the enrollment has ended).", codes=REQUEST_STATUSES),
     "category": Parameter("category", "token", f"{SP}CarePlan-category",
                           f"Every plan is {systems.CAREPLAN_CATEGORY}|assess-plan."),
     "_lastUpdated": LAST_UPDATED},
    _search_care_plans, _read_care_plan, mapping.care_plan,
    lambda p: AuditTarget("careplans.careplan", p.pk, p.child_id, p.center_id),
    includes={"CarePlan:goal": "Goal"},
)


# ---------------------------------------------------------------- Goal


def _search_goals(practice_id: int, f: dict) -> Matches:
    status = _statuses(GOAL_STATUS_SYSTEM, LIFECYCLE_STATUS, "status")
    return Matches(selectors.goals(practice_id).filter(
        _where(f, "_id", _ids(common.parse_plain_id))
        & _where(f, "patient", _ids(common.parse_plain_id, "plan__child_id"))
        & _where(f, "lifecycle-status", status)
        & _where(f, "_lastUpdated", _in_period("plan__updated_at"))))


def _read_goal(practice_id: int, resource_id: str):
    pk = common.parse_plain_id(resource_id)
    return selectors.goals(practice_id).filter(pk=pk).first() if pk else None


GOAL = Kind(
    "Goal",
    {"_id": ID, "patient": _patient(f"{SP}clinical-patient"),
     "lifecycle-status": Parameter("lifecycle-status", "token", f"{SP}Goal-lifecycle-status",
                                   "planned (not started), active, completed or cancelled.",
                                   codes=GOAL_STATUSES),
     "_lastUpdated": LAST_UPDATED},
    _search_goals, _read_goal, mapping.goal,
    lambda g: AuditTarget("careplans.goal", g.pk, g.plan.child_id, g.plan.center_id),
)


# ---------------------------------------------------------------- Condition


def _need_category(token: Token) -> Q:
    fixed = _token_in({(systems.US_CORE_CONDITION_CATEGORY, "health-concern"): EVERYTHING,
                       (systems.US_CORE_CATEGORY, "sdoh"): EVERYTHING})(token)
    if token.system in (None, systems.SDOH_CATEGORY) and token.code is not None:
        return fixed | Q(domain__sdoh_category=token.code)
    if token.system == systems.SDOH_CATEGORY:
        return EVERYTHING
    return fixed


def _search_conditions(practice_id: int, f: dict) -> Matches:
    clinical = systems.CONDITION_CLINICAL
    diagnoses = selectors.diagnoses(practice_id).filter(
        _where(f, "_id", _ids(_condition_id("diagnosis")))
        & _where(f, "patient", _ids(common.parse_plain_id, "child_id"))
        & _where(f, "category", _token_in({(systems.CONDITION_CATEGORY, "problem-list-item"):
                                           EVERYTHING}))
        & _where(f, "clinical-status", _token_in({(clinical, "active"): EVERYTHING})))
    needs = selectors.social_needs(practice_id).filter(
        _where(f, "_id", _ids(_condition_id("need")))
        & _where(f, "patient", _ids(common.parse_plain_id, "plan__child_id"))
        & _where(f, "category", _need_category)
        & _where(f, "clinical-status", _statuses(
            clinical, NEED_CLINICAL_STATUS, "status")))
    return Matches(diagnoses, needs)


def _condition_id(prefix: str) -> Callable[[str], int | None]:
    return lambda value: common.parse_prefixed_id(value, prefix)


def _read_condition(practice_id: int, resource_id: str):
    for prefix, rows in (("diagnosis", selectors.diagnoses), ("need", selectors.social_needs)):
        pk = common.parse_prefixed_id(resource_id, prefix)
        if pk:
            return rows(practice_id).filter(pk=pk).first()
    return None


def _condition(row) -> dict:
    if row._meta.model_name == "diagnosis":
        return mapping.diagnosis_condition(row)
    return mapping.need_condition(row)


def _audit_condition(row) -> AuditTarget:
    if row._meta.model_name == "diagnosis":
        return AuditTarget("families.diagnosis", row.pk, row.child_id, row.child.center_id)
    return AuditTarget("careplans.need", row.pk, row.plan.child_id, row.plan.center_id)


CONDITION = Kind(
    "Condition",
    {"_id": ID, "patient": _patient(f"{SP}clinical-patient"),
     "category": Parameter("category", "token", f"{SP}Condition-category",
                           "problem-list-item (diagnoses on file), health-concern or sdoh "
                           "(social needs of the care plan), or a Gravity SDOH category code."),
     "clinical-status": Parameter("clinical-status", "token", f"{SP}Condition-clinical-status",
                                  "active, resolved or inactive.", codes=CLINICAL_STATUSES)},
    _search_conditions, _read_condition, _condition, _audit_condition,
)


KINDS = {kind.type: kind for kind in (PATIENT, RELATED_PERSON, PRACTITIONER, ORGANIZATION,
                                       CARE_PLAN, GOAL, CONDITION)}
