"""The shared reference files the stratification tests compare against."""

import csv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT.parent / "shared" / "reference"
CCC = REFERENCE / "ccc"
PMCA = REFERENCE / "pmca"


def rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))
