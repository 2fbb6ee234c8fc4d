from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carecoord.accounts import policy

from .models import Contact, Participant, Task


@transaction.atomic
def log_contact(*, user, child, contact: Contact, goals=(), actions=(), follow_up_on=None,
                follow_up=""):
    """Record a contact or an attempt, which goals and actions it moved forward, and the
    follow-up it calls for (a task on the coordinator's day)."""
    if not policy.can_edit_child(user, child):
        raise PermissionDenied("You cannot log contacts for this child.")
    if contact.occurred_at > timezone.now() + timezone.timedelta(minutes=5):
        raise ValidationError({"occurred_at": "The contact is in the future."})
    if Participant.INTERPRETER in contact.participants and not contact.interpreter_language_id:
        raise ValidationError({"interpreter_language": "Say which language was interpreted."})
    if contact.guardian_id and contact.guardian.household_id != child.household_id:
        raise ValidationError({"guardian": "Choose a guardian of this child's household."})
    plan_ids = {g.plan_id for g in goals} | {a.plan_id for a in actions}
    if plan_ids - set(child.care_plans.values_list("pk", flat=True)):
        raise ValidationError({"actions": "Choose goals and actions of this child's plan."})
    contact.child = child
    contact.staff = user
    contact.enrollment = child.enrollments.filter(discharge_date__isnull=True).first()
    contact.full_clean()
    contact.save()
    contact.goals.set(goals)
    contact.actions.set(actions)
    if follow_up_on:
        if follow_up_on < timezone.localdate():
            raise ValidationError({"follow_up_on": "The follow-up date has passed."})
        title = follow_up.strip() or f"Follow up on the {contact.get_channel_display().lower()}"
        add_task(user=user, child=child, kind=Task.Kind.FOLLOW_UP, due_on=follow_up_on,
                 title=title, contact=contact)
    return contact


@transaction.atomic
def add_task(*, user, child, title: str, due_on, detail: str = "", assigned_to=None,
             kind: str = Task.Kind.OTHER, contact: Contact | None = None) -> Task:
    if not policy.can_edit_child(user, child):
        raise PermissionDenied("You cannot add tasks for this child.")
    assignee = assigned_to or user
    if assignee.center_id != child.center_id:
        raise ValidationError({"assigned_to": "Assign the task to someone at the child's "
                                              "center."})
    task = Task(child=child, assigned_to=assignee, kind=kind, title=title, detail=detail,
                due_on=due_on, created_by=user, contact=contact)
    task.full_clean()
    task.save()
    return task


@transaction.atomic
def close_task(*, user, task: Task, status: str, note: str = "") -> Task:
    task = Task.objects.select_for_update().select_related("child").get(pk=task.pk)
    if not policy.can_edit_child(user, task.child):
        raise PermissionDenied("You cannot close this task.")
    if task.status != Task.Status.OPEN:
        raise ValidationError("This task is already closed.")
    if status == Task.Status.DISMISSED and not note.strip():
        raise ValidationError({"note": "Say why the task is dismissed."})
    if status not in (Task.Status.DONE, Task.Status.DISMISSED):
        raise ValidationError({"status": "A task is closed as done or dismissed."})
    task.status, task.closed_note, task.closed_at = status, note.strip(), timezone.now()
    task.full_clean()
    task.save()
    return task


def answer_reminders(*, child, rule_prefix: str, note: str) -> int:
    """Close the open reminders a change has answered (the overdue action now done, the
    review now agreed), so they leave the coordinator's day. Saved one by one: audited."""
    answered = 0
    for task in Task.objects.filter(child=child, status=Task.Status.OPEN,
                                    rule_key__startswith=rule_prefix):
        task.status, task.closed_at, task.closed_note = Task.Status.DONE, timezone.now(), note
        task.save()
        answered += 1
    return answered
