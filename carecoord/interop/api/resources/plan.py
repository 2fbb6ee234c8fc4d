"""The shared plan of care: the CarePlan, its Goals, and the Conditions it addresses (the
diagnoses on file and the plan's social needs)."""

from django.db.models import Q

from ... import mapping, selectors
from ...mapping import systems
from ...mapping.careplan import STATUS as CAREPLAN_STATUS
from ...mapping.condition import NEED_CLINICAL_STATUS
from ...mapping.goal import LIFECYCLE_STATUS
from ...query import Parameter, Token
from .base import (
    EVERYTHING,
    ID,
    LAST_UPDATED,
    NOTHING,
    SP,
    AuditTarget,
    Kind,
    Matches,
    date_parameter,
    dated,
    ids,
    patient_parameter,
    plain,
    plain_read,
    prefixed,
    read_either,
    status_parameter,
    statuses,
    token_in,
    where,
)

CAREPLAN_STATUS_SYSTEM = "http://hl7.org/fhir/request-status"
GOAL_STATUS_SYSTEM = "http://hl7.org/fhir/goal-status"
REQUEST_STATUSES = ("draft", "active", "on-hold", "revoked", "completed", "entered-in-error",
                    "unknown")
GOAL_STATUSES = ("proposed", "planned", "accepted", "active", "on-hold", "completed",
                 "cancelled", "entered-in-error", "rejected")
CLINICAL_STATUSES = ("active", "recurrence", "relapse", "inactive", "remission", "resolved")

# ---------------------------------------------------------------- CarePlan


def _careplan_status(token: Token) -> Q:
    open_plans = statuses(CAREPLAN_STATUS_SYSTEM, CAREPLAN_STATUS, "status")(token)
    finished = NOTHING
    if token.matches(CAREPLAN_STATUS_SYSTEM, "completed"):
        finished = Q(enrollment__discharge_date__isnull=False)
    return (open_plans & Q(enrollment__discharge_date__isnull=True)) | finished


def _search_care_plans(practice_id: int, f: dict) -> Matches:
    category = token_in({(systems.CAREPLAN_CATEGORY, "assess-plan"): EVERYTHING})
    period = dated("enrollment__start_date", "enrollment__discharge_date", dates=True,
                   open_end=True)
    return Matches(selectors.care_plans(practice_id).filter(
        where(f, "_id", ids(plain))
        & where(f, "patient", ids(plain, "child_id"))
        & where(f, "status", _careplan_status)
        & where(f, "category", category)
        & where(f, "date", period)
        & where(f, "_lastUpdated", dated("updated_at"))))


CARE_PLAN = Kind(
    "CarePlan",
    {"_id": ID, "patient": patient_parameter(),
     "status": status_parameter(f"{SP}CarePlan-status",
                                "draft (being written or reviewed with the family), active "
                                "(agreed), completed (the enrollment has ended).",
                                REQUEST_STATUSES),
     "category": Parameter("category", "token", f"{SP}CarePlan-category",
                           f"Every plan is {systems.CAREPLAN_CATEGORY}|assess-plan."),
     "date": date_parameter("date", f"{SP}clinical-date",
                            "The plan's period: the enrollment, from its start to its "
                            "discharge (open while enrolled)"),
     "_lastUpdated": LAST_UPDATED},
    _search_care_plans, plain_read(selectors.care_plans, plain), mapping.care_plan,
    lambda p: AuditTarget("careplans.careplan", p.pk, p.child_id, p.center_id),
    includes={"CarePlan:goal": "Goal"},
    profiles=(systems.PROFILES["CarePlan"],),
)


# ---------------------------------------------------------------- Goal


def _search_goals(practice_id: int, f: dict) -> Matches:
    status = statuses(GOAL_STATUS_SYSTEM, LIFECYCLE_STATUS, "status")
    return Matches(selectors.goals(practice_id).filter(
        where(f, "_id", ids(plain))
        & where(f, "patient", ids(plain, "plan__child_id"))
        & where(f, "lifecycle-status", status)
        & where(f, "_lastUpdated", dated("plan__updated_at"))))


GOAL = Kind(
    "Goal",
    {"_id": ID, "patient": patient_parameter(),
     "lifecycle-status": Parameter("lifecycle-status", "token", f"{SP}Goal-lifecycle-status",
                                   "planned (not started), active, completed or cancelled.",
                                   codes=GOAL_STATUSES),
     "_lastUpdated": LAST_UPDATED},
    _search_goals, plain_read(selectors.goals, plain), mapping.goal,
    lambda g: AuditTarget("careplans.goal", g.pk, g.plan.child_id, g.plan.center_id),
    profiles=(systems.PROFILES["Goal"],),
)


# ---------------------------------------------------------------- Condition


def _need_category(token: Token) -> Q:
    fixed = token_in({(systems.US_CORE_CONDITION_CATEGORY, "health-concern"): EVERYTHING,
                      (systems.US_CORE_CATEGORY, "sdoh"): EVERYTHING})(token)
    if token.system in (None, systems.SDOH_CATEGORY) and token.code is not None:
        return fixed | Q(domain__sdoh_category=token.code)
    if token.system == systems.SDOH_CATEGORY:
        return EVERYTHING
    return fixed


def _search_conditions(practice_id: int, f: dict) -> Matches:
    clinical = systems.CONDITION_CLINICAL
    diagnoses = selectors.diagnoses(practice_id).filter(
        where(f, "_id", ids(prefixed("diagnosis")))
        & where(f, "patient", ids(plain, "child_id"))
        & where(f, "category", token_in({(systems.CONDITION_CATEGORY, "problem-list-item"):
                                         EVERYTHING}))
        & where(f, "clinical-status", token_in({(clinical, "active"): EVERYTHING})))
    needs = selectors.social_needs(practice_id).filter(
        where(f, "_id", ids(prefixed("need")))
        & where(f, "patient", ids(plain, "plan__child_id"))
        & where(f, "category", _need_category)
        & where(f, "clinical-status", statuses(clinical, NEED_CLINICAL_STATUS, "status")))
    return Matches(diagnoses, needs)


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
    {"_id": ID, "patient": patient_parameter(),
     "category": Parameter("category", "token", f"{SP}Condition-category",
                           "problem-list-item (diagnoses on file), health-concern or sdoh "
                           "(social needs of the care plan), or a Gravity SDOH category code."),
     "clinical-status": Parameter("clinical-status", "token", f"{SP}Condition-clinical-status",
                                  "active, resolved or inactive.", codes=CLINICAL_STATUSES)},
    _search_conditions,
    read_either(("diagnosis", selectors.diagnoses), ("need", selectors.social_needs)),
    _condition, _audit_condition,
    profiles=(systems.PROFILES["Condition"],),
)
