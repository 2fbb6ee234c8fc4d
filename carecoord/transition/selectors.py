from django.utils import timezone

from carecoord.families import selectors as family_selectors

from . import progress
from .models import TransitionRecord


def transition_for_child(user, child_id: int):
    """(child, record or None, element states), or 404 when the child is out of scope."""
    child = family_selectors.child_record(user, child_id)
    record = (TransitionRecord.objects.filter(child=child)
              .select_related("adult_practice").prefetch_related("completions__recorded_by")
              .first())
    completions = list(record.completions.all()) if record else []
    latest = {}
    for completion in completions:  # ordered by date: the latest wins
        latest[completion.element] = completion.done_on
    states = progress.progress(child.date_of_birth, timezone.localdate(), latest,
                               record.last_pediatric_visit_on if record else None)
    return child, record, states, completions
