"""The care plan pages. Every change form carries the plan version the user saw and when the
page was loaded, so a change from a stale page is refused and the other person's changes are
shown instead of being overwritten."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_POST

from carecoord.accounts import policy
from carecoord.audit.services import record_view
from carecoord.families.forms import show_refusal

from . import selectors, services
from .forms import ITEM_FORMS, AgreeForm, CallReviewForm, StatusForm
from .versions import compare


def _page(request, child, plan, enrollment, *, status=200, forms=None, conflict=None):
    can_edit = plan is not None and policy.can_edit_child(request.user, child)
    context = {
        "child": child, "plan": plan, "open_enrollment": enrollment, "can_edit": can_edit,
        "refusals": [e for f in (forms or {}).values() for e in f.non_field_errors()],
        "can_start": plan is None and enrollment is not None
        and policy.can_edit_child(request.user, child),
        "loaded_at": timezone.now().isoformat(), "conflict": conflict,
        "today": timezone.localdate(),
        "progress_since_agreement": plan is not None and plan.current_version is not None
        and plan.current_version.plan_version is not None
        and plan.version > plan.current_version.plan_version,
    }
    if can_edit:
        bound = forms or {}
        context["forms"] = {section: bound.get(section) or form_class(plan=plan, prefix=section)
                            for section, form_class in ITEM_FORMS.items()}
        context["agree_form"] = bound.get("agree") or AgreeForm(plan=plan, prefix="agree")
        context["review_form"] = bound.get("review") or CallReviewForm(prefix="review")
    return render(request, "careplans/plan.html", context, status=status)


def plan_detail(request, child_id):
    child, plan, enrollment = selectors.plan_for_child(request.user, child_id)
    record_view(plan or child)
    return _page(request, child, plan, enrollment)


@require_POST
def plan_start(request, child_id):
    child, plan, enrollment = selectors.plan_for_child(request.user, child_id)
    if plan is not None or enrollment is None or not policy.can_edit_child(request.user, child):
        raise Http404
    services.start_plan(user=request.user, enrollment=enrollment)
    messages.success(request, "Care plan started: begin with the family's priorities, in "
                              "their own words.")
    return redirect("care-plan", child_id=child.pk)


def _change(request, child_id, form_key, form_factory, apply, anchor):
    """Validate a plan change, apply it with the version the user saw, and answer: redirect on
    success, the page with the errors (400) or with the other person's changes (409)."""
    child, plan, enrollment = selectors.plan_for_child(request.user, child_id)
    if plan is None or not policy.can_edit_child(request.user, child):
        raise Http404
    form = form_factory(plan)
    expected = request.POST.get("plan_version", "")
    if form.is_valid() and expected.isdigit():
        try:
            apply(plan, form, int(expected))
            return redirect(f"{plan_url(child)}#{anchor}")
        except services.PlanChanged as changed:
            loaded_at = parse_datetime(request.POST.get("loaded_at", "")) or (
                timezone.now() - datetime.timedelta(hours=1))
            conflict = selectors.changes_since(changed.plan, loaded_at, request.user.pk)
            child, plan, enrollment = selectors.plan_for_child(request.user, child_id)
            return _page(request, child, plan, enrollment, status=409,
                         forms={form_key: form}, conflict=conflict or [])
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    return _page(request, child, plan, enrollment, status=400, forms={form_key: form})


def plan_url(child):
    return f"/children/{child.pk}/plan/"


@require_POST
def item_add(request, child_id, section):
    if section not in ITEM_FORMS:
        raise Http404

    def apply(plan, form, expected):
        services.add_item(user=request.user, plan=plan, expected_version=expected,
                          item=form.save(commit=False))

    return _change(request, child_id, section,
                   lambda plan: ITEM_FORMS[section](request.POST, plan=plan, prefix=section),
                   apply, section)


@require_POST
def item_status(request, child_id, section, item_id):
    if section not in ("needs", "goals", "actions"):
        raise Http404

    def apply(plan, form, expected):
        item = getattr(plan, section).filter(pk=item_id).first()
        if item is None:
            raise Http404
        services.update_item(user=request.user, plan=plan, expected_version=expected, item=item,
                             **form.changes())

    return _change(request, child_id, f"status-{section}-{item_id}",
                   lambda plan: StatusForm(request.POST, section=section), apply, section)


@require_POST
def plan_review(request, child_id):
    def apply(plan, form, expected):
        services.mark_reviewed(user=request.user, plan=plan, expected_version=expected)

    return _change(request, child_id, "reviewed", lambda plan: forms.Form(request.POST),
                   apply, "agreement")


@require_POST
def plan_call_review(request, child_id):
    def apply(plan, form, expected):
        services.call_review(user=request.user, plan=plan, expected_version=expected,
                             reason=form.cleaned_data["reason"])

    return _change(request, child_id, "review",
                   lambda plan: CallReviewForm(request.POST, prefix="review"), apply,
                   "agreement")


@require_POST
def plan_agree(request, child_id):
    def apply(plan, form, expected):
        who = form.cleaned_data["agreed_by"]
        services.agree(user=request.user, plan=plan, expected_version=expected,
                       agreed_on=form.cleaned_data["agreed_on"], how=form.cleaned_data["how"],
                       guardian=form.guardians.get(who), youth_agreed=who == "youth")

    return _change(request, child_id, "agree",
                   lambda plan: AgreeForm(request.POST, plan=plan, prefix="agree"), apply,
                   "agreement")


def plan_compare(request, child_id):
    child, plan, _ = selectors.plan_for_child(request.user, child_id)
    if plan is None:
        raise Http404
    numbers = sorted(v.number for v in plan.versions.all())
    if not numbers:
        raise Http404
    try:
        a = int(request.GET.get("a", numbers[-2] if len(numbers) > 1 else numbers[-1]))
        b = int(request.GET.get("b", numbers[-1]))
    except ValueError:
        raise Http404 from None
    before, after = selectors.plan_version(plan, a), selectors.plan_version(plan, b)
    record_view(plan)
    return render(request, "careplans/compare.html", {
        "child": child, "plan": plan, "before": before, "after": after, "numbers": numbers,
        "sections": compare(before.snapshot, after.snapshot),
    })
