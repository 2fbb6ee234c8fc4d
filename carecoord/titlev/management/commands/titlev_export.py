"""Write the Title V export for a federal fiscal year:

    python manage.py titlev_export --year 2026 [--center X] [--out DIR] [--format csv|json|both]
                                   [--strict]

The files are identified or de-identified per the centers' settings (a run over several
centers names children only if every one of them is set to identified). Validation problems
are printed and written to the problems file; they do not stop the export unless --strict is
given (for the final submission), and then nothing is written. Running again for the same year
and data writes the same bytes; the run's time and the files' checksums go to the manifest."""

import datetime
import getpass
import hashlib
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from carecoord.accounts.models import Center
from carecoord.audit.context import Actor, acting_as
from carecoord.audit.services import record_export
from carecoord.titlev import coverage, export, selectors
from carecoord.titlev.deidentify import person_pseudo_id
from carecoord.titlev.periods import FederalFiscalYear


def find_center(text: str) -> Center:
    centers = Center.objects.select_related("region")
    for center in centers:
        if text.lower() in (center.region.slug, center.short_name.lower(), str(center.pk)):
            return center
    codes = ", ".join(sorted(c.region.slug for c in centers))
    raise CommandError(f"No center {text!r}: give a region code ({codes}), a short name or an "
                       f"id.")


class Command(BaseCommand):
    help = "Title V export: python manage.py titlev_export --year 2026 [--center X]"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True,
                            help="Federal fiscal year (2026 = Oct 1, 2025 – Sep 30, 2026).")
        parser.add_argument("--center", help="A center's region code (e.g. north-central), "
                                             "short name or id; all centers when left out.")
        parser.add_argument("--out", default=".", help="Folder for the files (default: here).")
        parser.add_argument("--format", choices=["csv", "json", "both"], default="both")
        parser.add_argument("--strict", action="store_true",
                            help="Fail, writing nothing, when there is a validation problem.")

    def handle(self, *args, **options):
        ffy = FederalFiscalYear(options["year"])
        if ffy.start > timezone.localdate():
            raise CommandError(f"{ffy} has not started.")
        centers = ([find_center(options["center"])] if options["center"]
                   else list(Center.objects.select_related("region")))
        identified_ids = selectors.identified_centers([c.pk for c in centers])
        identified = all(c.pk in identified_ids for c in centers)
        result = export.build(ffy, centers, identified=identified)
        self._report(result)
        if options["strict"] and result.problems:
            raise CommandError(f"{len(result.problems)} validation problem(s): nothing written "
                               f"(--strict).")
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name in export.files_for(options["format"]):
            body = export.render(result, name)
            path = out / result.file_name(name)
            path.write_bytes(body)
            written.append({"file": path.name, "bytes": len(body),
                            "sha256": hashlib.sha256(body).hexdigest()})
        user = getpass.getuser()
        manifest = out / f"titlev-{ffy.year}-{result.scope}-manifest.json"
        manifest.write_text(json.dumps({
            "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "generated_by": user,
            "reporting_ffy": ffy.year, "period_start": ffy.start.isoformat(),
            "period_end": ffy.end.isoformat(), "centers": list(result.centers),
            "identified": result.identified, "rows": len(result.rows),
            "problems": len(result.problems), "files": written,
        }, indent=2) + "\n", encoding="utf-8")
        with acting_as(Actor(username=user, path="manage.py titlev_export")):
            record_export("titlev.export", count=len(result.rows),
                          center_id=centers[0].pk if len(centers) == 1 else None,
                          reporting_ffy=ffy.year, scope=result.scope,
                          files=[w["file"] for w in written], identified=result.identified)
        self.stdout.write(f"Wrote {len(written)} files and {manifest.name} to {out}")

    def _report(self, result):
        w = self.stdout.write
        kind = "identified" if result.identified else "de-identified (Safe Harbor)"
        w(f"{result.ffy}, {result.scope}: {len(result.rows):,} children served, {kind}")
        for line in export.count_rows(result):
            w(f"  {line['center_id']:<14} {line['population_type']:<22} {line['total']:>7,}  "
              + "  ".join(f"{k} {line[k]:,}" for k in coverage.CATEGORIES))
        if not result.problems:
            w("No validation problem.")
            return
        w(f"{len(result.problems):,} validation problem(s):")
        record = {person_pseudo_id(p.child_id): p.child_id for p in result.found}
        for p in result.problems:
            pseudo = p["person_pseudo_id"]
            # The record number is for the center to find the child; it is not in the files of
            # a de-identified export.
            who = (f"child {p['carecoord_child_id']} ({p['child']})" if result.identified
                   else f"child record {record[pseudo]} (id {pseudo})")
            self.stderr.write(f"  {p['center_id']}: {who}, {p['field']}: {p['problem']}")
