"""Bulk Data Access (FHIR Bulk Data IG 2.0): `$export` at the system, Patient and Group level.

Kick-off (`GET` with `Prefer: respond-async`) answers 202 with the status URL in
Content-Location; the status URL answers 202 with X-Progress while the job runs, then 200 with
the manifest (one NDJSON file per type), or 500 with an OperationOutcome if the job failed;
`DELETE` on it cancels the export (202) or removes a finished one. Files are read with the
same token (`requiresAccessToken: true`). A Group is a center's enrolled children: its id is
`center-<n>` as the center's Organization."""

import datetime

from django.conf import settings
from django.db import transaction
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone

from carecoord.accounts.models import Center

from .. import bulk
from ..mapping import common
from ..models import BulkExport
from ..smart import scopes
from ..smart.scopes import READ
from .auth import fhir_api, require
from .responses import FhirError, fhir_response, printable

NDJSON = "application/fhir+ndjson"
OUTPUT_FORMATS = {NDJSON, "application/ndjson", "ndjson"}
SUPPORTED = {"_outputFormat", "_since", "_type"}


@fhir_api
def kick_off_system(request, authorized):
    return _kick_off(request, authorized, BulkExport.Level.SYSTEM)


@fhir_api
def kick_off_patient(request, authorized):
    return _kick_off(request, authorized, BulkExport.Level.PATIENT)


@fhir_api
def kick_off_group(request, authorized, group_id):
    center_id = common.parse_prefixed_id(group_id, "center")
    center = Center.objects.filter(pk=center_id).first() if center_id else None
    if center is None:
        raise FhirError(404, f"Group/{printable(group_id[:64])} is not known to this server "
                             "(a Group is a center's enrolled children: center-<n>).",
                        "Group.id")
    return _kick_off(request, authorized, BulkExport.Level.GROUP, center)


def _kick_off(request, authorized, level, center=None):
    if request.method not in ("GET", "POST"):
        raise FhirError(405, f"{request.method} is not supported: kick off an export with GET.",
                        headers={"Allow": "GET"})
    if "respond-async" not in request.headers.get("Prefer", ""):
        raise FhirError(400, "An export runs in the background: send 'Prefer: respond-async'.",
                        "Prefer")
    params = request.GET
    for name in params:
        if name not in SUPPORTED:
            raise FhirError(400, f"{name} is not supported by this server's $export "
                                 f"(supported: {', '.join(sorted(SUPPORTED))}).", name)
    output_format = params.get("_outputFormat", NDJSON)
    if output_format not in OUTPUT_FORMATS:
        raise FhirError(400, f"_outputFormat: {printable(output_format[:64])} is not "
                             "supported; this server writes application/fhir+ndjson.",
                        "_outputFormat")
    since = _since(params.get("_since"))
    allowed = bulk.exportable_types(level)
    if "_type" in params:
        types = list(dict.fromkeys(t.strip() for value in params.getlist("_type")
                                   for t in value.split(",") if t.strip()))
        for resource_type in types:
            if resource_type not in allowed:
                raise FhirError(400, f"_type: {printable(resource_type[:64])} cannot be "
                                     f"exported at this level (types: {', '.join(allowed)}).",
                                "_type")
            require(authorized, resource_type, READ)
    else:
        types = [t for t in allowed if scopes.allows(authorized.grant, t, READ)]
        if not types:
            require(authorized, "Patient", READ)
    export = BulkExport.objects.create(
        client=authorized.client, level=level, group_center=center, types=types, since=since,
        request_url=request.build_absolute_uri()[:1000])
    transaction.on_commit(lambda: _enqueue(export.pk))
    response = fhir_response(_information(f"Export {export.pk} accepted: poll the URL in "
                                          "Content-Location."), 202)
    response["Content-Location"] = request.build_absolute_uri(
        reverse("fhir-export-status", args=[export.pk]))
    return response


def _enqueue(export_id):
    from .. import tasks

    tasks.write_export(str(export_id))


def _since(value: str | None) -> datetime.datetime | None:
    if value is None:
        return None
    try:
        since = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        since = None
    if since is None or since.tzinfo is None or "T" not in value:
        raise FhirError(400, f"_since: {printable(value[:64])} is not a FHIR instant "
                             "(e.g. 2026-01-01T00:00:00Z, with its time zone).", "_since")
    if since > timezone.now():
        raise FhirError(400, "_since is in the future.", "_since")
    return since


def _information(text: str) -> dict:
    return {"resourceType": "OperationOutcome",
            "issue": [{"severity": "information", "code": "informational", "diagnostics": text}]}


def _export_of(authorized, export_id) -> BulkExport:
    """The client's own export; another client's is as unknown as a missing one."""
    export = BulkExport.objects.filter(pk=export_id, client=authorized.client).first()
    if export is None:
        raise FhirError(404, "No such export (or it was removed).", "$export")
    return export


@fhir_api
def status(request, authorized, export_id):
    export = _export_of(authorized, export_id)
    if request.method == "DELETE":
        BulkExport.objects.filter(pk=export.pk).update(
            status=BulkExport.Status.CANCELLED, finished_at=timezone.now())
        if export.status != BulkExport.Status.IN_PROGRESS and bulk.folder(export).exists():
            bulk.discard(bulk.folder(export))
        return fhir_response(_information("The export is cancelled and its files removed."),
                             202)
    if request.method != "GET":
        raise FhirError(405, f"{request.method} is not supported here (GET or DELETE).",
                        headers={"Allow": "GET, DELETE"})
    if export.status in (BulkExport.Status.ACCEPTED, BulkExport.Status.IN_PROGRESS):
        response = fhir_response(_information("Not finished yet."), 202)
        response["X-Progress"] = export.progress or export.get_status_display()
        response["Retry-After"] = "2"
        return response
    if export.status == BulkExport.Status.FAILED:
        raise FhirError(500, export.error or "The export failed.", code="exception")
    if export.status == BulkExport.Status.CANCELLED:
        raise FhirError(404, "The export was cancelled.", "$export")
    files = [{"type": item["type"], "count": item["count"],
              "url": request.build_absolute_uri(reverse(
                  "fhir-export-file", args=[export.pk, item["file"]]))}
             for item in export.output]
    manifest = {
        "transactionTime": common.instant(export.transaction_time),
        "request": export.request_url,
        "requiresAccessToken": True,
        "output": files,
        "error": [],
    }
    response = fhir_response(manifest, 200)
    response["Expires"] = (export.finished_at + datetime.timedelta(
        hours=settings.FHIR_EXPORT_KEEP_HOURS)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    return response


@fhir_api
def file(request, authorized, export_id, name):
    export = _export_of(authorized, export_id)
    listed = {item["file"] for item in export.output}
    path = bulk.folder(export) / name
    if export.status != BulkExport.Status.COMPLETE or name not in listed or not path.exists():
        raise FhirError(404, "No such file in this export.", "$export")
    response = FileResponse(open(path, "rb"), content_type=NDJSON)
    response["Cache-Control"] = "no-store"
    return response
