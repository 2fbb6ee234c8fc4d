from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from carecoord.accounts import policy
from carecoord.audit.services import record_list
from carecoord.families.forms import apply_form

from . import selectors, services
from .forms import IntroduceForm, MatchStatusForm, ProposeForm, SupportParentForm

SHOWN_SUGGESTIONS = 5


def peer_support(request, child_id, bound=None):
    """The family's peer support: matches so far, support parents who fit, and whether a
    parent of this household volunteers to support others."""
    child, matches, suggestions, own = selectors.peer_support_for_child(request.user, child_id)
    record_list("peersupport.peermatch", [m.pk for m in matches], center_id=child.center_id,
                child_id=child.pk, supporters=[s.pk for s, _ in suggestions])
    bound = bound or {}
    can_edit = policy.can_edit_child(request.user, child)
    today = timezone.localdate()
    for match in matches:
        match.introduce_form = bound.get(("introduce", match.pk)) or IntroduceForm(
            prefix=f"introduce-{match.pk}", initial={"introduced_on": today})
        match.status_form = bound.get(("status", match.pk)) or MatchStatusForm(
            prefix=f"status-{match.pk}")
    supporters = [s for s, _ in suggestions]
    return render(request, "peersupport/peer_support.html", {
        "child": child, "matches": matches, "suggestions": suggestions[:SHOWN_SUGGESTIONS],
        "own": own, "can_edit": can_edit,
        "propose_form": bound.get("propose") or ProposeForm(supporters=supporters),
        "volunteer_form": bound.get("volunteer") or SupportParentForm(child=child),
    }, status=400 if bound else 200)


def _editable(request, child_id):
    child, matches, suggestions, _ = selectors.peer_support_for_child(request.user, child_id)
    if not policy.can_edit_child(request.user, child):
        raise Http404
    return child, matches, suggestions


def _answer(request, child, form, key, write):
    return apply_form(request, form, write, reverse("peer-support", args=[child.pk]),
                      lambda bound: peer_support(request, child.pk, bound={key: bound}))


@require_POST
def volunteer(request, child_id):
    child, *_ = _editable(request, child_id)
    form = SupportParentForm(request.POST, child=child)

    def write(_):
        supporter = services.register_supporter(user=request.user, child=child,
                                                supporter=form.save(commit=False))
        return f"{supporter.guardian} is now a support parent."
    return _answer(request, child, form, "volunteer", write)


@require_POST
def propose(request, child_id):
    child, _, suggestions = _editable(request, child_id)
    form = ProposeForm(request.POST, supporters=[s for s, _ in suggestions])

    def write(data):
        services.propose_match(user=request.user, child=child, **data)
        return "Match proposed: ask both families for their consent to share contact details."
    return _answer(request, child, form, "propose", write)


@require_POST
def introduce(request, child_id, match_id):
    child, matches, _ = _editable(request, child_id)
    match = selectors.match_of(matches, match_id)
    form = IntroduceForm(request.POST, prefix=f"introduce-{match.pk}")

    def write(data):
        services.introduce(user=request.user, match=match, on=data["introduced_on"])
        return "The families are introduced."
    return _answer(request, child, form, ("introduce", match.pk), write)


@require_POST
def match_status(request, child_id, match_id):
    child, matches, _ = _editable(request, child_id)
    match = selectors.match_of(matches, match_id)
    form = MatchStatusForm(request.POST, prefix=f"status-{match.pk}")

    def write(data):
        services.change_status(user=request.user, match=match, **data)
        return "Match updated."
    return _answer(request, child, form, ("status", match.pk), write)
