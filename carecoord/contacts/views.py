from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from carecoord.accounts import policy
from carecoord.audit.services import record_list
from carecoord.careplans import selectors as plan_selectors
from carecoord.families.forms import show_refusal

from . import selectors, services
from .forms import CloseTaskForm, ContactForm, TaskForm
from .models import Task


def contact_new(request, child_id):
    """Log a contact: the family's preferred channels and best times are on the page, with a
    prompt to change channel after repeated unanswered attempts."""
    child, plan, _ = plan_selectors.plan_for_child(request.user, child_id)
    if not policy.can_edit_child(request.user, child):
        raise Http404
    form = ContactForm(request.POST or None, child=child, plan=plan,
                       initial={"occurred_at": timezone.localtime().replace(second=0,
                                                                             microsecond=0)})
    if request.method == "POST" and form.is_valid():
        try:
            services.log_contact(user=request.user, child=child,
                                 contact=form.save(commit=False),
                                 goals=form.cleaned_data["goals"],
                                 actions=form.cleaned_data["actions"],
                                 follow_up_on=form.cleaned_data["follow_up_on"],
                                 follow_up=form.cleaned_data["follow_up"])
            messages.success(request, "Contact logged.")
            return redirect("contact-list", child_id=child.pk)
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    guardians = list(child.household.guardians.all())
    return render(request, "contacts/contact_new.html", {
        "child": child, "form": form, "guardians": guardians,
        "suggestion": selectors.channel_suggestion(child, guardians),
    }, status=400 if request.method == "POST" else 200)


def contact_list(request, child_id):
    child, plan, _ = plan_selectors.plan_for_child(request.user, child_id)
    if not policy.can_see_contacts(request.user):
        raise Http404
    page = selectors.contacts_of(child, request.GET.get("page", 1))
    record_list("contacts.contact", [c.pk for c in page], center_id=child.center_id,
                child_id=child.pk)
    guardians = list(child.household.guardians.all())
    return render(request, "contacts/contact_list.html", {
        "child": child, "page": page, "can_log": policy.can_edit_child(request.user, child),
        "suggestion": selectors.channel_suggestion(child, guardians),
    })


def my_day(request):
    """Whom to call today and why: the coordinator's overdue and due tasks, with how each
    family likes to be reached."""
    if not policy.has_caseload(request.user):
        raise Http404
    today = timezone.localdate()
    group = request.GET.get("group")
    if group in selectors.MY_DAY_GROUPS:  # "show more" of one group
        offset = request.GET.get("offset", "0")
        offset = int(offset) if offset.isdigit() else 0
        tasks = selectors.my_day_tasks(request.user, today, group, offset,
                                       selectors.MY_DAY_PAGE + 1)
        shown = tasks[:selectors.MY_DAY_PAGE]
        record_list("families.child", sorted({t.child_id for t in shown}),
                    center_id=request.user.center_id, page="my_day", group=group)
        return render(request, "contacts/_task_rows.html", {
            "tasks": shown, "group": group, "next_offset": offset + len(shown),
            "has_more": len(tasks) > len(shown)})
    day = selectors.my_day(request.user, today)
    shown = [t.child_id for group in day.values() for t in group["tasks"]]
    record_list("families.child", sorted(set(shown)), center_id=request.user.center_id,
                page="my_day")
    return render(request, "contacts/my_day.html", {"day": day, "today": today,
                                                    "page_size": selectors.MY_DAY_PAGE})


@require_POST
def task_close(request, task_id):
    task = get_object_or_404(Task.objects.filter(child__in=policy.children_for(request.user)),
                             pk=task_id)
    form = CloseTaskForm(request.POST)
    if form.is_valid():
        try:
            services.close_task(user=request.user, task=task, status=form.cleaned_data["status"],
                                note=form.cleaned_data["note"])
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.error(request, "Choose done or dismiss.")
    if request.htmx:
        return HttpResponse("")  # the row disappears from the day
    return redirect("my-day")


def task_new(request, child_id):
    child, _, _ = plan_selectors.plan_for_child(request.user, child_id)
    if not policy.can_edit_child(request.user, child):
        raise Http404
    form = TaskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_task(user=request.user, child=child, **form.cleaned_data)
            messages.success(request, "Task added to your day.")
            return redirect("child-detail", child_id=child.pk)
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    return render(request, "families/record_edit.html", {
        "child": child, "form": form, "title": f"Add a task for {child.full_name}"},
        status=400 if request.method == "POST" else 200)
