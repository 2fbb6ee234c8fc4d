"""Pages for children, intake and referral decisions. Views parse and render; the rules live in
services (writes), selectors (reads) and the access policy."""

import csv
from dataclasses import asdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from carecoord.accounts import policy
from carecoord.accounts.models import Center, Town
from carecoord.audit.services import record_export, record_list, record_view

from . import selectors, services
from .forms import (
    ChildEditForm,
    ChildIntakeForm,
    ConsentForm,
    DecisionNoteForm,
    DeclineForm,
    DischargeForm,
    EnrollForm,
    GuardianEditForm,
    GuardianIntakeForm,
    HouseholdIntakeForm,
    ReassignForm,
    ReferralIntakeForm,
    ScreeningForm,
    show_refusal,
)
from .referral_states import IllegalTransition


def _require(allowed: bool):
    # Out of scope looks exactly like not there: 404, never 403.
    if not allowed:
        raise Http404


def _caseload_filters(request) -> selectors.CaseloadFilters:
    has_own = policy.has_caseload(request.user)
    scope = request.GET.get("scope") or ("mine" if has_own else "center")
    if scope not in ("mine", "center") or (scope == "mine" and not has_own):
        scope = "center"
    return selectors.CaseloadFilters(
        q=request.GET.get("q", "").strip()[:80], town=request.GET.get("town", "").strip(),
        status=request.GET.get("status", ""), scope=scope,
    )


def caseload(request):
    _require(policy.can_see_child_records(request.user))
    has_own = policy.has_caseload(request.user)
    filters = _caseload_filters(request)
    page = selectors.caseload(request.user, filters, request.GET.get("page", 1))
    record_list("families.child", [c.pk for c in page], center_id=request.user.center_id,
                filters=asdict(filters))
    context = {
        "page": page, "filters": filters, "status_choices": selectors.ChildStatus.CHOICES,
        "towns": Town.objects.values_list("name", flat=True), "has_own_caseload": has_own,
        "can_export": policy.can_export_children(request.user),
    }
    template = "families/_caseload_results.html" if request.htmx else "families/caseload.html"
    return render(request, template, context)


def caseload_export(request):
    """The filtered list as a spreadsheet, for center staff. Audited as an export."""
    _require(policy.can_export_children(request.user))
    filters = _caseload_filters(request)
    children = selectors.with_status(selectors.caseload_children(request.user, filters))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="children.csv"'
    writer = csv.writer(response)
    writer.writerow(["record", "last_name", "first_name", "date_of_birth", "town", "language",
                     "status", "coordinator"])
    count = 0
    for child in children.iterator(chunk_size=2000):
        status = ("enrolled" if child.is_enrolled else
                  "referral open" if child.has_open_referral else "not active")
        writer.writerow([child.pk, child.last_name, child.first_name,
                         child.date_of_birth.isoformat(), child.household.town.name,
                         child.preferred_language.name, status, child.coordinator_name or ""])
        count += 1
    record_export("families.child", count=count, center_id=request.user.center_id,
                  filters=asdict(filters))
    return response


def child_detail(request, child_id):
    child = selectors.child_record(request.user, child_id)
    record_view(child)
    open_enrollment = next((e for e in child.enrollments.all() if e.is_open), None)
    return _child_page(request, child, open_enrollment)


def _child_page(request, child, open_enrollment, *, status=200, **bound_forms):
    """The child's record; a refused reassign or discharge comes back with its bound form."""
    context = {"child": child, "today": timezone.localdate(), "open_enrollment": open_enrollment,
               "can_edit": policy.can_edit_child(request.user, child)}
    if open_enrollment and policy.can_manage_enrollment(request.user, child):
        context["reassign_form"] = ReassignForm(
            coordinators=policy.assignable_coordinators(request.user))
        context["discharge_form"] = DischargeForm(centers=Center.objects.exclude(
            pk=child.center_id))
        context.update(bound_forms)
    return render(request, "families/child_detail.html", context, status=status)


def _open_enrollment_for(request, child_id):
    child = selectors.child_record(request.user, child_id)
    enrollment = next((e for e in child.enrollments.all() if e.is_open), None)
    if enrollment is None:
        raise Http404
    return child, enrollment


@require_POST
def reassign(request, child_id):
    child, enrollment = _open_enrollment_for(request, child_id)
    form = ReassignForm(request.POST, coordinators=policy.assignable_coordinators(request.user))
    if form.is_valid():
        try:
            services.reassign(user=request.user, enrollment=enrollment,
                              coordinator=form.cleaned_data["coordinator"],
                              on=form.cleaned_data["start_date"],
                              reason=form.cleaned_data["reason"])
            messages.success(request, "The coordinator was changed.")
            return redirect("child-detail", child_id=child.pk)
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    return _child_page(request, child, enrollment, status=400, reassign_form=form)


