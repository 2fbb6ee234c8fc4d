"""The catalog of diagnosis-specific organizations (data/organizations.csv) and which ones to
suggest for a child's diagnoses. Pure Python: the matching reads the same in a page and a
test."""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "organizations.csv"
EVERY_CHILD = "*"
LEVELS = ("community", "state", "national")


@dataclass(frozen=True)
class Organization:
    code: str
    name: str
    level: str
    icd10: tuple[str, ...]
    condition: str
    website: str
    basis: str

    @property
    def for_every_child(self) -> bool:
        return EVERY_CHILD in self.icd10


@cache
def catalog() -> dict[str, Organization]:
    with open(DATA, newline="", encoding="utf-8") as handle:
        organizations = [Organization(code=row["code"], name=row["name"], level=row["level"],
                                      icd10=tuple(row["icd10"].split()),
                                      condition=row["condition"], website=row["website"],
                                      basis=row["basis"])
                         for row in csv.DictReader(handle)]
    return {organization.code: organization for organization in organizations}


def get(code: str) -> Organization | None:
    return catalog().get(code)


def choices() -> list[tuple[str, str]]:
    return [(o.code, o.name) for o in sorted(catalog().values(), key=lambda o: o.name)]


def normalize(code: str) -> str:
    return code.upper().replace(".", "").replace(" ", "")


def matches(code: str, pattern: str) -> bool:
    """Whether an ICD-10-CM code falls under a catalog pattern: a prefix ("E84", "Q8711") or a
    range of categories of the same length ("Q20-Q26": Q20 to Q26 inclusive)."""
    code = normalize(code)
    if pattern == EVERY_CHILD:
        return False  # for every child, not suggested by a diagnosis
    if "-" in pattern:
        low, high = pattern.split("-")
        return low <= code[:len(low)] <= high
    return code.startswith(pattern)


@dataclass(frozen=True)
class Suggestion:
    organization: Organization
    diagnosis_id: int | None
    diagnosis_code: str
    diagnosis_description: str


def suggest(diagnoses, already: set[str]) -> list[Suggestion]:
    """Organizations for a child's diagnoses, `diagnoses` being (id, ICD-10-CM code,
    description) rows, then those for every family; each organization once (for its first
    matching diagnosis), leaving out those already on the child's list (`already`: codes).
    State and community organizations come before national ones for the same diagnosis: a
    family meets people near them first."""
    order = {level: i for i, level in enumerate(LEVELS)}
    found: dict[str, Suggestion] = {}
    for diagnosis_id, code, description in diagnoses:
        for organization in sorted(catalog().values(), key=lambda o: order[o.level]):
            if organization.code in already or organization.code in found:
                continue
            if any(matches(code, pattern) for pattern in organization.icd10):
                found[organization.code] = Suggestion(organization, diagnosis_id, code,
                                                      description)
    for organization in catalog().values():
        if organization.for_every_child and organization.code not in already | found.keys():
            found[organization.code] = Suggestion(organization, None, "", "")
    return list(found.values())
