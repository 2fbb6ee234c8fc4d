import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carecoord.accounts import policy
from carecoord.contacts.services import answer_reminders

from .models import ElementCompletion, TransitionRecord
from .progress import TRANSFER, element_ids


def _require_editor(user, child):
    if not policy.can_edit_child(user, child):
        raise PermissionDenied("You cannot change this youth's transition record.")


@transaction.atomic
def start_transition(*, user, child) -> TransitionRecord:
    _require_editor(user, child)
    record, _ = TransitionRecord.objects.get_or_create(child=child)
    return record


@transaction.atomic
def record_element(*, user, child, element: str, done_on: datetime.date,
                   note: str = "") -> ElementCompletion:
    """Record that a core element was done. The transfer needs the adult clinician named
    first, and its completion can only follow it."""
    _require_editor(user, child)
    if element not in element_ids():
        raise ValidationError({"element": "Choose one of the Six Core Elements."})
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": "The date is in the future."})
    if done_on < child.date_of_birth:
        raise ValidationError({"done_on": "The date is before the youth was born."})
    record = TransitionRecord.objects.select_for_update().get_or_create(child=child)[0]
    if element == TRANSFER and not (record.adult_clinician or record.adult_practice_id):
        raise ValidationError({"element": "Name the adult clinician or practice taking over "
                                          "before recording the transfer."})
    if element == "transfer_completion":
        transfer = record.completions.filter(element=TRANSFER).order_by("-done_on").first()
        if transfer is None or done_on < transfer.done_on:
            raise ValidationError({"done_on": "Transfer completion is confirmed after the "
                                              "transfer of care is recorded."})
    completion = ElementCompletion(record=record, element=element, done_on=done_on,
                                   note=note.strip(), recorded_by=user)
    completion.full_clean()
    completion.save()
    # The reminder for this element is answered: it leaves the coordinator's day.
    answer_reminders(child=child, rule_prefix=f"transition:{child.pk}:{element}:",
                     note="Recorded on the transition page.")
    if element == TRANSFER and record.last_pediatric_visit_on is None:
        record.last_pediatric_visit_on = done_on
        record.version += 1
        record.save()
    return completion
