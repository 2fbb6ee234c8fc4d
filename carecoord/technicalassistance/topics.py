"""The topics technical assistance is asked for and given on, kept as data in
data/topics.csv (a new topic is a row there; a code in use is never removed)."""

import csv
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "topics.csv"


@cache
def catalog() -> dict[str, str]:
    with open(DATA, newline="", encoding="utf-8") as handle:
        return {row["code"]: row["label"] for row in csv.DictReader(handle)}


def choices() -> list[tuple[str, str]]:
    return list(catalog().items())


def label(code: str) -> str:
    return catalog().get(code, code)
