"""After the population engine classified a claims file: match its children to CareCoord's
records by the member ID they carry, re-stratify those (the file's diagnoses with what
CareCoord knows of the family), write the outreach list of the others, and keep the counts
the population page shows."""

import csv
from collections import Counter
from pathlib import Path

from django.db import transaction

from carecoord.families.models import Child
from carecoord.stratification import ccc
from carecoord.stratification.child import SYSTEMS_SEPARATOR
from carecoord.stratification.population import Summary
from carecoord.stratification.social import social_complexity
from carecoord.stratification.tiers import MedicalFacts, acuity_tier

from .models import CurrentAcuity, PopulationRun, Stratification
from .services import children_with_facts, social_facts

OUTREACH_FILE = "outreach.csv"
OUTREACH_COLUMNS = ("child_id", "pmca_less", "pmca_more", "pmca_systems_less", "ccc_flag",
                    "tech_dep", "behavioral_health")
ORGAN_SYSTEMS = [c for c in ccc.CATEGORIES if c not in ("tech_dep", "transplant")]


def _medical(row: dict) -> MedicalFacts:
    systems = row["pmca_systems_less"]
    return MedicalFacts(
        pmca_class=row["pmca_less"],
        body_systems=frozenset(systems.split(SYSTEMS_SEPARATOR)) if systems else frozenset(),
        ccc_categories=frozenset(c for c in ORGAN_SYSTEMS if row[c] == "1"),
        technology_dependence=row["tech_dep"] == "1", transplant=row["transplant"] == "1",
        behavioral_health=row["behavioral_health"] == "1")


def record_run(summary: Summary, *, run_by: str, batch: int = 5000) -> PopulationRun:
    counts = {"pmca_less": dict(summary.pmca_less), "pmca_more": dict(summary.pmca_more),
              "tier": Counter(), "region": Counter(), "town": Counter(),
              "rejects": dict(summary.rejects)}
    known = outreach = 0
    out = summary.out_dir / OUTREACH_FILE
    with (open(summary.classification_csv, newline="", encoding="utf-8") as results,
          open(out, "w", newline="", encoding="utf-8") as outreach_file):
        writer = csv.DictWriter(outreach_file, OUTREACH_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        reader = csv.DictReader(results)
        while rows := [row for _, row in zip(range(batch), reader, strict=False)]:
            matched = _match(rows)
            with transaction.atomic():
                for row in rows:
                    child = matched.get(row["child_id"])
                    if child is None:
                        if row["pmca_less"] != "non_chronic" or row["ccc_flag"] == "1":
                            writer.writerow(row)
                            outreach += 1
                        continue
                    known += 1
                    result = _stratify(child, row, summary)
                    counts["tier"][str(result.tier)] += 1
                    counts["region"][child.household.town.region.name] += 1
                    counts["town"][child.household.town.name] += 1
    counts = {k: dict(sorted(v.items())) if isinstance(v, Counter) else v
              for k, v in counts.items()}
    return PopulationRun.objects.create(
        file_name=summary.path.name, out_dir=str(summary.out_dir.resolve()), mode=summary.mode,
        as_of=summary.as_of, run_by=run_by, rows=summary.rows,
        rows_rejected=summary.rows_rejected, children=summary.children, known=known,
        outreach=outreach, seconds=summary.seconds, counts=counts)


def _match(rows) -> dict[str, Child]:
    ids = [row["child_id"] for row in rows]
    children = children_with_facts(Child.objects.filter(insurance_member_id__in=ids)
                                   .exclude(insurance_member_id="")).select_related(
        "household__town__region")
    return {child.insurance_member_id: child for child in children}


def _stratify(child: Child, row: dict, summary: Summary) -> Stratification:
    social = social_complexity(social_facts(child, child.screenings))
    tier = acuity_tier(_medical(row), social)
    systems = row["pmca_systems_less"]
    result = Stratification.objects.create(
        child=child, as_of=summary.as_of, trigger=Stratification.Trigger.FILE,
        ccc_categories=[c for c in ccc.CATEGORIES if row[c] == "1"],
        pmca_less=row["pmca_less"], pmca_more=row["pmca_more"],
        body_systems=systems.split(SYSTEMS_SEPARATOR) if systems else [],
        behavioral_health=row["behavioral_health"] == "1",
        medical_complexity=tier.medical_complexity, social_complexity=str(social.level),
        social_points=social.points, tier=tier.tier.number, tier_label=tier.tier.label,
        discipline=tier.discipline, discipline_reason=tier.discipline_reason,
        reasons=list(tier.reasons), missing=list(tier.missing))
    CurrentAcuity.objects.update_or_create(child=child, defaults={
        "stratification": result, "tier": result.tier, "discipline": result.discipline})
    return result


def result_file(run: PopulationRun, name: str) -> Path:
    if name not in ("classification.csv", "classification.parquet", "rejects.csv",
                    OUTREACH_FILE):
        raise FileNotFoundError(name)
    return Path(run.out_dir) / name
