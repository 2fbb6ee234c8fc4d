import csv
from pathlib import Path

from django.conf import settings
from django.db import migrations

DATA = Path(settings.BASE_DIR) / "carecoord" / "accounts" / "data" / "race_categories.csv"


def load(apps, schema_editor):
    RaceCategory = apps.get_model("families", "RaceCategory")
    with open(DATA, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            RaceCategory.objects.update_or_create(code=row["code"], defaults=dict(
                label=row["label"], label_es=row["label_es"], order=int(row["order"])))


class Migration(migrations.Migration):
    dependencies = [("families", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
