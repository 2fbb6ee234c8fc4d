"""Acuity tier and leading discipline, from medical and social complexity.

CareCoord's own policy, defined in ``data/tier_matrix.yaml`` so an administrator can change it
without a release (the center profile asks to "stratify the patient population by levels of
medical and social complexity"; no published matrix is implemented here). The decision rule:

1. **Medical complexity** is the child's PMCA class (``non_chronic`` < ``non_complex_chronic`` <
   ``complex_chronic``), raised by the file's ``promotions``: a fact that holds (technology
   dependence, transplant, any CCC, the behavioral health flag) lifts it to at least the row
   it names.
2. **Tier** is the matrix cell at that row and the social complexity level (low / moderate /
   high, from ``social.py``). Every row has all three columns; the file is refused otherwise.
3. **Discipline**: the first ``discipline_rules`` entry whose conditions all hold; the last
   has none, so every child gets one: ``nurse`` (pediatric nurse: medical complexity leads),
   ``social_worker`` (clinical social worker: behavioral health leads), ``community``
   (community care coordinator: social needs lead).

The result carries its reasons in words ("complex chronic: neurological + cardiac", "housing
instability or housing quality positive") and the tier's caseload weight, which assignment uses.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .social import DATA_DIR, SocialComplexity, SocialLevel

TIER_MATRIX_FILE = DATA_DIR / "tier_matrix.yaml"

MEDICAL_ROWS = ("non_chronic", "non_complex_chronic", "complex_chronic")  # least to most complex
SOCIAL_COLUMNS = tuple(level.value for level in SocialLevel)
DISCIPLINES = ("nurse", "social_worker", "community")  # accounts.models.Discipline values
# The facts a promotion may name, and how a reason says them.
PROMOTION_FACTS = {
    "technology_dependence": "technology dependent",
    "transplant": "transplant recipient",
    "ccc_flag": "complex chronic condition (CCC)",
    "behavioral_health": "behavioral health condition",
}
RULE_CONDITIONS = ("medical", "social", "behavioral_health", "behavioral_only")
BEHAVIORAL_SYSTEM = "mental_health"


class TierMatrixError(ValueError):
    """The tier matrix file is malformed; every problem names its key."""

    def __init__(self, source: str, problems: Iterable[str]):
        self.source = source
        self.problems = tuple(problems)
        super().__init__(f"{source}: " + "; ".join(self.problems))


@dataclass(frozen=True)
class MedicalFacts:
    """A child's medical complexity as the classifiers give it.

    ``pmca_class``: the PMCA class of the variant the center uses. ``body_systems``: PMCA body
    system ids. ``ccc_categories``: the CCC v2 organ-system categories (pccc column names,
    ``neuromusc``, ``cvd``, ...); ``tech_dep`` and ``transplant`` are the two flags below.
    """

    pmca_class: str = "non_chronic"
    body_systems: frozenset[str] = frozenset()
    ccc_categories: frozenset[str] = frozenset()
    technology_dependence: bool = False
    transplant: bool = False
    behavioral_health: bool = False

    def __post_init__(self):
        object.__setattr__(self, "body_systems", frozenset(self.body_systems))
        object.__setattr__(self, "ccc_categories", frozenset(self.ccc_categories))
        if self.pmca_class not in MEDICAL_ROWS:
            raise ValueError(f"pmca_class {self.pmca_class!r} is not one of "
                             f"{', '.join(MEDICAL_ROWS)}")

    @property
    def ccc_flag(self) -> bool:
        """CCC v2's ccc_flag: any category, technology dependence or transplant."""
        return bool(self.ccc_categories) or self.technology_dependence or self.transplant

    @property
    def behavioral_only(self) -> bool:
        """The only chronic conditions are behavioral (the social workers' population)."""
        return (self.behavioral_health and self.body_systems <= {BEHAVIORAL_SYSTEM}
                and not self.ccc_flag)


@dataclass(frozen=True)
class Tier:
    number: int
    label: str
    caseload_weight: float
    description: str = ""


