"""Sharing pages: the care plan's share page (send the current version, who it may not go to
and why, the history of what was sent and the providers' answers), the center's fax queue, and
the provider view (their children's shared plans, one child's plan, acknowledge or comment).
Views parse and render; the rules live in services, selectors and the access policy."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST, require_safe

from carecoord.accounts import policy
from carecoord.audit.services import record_export, record_list, record_view
from carecoord.families.forms import show_refusal

from . import selectors, services
from .forms import FaxMarkForm, RespondForm, ShareForm
from .models import FaxQueueEntry, PlanShare, ProviderComment


def _require(allowed: bool):
    # Out of scope looks exactly like not there: 404, never 403.
    if not allowed:
        raise Http404


def _stale(form):
    """The hidden fields (the version the page showed, the kind of answer) are only wrong when
    the page was tampered with or out of date: say so above the form."""
    if any(form.errors.get(f.name) for f in form.hidden_fields()):
        form.add_error(None, "This page was out of date: reload it and try again.")


def _fhir_base(request) -> str:
    return request.build_absolute_uri(reverse("fhir-metadata")).removesuffix("metadata")


# ---------------------------------------------------------------- the share page (staff)


def plan_share(request, child_id):
    child = selectors.child_in_scope(request.user, child_id)
    _require(policy.can_see_plan_shares(request.user, child))
    can_share = policy.can_share_care_plan(request.user, child)
    _require(request.method in ("GET", "HEAD") or (request.method == "POST" and can_share))
    plan = selectors.plan_of(child)
    version = plan.current_version if plan is not None else None
    candidates = selectors.candidates(child) if version is not None else []
    form = ShareForm(request.POST if request.method == "POST" else None,
                     candidates=candidates)
    status = 200
    if request.method == "POST":
        status = 400
        valid = form.is_valid()
        _stale(form)
        if version is None:
            form.add_error(None, "Nothing to share yet: the family has not agreed a version "
                                 "of the plan.")
        elif valid:
            if form.cleaned_data["version"] != version.number:
                form.add_error(None, f"Version {version.number} was agreed after you opened "
                                     "this page: check it, then share it.")
            else:
                try:
                    shares = services.share_plan_version(
                        user=request.user, version=version,
                        recipients=form.cleaned_data["recipients"],
                        fhir_base=_fhir_base(request))
                    _report(request, version, shares)
                    return redirect("plan-share", child_id=child.pk)
                except (ValidationError, PermissionDenied) as error:
                    show_refusal(form, error)
    shares = selectors.shares_of(child)
    comments = selectors.comments_of(child)
    record_list("sharing.planshare", [s.pk for s in shares], center_id=child.center_id,
                child_id=child.pk, comments=[c.pk for c in comments])
    return render(request, "sharing/share.html", {
        "child": child, "plan": plan, "version": version, "can_share": can_share,
        "sendable": [c for c in candidates if not c.blocked],
        "blocked": [c for c in candidates if c.blocked], "form": form,
        "shares": shares, "comments": comments,
        "fax_queue": policy.can_work_fax_queue(request.user),
    }, status=status)


def _report(request, version, shares):
    lines = [f"{s.recipient_name} by {s.route_short}: {s.get_status_display().lower()}"
             + (f" ({s.answer})" if s.answer else "") for s in shares]
    failed = any(s.status == PlanShare.Status.FAILED for s in shares)
    (messages.warning if failed else messages.success)(
        request, f"Version {version.number} shared. " + "; ".join(lines) + ".")


# ---------------------------------------------------------------- the fax queue (staff)


@require_safe
def fax_queue(request):
    _require(policy.can_work_fax_queue(request.user))
    pending, handled = selectors.fax_queue(request.user)
    record_list("families.child", sorted({e.child_id for e in pending + handled}),
                center_id=request.user.center_id, page="fax_queue",
                entries=[e.pk for e in pending + handled])
    return render(request, "sharing/fax_queue.html", {
        "pending": pending, "handled": handled})


@require_safe
def fax_document(request, entry_id):
    entry = selectors.fax_entry(request.user, entry_id, with_document=True)
    response = HttpResponse(bytes(entry.document), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, entry.file_name)
    response["Cache-Control"] = "private, no-store"
    record_export("sharing.faxqueueentry", count=1, center_id=entry.center_id,
                  child_id=entry.child_id, entry=entry.pk, share=entry.share_id)
    return response


@require_POST
def fax_mark(request, entry_id):
    entry = selectors.fax_entry(request.user, entry_id)
    form = FaxMarkForm(request.POST)
    if form.is_valid():
        try:
            services.mark_fax(user=request.user, entry=entry, status=form.cleaned_data["status"],
                              note=form.cleaned_data["note"])
            verb = ("faxed" if form.cleaned_data["status"] == FaxQueueEntry.Status.SENT
                    else "could not be faxed")
            messages.success(request, f"Fax to {entry.fax_number} marked {verb}.")
            return redirect("fax-queue")
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    pending, handled = selectors.fax_queue(request.user)
    record_list("families.child", sorted({e.child_id for e in pending + handled}),
                center_id=request.user.center_id, page="fax_queue",
                entries=[e.pk for e in pending + handled])
    return render(request, "sharing/fax_queue.html", {
        "pending": pending, "handled": handled, "bound": form, "bound_entry": entry.pk},
        status=400)


# ---------------------------------------------------------------- the provider view


@require_safe
def shared_plans(request):
    _require(policy.can_see_shared_plans(request.user))
    page = selectors.shared_plans(request.user, request.GET.get("page", 1))
    record_list("families.child", [c.pk for c in page.object_list],
                page="shared_plans", practice=request.user.practice_id)
    return render(request, "sharing/shared_plans.html", {
        "page": page, "practice": request.user.practice})


def _provider_page(request, child, *, form=None, status=200):
    plan = selectors.plan_of(child)
    summary = selectors.plan_summary(plan)
    version = summary.version if summary else None
    comments = selectors.practice_comments(request.user, child)
    acknowledged = version is not None and any(
        c.kind == ProviderComment.Kind.ACKNOWLEDGE and c.version_id == version.pk
        and c.author_id == request.user.pk for c in comments)
    record_view(child)
    return render(request, "sharing/provider_child.html", {
        "child": child, "plan": plan, "summary": summary, "version": version,
        "contacts": selectors.recent_contacts(request.user, child),
        "referrals": selectors.open_service_referrals(request.user, child),
        "shares": selectors.practice_shares(request.user, child), "comments": comments,
        "acknowledged": acknowledged, "form": form or RespondForm(),
    }, status=status)


@require_safe
def provider_child(request, child_id):
    return _provider_page(request, selectors.provider_child(request.user, child_id))


@require_POST
def provider_respond(request, child_id):
    child = selectors.provider_child(request.user, child_id)
    form = RespondForm(request.POST)
    valid = form.is_valid()
    _stale(form)
    if valid:
        try:
            comment = services.respond(user=request.user, child=child,
                                       version_number=form.cleaned_data["version"],
                                       kind=form.cleaned_data["kind"],
                                       text=form.cleaned_data["text"])
            messages.success(request, (
                f"Version {comment.version.number} acknowledged"
                if comment.kind == ProviderComment.Kind.ACKNOWLEDGE
                else "Comment sent") + ": the care coordinator sees it.")
            return redirect("provider-child", child_id=child.pk)
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    return _provider_page(request, child, form=form, status=400)
