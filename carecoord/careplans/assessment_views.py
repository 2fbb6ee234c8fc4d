"""The screening and assessment pages of a child: the list per instrument with the latest
results, administering an instrument (questions from its data, in English or Spanish), one
administration's result with what it suggests for the care plan, and the change per factor over
time. Views parse, call ``assessments`` and render; every page is audited. Those who may see
the child's record see these pages; only those who may edit it administer (others get 404)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from carecoord.accounts import policy
from carecoord.audit.services import record_list, record_view
from carecoord.families.forms import show_refusal

from . import assessment_display as display
from . import assessments
from .assessment_forms import (
    DECLINED,
    AdministrationForm,
    ScreeningNeedForm,
    answers_from,
    question_views,
)
from .assessment_results import (
    PFS_2,
    SUBSCALE_MEAN,
    UnknownInstrument,
    has_spanish,
    instrument_for,
    method,
    short_title,
    summary_text,
)
from .models import Assessment, Need
from .services import PlanChanged

OBJECT_TYPE = "careplans.assessment"


def _instrument(instrument_id):
    try:
        return instrument_for(instrument_id)
    except UnknownInstrument:
        raise Http404 from None


def _audit_list(child, rows, **detail):
    record_list(OBJECT_TYPE, [row.pk for row in rows], center_id=child.center_id,
                child_id=child.pk, **detail)


# ---------------------------------------------------------------- the list


def assessment_list(request, child_id):
    child = assessments.child_for(request.user, child_id)
    histories = assessments.history(child)
    _audit_list(child, [row for h in histories for row in h.administrations])
    can_edit = policy.can_edit_child(request.user, child)
    sections = []
    for h in histories:
        latest = h.latest
        corrected = {row.corrects_id for row in h.administrations if row.corrects_id}
        latest_two = (assessments.compare_latest(h.administrations)
                      if h.method == SUBSCALE_MEAN else None)
        sections.append({
            "history": h, "instrument": h.instrument, "short_title": short_title(h.instrument),
            "latest": latest, "summary": summary_text(latest.result) if latest else "",
            "rows": [(row, summary_text(row.result), row.pk in corrected)
                     for row in h.administrations],
            "subscales": h.method == SUBSCALE_MEAN,
            "change": latest_two and {
                "earlier": latest_two[0],
                "by_direction": display.by_direction(
                    display.change_rows(latest_two[2], latest_two[1].result["titles"]))},
            "awaiting_licence": h.instrument.awaiting_licensed_items,
        })
    return render(request, "careplans/assessments/list.html", {
        "child": child, "sections": sections, "can_edit": can_edit,
        "pfs2_not_loaded": assessments.PFS2_NOT_LOADED,
    })


# ---------------------------------------------------------------- administering


def _language(request, instrument, child) -> str:
    asked = request.POST.get("language") or request.GET.get("lang")
    if asked not in Assessment.Language.values:
        asked = ("es" if child.preferred_language and child.preferred_language.code == "es"
                 else "en")
    return asked if asked == "en" or has_spanish(instrument) else "en"


def _corrected(request, child, instrument):
    pk = request.POST.get("corrects") or request.GET.get("corrects")
    if not pk:
        return None
    if not str(pk).isdigit():
        raise Http404
    return get_object_or_404(Assessment, pk=pk, child=child, instrument_id=instrument.id)


def _answers_as_data(assessment: Assessment) -> QueryDict:
    data = QueryDict(mutable=True)
    for item_id, given in assessment.answers.items():
        if given is None:
            data.setlist(item_id, [DECLINED])
        else:
            data.setlist(item_id, given if isinstance(given, list) else [given])
    return data


def _split_refusal(error: ValidationError, instrument, form):
    """A service refusal: item errors beside their questions, the rest on the form."""
    item_errors = {}
    if hasattr(error, "error_dict"):
        for key, messages_ in error.message_dict.items():
            if instrument.has_item(key):
                item_errors[key] = messages_
            else:
                form.add_error(key if key in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)
    return item_errors


def assessment_new(request, child_id, instrument_id):
    child = assessments.child_for(request.user, child_id)
    if not policy.can_edit_child(request.user, child):
        raise Http404
    instrument = _instrument(instrument_id)
    language = _language(request, instrument, child)
    corrects = _corrected(request, child, instrument)
    data, item_errors, status = None, {}, 200
    if request.method == "POST":
        form = AdministrationForm(request.POST, child=child)
        answers, item_errors = answers_from(instrument, request.POST)
        data, status = request.POST, 400
        if form.is_valid() and not item_errors:
            try:
                assessment = assessments.administer(
                    user=request.user, child=child, instrument_id=instrument.id,
                    answers=answers, corrects=corrects, language=language,
                    **form.service_arguments())
                messages.success(request, f"{short_title(instrument)} recorded.")
                return redirect("assessment-detail", child_id=child.pk,
                                assessment_id=assessment.pk)
            except ValidationError as error:
                item_errors = _split_refusal(error, instrument, form)
            except PermissionDenied as error:
                show_refusal(form, error)
    elif request.htmx and request.GET.get("partial"):
        # The questions again, with follow-ups shown or hidden by the answers so far (no
        # record is shown, so nothing to audit).
        return render(request, "careplans/assessments/_questions.html", {
            "groups": question_views(instrument, language, request.GET),
            "instrument": instrument, "language": language, "child": child})
    else:
        earlier = assessments.in_effect(assessments.administrations(child, instrument.id))
        initial = {"context": Assessment.Context.REVIEW if earlier else Assessment.Context.INTAKE}
        if corrects is not None:
            data = _answers_as_data(corrects)
            initial.update(context=corrects.context, administered_on=corrects.administered_on,
                           respondent="youth" if corrects.respondent_id is None
                           else str(corrects.respondent_id))
        form = AdministrationForm(initial=initial, child=child)
    record_view(corrects or child)
    groups = question_views(instrument, language, data, item_errors)
    errors = [(view.item.id, e) for group in groups for view in group.items for e in view.errors]
    return render(request, "careplans/assessments/new.html", {
        "child": child, "instrument": instrument, "short_title": short_title(instrument),
        "language": language, "spanish": has_spanish(instrument), "form": form,
        "groups": groups, "item_errors": errors, "corrects": corrects,
        "awaiting_licence": instrument.awaiting_licensed_items,
        "pfs2_not_loaded": assessments.PFS2_NOT_LOADED if instrument.id == PFS_2 else "",
    }, status=status)


# ---------------------------------------------------------------- one result


def _detail(request, child, assessment, *, status=200, need_forms=None, refusals=()):
    record_view(assessment)
    instrument = _instrument(assessment.instrument_id)
    data = assessment.result
    plan = assessments.current_plan(child)
    can_edit = policy.can_edit_child(request.user, child)
    context = {
        "child": child, "assessment": assessment, "instrument": instrument,
        "short_title": short_title(instrument), "data": data, "plan": plan,
        "can_edit": can_edit, "can_suggest": can_edit and plan is not None,
        "refusals": refusals,
        "summary": summary_text(data), "answers": display.answer_rows(instrument, assessment),
        "corrected_by": assessment.corrections.first(),
    }
    if display.is_subscale(data):
        context["subscale_rows"] = display.subscale_rows(data)
        context["scale"] = display.scale(instrument)
        statements = set(plan.goals.values_list("statement", flat=True)) if plan else set()
        context["goals"] = [
            {"subscale_id": i, "title": data["titles"].get(i, i), **data["goals"][i],
             "measure": assessments.suggested_goal_measure(data, i),
             "in_plan": data["goals"][i]["text"] in statements}
            for i in data["suggested_goals"]]
        earlier = [row for row in assessments.in_effect(
            assessments.administrations(child, assessment.instrument_id))
            if (row.administered_on, row.pk) < (assessment.administered_on, assessment.pk)]
        if earlier:
            context["previous"] = earlier[0]
            context["changes"] = display.change_rows(
                assessments.comparison(earlier[0], assessment), data["titles"])
    elif display.is_domain_screen(data):
        context["domain_rows"] = display.domain_rows(data)
        forms = need_forms or {}
        open_needs = set(plan.needs.filter(
            raised_by=Need.RaisedBy.SCREENING, status__in=assessments.STILL_OPEN
        ).values_list("domain__code", flat=True)) if plan else set()
        context["need_forms"] = [
            (i, data["titles"].get(i, i), forms.get(i) or ScreeningNeedForm(
                domain_id=i, prefix=f"need-{i}",
                description=assessments.need_description(assessment, i)),
             bool(open_needs & set(assessments.NEED_DOMAINS_FOR[i])))
            for i in data["positive_domains"] if i in assessments.NEED_DOMAINS_FOR]
    else:
        context["domain_rows"] = display.domain_rows(data)
    return render(request, "careplans/assessments/detail.html", context, status=status)


def _assessment(request, child_id, assessment_id):
    child = assessments.child_for(request.user, child_id)
    assessment = get_object_or_404(
        Assessment.objects.select_related("administered_by", "respondent", "corrects"),
        pk=assessment_id, child=child)
    return child, assessment


def assessment_detail(request, child_id, assessment_id):
    child, assessment = _assessment(request, child_id, assessment_id)
    return _detail(request, child, assessment)


def _editable(request, child_id, assessment_id):
    child, assessment = _assessment(request, child_id, assessment_id)
    if not policy.can_edit_child(request.user, child):
        raise Http404
    expected = request.POST.get("plan_version", "")
    return child, assessment, int(expected) if expected.isdigit() else None


PLAN_CHANGED = ("Not added: the care plan was changed after you opened this page. The page now "
                "shows the plan as it is; add the suggestion again if it still applies.")


@require_POST
def assessment_add_goal(request, child_id, assessment_id, subscale_id):
    child, assessment, expected = _editable(request, child_id, assessment_id)
    if expected is None:
        return _detail(request, child, assessment, status=400,
                       refusals=["The page did not say which plan version it showed."])
    try:
        assessments.add_suggested_goal(user=request.user, assessment=assessment,
                                       subscale_id=subscale_id, expected_version=expected)
    except PlanChanged:
        return _detail(request, child, assessment, status=409, refusals=[PLAN_CHANGED])
    except (ValidationError, PermissionDenied) as error:
        refusals = error.messages if isinstance(error, ValidationError) else [str(error)]
        return _detail(request, child, assessment, status=400, refusals=refusals)
    messages.success(request, "Goal added to the care plan: agree it with the family.")
    return redirect(reverse("assessment-detail", args=[child.pk, assessment.pk]) + "#suggestions")


@require_POST
def assessment_add_need(request, child_id, assessment_id, domain_id):
    child, assessment, expected = _editable(request, child_id, assessment_id)
    if domain_id not in assessments.NEED_DOMAINS_FOR:
        raise Http404
    form = ScreeningNeedForm(request.POST, domain_id=domain_id, prefix=f"need-{domain_id}")
    status = 400
    if form.is_valid() and expected is not None:
        try:
            assessments.add_screening_need(
                user=request.user, assessment=assessment, domain_id=domain_id,
                expected_version=expected, **form.cleaned_data)
            messages.success(request, "Need added to the care plan.")
            return redirect(reverse("assessment-detail", args=[child.pk, assessment.pk])
                            + "#suggestions")
        except PlanChanged:
            form.add_error(None, PLAN_CHANGED)
            status = 409
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    elif expected is None:
        form.add_error(None, "The page did not say which plan version it showed.")
    return _detail(request, child, assessment, status=status, need_forms={domain_id: form})


# ---------------------------------------------------------------- change over time


def assessment_history(request, child_id, instrument_id):
    child = assessments.child_for(request.user, child_id)
    instrument = _instrument(instrument_id)
    if method(instrument) != SUBSCALE_MEAN:
        raise Http404  # only subscale instruments have factors to follow over time
    rows = assessments.in_effect(assessments.administrations(child, instrument.id))
    _audit_list(child, rows, page="history")
    by_pk = {str(row.pk): row for row in rows}
    context = {"child": child, "instrument": instrument,
               "short_title": short_title(instrument), "rows": rows,
               "over_time": display.over_time(rows), "scale": display.scale(instrument)}
    if len(rows) >= 2:
        later = by_pk.get(request.GET.get("b", ""), rows[0])
        earlier = by_pk.get(request.GET.get("a", ""), rows[1])
        if (earlier.administered_on, earlier.pk) > (later.administered_on, later.pk):
            earlier, later = later, earlier
        context.update(earlier=earlier, later=later, changes=display.change_rows(
            assessments.comparison(earlier, later), later.result["titles"]))
    return render(request, "careplans/assessments/history.html", context)