@require_POST
def discharge(request, child_id):
    child, enrollment = _open_enrollment_for(request, child_id)
    form = DischargeForm(request.POST, centers=Center.objects.exclude(pk=child.center_id))
    if form.is_valid():
        try:
            services.discharge(user=request.user, enrollment=enrollment,
                               on=form.cleaned_data["discharge_date"],
                               reason=form.cleaned_data["reason"], note=form.cleaned_data["note"],
                               transferred_to=form.cleaned_data["transferred_to"])
            messages.success(request, "The enrollment was closed.")
            return redirect("child-detail", child_id=child.pk)
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    return _child_page(request, child, enrollment, status=400, discharge_form=form)


# ---------------------------------------------------------------- editing a record


def edit_versioned_record(request, child, record, form_class, template_context,
                          done_url=None):
    """Shared edit flow for a Versioned record of a child (the child, a guardian, a
    transition record…), with stale saves refused and the other person's change shown."""
    _require(policy.can_edit_child(request.user, child))
    form = form_class(request.POST or None, instance=record)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_record(user=request.user, record=record, changes=form.changes(),
                                   many_to_many=form.many_to_many(), child=child,
                                   expected_version=form.cleaned_data["version"])
            messages.success(request, "Saved.")
            return redirect(done_url or reverse("child-detail", args=[child.pk]))
        except services.EditConflict as refused:
            conflict = _describe_conflict(form, refused.current)
    context = {"child": child, "form": form, "conflict": conflict, **template_context}
    status = 409 if conflict else (400 if request.method == "POST" else 200)
    return render(request, "families/record_edit.html", context, status=status)


def _describe_conflict(form, current):
    """What the other person saved that differs from what this user typed: shown side by side.
    The form then carries the current version, so saving again is a deliberate choice."""
    differences = []
    for name, mine in {**form.changes(), **form.many_to_many()}.items():
        theirs = getattr(current, name)
        if hasattr(theirs, "all"):
            theirs, mine = set(theirs.all()), set(mine)
        if theirs != mine:
            differences.append({"label": form.fields[name].label, "theirs": _show(theirs),
                                "mine": _show(mine)})
    last = selectors.last_change(current)
    data = form.data.copy()
    data[form.add_prefix("version")] = current.version
    form.data = data
    return {"differences": differences, "by": last.actor_username if last else "someone",
            "at": last.at if last else None}


def _show(value):
    if isinstance(value, (set, list, tuple)):
        return ", ".join(sorted(str(v) for v in value)) or "—"
    return "—" if value in (None, "") else str(value)


def child_edit(request, child_id):
    child = selectors.child_record(request.user, child_id)
    return edit_versioned_record(request, child, child, ChildEditForm,
                 {"title": f"Edit {child.full_name}'s details"})


def guardian_edit(request, child_id, guardian_id):
    child = selectors.child_record(request.user, child_id)
    guardian = next((g for g in child.household.guardians.all() if g.pk == guardian_id), None)
    if guardian is None:
        raise Http404
    return edit_versioned_record(request, child, guardian, GuardianEditForm,
                 {"title": f"Edit {guardian}'s contact details"})


def consent_new(request, child_id):
    child = selectors.child_record(request.user, child_id)
    _require(policy.can_edit_child(request.user, child))
    form = ConsentForm(request.POST or None, child=child)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_consent(user=request.user, child=child,
                                    consent=form.save(commit=False))
            messages.success(request, "Consent recorded.")
            return redirect("child-detail", child_id=child.pk)
        except ValidationError as error:
            show_refusal(form, error)
    status = 400 if request.method == "POST" else 200
    return render(request, "families/record_edit.html", {
        "child": child, "form": form, "title": f"Record consent to share {child.full_name}'s "
                                               "information"}, status=status)


