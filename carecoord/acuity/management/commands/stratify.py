"""Classify a claims file (CSV or Parquet) by CCC v2, PMCA and the behavioral health flag,
update the children CareCoord knows (matched by member ID) and write the outreach list of the
others. See carecoord/stratification/population.py for the file format and the outputs."""

import datetime
import getpass
import sys

from django.core.management.base import BaseCommand, CommandError

from carecoord.acuity.population import record_run
from carecoord.audit.models import Action
from carecoord.audit.services import record_event
from carecoord.stratification import ccc
from carecoord.stratification.population import BACKENDS, DUCKDB, PopulationFileError, stratify_file

BAR = 30


class Command(BaseCommand):
    help = "Stratify a population file: python manage.py stratify FILE --out DIR"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--out", required=True, help="Folder for the results.")
        parser.add_argument("--as-of", type=datetime.date.fromisoformat,
                            help="End of the three-year look-back (default: today).")
        parser.add_argument("--mode", choices=ccc.MODES, default=ccc.PUBLISHED)
        parser.add_argument("--backend", choices=BACKENDS, default=DUCKDB,
                            help="The Ibis backend: DuckDB in this process, or Spark (local "
                                 "mode, or the cluster SPARK_MASTER names; see "
                                 "docs/population-on-spark.md).")

    def _progress(self, step, done, total):
        filled = BAR * done // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (BAR - filled)}] {done}/{total} {step:<45}")
        if step == "done":
            sys.stderr.write("\n")
        sys.stderr.flush()

    def handle(self, *args, **options):
        try:
            summary = stratify_file(options["file"], options["out"], as_of=options["as_of"],
                                    mode=options["mode"], progress=self._progress,
                                    backend=options["backend"])
        except PopulationFileError as error:
            raise CommandError(str(error)) from error
        run = record_run(summary, run_by=getpass.getuser())
        record_event(action=Action.CREATE, object_type="acuity.populationrun",
                     object_id=run.pk, detail={"file": run.file_name, "children": run.children,
                                               "known": run.known, "outreach": run.outreach})
        w = self.stdout.write
        w(f"{summary.rows:,} rows, {summary.rows_rejected:,} rejected "
          f"(see {summary.rejects_csv}){': ' if summary.rejects else ''}"
          + ", ".join(f"{n:,} {reason}" for reason, n in summary.rejects.items()))
        w(f"{summary.children:,} children: CCC {summary.children_with_ccc:,}, behavioral "
          f"health {summary.children_with_behavioral_health:,}")
        w("PMCA (less conservative): " + ", ".join(
            f"{k} {v:,}" for k, v in sorted(summary.pmca_less.items())))
        w("PMCA (more conservative): " + ", ".join(
            f"{k} {v:,}" for k, v in sorted(summary.pmca_more.items())))
        w(f"Known to CareCoord and re-stratified: {run.known:,}; outreach list (chronic, not "
          f"referred yet): {run.outreach:,} in {summary.out_dir / 'outreach.csv'}")
        w(f"Results: {summary.classification_csv}, {summary.classification_parquet} "
          f"({summary.seconds:.1f} s)")
