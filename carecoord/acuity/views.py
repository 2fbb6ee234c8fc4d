from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from carecoord.accounts import policy
from carecoord.audit.services import record_export, record_list, record_view
from carecoord.families.forms import show_refusal
from carecoord.stratification import assignment

from . import selectors, services
from .forms import AssignForm
from .models import PopulationRun
from .population import result_file


def complexity(request, child_id):
    """A child's medical and social complexity, tier, recommended discipline and the reasons,
    with every earlier result."""
    child, current, history = selectors.complexity_for_child(request.user, child_id)
    record_view(current or child)
    return render(request, "acuity/complexity.html", {
        "child": child, "current": current, "history": history,
        "can_recheck": policy.can_edit_child(request.user, child)})


@require_POST
def recheck(request, child_id):
    child, *_ = selectors.complexity_for_child(request.user, child_id)
    if not policy.can_edit_child(request.user, child):
        raise Http404
    services.stratify_child(child, trigger="manual", user=request.user)
    messages.success(request, "Stratification checked against today's record.")
    return redirect("complexity", child_id=child.pk)


def _queue_page(request, bound=None):
    waiting, users = selectors.assignment_queue(request.user)
    record_list("families.child", [w.child.pk for w in waiting],
                center_id=request.user.center_id, page="assignment_queue")
    coordinators = policy.assignable_coordinators(request.user)
    today = timezone.localdate()
    for entry in waiting:
        top = entry.candidates[0].coordinator.id if entry.candidates else None
        entry.form = (bound or {}).get(entry.child.pk) or AssignForm(
            prefix=f"assign-{entry.child.pk}", coordinators=coordinators,
            initial={"coordinator": top, "start_date": today})
        entry.suggested_id = top
        entry.shown = entry.candidates[:3]
    return render(request, "acuity/queue.html", {"waiting": waiting, "users": users},
                  status=400 if bound else 200)


def queue(request):
    """The supervisor's unassigned queue: each waiting child with its tier and the
    coordinators the engine suggests, their load and why."""
    return _queue_page(request)


@require_POST
def assign(request, child_id):
    waiting, _ = selectors.assignment_queue(request.user)
    entry = next((w for w in waiting if w.child.pk == child_id), None)
    if entry is None:
        raise Http404
    form = AssignForm(request.POST, prefix=f"assign-{child_id}",
                      coordinators=policy.assignable_coordinators(request.user))
    if form.is_valid():
        suggested = entry.candidates[0].coordinator.id if entry.candidates else None
        try:
            services.assign_from_queue(
                user=request.user, child=entry.child, referral=entry.referral,
                enrollment=entry.enrollment, coordinator=form.cleaned_data["coordinator"],
                suggested_id=suggested, on=form.cleaned_data["start_date"],
                reason=form.cleaned_data["reason"])
            messages.success(request, f"{entry.child.full_name} is assigned to "
                                      f"{form.cleaned_data['coordinator'].get_full_name()}.")
            return redirect("assignment-queue")
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    return _queue_page(request, bound={child_id: form})


def rebalance(request, coordinator_id):
    """When a coordinator leaves: where each of their children would go, fairly, and the
    loads after; applied in one step."""
    leaving, children, current, enrollments = selectors.caseload_of(request.user,
                                                                    coordinator_id)
    coordinators, users = selectors.coordinators_of(request.user.center_id)
    engine_leaving = next((c for c in coordinators if c.id == leaving.pk), None) or (
        assignment.Coordinator(id=leaving.pk, name=leaving.get_full_name(),
                               discipline=leaving.discipline,
                               caseload_capacity=float(leaving.caseload_capacity or 0)))
    staff = [c for c in coordinators if c.id != leaving.pk]
    proposal = assignment.rebalance(
        engine_leaving, [selectors.child_to_assign(child, current[child.pk])
                         for child in children], staff)
    record_list("families.child", [c.pk for c in children], center_id=request.user.center_id,
                page="rebalance")
    by_id = {child.pk: child for child in children}
    if request.method == "POST":
        moves = [(enrollments[m.child.id], users[m.to.coordinator.id]) for m in proposal.moves]
        try:
            moved = services.apply_rebalance(user=request.user, leaving=leaving, moves=moves,
                                             on=timezone.localdate())
            messages.success(request, f"{moved} children moved from {leaving.get_full_name()}.")
            return redirect("center")
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return render(request, "acuity/rebalance.html", {
        "leaving": leaving, "proposal": proposal,
        "moves": [(by_id[m.child.id], m) for m in proposal.moves],
        "unplaced": [(by_id[u.child.id], u) for u in proposal.unplaced]})


def population(request, run_id=None):
    """Population file runs: counts by PMCA class, tier, region and town, and the files."""
    if not policy.can_see_population_runs(request.user):
        raise Http404
    runs = list(PopulationRun.objects.all()[:20])
    run = next((r for r in runs if r.pk == run_id), None) if run_id else (runs[0] if runs
                                                                          else None)
    if run_id and run is None:
        raise Http404
    return render(request, "acuity/population.html", {"runs": runs, "run": run})


def population_file(request, run_id, name):
    if not policy.can_see_population_runs(request.user):
        raise Http404
    run = PopulationRun.objects.filter(pk=run_id).first()
    try:
        path = result_file(run, name) if run else None
    except FileNotFoundError:
        path = None
    if path is None or not path.is_file():
        raise Http404
    record_export("acuity.populationrun", count=run.children, run=run.pk, file=name)
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"{run.pk}-{name}")
