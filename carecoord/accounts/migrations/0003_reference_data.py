"""Loads the five DPH regions, Connecticut's 169 towns and the language list from the data
files shipped in accounts/data (see its README for provenance)."""

import csv
from decimal import Decimal
from pathlib import Path

from django.db import migrations
from django.utils.text import slugify

DATA = Path(__file__).resolve().parent.parent / "data"


def rows(name):
    with open(DATA / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def load(apps, schema_editor):
    Region = apps.get_model("accounts", "Region")
    Town = apps.get_model("accounts", "Town")
    Language = apps.get_model("accounts", "Language")
    towns = rows("ct_towns_regions.csv")
    regions = {}
    for name in sorted({t["cyshcn_region"] for t in towns}):
        regions[name], _ = Region.objects.get_or_create(name=name, slug=slugify(name))
    for t in towns:
        Town.objects.update_or_create(
            fips_2022=t["town_fips_2022"],
            defaults=dict(
                name=t["town"], county=t["county_legacy"],
                planning_region=t["planning_region_2022"], region=regions[t["cyshcn_region"]],
                region_basis=t["cyshcn_region_basis"],
                latitude=Decimal(t["interior_point_lat"]),
                longitude=Decimal(t["interior_point_lon"]),
            ),
        )
    for lang in rows("languages.csv"):
        Language.objects.update_or_create(code=lang["code"], defaults=dict(
            name=lang["name"], name_es=lang["name_es"], native_name=lang["native_name"]))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_user_practice")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
