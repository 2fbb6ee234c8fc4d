"""The analysts' page: pick a year and a center, see Form 5a's counts, the measures and the
validation problems, and download the export's files (each download audited)."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from carecoord.accounts import policy
from carecoord.audit.services import record_export, record_list

from . import coverage, export, selectors
from .deidentify import person_pseudo_id
from .forms import ReportForm
from .periods import FederalFiscalYear

PROBLEMS_SHOWN = 100
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json"}


def _scope(request, scope: str | None):
    """(the centers the user may report on by code, the centers asked for), or 404."""
    allowed = selectors.centers_by_code(
        policy.reporting_centers_for(request.user).select_related("region"))
    if not allowed:
        raise Http404
    if scope is None:
        scope = export.ALL_CENTERS if len(allowed) > 1 else next(iter(allowed))
    if scope == export.ALL_CENTERS and len(allowed) > 1:
        return allowed, list(allowed.values())
    if scope in allowed:
        return allowed, [allowed[scope]]
    raise Http404


def report(request):
    allowed, chosen = _scope(request, request.GET.get("center"))
    years = selectors.reporting_years(timezone.localdate())
    form = ReportForm({"year": request.GET.get("year", years[0].year),
                       "center": export.scope_of(chosen)}, years=years, centers=allowed)
    if not form.is_valid():
        return render(request, "titlev/report.html", {"form": form}, status=400)
    ffy = FederalFiscalYear(form.cleaned_data["year"])
    scope = export.scope_of(chosen)
    served = selectors.served(ffy, [c.pk for c in chosen])
    counts = selectors.counts(served)
    found = selectors.problems(served)
    shown = found[:PROBLEMS_SHOWN]
    visible = set(policy.children_for(request.user).filter(
        pk__in=[p.child_id for p in shown]).values_list("pk", flat=True))
    names = selectors.child_names(visible)
    code_of = {c.pk: code for code, c in allowed.items()}
    if visible:
        record_list("families.child", sorted(visible), center_id=request.user.center_id,
                    page="titlev", reporting_ffy=ffy.year)
    identified = policy.identified_for(request.user, chosen,
                                       selectors.identified_centers([c.pk for c in chosen]))
    by_center = [{"center": c, "code": code, "total": counts.total(c.pk),
                  "infants": counts.total(c.pk, selectors.INFANT),
                  "children": counts.total(c.pk, selectors.CHILD),
                  "others": counts.total(c.pk, selectors.OTHER),
                  "cshcn": counts.cyshcn(c.pk),
                  "categories": [counts.total(c.pk, None, k) for k in coverage.CATEGORIES]}
                 for code, c in allowed.items() if c in chosen]
    return render(request, "titlev/report.html", {
        "form": form, "ffy": ffy, "scope": scope, "chosen": chosen,
        "scope_label": chosen[0].name if len(chosen) == 1 else "all centers",
        "categories": coverage.CATEGORIES.values(),
        "table": counts.table(),
        "by_center": by_center if len(chosen) > 1 else [],
        "all_centers_sum": counts.total(),
        "unduplicated": counts.unduplicated_total,
        "programs": [(p, counts.program(p), coverage.CATEGORIES[c])
                     for p, c in coverage.PROGRAM_CATEGORY.items()],
        "measures": selectors.measures(served, ffy),
        "state_measures": selectors.state_measures(),
        "problems": [{"problem": p, "center": code_of[p.center_id],
                      "name": names.get(p.child_id), "pseudo": person_pseudo_id(p.child_id)}
                     for p in shown],
        "problem_count": len(found),
        "identified": identified,
    })


def download(request, year, scope, name):
    _, chosen = _scope(request, scope)
    if name not in export.FILES:
        raise Http404
    if year not in {y.year for y in selectors.reporting_years(timezone.localdate())}:
        raise Http404
    center_id = chosen[0].pk if len(chosen) == 1 else None
    if name in export.DICTIONARY_FILES:
        body, file_name = export.render_dictionary(name), export.DICTIONARY_FILES[name]
        record_export("titlev.dictionary", count=0, center_id=center_id, file=name)
    else:
        identified = policy.identified_for(
            request.user, chosen, selectors.identified_centers([c.pk for c in chosen]))
        result = export.build(FederalFiscalYear(year), chosen, identified=identified)
        body, file_name = export.render(result, name), result.file_name(name)
        record_export("titlev.export", count=len(result.problems) if name == "problems.csv"
                      else len(result.rows), center_id=center_id, reporting_ffy=year,
                      scope=result.scope, file=name, identified=identified)
    response = HttpResponse(body, content_type=CONTENT_TYPES[name.rsplit(".", 1)[1]])
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
