"""A coordinator's task about a child (contacts.Task) as a FHIR Task: what is to be done, by
whom, by when, and whether it was done.

Tasks only, not the care plan's actions: an action is a step of the plan agreed with the family
and is already in CarePlan.activity (with its goal and owner, often the family, a school or an
agency, none of whom are resources here). A task is the center's own to-do, owned by a member
of its staff. No published profile fits: Gravity's Task profiles are for referral management
and for a task the patient does, US Core has none. So a Task claims no profile.

The task's detail and closing note stay in CareCoord, like a contact's notes."""

from . import systems
from .common import (
    center_reference,
    concept,
    instant,
    meta,
    patient_reference,
    reference,
    staff_reference,
)

STATUS = {"open": "ready", "done": "completed", "dismissed": "cancelled"}


def last_updated(task):
    return task.closed_at or task.created_at


def task(task) -> dict:
    """Reads task.child (with center), assigned_to and created_by."""
    label = task.get_kind_display()
    execution = {"start": instant(task.created_at)}
    if task.closed_at:
        execution["end"] = instant(task.closed_at)
    resource = {
        "resourceType": "Task",
        "id": str(task.pk),
        "meta": meta("Task", last_updated(task)),
        "status": STATUS[task.status],
        "intent": "order",
        "code": concept(systems.TASK_KIND, task.kind, label, label),
        "description": task.title,
        "for": patient_reference(task.child),
        "authoredOn": instant(task.created_at),
        "lastModified": instant(last_updated(task)),
        # A task made by the reminder rules has no author: the center asks.
        "requester": staff_reference(task.created_by) if task.created_by_id
        else center_reference(task.child.center),
        "owner": staff_reference(task.assigned_to),
        "executionPeriod": execution,
        "restriction": {"period": {"end": task.due_on.isoformat()}},
    }
    if task.contact_id:
        resource["encounter"] = reference("Encounter", task.contact_id)
    return resource
