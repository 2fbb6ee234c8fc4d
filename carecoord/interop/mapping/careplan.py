"""The family's care plan as a US Core CarePlan: the anchor of the shared plan of care."""

from . import systems
from .common import (
    center_reference,
    concept,
    diagnosis_condition_id,
    escape,
    meta,
    narrative,
    need_condition_id,
    patient_reference,
    reference,
)
from .goal import addresses_condition

# CarePlan.status comes from the plan's own status; a plan of a closed enrollment is over.
STATUS = {"draft": "draft", "in_review": "draft", "agreed": "active"}
ACTIVITY_STATUS = {"to_do": "not-started", "in_progress": "in-progress", "done": "completed",
                   "cancelled": "cancelled"}


def status(plan) -> str:
    if plan.enrollment.discharge_date is not None:
        return "completed"
    return STATUS[plan.status]


def _activity(action) -> dict:
    performer = action.get_owner_display() + (f": {action.owner_name}"
                                              if action.owner_name else "")
    detail = {
        "status": ACTIVITY_STATUS[action.status],
        "description": action.description,
        "goal": [reference("Goal", action.goal_id)],
        "scheduledPeriod": {"end": action.due_on.isoformat()},
        "performer": [{"display": performer}],
    }
    activity = {"detail": detail}
    if action.completed_on:
        activity["progress"] = [{"text": f"Done on {action.completed_on.isoformat()}."}]
    return activity


def _priority_note(priority) -> dict:
    text = priority.text
    if priority.translation:
        text += f"\n\n(Staff translation into English: {priority.translation})"
    return {"authorString": str(priority.voiced_by) if priority.voiced_by_id else "The family",
            "text": text}


def _items(title: str, lines: list[str]) -> str:
    if not lines:
        return ""
    return f"<h3>{escape(title)}</h3><ul>" + "".join(f"<li>{line}</li>" for line in lines) + \
        "</ul>"


def _text(plan, priorities, needs, goals, actions, strengths) -> dict:
    version = plan.current_version
    state = plan.get_status_display()
    if version is not None:
        state += f" (version {version.number} agreed on {version.agreed_on.isoformat()})"
    return narrative(
        f"<p><b>Care plan for {escape(plan.child.full_name)}</b> — {escape(plan.center.name)}"
        f"</p><p>{escape(state)}</p>",
        _items("The family's priorities, in their words",
               [escape(p.text) for p in priorities]),
        _items("Needs", [f"{escape(n.domain.label)}: {escape(n.description)} "
                         f"({escape(n.get_status_display())})" for n in needs]),
        _items("Goals", [f"{escape(g.statement)} — target: {escape(g.measure)}, by "
                         f"{g.target_date.isoformat()} ({escape(g.get_status_display())})"
                         for g in goals]),
        _items("Actions", [f"{escape(a.description)} — {escape(a.get_owner_display())}, by "
                           f"{a.due_on.isoformat()} ({escape(a.get_status_display())})"
                           for a in actions]),
        _items("Strengths", [escape(s.text) for s in strengths]),
    )


def care_plan(plan) -> dict:
    """Reads plan.child (with its diagnoses), enrollment, center, current_version, priorities
    (with voiced_by), strengths, needs (with domain), goals and actions."""
    priorities = list(plan.priorities.all())
    needs, goals = list(plan.needs.all()), list(plan.goals.all())
    actions, strengths = list(plan.actions.all()), list(plan.strengths.all())
    addresses = [reference("Condition", diagnosis_condition_id(d.pk),
                           d.description or d.code) for d in plan.child.diagnoses.all()]
    addresses += [reference("Condition", need_condition_id(n.pk), n.description[:80])
                  for n in needs if addresses_condition(n)]
    period = {"start": plan.enrollment.start_date.isoformat()}
    if plan.enrollment.discharge_date:
        period["end"] = plan.enrollment.discharge_date.isoformat()
    resource = {
        "resourceType": "CarePlan",
        "id": str(plan.pk),
        "meta": meta("CarePlan", plan.updated_at),
        "text": _text(plan, priorities, needs, goals, actions, strengths),
        "status": status(plan),
        "intent": "plan",
        "category": [concept(systems.CAREPLAN_CATEGORY, "assess-plan",
                             "Assessment and Plan of Treatment",
                             "Shared plan of care (care coordination)")],
        "title": f"Shared plan of care for {plan.child.full_name}",
        "subject": patient_reference(plan.child),
        "period": period,
        "created": plan.created_at.isoformat(timespec="seconds"),
        "author": center_reference(plan.center),
    }
    if addresses:
        resource["addresses"] = addresses
    if goals:
        resource["goal"] = [reference("Goal", g.pk, g.statement[:80]) for g in goals]
    if actions:
        resource["activity"] = [_activity(a) for a in actions]
    if priorities:
        resource["note"] = [_priority_note(p) for p in priorities]
    return resource
