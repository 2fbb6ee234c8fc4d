"""Unmet-needs pages: recording a need in the register (from the care plan or a failed
referral), and the report of counts by region, domain and town with its CSV download. Views
parse and render; the rules live in services, selectors and the access policy."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from carecoord.accounts import policy
from carecoord.audit.models import Action
from carecoord.audit.services import record_event, record_export, record_view
from carecoord.families.forms import show_refusal
from carecoord.servicereferrals.services import CLOSED_NEED

from . import selectors, services
from .forms import ReportForm, UnmetNeedForm
from .models import UnmetNeed


def _require(allowed: bool):
    # Out of scope looks exactly like not there: 404, never 403.
    if not allowed:
        raise Http404


def unmet_need_new(request, child_id, need_id):
    """Record a need nobody could meet. `?referral=<id>`: the failed referral the user came
    from, ticked and its reason suggested."""
    child = selectors.child_in_scope(request.user, child_id)
    _require(policy.can_edit_child(request.user, child))
    need = selectors.need_of(child, need_id)
    record_view(need)
    failed = selectors.failed_referrals(need)
    picked = None
    if request.GET.get("referral", "").isdigit():
        picked = failed.filter(pk=request.GET["referral"]).first()
    form = UnmetNeedForm(request.POST or None, failed=failed, picked=picked)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.record_unmet_need(user=request.user, child=child, need=need,
                                               **form.cleaned_data)
            messages.success(request, f"Recorded in the unmet-needs register: "
                                      f"{entry.get_reason_display().lower()}. The need is "
                                      "closed as could not be met.")
            return redirect(reverse("care-plan", args=[child.pk]) + f"#need-{need.pk}")
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    return render(request, "unmetneeds/unmet_need_new.html", {
        "child": child, "need": need, "form": form,
        "open_referrals": selectors.open_referrals(need),
        "need_closed": need.status in CLOSED_NEED,
    }, status=400 if request.method == "POST" else 200)


def _report_filters(request):
    _require(selectors.report_centers(request.user).exists())
    form = ReportForm(request.GET, regions=selectors.regions_for(request.user))
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, selectors.Filters(since=data["since"], until=data["until"],
                                   region=data.get("region"), domain=data.get("domain"))


def _described(filters) -> dict:
    return {"since": filters.since.isoformat(), "until": filters.until.isoformat(),
            "region": filters.region.name if filters.region else "",
            "domain": filters.domain.code if filters.domain else ""}


def report(request):
    """Counts of unmet needs by region, domain and town, for advocacy. Counts only: the hub's
    technical assistance and the state see every region, a center its own."""
    form, filters = _report_filters(request)
    if filters is None:
        return render(request, "unmetneeds/report.html", {"form": form}, status=400)
    result = selectors.report(request.user, filters)
    record_event(action=Action.VIEW, object_type="unmetneeds.report",
                 center_id=request.user.center_id, detail=_described(filters))
    centers = selectors.report_centers(request.user)
    return render(request, "unmetneeds/report.html", {
        "form": form, "filters": filters, "report": result,
        "reasons": UnmetNeed.Reason.choices,
        "scope": "every region" if centers.count() > 1 else centers.get().name,
        "query": request.GET.urlencode(),
    })


def report_csv(request):
    form, filters = _report_filters(request)
    if filters is None:
        return render(request, "unmetneeds/report.html", {"form": form}, status=400)
    rows = selectors.download_rows(request.user, filters)
    record_export("unmetneeds.report", count=len(rows), center_id=request.user.center_id,
                  **_described(filters))
    labels = dict(UnmetNeed.Reason.choices)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="unmet-needs-{filters.since}-to-{filters.until}.csv"')
    writer = csv.writer(response)
    writer.writerow(["region", "town", "domain", "reason", "unmet_needs"])
    for region, town, domain, reason, count in rows:
        writer.writerow([region, town, domain, labels.get(reason, reason), count])
    return response
