"""The demo network's data files (carecoord/demo/data, provenance in its README), read once
and handed out as plain tuples and dictionaries so the generator never parses in a loop."""

import csv
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def _rows(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _lines(name: str) -> tuple[str, ...]:
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return tuple(line.strip() for line in handle if line.strip())


def _split(value: str) -> tuple[str, ...]:
    return tuple(part for part in value.split(";") if part)


def _weights(value: str) -> tuple[tuple[str, float], ...]:
    """"MD:70;DO:30" → (("MD", 70.0), ("DO", 30.0))."""
    pairs = []
    for part in _split(value):
        name, _, weight = part.rpartition(":")
        pairs.append((name, float(weight)))
    return tuple(pairs)


@dataclass(frozen=True)
class CenterRow:
    region: str
    code: str
    town: str
    is_hub: bool
    name: str
    short_name: str
    address: str
    phone: str
    area_codes: tuple[str, ...]
    child_percent: float


@dataclass(frozen=True)
class StaffRow:
    username: str
    first_name: str
    last_name: str
    role: str
    discipline: str
    center_code: str
    practice_rank: int | None
    fte: Decimal
    caseload_capacity: int | None
    languages: tuple[str, ...]
    superuser: bool


@dataclass(frozen=True)
class DiagnosisRow:
    group: str
    code: str
    description: str
    weight: float
    min_age: int
    max_age: int
    specialty: str

    def fits_age(self, age: int) -> bool:
        return self.min_age <= age <= self.max_age


@dataclass(frozen=True)
class PracticeTemplate:
    kind: str
    name: str
    clinicians: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Specialty:
    name: str
    credentials: tuple[tuple[str, float], ...]
    is_pcp: bool


@cache
def centers() -> tuple[CenterRow, ...]:
    return tuple(
        CenterRow(
            region=row["region"], code=row["code"], town=row["town"], is_hub=row["is_hub"] == "1",
            name=row["name"], short_name=row["short_name"], address=row["address"],
            phone=row["phone"], area_codes=_split(row["area_codes"]),
            child_percent=float(row["child_percent"]),
        )
        for row in _rows("centers.csv")
    )


@cache
def staff() -> tuple[StaffRow, ...]:
    return tuple(
        StaffRow(
            username=row["username"], first_name=row["first_name"], last_name=row["last_name"],
            role=row["role"], discipline=row["discipline"], center_code=row["center"],
            practice_rank=int(row["practice"]) if row["practice"] else None,
            fte=Decimal(row["fte"]),
            caseload_capacity=int(row["caseload_capacity"]) if row["caseload_capacity"] else None,
            languages=_split(row["languages"]), superuser=row["superuser"] == "1",
        )
        for row in _rows("staff.csv")
    )


@cache
def town_weights() -> dict[str, float]:
    """Relative number of families a center serves from each town: population times a factor
    for the cities where most HUSKY-covered children with special health care needs live."""
    return {
        row["town"]: float(row["population_thousands"]) * float(row["served_factor"])
        for row in _rows("town_weights.csv")
    }


@cache
def town_languages() -> dict[str, dict[str, float]]:
    """Percent of families preferring each language other than English, per town; the row "*"
    holds the statewide default that a town's own rows override."""
    mix: dict[str, dict[str, float]] = {}
    for row in _rows("town_languages.csv"):
        mix.setdefault(row["town"], {})[row["language"]] = float(row["percent"])
    return mix


@cache
def zip_codes() -> dict[str, tuple[str, ...]]:
    by_town: dict[str, list[str]] = {}
    for row in _rows("ct_zcta_to_town_approx.csv"):
        by_town.setdefault(row["town"], []).append(row["zcta5"])
    return {town: tuple(sorted(codes)) for town, codes in by_town.items()}


@cache
def names() -> dict[str, dict[str, tuple[str, ...]]]:
    """name group → "surname" / "female" / "male" → names."""
    pools: dict[str, dict[str, list[str]]] = {}
    for row in _rows("names.csv"):
        pools.setdefault(row["group"], {}).setdefault(row["kind"], []).append(row["name"])
    return {group: {kind: tuple(v) for kind, v in kinds.items()} for group, kinds in pools.items()}


@cache
def language_name_groups() -> dict[str, tuple[tuple[str, float], ...]]:
    groups: dict[str, list[tuple[str, float]]] = {}
    for row in _rows("language_name_groups.csv"):
        groups.setdefault(row["language"], []).append((row["name_group"], float(row["weight"])))
    return {language: tuple(pairs) for language, pairs in groups.items()}


@cache
def race_ethnicity() -> dict[str, tuple[tuple[tuple[str, ...], str, float], ...]]:
    """name group → (race codes, ethnicity, weight) rows."""
    mix: dict[str, list[tuple[tuple[str, ...], str, float]]] = {}
    for row in _rows("race_ethnicity.csv"):
        mix.setdefault(row["name_group"], []).append(
            (_split(row["races"]), row["ethnicity"], float(row["weight"]))
        )
    return {group: tuple(rows) for group, rows in mix.items()}


@cache
def diagnoses() -> tuple[DiagnosisRow, ...]:
    return tuple(
        DiagnosisRow(
            group=row["group"], code=row["code"], description=row["description"],
            weight=float(row["weight"]), min_age=int(row["min_age"]),
            max_age=int(row["max_age"]), specialty=row["specialty"],
        )
        for row in _rows("diagnoses.csv")
    )


@cache
def practice_templates() -> tuple[PracticeTemplate, ...]:
    return tuple(
        PracticeTemplate(
            kind=row["kind"], name=row["name"],
            clinicians=tuple((name, int(count)) for name, count in _weights(row["clinicians"])),
        )
        for row in _rows("practices.csv")
    )


@cache
def specialties() -> dict[str, Specialty]:
    return {
        row["specialty"]: Specialty(name=row["specialty"],
                                    credentials=_weights(row["credentials"]),
                                    is_pcp=row["is_pcp"] == "1")
        for row in _rows("specialties.csv")
    }


@cache
def place_words() -> tuple[str, ...]:
    return _lines("place_words.txt")


@cache
def streets() -> tuple[str, ...]:
    return _lines("streets.txt")


@cache
def phrases() -> dict[tuple[str, str], tuple[str, ...]]:
    """(kind, key) → texts, e.g. ("decline_note", "duplicate")."""
    texts: dict[tuple[str, str], list[str]] = {}
    for row in _rows("phrases.csv"):
        texts.setdefault((row["kind"], row["key"]), []).append(row["text"])
    return {key: tuple(values) for key, values in texts.items()}


def phrase(kind: str, key: str = "") -> str:
    """The first text of a kind (for fixed wording such as history notes)."""
    return phrases()[(kind, key)][0]


# ---------------------------------------------------------------- care plans and contacts


@dataclass(frozen=True)
class GoalTemplate:
    statement: str
    measure: str
    target_days: int


@cache
def plan_priorities() -> dict[tuple[str, str], tuple[tuple[str, str], ...]]:
    """(need domain, language code) → (text in the family's words, English translation)."""
    texts: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for row in _rows("plan_priorities.csv"):
        texts.setdefault((row["theme"], row["language"]), []).append(
            (row["text"], row["translation"]))
    return {key: tuple(values) for key, values in texts.items()}


@cache
def plan_strengths() -> dict[str, tuple[str, ...]]:
    """Protective factor → strengths as a coordinator writes them down."""
    texts: dict[str, list[str]] = {}
    for row in _rows("plan_strengths.csv"):
        texts.setdefault(row["protective_factor"], []).append(row["text"])
    return {factor: tuple(values) for factor, values in texts.items()}


@cache
def plan_texts() -> dict[tuple[str, str], tuple[str, ...]]:
    """(kind, need domain or "*") → texts: need descriptions, expectations, outcomes, agencies."""
    texts: dict[tuple[str, str], list[str]] = {}
    for row in _rows("plan_texts.csv"):
        texts.setdefault((row["kind"], row["key"]), []).append(row["text"])
    return {key: tuple(values) for key, values in texts.items()}


@cache
def plan_goals() -> dict[str, tuple[GoalTemplate, ...]]:
    goals: dict[str, list[GoalTemplate]] = {}
    for row in _rows("plan_goals.csv"):
        goals.setdefault(row["domain"], []).append(GoalTemplate(
            statement=row["statement"], measure=row["measure"],
            target_days=int(row["target_days"])))
    return {domain: tuple(values) for domain, values in goals.items()}


@cache
def plan_actions() -> dict[str, tuple[tuple[str, str], ...]]:
    """Need domain → (owner, description) of the actions that move its goals."""
    actions: dict[str, list[tuple[str, str]]] = {}
    for row in _rows("plan_actions.csv"):
        actions.setdefault(row["domain"], []).append((row["owner"], row["description"]))
    return {domain: tuple(values) for domain, values in actions.items()}


@cache
def contact_notes() -> dict[tuple[str, bool], tuple[str, ...]]:
    """(channel, or the participant talked to, and whether the contact happened) → notes."""
    notes: dict[tuple[str, bool], list[str]] = {}
    for row in _rows("contact_notes.csv"):
        notes.setdefault((row["kind"], row["reached"] == "1"), []).append(row["text"])
    return {key: tuple(values) for key, values in notes.items()}
