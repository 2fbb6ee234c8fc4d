"""A care plan goal as a US Core Goal."""

from . import systems
from .common import concept, meta, need_condition_id, patient_reference, reference, sdoh_category

# Goal.status → lifecycleStatus (and, when there is one, achievementStatus).
LIFECYCLE_STATUS = {"not_started": "planned", "in_progress": "active", "met": "completed",
                    "partly_met": "completed", "not_met": "completed",
                    "discontinued": "cancelled"}
ACHIEVEMENT = {"in_progress": ("in-progress", "In Progress"), "met": ("achieved", "Achieved"),
               "partly_met": ("not-achieved", "Not Achieved"),
               "not_met": ("not-achieved", "Not Achieved")}


def addresses_condition(need) -> bool:
    """A need is a Condition of its own when its domain is a social one (see condition.py)."""
    return need is not None and bool(need.domain.sdoh_category)


def goal(goal) -> dict:
    """Reads goal.plan.child and goal.need.domain."""
    resource = {
        "resourceType": "Goal",
        "id": str(goal.pk),
        # Items of a plan carry no time of their own; every change to one moves its plan's.
        "meta": meta("Goal", goal.plan.updated_at),
        "lifecycleStatus": LIFECYCLE_STATUS[goal.status],
        "description": {"text": goal.statement},
        "subject": patient_reference(goal.plan.child),
        "target": [{"measure": {"text": goal.measure},
                    "dueDate": goal.target_date.isoformat()}],
    }
    if goal.status in ACHIEVEMENT:
        code, display = ACHIEVEMENT[goal.status]
        resource["achievementStatus"] = concept(systems.GOAL_ACHIEVEMENT, code, display,
                                                goal.get_status_display())
    if addresses_condition(goal.need):
        resource["category"] = [sdoh_category(goal.need.domain.sdoh_category)]
        resource["addresses"] = [reference("Condition", need_condition_id(goal.need_id),
                                           goal.need.description[:80])]
    if goal.outcome:
        resource["note"] = [{"text": f"Outcome: {goal.outcome}"}]
    return resource
