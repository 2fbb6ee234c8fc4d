"""The programs a family can get help with (health coverage, income support, medical bills),
kept as data in data/programs.csv. Pure Python: the catalog and its renewal rules read the same
in a page, the reminder job and a test."""

import csv
import datetime
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from carecoord.careplans.versions import add_months
from carecoord.contacts.reminders import birthday

DATA = Path(__file__).resolve().parent / "data" / "programs.csv"

KINDS = {
    "health_coverage": "Health coverage",
    "income_support": "Income support",
    "bill_help": "Help with medical bills",
    "family_funds": "Family support funds",
}


@dataclass(frozen=True)
class Program:
    code: str
    label: str
    label_es: str
    administered_by: str
    kind: str
    renewal_months: int | None
    redetermination_age: int | None
    source: str
    note: str

    @property
    def renewal_rule(self) -> str:
        if self.redetermination_age:
            return f"decided again at age {self.redetermination_age}"
        if self.renewal_months:
            return f"renewed every {self.renewal_months} months"
        return ""


def _number(text: str) -> int | None:
    return int(text) if text.strip() else None


@cache
def catalog() -> dict[str, Program]:
    with open(DATA, newline="", encoding="utf-8") as handle:
        programs = [Program(code=row["code"], label=row["label"], label_es=row["label_es"],
                            administered_by=row["administered_by"], kind=row["kind"],
                            renewal_months=_number(row["renewal_months"]),
                            redetermination_age=_number(row["redetermination_age"]),
                            source=row["source"], note=row["note"])
                    for row in csv.DictReader(handle)]
    return {program.code: program for program in programs}


def get(code: str) -> Program | None:
    return catalog().get(code)


def choices() -> list:
    """Grouped by kind, for a select: coverage first, then income, bills and funds."""
    return [(label, [(p.code, p.label) for p in catalog().values() if p.kind == kind])
            for kind, label in KINDS.items()]


def next_renewal(program: Program, *, benefit_starts_on: datetime.date,
                 date_of_birth: datetime.date) -> datetime.date | None:
    """When the benefit is next renewed or decided again, by the program's rule: a child's SSI
    is redetermined under the adult rules at 18; HUSKY is renewed every 12 months. None when
    the program has no fixed rule (the notice gives the date) or the age has passed."""
    if program.redetermination_age:
        due = birthday(date_of_birth, program.redetermination_age)
        return due if due > benefit_starts_on else None
    if program.renewal_months:
        return add_months(benefit_starts_on, program.renewal_months)
    return None
