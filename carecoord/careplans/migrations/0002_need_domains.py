"""Loads the need domain catalog from careplans/data/need_domains.csv."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "need_domains.csv"


def load(apps, schema_editor):
    NeedDomain = apps.get_model("careplans", "NeedDomain")
    with open(DATA, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            NeedDomain.objects.update_or_create(code=row["code"], defaults=dict(
                label=row["label"], label_es=row["label_es"], description=row["description"],
                usual_reach=row["usual_reach"], sdoh_category=row["sdoh_category"],
                order=int(row["order"])))


class Migration(migrations.Migration):
    dependencies = [("careplans", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
