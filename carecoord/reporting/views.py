"""The program measures page and its downloads (CSV, XLSX). Views parse the filters, ask the
access policy what the reader may see, and render what measures.compute returns: the page and
both downloads are built from the same Report, so they cannot disagree."""

import csv
import io

from django.http import Http404, HttpResponse
from django.shortcuts import render

from carecoord.accounts import policy
from carecoord.audit.services import record_export, record_list

from . import measures, selectors
from .forms import ReportForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(request):
    """(form, report or None, context) for the reader, or 404 outside the measures' readers."""
    user = request.user
    centers = policy.program_measure_centers_for(user).select_related("region")
    if not centers.exists():
        raise Http404
    drill_down = policy.can_drill_down_to_coordinators(user)
    form = ReportForm(request.GET, centers=centers, drill_down=drill_down)
    if not form.is_valid():
        return form, None, {}
    data = form.cleaned_data
    chosen = [data["center"]] if data.get("center") else list(centers)
    own = policy.program_measures_own_center_ids(user)
    by = data["by"] if drill_down else selectors.CENTER
    if by == selectors.COORDINATOR:
        center = chosen[0]
        labels = selectors.coordinators_of(center.pk)
        columns = measures.Columns(
            [*labels.items(), (None, "No coordinator")], own=frozenset([*labels, None]),
            total_label=center.short_name)
    else:
        columns = measures.Columns([(c.pk, c.short_name) for c in chosen],
                                   own=frozenset(c.pk for c in chosen if c.pk in own),
                                   total_label="All centers" if len(chosen) > 1 else "")
    scope = selectors.Scope(start=data["start"], end=data["end"],
                            center_ids=tuple(c.pk for c in chosen), by=by,
                            tier=data.get("tier"), discipline=data.get("discipline") or "")
    report = measures.compute(scope, columns)
    described = {"start": scope.start.isoformat(), "end": scope.end.isoformat(), "by": by,
                 "tier": scope.tier or "", "discipline": scope.discipline,
                 "suppressed": report.suppressed}
    return form, report, {"centers": [c.pk for c in chosen], "described": described}


def reports(request):
    form, report, meta = _report(request)
    if report is None:
        return render(request, "reporting/reports.html", {"form": form}, status=400)
    record_list("reporting.measures", meta["centers"], center_id=request.user.center_id,
                **meta["described"])
    return render(request, "reporting/reports.html", {
        "form": form, "report": report, "query": request.GET.urlencode(),
        "suppression_note": measures.SUPPRESSION_NOTE,
    })


def _filename(report, extension: str) -> str:
    return f"program-measures-{report.start}-to-{report.end}.{extension}"


def reports_csv(request):
    form, report, meta = _report(request)
    if report is None:
        return render(request, "reporting/reports.html", {"form": form}, status=400)
    rows = measures.flat_rows(report)
    record_export("reporting.measures", count=len(rows), center_id=request.user.center_id,
                  format="csv", centers=meta["centers"], **meta["described"])
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "csv")}"'
    writer = csv.writer(response)
    writer.writerow(measures.HEADER)
    writer.writerows(rows)
    if report.suppressed:
        writer.writerow(["note", measures.SUPPRESSION_NOTE])
    return response


def reports_xlsx(request):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    form, report, meta = _report(request)
    if report is None:
        return render(request, "reporting/reports.html", {"form": form}, status=400)
    rows = measures.flat_rows(report)
    record_export("reporting.measures", count=len(rows), center_id=request.user.center_id,
                  format="xlsx", centers=meta["centers"], **meta["described"])
    book = Workbook()
    sheet = book.active
    sheet.title = "Measures"
    sheet.append(measures.HEADER)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    if report.suppressed:
        sheet.append([])
        sheet.append(["note", measures.SUPPRESSION_NOTE])
    sheet.freeze_panes = "A2"
    about = book.create_sheet("Definitions")
    fields = ("id", "name", "unit", "definition", "numerator", "denominator", "exclusions",
              "source")
    about.append(list(fields))
    for cell in about[1]:
        cell.font = Font(bold=True)
    for table in report.tables:
        about.append([getattr(table.measure, f) for f in fields])
    about.append([])
    about.append(["period", f"{report.start} to {report.end}"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "xlsx")}"'
    return response