@require_POST
def consent_revoke(request, child_id, consent_id):
    child = selectors.child_record(request.user, child_id)
    consent = next((c for c in child.consents.all() if c.pk == consent_id), None)
    if consent is None or not policy.can_edit_child(request.user, child):
        raise Http404
    try:
        services.revoke_consent(user=request.user, consent=consent, on=timezone.localdate())
        messages.success(request, f"Consent to share with {consent.recipient} revoked.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("child-detail", child_id=child.pk)


# ---------------------------------------------------------------- intake


def _intake_forms(data=None, *, sibling=False):
    forms = {"child_form": ChildIntakeForm(data, prefix="child"),
             "referral_form": ReferralIntakeForm(data, prefix="referral")}
    if not sibling:  # a sibling joins the household already on file
        forms["household_form"] = HouseholdIntakeForm(data, prefix="household")
        forms["guardian_form"] = GuardianIntakeForm(data, prefix="guardian")
    return forms


def referral_new(request):
    _require(policy.can_take_referrals(request.user))
    sibling_id = request.POST.get("sibling_of") or request.GET.get("sibling_of")
    sibling_of = (get_object_or_404(policy.children_for(request.user), pk=sibling_id)
                  if sibling_id else None)
    forms = _intake_forms(request.POST if request.method == "POST" else None,
                          sibling=sibling_of is not None)
    context = {**forms, "duplicates": [], "sibling_of": sibling_of}
    if request.method == "POST" and all(f.is_valid() for f in forms.values()):
        existing = None
        if request.POST.get("existing_child"):
            existing = get_object_or_404(policy.children_for(request.user),
                                         pk=request.POST["existing_child"])
        household_form, guardian_form = forms.get("household_form"), forms.get("guardian_form")
        try:
            result = services.receive_referral(
                user=request.user, child=forms["child_form"].save(commit=False),
                races=forms["child_form"].cleaned_data["races"],
                household=household_form.save(commit=False) if household_form else None,
                guardian=guardian_form.save(commit=False) if guardian_form else None,
                guardian_languages=guardian_form.cleaned_data["languages"] if guardian_form
                else (),
                referral=forms["referral_form"].save(commit=False),
                referrer_npi=forms["referral_form"].cleaned_data["referrer_npi"],
                existing_child=existing, sibling_of=sibling_of,
                confirmed_new_child=request.POST.get("confirm_new_child") == "yes",
            )
        except services.DuplicateChildSuspected as suspected:
            context["duplicates"] = suspected.matches
            return render(request, "families/referral_new.html", context, status=409)
        except ValidationError as error:
            show_refusal(forms["referral_form"], error)
            return render(request, "families/referral_new.html", context, status=400)
        referral = result.referral
        if result.routed_elsewhere:
            messages.info(request, f"{referral.child.household.town} is in the "
                                   f"{referral.center.region} region: the referral was sent to "
                                   f"{referral.center.name}.")
            return redirect("caseload")
        messages.success(request, "Referral received.")
        return redirect("referral-detail", referral_id=referral.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "families/referral_new.html", context, status=status)


def referral_check(request):
    """HTMX: while the intake form is filled in, say which center the town routes to and
    whether this child may already be on file."""
    _require(policy.can_take_referrals(request.user))
    context = {}
    town = Town.objects.filter(pk=request.GET.get("household-town") or 0).select_related(
        "region__center").first()
    if town:
        context["town"] = town
        context["elsewhere"] = town.region.center.pk != request.user.center_id
    child_form = ChildIntakeForm(request.GET, prefix="child")
    child_form.is_valid()
    data = child_form.cleaned_data
    if data.get("first_name") and data.get("last_name") and data.get("date_of_birth"):
        context["duplicates"] = list(services.possible_duplicates(
            request.user, first_name=data["first_name"], last_name=data["last_name"],
            date_of_birth=data["date_of_birth"]))
    return render(request, "families/_intake_checks.html", context)


def referral_list(request):
    _require(policy.can_see_referrals(request.user))
    referrals = list(selectors.open_referrals(request.user)[:200])
    record_list("families.referral", [r.pk for r in referrals], center_id=request.user.center_id)
    return render(request, "families/referral_list.html", {"referrals": referrals})


def referral_detail(request, referral_id, forms=None, status=200):
    referral = selectors.referral_detail(request.user, referral_id)
    if forms is None:
        record_view(referral)
    user = request.user
    context = {
        "referral": referral,
        "can_screen": policy.can_screen_referral(user, referral),
        "can_decide": policy.can_decide_referral(user, referral),
        "screening_form": ScreeningForm(initial={"first_contact_on": timezone.localdate()}),
        "accept_form": DecisionNoteForm(),
        "decline_form": DeclineForm(),
        "enroll_form": EnrollForm(coordinators=policy.assignable_coordinators(user)),
        **(forms or {}),
        # Shown at the top: the refused action's form may not be on the page in this state.
        "action_errors": [e for f in (forms or {}).values() for e in f.non_field_errors()],
    }
    return render(request, "families/referral_detail.html", context, status=status)


def _transition(request, referral_id, form_name, form, action):
    referral = selectors.referral_detail(request.user, referral_id)
    if form.is_valid():
        try:
            action(referral, form.cleaned_data)
            messages.success(request, "The referral was updated.")
            return redirect("referral-detail", referral_id=referral.pk)
        except IllegalTransition as error:
            form.add_error(None, str(error))
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    return referral_detail(request, referral_id, forms={form_name: form}, status=400)


@require_POST
def referral_screen(request, referral_id):
    return _transition(
        request, referral_id, "screening_form", ScreeningForm(request.POST),
        lambda r, d: services.start_screening(user=request.user, referral=r,
                                              first_contact_on=d["first_contact_on"],
                                              note=d["note"]))


@require_POST
def referral_accept(request, referral_id):
    return _transition(
        request, referral_id, "accept_form", DecisionNoteForm(request.POST),
        lambda r, d: services.accept_referral(user=request.user, referral=r, note=d["note"]))


@require_POST
def referral_decline(request, referral_id):
    return _transition(
        request, referral_id, "decline_form", DeclineForm(request.POST),
        lambda r, d: services.decline_referral(user=request.user, referral=r,
                                               reason=d["reason"], note=d["note"]))


@require_POST
def referral_enroll(request, referral_id):
    form = EnrollForm(request.POST, coordinators=policy.assignable_coordinators(request.user))
    return _transition(
        request, referral_id, "enroll_form", form,
        lambda r, d: services.enroll(user=request.user, referral=r,
                                     coordinator=d["coordinator"], start_date=d["start_date"]))
