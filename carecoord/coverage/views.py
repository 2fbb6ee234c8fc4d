"""Coverage and financial help pages: a child's applications, a new one, one application with
its steps, and the form of each step. Views parse and render; the rules live in services,
selectors and the access policy."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from carecoord.accounts import policy
from carecoord.audit.services import record_list, record_view
from carecoord.families.forms import show_refusal
from carecoord.families.selectors import last_change
from carecoord.families.services import EditConflict

from . import programs, selectors, services
from .forms import SLUG_OF, STEP_FORMS, ApplicationForm


def _require(allowed: bool):
    # Out of scope looks exactly like not there: 404, never 403.
    if not allowed:
        raise Http404


def application_list(request, child_id):
    child = selectors.child_in_scope(request.user, child_id)
    applications = selectors.applications_of(child)
    record_list("coverage.coverageapplication", [a.pk for a in applications],
                center_id=child.center_id, child_id=child.pk)
    return render(request, "coverage/application_list.html", {
        "child": child, "applications": applications,
        "can_edit": policy.can_edit_child(request.user, child),
    })


def application_new(request, child_id):
    child = selectors.child_in_scope(request.user, child_id)
    _require(policy.can_edit_child(request.user, child))
    if request.htmx and request.method == "GET":
        # The program chosen: who administers it and what to check, beside the form.
        return render(request, "coverage/_program_info.html",
                      {"program": programs.get(request.GET.get("program", ""))})
    form = ApplicationForm(request.POST or None, needs=selectors.financial_needs(child))
    if request.method == "POST" and form.is_valid():
        try:
            application = services.start_application(user=request.user, child=child,
                                                     application=form.save(commit=False))
            messages.success(request, f"{application.program_label}: eligibility check "
                                      "recorded.")
            return redirect("coverage-detail", child_id=child.pk,
                            application_id=application.pk)
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    return render(request, "coverage/application_new.html", {
        "child": child, "form": form,
        "program": programs.get(form.data.get("program", "")) if form.is_bound else None,
    }, status=400 if request.method == "POST" else 200)


def _detail(request, child, application, *, bound=None, conflict=None, status=200):
    can_edit = policy.can_edit_child(request.user, child)
    step_forms = []
    if can_edit:
        for action in application.next_actions():
            slug = SLUG_OF[action]
            form = (bound if bound is not None and bound.prefix == slug
                    else STEP_FORMS[slug][1](application=application, prefix=slug))
            step_forms.append((slug, form))
    # A step the application is not ready for has no form on the page: its refusal goes on top.
    refusals = ([e for errors in bound.errors.values() for e in errors]
                if bound is not None and bound not in dict(step_forms).values() else [])
    return render(request, "coverage/application_detail.html", {
        "child": child, "application": application, "can_edit": can_edit,
        "step_forms": step_forms, "conflict": conflict, "refusals": refusals,
    }, status=status)


def application_detail(request, child_id, application_id):
    child, application = selectors.application_of(request.user, child_id, application_id)
    record_view(application)
    return _detail(request, child, application)


@require_POST
def application_step(request, child_id, application_id, step):
    """Record one step of an application (submitted, documents, decision, appeal…)."""
    child, application = selectors.application_of(request.user, child_id, application_id)
    _require(policy.can_edit_child(request.user, child) and step in STEP_FORMS)
    action, form_class = STEP_FORMS[step]
    form = form_class(request.POST, application=application, prefix=step)
    expected = request.POST.get("version", "")
    if form.is_valid() and expected.isdigit():
        try:
            _SERVICES[action](user=request.user, application=application,
                              expected_version=int(expected), **form.cleaned_data)
            messages.success(request, f"{form.title}: saved.")
            return redirect("coverage-detail", child_id=child.pk, application_id=application.pk)
        except EditConflict as changed:
            return _conflict(request, child, changed.current, form)
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    return _detail(request, child, application, bound=form, status=400)


def _conflict(request, child, current, form):
    """Someone recorded a step after this page was opened: show what the application is now
    and, when the step still applies, the user's entry ready to save again (the page now
    carries the current version)."""
    current = selectors.application_of(request.user, child.pk, current.pk)[1]
    change = last_change(current)
    return _detail(request, child, current, bound=form, status=409, conflict={
        "by": change.actor_username if change else "someone else",
        "at": change.at if change else None,
    })


_SERVICES = {
    "submit": services.record_submission,
    "request_documents": services.request_documents,
    "documents_sent": services.record_documents_sent,
    "decide": services.record_decision,
    "appeal": services.file_appeal,
    "appeal_outcome": services.record_appeal_outcome,
    "renew": services.record_renewal,
    "close": services.close_application,
}