@dataclass(frozen=True)
class DisciplineRule:
    discipline: str
    reason: str
    medical: frozenset[str] | None = None
    social: frozenset[str] | None = None
    behavioral_health: bool | None = None
    behavioral_only: bool | None = None

    def holds(self, medical: MedicalFacts, row: str, social: SocialLevel) -> bool:
        return ((self.medical is None or row in self.medical)
                and (self.social is None or social.value in self.social)
                and (self.behavioral_health is None
                     or self.behavioral_health == medical.behavioral_health)
                and (self.behavioral_only is None
                     or self.behavioral_only == medical.behavioral_only))


@dataclass(frozen=True)
class TierMatrix:
    source: str
    tiers: Mapping[int, Tier]
    cells: Mapping[tuple[str, str], int]  # (medical row, social level) -> tier number
    promotions: Mapping[str, str]
    discipline_rules: tuple[DisciplineRule, ...]
    medical_labels: Mapping[str, str]
    body_system_labels: Mapping[str, str]
    ccc_labels: Mapping[str, str]

    def tier(self, medical_row: str, social: SocialLevel) -> Tier:
        return self.tiers[self.cells[(medical_row, social.value)]]

    def caseload_weight(self, tier_number: int) -> float:
        return self.tiers[tier_number].caseload_weight


@dataclass(frozen=True)
class AcuityTier:
    tier: Tier
    medical_complexity: str  # the matrix row, after promotions
    social_complexity: SocialLevel
    discipline: str
    discipline_reason: str
    medical_reasons: tuple[str, ...]
    social_reasons: tuple[str, ...]
    missing: tuple[str, ...] = ()  # what the social picture lacks

    @property
    def reasons(self) -> tuple[str, ...]:
        return self.medical_reasons + self.social_reasons

    @property
    def summary(self) -> str:
        """One line for a list: "complex chronic: neurological + cardiac; food insecurity..."."""
        return "; ".join(self.reasons)

    @property
    def caseload_weight(self) -> float:
        return self.tier.caseload_weight


def acuity_tier(medical: MedicalFacts, social: SocialComplexity,
                matrix: TierMatrix | None = None) -> AcuityTier:
    """The tier, the leading discipline and the reasons, by ``matrix`` (the shipped file when
    not given)."""
    matrix = matrix or load_tier_matrix()
    _check_ids(medical, matrix)
    row, medical_reasons = _medical_row(medical, matrix)
    rule = next(rule for rule in matrix.discipline_rules
                if rule.holds(medical, row, social.level))
    social_reasons = (social.reasons + social.raised_by) or (
        f"{social.level} social complexity: no social needs recorded",)
    return AcuityTier(
        tier=matrix.tier(row, social.level),
        medical_complexity=row,
        social_complexity=social.level,
        discipline=rule.discipline,
        discipline_reason=rule.reason,
        medical_reasons=medical_reasons,
        social_reasons=social_reasons,
        missing=social.missing,
    )


def _medical_row(medical: MedicalFacts, matrix: TierMatrix) -> tuple[str, tuple[str, ...]]:
    systems = [label for system, label in matrix.body_system_labels.items()
               if system in medical.body_systems]
    pmca_words = matrix.medical_labels[medical.pmca_class]
    reasons = [f"{pmca_words}: {' + '.join(systems)}" if systems else pmca_words]
    if medical.ccc_categories:
        categories = [label for category, label in matrix.ccc_labels.items()
                      if category in medical.ccc_categories]
        reasons.append(f"CCC: {' + '.join(categories)}")
    row = medical.pmca_class
    for fact, words in PROMOTION_FACTS.items():
        if fact == "ccc_flag" or not getattr(medical, fact):
            continue  # the CCC categories are named above
        target = matrix.promotions.get(fact)
        if target and _rank(target) > _rank(row):
            row = target
            words = f"{words}: counted as {matrix.medical_labels[target]}"
        reasons.append(words)
    target = matrix.promotions.get("ccc_flag")
    if medical.ccc_flag and target and _rank(target) > _rank(row):
        row = target
        reasons.append(f"{PROMOTION_FACTS['ccc_flag']}: counted as "
                       f"{matrix.medical_labels[target]}")
    return row, tuple(reasons)


def _rank(row: str) -> int:
    return MEDICAL_ROWS.index(row)


