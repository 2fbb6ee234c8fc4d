"""Technical assistance pages: the hub's overview or a center's history, requests with their
steps and comments, consultations, trainings, follow-ups and the shared library. Views parse and
render; the rules live in services, selectors and the access policy."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from carecoord.accounts import policy
from carecoord.audit.services import record_export, record_list, record_view
from carecoord.families.forms import show_refusal
from carecoord.families.selectors import last_change
from carecoord.families.services import EditConflict

from . import selectors, services, topics, uploads
from .forms import (
    STEP_FORMS,
    CommentForm,
    ConsultationEditForm,
    ConsultationForm,
    FollowUpForm,
    LibraryItemForm,
    RequestEditForm,
    RequestForm,
    TrainingEditForm,
    TrainingForm,
)


def _require(allowed: bool):
    # Out of scope looks exactly like not there: 404, never 403.
    if not allowed:
        raise Http404


def _is_hub(request) -> bool:
    return policy.can_give_technical_assistance(request.user)


def home(request):
    user = request.user
    _require(policy.can_see_ta_library(user))
    context = {"is_hub": _is_hub(request),
               "sees_history": policy.ta_centers_for(user).exists(),
               "library_count": selectors.library(user).count()}
    if context["is_hub"]:
        context.update(selectors.hub_overview(user))
    elif context["sees_history"]:
        context.update(selectors.center_history(user))
        record_list("technicalassistance.tarequest",
                    [r.pk for r in context["open_requests"] + context["resolved_requests"]],
                    center_id=user.center_id)
    return render(request, "technicalassistance/home.html", context)


# ---------------------------------------------------------------- requests


def request_new(request):
    _require(_is_hub(request))
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ta_request = services.log_request(user=request.user,
                                              request=form.save(commit=False))
            messages.success(request, f"Request from {ta_request.center} logged.")
            return redirect("ta-request-detail", request_id=ta_request.pk)
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    return render(request, "technicalassistance/form.html", {
        "form": form, "title": "Log a technical assistance request",
    }, status=400 if request.method == "POST" else 200)


def _request_page(request, ta_request, *, bound=None, comment_form=None, conflict=None,
                  status=200):
    is_hub = _is_hub(request)
    step_forms = []
    if is_hub:
        for action in ta_request.next_actions():
            form = (bound if bound is not None and bound.prefix == action
                    else STEP_FORMS[action](prefix=action))
            step_forms.append((action, form))
    refusals = ([e for errors in bound.errors.values() for e in errors]
                if bound is not None and bound not in dict(step_forms).values() else [])
    may_comment = policy.can_comment_on_ta_request(request.user, ta_request)
    return render(request, "technicalassistance/request_detail.html", {
        "ta_request": ta_request, "is_hub": is_hub, "step_forms": step_forms,
        "refusals": refusals, "conflict": conflict,
        "comment_form": comment_form or (CommentForm() if may_comment else None),
    }, status=status)


def request_detail(request, request_id):
    ta_request = selectors.request_of(request.user, request_id)
    record_view(ta_request)
    return _request_page(request, ta_request)


@require_POST
def request_step(request, request_id, step):
    """Record a step of a request: the work started, the request resolved."""
    ta_request = selectors.request_of(request.user, request_id)
    _require(_is_hub(request) and step in STEP_FORMS)
    form = STEP_FORMS[step](request.POST, prefix=step)
    expected = request.POST.get("version", "")
    if form.is_valid() and expected.isdigit():
        write = services.start_request if step == "start" else services.resolve_request
        try:
            write(user=request.user, request=ta_request, expected_version=int(expected),
                  **form.cleaned_data)
            messages.success(request, f"{form.title}: saved.")
            return redirect("ta-request-detail", request_id=ta_request.pk)
        except EditConflict as changed:
            current = selectors.request_of(request.user, changed.current.pk)
            return _request_page(request, current, bound=form, status=409,
                                 conflict=_who_changed(current))
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    return _request_page(request, ta_request, bound=form, status=400)


@require_POST
def request_comment(request, request_id):
    ta_request = selectors.request_of(request.user, request_id)
    _require(policy.can_comment_on_ta_request(request.user, ta_request))
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment(user=request.user, request=ta_request,
                             body=form.cleaned_data["body"])
            messages.success(request, "Comment added.")
            return redirect("ta-request-detail", request_id=ta_request.pk)
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    return _request_page(request, ta_request, comment_form=form, status=400)


# ---------------------------------------------------------------- versioned edits


def _who_changed(current) -> dict:
    change = last_change(current)
    return {"by": change.actor_username if change else "someone else",
            "at": change.at if change else None}


def _edit(request, record, form_class, title, done_url):
    """The hub edits a record others may be editing: a save from an older version is refused
    and the other person's change shown beside the user's entry."""
    _require(_is_hub(request))
    form = form_class(request.POST or None, instance=record)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_record(user=request.user, record=record, changes=form.changes(),
                                   many_to_many=form.many_to_many(),
                                   expected_version=form.cleaned_data["version"])
            messages.success(request, "Saved.")
            return redirect(done_url)
        except EditConflict as refused:
            current = refused.current
            conflict = {**_who_changed(current), "differences": [
                {"label": form.fields[name].label, "theirs": getattr(current, name),
                 "mine": mine}
                for name, mine in form.changes().items() if getattr(current, name) != mine]}
            data = form.data.copy()
            data["version"] = current.version
            form.data = data
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    status = 409 if conflict else (400 if request.method == "POST" else 200)
    return render(request, "technicalassistance/edit.html", {
        "form": form, "title": title, "conflict": conflict, "back": done_url,
    }, status=status)


def request_edit(request, request_id):
    ta_request = selectors.request_of(request.user, request_id)
    return _edit(request, ta_request, RequestEditForm, f"Edit the request “{ta_request.subject}”",
                 reverse("ta-request-detail", args=[ta_request.pk]))


def consultation_edit(request, consultation_id):
    consultation = selectors.consultation_of(request.user, consultation_id)
    return _edit(request, consultation, ConsultationEditForm, f"Edit the {consultation}",
                 reverse("ta-consultation-detail", args=[consultation.pk]))


def training_edit(request, training_id):
    training = selectors.training_of(request.user, training_id)
    return _edit(request, training, TrainingEditForm, f"Edit {training}",
                 reverse("ta-training-detail", args=[training.pk]))


# ---------------------------------------------------------------- consultations and trainings


def consultation_new(request):
    _require(_is_hub(request))
    on_request = None
    request_id = request.GET.get("request", "")
    if request_id:
        _require(request_id.isdigit())
        on_request = selectors.request_of(request.user, int(request_id))
    form = ConsultationForm(request.POST or None, on_request=on_request)
    if request.method == "POST" and form.is_valid():
        try:
            consultation = services.log_consultation(
                user=request.user, consultation=form.save(commit=False),
                centers=form.cleaned_data["centers"], request=on_request,
                attendees_text=form.cleaned_data["attendees"])
            messages.success(request, "Consultation logged.")
            return redirect("ta-consultation-detail", consultation_id=consultation.pk)
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    title = (f"Log a consultation on “{on_request.subject}” ({on_request.center})"
             if on_request else "Log a consultation")
    return render(request, "technicalassistance/form.html", {"form": form, "title": title},
                  status=400 if request.method == "POST" else 200)


def consultation_detail(request, consultation_id):
    consultation = selectors.consultation_of(request.user, consultation_id)
    record_view(consultation)
    return render(request, "technicalassistance/consultation_detail.html", {
        "consultation": consultation, "is_hub": _is_hub(request),
        "follow_up_form": FollowUpForm(prefix="followup") if _is_hub(request) else None,
    })


def training_new(request):
    _require(_is_hub(request))
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            training = services.log_training(
                user=request.user, training=form.save(commit=False),
                centers=form.cleaned_data["centers"], materials=form.cleaned_data["materials"],
                attendees_text=form.cleaned_data["attendees"])
            messages.success(request, f"{training.title}: logged.")
            return redirect("ta-training-detail", training_id=training.pk)
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    return render(request, "technicalassistance/form.html", {
        "form": form, "title": "Log a training", "multipart": False,
    }, status=400 if request.method == "POST" else 200)


def training_detail(request, training_id):
    training = selectors.training_of(request.user, training_id)
    record_view(training)
    return render(request, "technicalassistance/training_detail.html", {
        "training": training, "is_hub": _is_hub(request),
        "follow_up_form": FollowUpForm(prefix="followup") if _is_hub(request) else None,
    })


_PARENTS = {"consultations": (selectors.consultation_of, "ta-consultation-detail",
                              "technicalassistance/consultation_detail.html", "consultation"),
            "trainings": (selectors.training_of, "ta-training-detail",
                          "technicalassistance/training_detail.html", "training")}


@require_POST
def follow_up_new(request, kind, parent_id):
    _require(kind in _PARENTS)
    find, detail, template, name = _PARENTS[kind]
    parent = find(request.user, parent_id)
    _require(_is_hub(request))
    form = FollowUpForm(request.POST, prefix="followup")
    if form.is_valid():
        try:
            services.add_follow_up(user=request.user, parent=parent,
                                   follow_up=form.save(commit=False))
            messages.success(request, "Follow-up added.")
            return redirect(detail, parent.pk)
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    return render(request, template, {name: parent, "is_hub": True, "follow_up_form": form},
                  status=400)


@require_POST
def follow_up_done(request, follow_up_id):
    _require(_is_hub(request))
    follow_up = get_object_or_404(selectors.follow_ups_for(request.user), pk=follow_up_id)
    try:
        services.mark_follow_up_done(user=request.user, follow_up=follow_up)
        messages.success(request, f"Done: {follow_up.description}")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if request.POST.get("next") == "home":
        return redirect("ta-home")
    return redirect(url_of(follow_up.consultation or follow_up.training))


def url_of(parent) -> str:
    if parent.__class__.__name__ == "Consultation":
        return reverse("ta-consultation-detail", args=[parent.pk])
    return reverse("ta-training-detail", args=[parent.pk])


# ---------------------------------------------------------------- the library


def library(request):
    _require(policy.can_see_ta_library(request.user))
    topic = request.GET.get("topic", "")
    if topic and topic not in topics.catalog():
        topic = ""
    return render(request, "technicalassistance/library.html", {
        "items": selectors.library(request.user, topic), "topic": topic,
        "topics": topics.choices(), "is_hub": _is_hub(request),
    })


def library_upload(request):
    _require(_is_hub(request))
    form = LibraryItemForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = services.add_library_item(
                user=request.user, item=form.save(commit=False),
                upload=form.cleaned_data["file"], services=form.cleaned_data["services"])
            messages.success(request, f"{item.title}: added to the library.")
            return redirect("ta-library")
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    return render(request, "technicalassistance/form.html", {
        "form": form, "title": "Add to the library", "multipart": True,
    }, status=400 if request.method == "POST" else 200)


def library_download(request, item_id):
    item = selectors.library_item_of(request.user, item_id)
    try:
        with item.file.open("rb") as handle:
            content = handle.read()  # at most 10 MB
    except FileNotFoundError:
        raise Http404 from None
    record_export("technicalassistance.libraryitem", count=1, center_id=request.user.center_id,
                  item=item.pk, title=item.title)
    response = HttpResponse(content, content_type=uploads.CONTENT_TYPES[item.kind])
    response["Content-Disposition"] = content_disposition_header(True, item.original_name)
    return response
