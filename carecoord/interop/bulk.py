"""Bulk Data `$export`: what an export holds, and the job that writes it.

An export covers the resources the client may read (the same search as the API's, from
`policy.children_for_practice`), of the types asked for, changed since `_since` when given; a
Group export keeps only the children enrolled at that center. Each type is written to its own
NDJSON file, under a temporary name until it is complete, so a client never downloads half a
file. The job claims its export before working (an export runs once even when two workers
pick it up), checks between pages whether the client cancelled, and records in the audit log
what it exported: one event per center, with the children and the count of resources."""

import datetime
import json
import os
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from carecoord.accounts import policy
from carecoord.audit.context import Actor, acting_as
from carecoord.audit.models import Action
from carecoord.audit.services import record_event

from . import query
from .api.resources import KINDS
from .models import BulkExport

PAGE = 1000
# Types outside the patient compartment: a Patient or Group export leaves them out.
NOT_ABOUT_A_PATIENT = ("Practitioner", "PractitionerRole", "Organization")


def exportable_types(level: str) -> list[str]:
    types = list(KINDS)
    if level != BulkExport.Level.SYSTEM:
        types = [t for t in types if t not in NOT_ABOUT_A_PATIENT]
    return types


def folder(export: BulkExport) -> Path:
    return Path(settings.FHIR_EXPORT_DIR) / str(export.pk)


def file_name(resource_type: str) -> str:
    return f"{resource_type}.ndjson"


def group_children(practice_id: int, center_id: int):
    """The children of a center's Group: enrolled there now, within the client's scope."""
    return policy.children_for_practice(practice_id).filter(
        Q(center_id=center_id) & Q(enrollments__discharge_date__isnull=True)).distinct()


def run(export_id) -> str:
    """Write the export (the background job). Returns its final status."""
    now = timezone.now()
    claimed = BulkExport.objects.filter(pk=export_id, status=BulkExport.Status.ACCEPTED).update(
        status=BulkExport.Status.IN_PROGRESS, started_at=now, transaction_time=now)
    export = BulkExport.objects.select_related("client").get(pk=export_id)
    if not claimed:
        return export.status
    target = folder(export)
    target.mkdir(parents=True, exist_ok=True)
    try:
        with acting_as(Actor(username=export.client.audit_name, path="$export")):
            output, exported = _write(export, target)
            if output is None:
                discard(target)
                return BulkExport.Status.CANCELLED
            _audit(export, exported)
    except Exception as error:  # the client must learn it failed, and why
        discard(target)
        BulkExport.objects.filter(pk=export.pk).update(
            status=BulkExport.Status.FAILED, finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:2000])
        raise
    BulkExport.objects.filter(pk=export.pk, status=BulkExport.Status.IN_PROGRESS).update(
        status=BulkExport.Status.COMPLETE, finished_at=timezone.now(), output=output,
        progress="")
    return BulkExport.objects.get(pk=export.pk).status


def _write(export: BulkExport, target: Path):
    practice_id = export.client.practice_id
    members = None
    if export.level == BulkExport.Level.GROUP:
        members = set(group_children(practice_id, export.group_center_id)
                      .values_list("pk", flat=True))
    exported: dict[int | None, dict] = defaultdict(lambda: {"children": set(), "count": 0})
    output = []
    for number, resource_type in enumerate(export.types, start=1):
        kind = KINDS[resource_type]
        filters = _since_filter(kind, export)
        matches = kind.search(practice_id, filters)
        temporary = target / (file_name(resource_type) + ".part")
        count = 0
        with open(temporary, "w", encoding="utf-8") as out:
            for rows in matches.chunks(PAGE):
                lines = []
                for row in rows:
                    audit = kind.audit(row)
                    if members is not None and audit.child_id not in members:
                        continue
                    lines.append(json.dumps(kind.to_fhir(row), ensure_ascii=False,
                                            separators=(",", ":")))
                    seen = exported[audit.center_id]
                    seen["count"] += 1
                    if audit.child_id is not None:
                        seen["children"].add(audit.child_id)
                if lines:
                    out.write("\n".join(lines) + "\n")
                    count += len(lines)
                if _cancelled(export, f"{resource_type} ({number} of {len(export.types)}): "
                                      f"{count} written"):
                    return None, exported
        os.replace(temporary, target / file_name(resource_type))
        if count:
            output.append({"type": resource_type, "file": file_name(resource_type),
                           "count": count})
        else:
            (target / file_name(resource_type)).unlink()
    return output, exported


def _since_filter(kind, export: BulkExport) -> dict:
    if export.since is None or "_lastUpdated" not in kind.parameters:
        return {}
    parsed = query.parse(kind.type, [("_lastUpdated", "ge" + export.since.isoformat())],
                         kind.parameters, kind.includes,
                         zone=timezone.get_current_timezone(), now=timezone.now())
    return parsed.filters


def _cancelled(export: BulkExport, progress: str) -> bool:
    """Note the progress; True when the client cancelled the export meanwhile."""
    return not BulkExport.objects.filter(
        pk=export.pk, status=BulkExport.Status.IN_PROGRESS).update(progress=progress[:200])


def _audit(export: BulkExport, exported: dict):
    for center_id, seen in exported.items():
        children = sorted(seen["children"])
        record_event(action=Action.EXPORT, object_type="families.child", center_id=center_id,
                     child_id=children[0] if len(children) == 1 else None,
                     detail={"ids": children, "count": seen["count"],
                             "fhir_export": str(export.pk), "types": export.types})


def discard(target: Path):
    for path in target.glob("*"):
        path.unlink()
    target.rmdir()


def remove_expired(now=None) -> int:
    """Delete the files of exports finished more than FHIR_EXPORT_KEEP_HOURS ago."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(hours=settings.FHIR_EXPORT_KEEP_HOURS)
    removed = 0
    for export in BulkExport.objects.filter(finished_at__lt=cutoff).exclude(output=[]):
        if folder(export).exists():
            discard(folder(export))
        BulkExport.objects.filter(pk=export.pk).update(output=[])
        removed += 1
    return removed
