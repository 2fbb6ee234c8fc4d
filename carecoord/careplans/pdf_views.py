"""The care plan PDF page: `?language=es|en&version=N|draft`. Whoever may read the care plan
may print it; every copy printed is an audited export."""

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from carecoord.audit.services import record_export

from . import pdf, pdf_text, selectors, services
from .models import CarePlan

DRAFT = "draft"


def _version(plan: CarePlan, requested: str):
    """The agreed version asked for, or None for the working copy. Without a choice: the
    current version of an agreed plan, else the working copy. An agreed plan has no draft to
    print (its working copy is that version plus recorded progress)."""
    agreed = plan.status == CarePlan.Status.AGREED and plan.current_version_id is not None
    if not requested:
        requested = str(plan.current_version.number) if agreed else DRAFT
    if requested == DRAFT:
        if agreed:
            raise Http404
        return None
    if not requested.isdigit():
        raise Http404
    return selectors.plan_version(plan, int(requested))


@require_safe
def care_plan_pdf(request, child_id):
    child, plan, _ = selectors.plan_for_child(request.user, child_id)
    if plan is None:
        raise Http404
    version = _version(plan, request.GET.get("version", ""))
    snapshot = version.snapshot if version is not None else services.snapshot(plan)
    language = request.GET.get("language") or pdf.default_language(
        snapshot.get("language") or plan.language.code)
    if language not in pdf_text.LANGUAGES:
        return HttpResponseBadRequest(
            f"The care plan prints in {', '.join(pdf_text.LANGUAGES)}.",
            content_type="text/plain; charset=utf-8")

    t = pdf_text.text(language)
    initials = f"{child.first_name[:1]}{child.last_name[:1]}".upper()
    label = f"v{version.number}" if version is not None else t["file_draft"]
    response = HttpResponse(content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, f"{t['file_name']}-{initials}-{label}.pdf")
    response["Cache-Control"] = "private, no-store"
    if request.method == "HEAD":
        return response  # the headers only: nothing printed, nothing exported

    numbers = [v.number for v in plan.versions.all()]
    newer = max(numbers) if version is not None and max(numbers) > version.number else None
    if version is None:
        review_due_on = plan.review_due_on
    elif version.pk == plan.current_version_id:
        review_due_on = plan.review_due_on or version.review_due_on  # a review called early
    else:
        review_due_on = version.review_due_on
    context = pdf.document(
        snapshot, language=language, child_name=child.full_name,
        date_of_birth=child.date_of_birth, people=pdf.people_around(child, plan),
        printed_on=timezone.localdate(), version=version, review_due_on=review_due_on,
        newer_version=newer, domain_labels_es=pdf.spanish_domain_labels())
    response.content = pdf.render(context)
    record_export("careplans.careplan", count=1, center_id=plan.center_id, child_id=child.pk,
                  plan_id=plan.pk, version=version.number if version is not None else DRAFT,
                  language=language)
    return response
