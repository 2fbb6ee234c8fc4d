"""Service referral pages: a child's referrals, a new referral from a care plan need, one
referral with its steps (plain forms that HTMX swaps in place when it is there), and the edit of
its contact and notes. Views parse and render; the rules live in services, selectors and the
access policy."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from carecoord.accounts import policy
from carecoord.audit.services import record_list, record_view
from carecoord.families.forms import show_refusal
from carecoord.families.selectors import last_change
from carecoord.families.services import EditConflict
from carecoord.families.views import edit_versioned_record

from . import selectors, services, steps
from .forms import STEP_FORMS, FailureForm, ReferralEditForm, ReferralForm


def _require(allowed: bool):
    # Out of scope looks exactly like not there: 404, never 403.
    if not allowed:
        raise Http404


def referral_list(request, child_id):
    child = selectors.child_in_scope(request.user, child_id)
    referrals = selectors.referrals_of(request.user, child)
    record_list("servicereferrals.servicereferral", [r.pk for r in referrals],
                center_id=child.center_id, child_id=child.pk)
    return render(request, "servicereferrals/referral_list.html", {
        "child": child, "referrals": referrals,
        "can_edit": policy.can_edit_child(request.user, child),
    })


def referral_new(request, child_id, need_id):
    """The referral form. `?service=<HSDS id>` comes from the directory: that service is
    chosen (it must be one the user may open)."""
    child = selectors.child_in_scope(request.user, child_id)
    _require(policy.can_edit_child(request.user, child))
    need = selectors.need_of(child, need_id)
    if request.method == "GET":
        record_view(need)
    picked = request.GET.get("service") or None
    if picked:
        selectors.service_in_scope(request.user, picked)
    form = ReferralForm(request.POST or None, initial={"service": picked},
                        services=selectors.services_for_need(request.user, need, also=picked),
                        consents=selectors.current_consents(child))
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.send_referral(user=request.user, child=child, need=need,
                                              **form.cleaned_data)
            messages.success(request, f"Referral to {referral.service_name} recorded as sent.")
            return redirect("service-referral-detail", child_id=child.pk,
                            referral_id=referral.pk)
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    return render(request, "servicereferrals/referral_new.html", {
        "child": child, "need": need, "form": form,
        "need_closed": need.status in services.CLOSED_NEED,
        "can_see_directory": policy.can_see_directory(request.user),
        "earlier": [r for r in selectors.referrals_of(request.user, child)
                    if r.need_id == need.pk],
    }, status=400 if request.method == "POST" else 200)


def _context(request, child, referral, *, bound=None, conflict=None, saved=""):
    can_edit = policy.can_edit_child(request.user, child)
    step_forms = []
    if can_edit and referral.is_open:
        following = referral.next_steps()
        for slug, (status, form_class) in STEP_FORMS.items():
            if status is not None and status not in following:
                continue
            if status is None and not set(following) & set(steps.FAILED):
                continue
            form = (bound if bound is not None and bound.prefix == slug
                    else form_class(referral=referral, prefix=slug))
            step_forms.append((slug, form))
    # A step the referral is not ready for has no form on the page: its refusal goes on top.
    refusals = ([e for errors in bound.errors.values() for e in errors]
                if bound is not None and bound not in dict(step_forms).values() else [])
    return {"child": child, "referral": referral, "can_edit": can_edit,
            "step_forms": step_forms, "conflict": conflict, "refusals": refusals,
            "saved": saved, "need_closed": referral.need.status in services.CLOSED_NEED,
            "can_see_directory": policy.can_see_directory(request.user)}


def referral_detail(request, child_id, referral_id):
    child, referral = selectors.referral_of(request.user, child_id, referral_id)
    record_view(referral)
    return render(request, "servicereferrals/referral_detail.html",
                  _context(request, child, referral))


@require_POST
def referral_step(request, child_id, referral_id, step):
    """Record one step of a referral: acknowledged, scheduled, received, or why it failed."""
    child, referral = selectors.referral_of(request.user, child_id, referral_id)
    _require(policy.can_edit_child(request.user, child) and step in STEP_FORMS)
    status, form_class = STEP_FORMS[step]
    form = form_class(request.POST, referral=referral, prefix=step)
    expected = request.POST.get("version", "")
    conflict = None
    if form.is_valid() and expected.isdigit():
        try:
            saved = _record(request.user, referral, status, int(expected), form)
            if request.htmx:
                return _steps(request, child, saved.pk, saved=f"{saved.get_status_display()}: "
                                                             "saved.")
            messages.success(request, f"{saved.get_status_display()}: saved.")
            return redirect("service-referral-detail", child_id=child.pk,
                            referral_id=referral.pk)
        except EditConflict as changed:
            referral = selectors.referral_of(request.user, child.pk, changed.current.pk)[1]
            change = last_change(referral)
            conflict = {"by": change.actor_username if change else "someone else",
                        "at": change.at if change else None}
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    elif not expected.isdigit():
        form.add_error(None, "Reload the page and try again.")
    context = _context(request, child, referral, bound=form, conflict=conflict)
    if request.htmx:
        # HTMX swaps only successful answers: the steps come back with their errors in place.
        return render(request, "servicereferrals/_steps.html", context)
    return render(request, "servicereferrals/referral_detail.html", context,
                  status=409 if conflict else 400)


def _record(user, referral, status, expected, form):
    data = form.cleaned_data
    if status == steps.ACKNOWLEDGED:
        return services.record_acknowledged(user=user, referral=referral,
                                            expected_version=expected, **data)
    if status == steps.SCHEDULED:
        return services.record_scheduled(user=user, referral=referral,
                                         expected_version=expected, **data)
    if status == steps.RECEIVED:
        return services.record_received(user=user, referral=referral,
                                        expected_version=expected, **data)
    assert isinstance(form, FailureForm)
    return services.record_failure(user=user, referral=referral, expected_version=expected,
                                   **data)


def _steps(request, child, referral_id, **extra):
    referral = selectors.referral_of(request.user, child.pk, referral_id)[1]
    return render(request, "servicereferrals/_steps.html",
                  _context(request, child, referral, **extra))


def referral_edit(request, child_id, referral_id):
    """The contact at the service and the notes, edited like any versioned record: a save
    from a page older than the referral is refused and the other change shown."""
    child, referral = selectors.referral_of(request.user, child_id, referral_id)
    if request.method == "GET":
        record_view(referral)
    return edit_versioned_record(
        request, child, referral, ReferralEditForm,
        {"title": f"Referral to {referral.service_name}: contact and notes"},
        done_url=reverse("service-referral-detail", args=[child.pk, referral.pk]))
