from django.http import Http404
from django.shortcuts import redirect, render

from carecoord.accounts import policy
from carecoord.accounts.models import Discipline, Role
from carecoord.audit.services import record_list
from carecoord.families import selectors

HOME_BY_ROLE = {
    Role.COORDINATOR: "my-day",
    Role.SUPERVISOR: "center",
    Role.CENTER_ADMIN: "center",
    Role.HUB_TA: "network",
    Role.TITLE_V: "network",
    Role.PROVIDER: "shared-plans",
}


def home(request):
    target = HOME_BY_ROLE.get(request.user.role)
    if target:
        return redirect(target)
    return render(request, "accounts/no_role.html", status=403)


def center(request):
    """A supervisor's view of their center: children, referrals waiting, staff caseloads."""
    center = policy.center_overview_for(request.user).select_related("region").first()
    if center is None:
        raise Http404
    referrals = list(selectors.open_referrals(request.user)[:50])
    record_list("families.referral", [r.pk for r in referrals], center_id=center.pk)
    staff = list(selectors.staff_caseloads(center.pk))
    for member in staff:
        capacity = member.caseload_capacity or 0
        member.load_percent = round(100 * member.active_children / capacity) if capacity else None
    context = {
        "center": center,
        "counts": selectors.center_counts([center.pk])[center.pk],
        "referrals": referrals,
        "staff": staff,
        "disciplines": Discipline.choices,
    }
    return render(request, "accounts/center.html", context)


def network(request):
    """The network side by side, counts only: for hub technical assistance and Title V."""
    centers = list(policy.network_aggregates_for(request.user).select_related("region"))
    if not centers:
        raise Http404
    counts = selectors.center_counts([c.pk for c in centers])
    rows = [{"center": c, **counts[c.pk]} for c in centers]
    totals = {key: sum(r[key] for r in rows)
              for key in ("children", "enrolled", "open_referrals", "referrals_12m")}
    return render(request, "accounts/network.html", {
        "rows": rows, "totals": totals, "disciplines": Discipline.choices,
    })
