from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from carecoord.accounts import policy
from carecoord.audit.services import record_list
from carecoord.families.forms import apply_form, show_refusal
from carecoord.families.views import edit_versioned_record

from . import selectors, services
from .forms import (
    AdvocacyForm,
    MeetingForm,
    MeetingRecordForm,
    SchoolSupportEditForm,
    SchoolSupportForm,
)


def _editable(request, child_id):
    child, supports = selectors.school_supports_for_child(request.user, child_id)
    if not policy.can_edit_child(request.user, child):
        raise Http404
    return child, supports


def _answer(request, child, form, key, write):
    return apply_form(request, form, write, reverse("school-supports", args=[child.pk]),
                      lambda bound: school_list(request, child.pk, bound={key: bound}))


def school_list(request, child_id, bound=None):
    """The child's school supports: where each stands, its meetings, what to do next."""
    child, supports = selectors.school_supports_for_child(request.user, child_id)
    record_list("education.schoolsupport", [s.pk for s in supports], center_id=child.center_id,
                child_id=child.pk)
    can_edit = policy.can_edit_child(request.user, child)
    today = timezone.localdate()
    bound = bound or {}
    for support in supports:
        support.meeting_form = bound.get(("meeting", support.pk)) or MeetingForm(
            prefix=f"meeting-{support.pk}")
        support.advocacy_form = bound.get(("advocacy", support.pk)) or AdvocacyForm(
            prefix=f"advocacy-{support.pk}", initial={"referred_on": today})
        for meeting in support.meetings.all():
            meeting.record_form = bound.get(("record", meeting.pk)) or MeetingRecordForm(
                instance=meeting, prefix=f"record-{meeting.pk}")
    return render(request, "education/school_list.html", {
        "child": child, "supports": supports, "can_edit": can_edit, "today": today,
    }, status=400 if bound else 200)


def school_new(request, child_id):
    child, _ = _editable(request, child_id)
    form = SchoolSupportForm(request.POST or None, child=child,
                             initial={"requested_on": timezone.localdate(),
                                      "school": child.school_name})
    if request.method == "POST" and form.is_valid():
        try:
            services.open_support(user=request.user, child=child,
                                  support=form.save(commit=False))
            messages.success(request, "School support opened.")
            return redirect("school-supports", child_id=child.pk)
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    return render(request, "families/record_edit.html", {
        "child": child, "form": form, "title": f"Support {child.full_name} at school"},
        status=400 if request.method == "POST" else 200)


def school_edit(request, child_id, support_id):
    child, supports = _editable(request, child_id)
    support = selectors.support_of(supports, support_id)
    return edit_versioned_record(request, child, support, SchoolSupportEditForm,
                                 {"title": f"{support} for {child.full_name}"},
                                 done_url=reverse("school-supports", args=[child.pk]))


@require_POST
def meeting_new(request, child_id, support_id):
    child, supports = _editable(request, child_id)
    support = selectors.support_of(supports, support_id)
    form = MeetingForm(request.POST, prefix=f"meeting-{support.pk}")

    def write(_):
        services.schedule_meeting(user=request.user, support=support,
                                  meeting=form.save(commit=False))
        return "Meeting added."
    return _answer(request, child, form, ("meeting", support.pk), write)


@require_POST
def meeting_record(request, child_id, support_id, meeting_id):
    child, supports = _editable(request, child_id)
    support = selectors.support_of(supports, support_id)
    meeting = next((m for m in support.meetings.all() if m.pk == meeting_id), None)
    if meeting is None:
        raise Http404
    form = MeetingRecordForm(request.POST, instance=meeting, prefix=f"record-{meeting.pk}")

    def write(data):
        services.record_meeting(user=request.user, meeting=meeting, changes=data)
        return "Meeting recorded."
    return _answer(request, child, form, ("record", meeting.pk), write)


@require_POST
def advocacy_referral(request, child_id, support_id):
    child, supports = _editable(request, child_id)
    support = selectors.support_of(supports, support_id)
    form = AdvocacyForm(request.POST, prefix=f"advocacy-{support.pk}")

    def write(data):
        services.refer_to_advocacy(user=request.user, support=support,
                                   organization=data["organization"], reason=data["reason"],
                                   on=data["referred_on"])
        return "Referral for educational advocacy recorded."
    return _answer(request, child, form, ("advocacy", support.pk), write)