def _check_ids(medical: MedicalFacts, matrix: TierMatrix) -> None:
    problems = [f"unknown PMCA body system {system!r}"
                for system in sorted(medical.body_systems - matrix.body_system_labels.keys())]
    problems += [f"unknown CCC category {category!r} (tech_dep and transplant are the "
                 f"technology_dependence and transplant fields)"
                 for category in sorted(medical.ccc_categories - matrix.ccc_labels.keys())]
    if problems:
        raise ValueError("; ".join(problems))


# ---------------------------------------------------------------- the data file


@cache
def load_tier_matrix(path: Path = TIER_MATRIX_FILE) -> TierMatrix:
    """Read and check a tier matrix file (the shipped one by default, read once per process)."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as exc:
        raise TierMatrixError(str(path), [f"cannot be read: {exc}"]) from exc
    return parse_tier_matrix(data, source=str(path))


def parse_tier_matrix(data: Any, source: str = "tier matrix") -> TierMatrix:
    """Check a tier matrix document (as read from YAML) and return it; all problems at once."""
    if not isinstance(data, Mapping):
        raise TierMatrixError(source, ["the file must be a mapping of sections"])
    problems: list[str] = []
    known = ("schema_version", "tiers", "matrix", "promotions", "discipline_rules", "labels")
    problems += [f"{key}: unknown section (known: {', '.join(known)})"
                 for key in data if key not in known]
    tiers = _tiers(data.get("tiers"), problems)
    cells = _cells(data.get("matrix"), tiers, problems)
    promotions = _promotions(data.get("promotions", {}), problems)
    rules = _discipline_rules(data.get("discipline_rules"), problems)
    labels = data.get("labels")
    if not isinstance(labels, Mapping):
        problems.append("labels: missing (words for medical, body_systems, ccc_categories)")
        labels = {}
    medical_labels = _labels("labels.medical", labels.get("medical"), problems,
                             required=MEDICAL_ROWS)
    body_systems = _labels("labels.body_systems", labels.get("body_systems"), problems)
    ccc = _labels("labels.ccc_categories", labels.get("ccc_categories"), problems)
    if problems:
        raise TierMatrixError(source, problems)
    return TierMatrix(source, tiers, cells, promotions, rules, medical_labels, body_systems, ccc)


def _tiers(entries: Any, problems: list[str]) -> dict[int, Tier]:
    if not isinstance(entries, Mapping) or not entries:
        problems.append("tiers: missing or empty")
        return {}
    tiers = {}
    for number, entry in entries.items():
        key = f"tiers.{number}"
        if type(number) is not int or number < 1:
            problems.append(f"{key}: a tier is a whole number >= 1")
            continue
        if not isinstance(entry, Mapping):
            problems.append(f"{key}: must be a mapping with label and caseload_weight")
            continue
        problems += [f"{key}.{name}: unknown field (known: caseload_weight, description, label)"
                     for name in entry if name not in ("label", "description", "caseload_weight")]
        label, weight = entry.get("label"), entry.get("caseload_weight")
        if not isinstance(label, str) or not label.strip():
            problems.append(f"{key}.label: missing")
        if type(weight) not in (int, float) or weight <= 0:
            problems.append(f"{key}.caseload_weight: {weight!r} is not a number above 0")
            continue
        tiers[number] = Tier(number, str(label), float(weight), str(entry.get("description", "")))
    return tiers


def _cells(matrix: Any, tiers: Mapping[int, Tier], problems: list[str]) -> dict:
    if not isinstance(matrix, Mapping):
        problems.append("matrix: missing (rows: " + ", ".join(MEDICAL_ROWS) + ")")
        return {}
    problems += [f"matrix.{row}: unknown medical complexity (known: {', '.join(MEDICAL_ROWS)})"
                 for row in matrix if row not in MEDICAL_ROWS]
    cells = {}
    for row in MEDICAL_ROWS:
        columns = matrix.get(row)
        if not isinstance(columns, Mapping):
            problems.append(f"matrix.{row}: missing (every medical complexity needs a row)")
            continue
        problems += [f"matrix.{row}.{column}: unknown social complexity "
                     f"(known: {', '.join(SOCIAL_COLUMNS)})"
                     for column in columns if column not in SOCIAL_COLUMNS]
        for column in SOCIAL_COLUMNS:
            key = f"matrix.{row}.{column}"
            if column not in columns:
                problems.append(f"{key}: missing (every medical complexity needs a tier for "
                                f"low, moderate and high social complexity)")
            elif type(columns[column]) is not int or columns[column] not in tiers:
                problems.append(f"{key}: {columns[column]!r} is not a tier defined under tiers "
                                f"({', '.join(map(str, tiers))})")
            else:
                cells[(row, column)] = columns[column]
    return cells


def _promotions(entries: Any, problems: list[str]) -> dict[str, str]:
    if not isinstance(entries, Mapping):
        problems.append("promotions: must be a mapping of fact to medical complexity")
        return {}
    promotions = {}
    for fact, row in entries.items():
        if fact not in PROMOTION_FACTS:
            problems.append(f"promotions.{fact}: unknown fact "
                            f"(known: {', '.join(PROMOTION_FACTS)})")
        elif row not in MEDICAL_ROWS:
            problems.append(f"promotions.{fact}: {row!r} is not one of {', '.join(MEDICAL_ROWS)}")
        else:
            promotions[fact] = row
    return promotions


def _discipline_rules(entries: Any, problems: list[str]) -> tuple[DisciplineRule, ...]:
    if not isinstance(entries, list) or not entries:
        problems.append("discipline_rules: missing or empty")
        return ()
    rules = []
    for index, entry in enumerate(entries):
        key = f"discipline_rules[{index}]"
        if not isinstance(entry, Mapping):
            problems.append(f"{key}: must be a mapping with discipline, when and reason")
            continue
        discipline, reason, when = entry.get("discipline"), entry.get("reason"), entry.get("when")
        if discipline not in DISCIPLINES:
            problems.append(f"{key}.discipline: {discipline!r} is not one of "
                            f"{', '.join(DISCIPLINES)}")
        if not isinstance(reason, str) or not reason.strip():
            problems.append(f"{key}.reason: give the reason in words a supervisor can check")
        if not isinstance(when, Mapping):
            problems.append(f"{key}.when: must be a mapping of conditions ({{}} for none)")
            continue
        problems += [f"{key}.when.{name}: unknown condition (known: {', '.join(RULE_CONDITIONS)})"
                     for name in when if name not in RULE_CONDITIONS]
        medical = _condition_list(f"{key}.when.medical", when.get("medical"), MEDICAL_ROWS,
                                  problems)
        social = _condition_list(f"{key}.when.social", when.get("social"), SOCIAL_COLUMNS,
                                 problems)
        flags = {}
        for name in ("behavioral_health", "behavioral_only"):
            value = when.get(name)
            if value is not None and type(value) is not bool:
                problems.append(f"{key}.when.{name}: must be true or false")
                value = None
            flags[name] = value
        rules.append(DisciplineRule(str(discipline), str(reason), medical, social, **flags))
    if isinstance(entries[-1], Mapping) and entries[-1].get("when") != {}:
        problems.append(f"discipline_rules[{len(entries) - 1}]: the last rule must have no "
                        f"conditions (when: {{}}) so every child gets a discipline")
    return tuple(rules)


def _condition_list(key: str, values: Any, allowed: tuple[str, ...],
                    problems: list[str]) -> frozenset[str] | None:
    if values is None:
        return None
    if not isinstance(values, list) or not values:
        problems.append(f"{key}: must be a non-empty list")
        return None
    problems += [f"{key}: {value!r} is not one of {', '.join(allowed)}"
                 for value in values if value not in allowed]
    return frozenset(values)


def _labels(key: str, entries: Any, problems: list[str],
            required: tuple[str, ...] = ()) -> dict[str, str]:
    if not isinstance(entries, Mapping) or not entries:
        problems.append(f"{key}: missing or empty")
        return {}
    problems += [f"{key}.{name}: missing" for name in required if name not in entries]
    problems += [f"{key}.{name}: give the words" for name, words in entries.items()
                 if not isinstance(words, str) or not words.strip()]
    return {str(name): str(words) for name, words in entries.items()}
