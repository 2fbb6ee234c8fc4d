"""HIPAA Safe Harbor (45 CFR 164.514(b)(2)) for the Title V export, and the stable pseudonym
that lets the state count a child once a year and follow them from year to year.

What Safe Harbor leaves of a child's geography is the first three digits of the ZIP code, and
"000" for the three-digit areas of 20,000 people or fewer; of dates, the year. Towns, counties
and regions are geographic subdivisions smaller than a state, so a de-identified file carries
none of them, whatever their population (see data/README.md)."""

import csv
import hashlib
import hmac
import os
import re
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DATA = Path(__file__).resolve().parent / "data"
SUPPRESSED_ZIP3 = "000"
ZIP_CODE = re.compile(r"^(\d{5})(-\d{4})?$")
CT_ZIP_CODE = r"^06[0-9]{3}(-[0-9]{4})?$"  # for SQL regex lookups too
DEVELOPMENT_KEY = "dev-only-titlev-pseudonym-key"


@cache
def restricted_zip3() -> frozenset[str]:
    with open(DATA / "restricted_zip3.csv", newline="", encoding="utf-8") as handle:
        return frozenset(row["zip3"] for row in csv.DictReader(handle))


def zip3(zip_code: str) -> str | None:
    """The ZIP code's first three digits, "000" where Safe Harbor says so, None without a
    usable ZIP code."""
    match = ZIP_CODE.match((zip_code or "").strip())
    if not match:
        return None
    prefix = match.group(1)[:3]
    return SUPPRESSED_ZIP3 if prefix in restricted_zip3() else prefix


def pseudonym_key() -> bytes:
    """The secret the pseudonyms are made with. It is its own setting, not SECRET_KEY: rotating
    the key that signs sessions must not renumber every child in the state's files. Required
    wherever SECRET_KEY comes from the environment, i.e. every deployment; a laptop or a test
    run without either uses a fixed development key."""
    key = getattr(settings, "TITLEV_PSEUDONYM_KEY", "") or os.environ.get(
        "TITLEV_PSEUDONYM_KEY", "")
    if not key:
        if os.environ.get("SECRET_KEY"):
            raise ImproperlyConfigured(
                "Set TITLEV_PSEUDONYM_KEY (a long random secret, kept for good: changing it "
                "changes every child's person_pseudo_id in the Title V export).")
        key = DEVELOPMENT_KEY
    return key.encode()


def person_pseudo_id(child_id: int, key: bytes | None = None) -> str:
    """HMAC-SHA256 of CareCoord's child record number: the same child gets the same id in every
    run, every center's file and every year, and nobody without the key can go back."""
    digest = hmac.new(key or pseudonym_key(), f"carecoord-child:{child_id}".encode(),
                      hashlib.sha256)
    return digest.hexdigest()[:32]
