from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from carecoord.accounts import policy
from carecoord.audit.services import record_view
from carecoord.families.forms import show_refusal
from carecoord.families.views import edit_versioned_record

from . import selectors, services
from .forms import ElementCompletionForm, TransitionRecordForm
from .models import TransitionRecord
from .progress import age_on


def transition_detail(request, child_id, form=None):
    """The youth's Six Core Elements: what is done, due or overdue for their age."""
    child, record, states, completions = selectors.transition_for_child(request.user, child_id)
    record_view(record or child)
    can_edit = policy.can_edit_child(request.user, child)
    next_due = next((s for s in states if s.needs_doing), None)
    form = form or ElementCompletionForm(initial={
        "done_on": timezone.localdate(), "element": next_due.element.id if next_due else None})
    return render(request, "transition/transition_detail.html", {
        "child": child, "record": record, "states": states, "completions": completions,
        "age": age_on(child.date_of_birth, timezone.localdate()), "can_edit": can_edit,
        "form": form if can_edit else None,
    }, status=400 if form.is_bound else 200)


@require_POST
def transition_element(request, child_id):
    child, *_ = selectors.transition_for_child(request.user, child_id)
    if not policy.can_edit_child(request.user, child):
        raise Http404
    form = ElementCompletionForm(request.POST)
    if form.is_valid():
        try:
            completion = services.record_element(user=request.user, child=child,
                                                 **form.cleaned_data)
            names = dict(form.fields["element"].choices)
            messages.success(request, f"Recorded: {names[completion.element]}.")
            return redirect("transition", child_id=child.pk)
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    return transition_detail(request, child_id, form=form)


def transition_edit(request, child_id):
    child, record, *_ = selectors.transition_for_child(request.user, child_id)
    if not policy.can_edit_child(request.user, child):
        raise Http404
    if record is None and request.method == "POST":
        record = services.start_transition(user=request.user, child=child)
    record = record or TransitionRecord(child=child)
    return edit_versioned_record(
        request, child, record, TransitionRecordForm,
        {"title": f"Transfer to adult care: {child.full_name}"},
        done_url=reverse("transition", args=[child.pk]))
