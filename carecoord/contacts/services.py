from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carecoord.accounts import policy

from .models import Contact, Participant


@transaction.atomic
def log_contact(*, user, child, contact: Contact, goals=(), actions=()) -> Contact:
    """Record a contact or an attempt, and which goals and actions it moved forward."""
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
    return contact
