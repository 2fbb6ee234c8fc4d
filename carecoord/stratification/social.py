"""Social complexity: low, moderate or high, from what the center knows of a family's situation.

CareCoord's own scoring, defined in ``data/social_complexity.yaml`` (no published instrument
scores social complexity; the points are the center's to review). The rule:

- every fact that applies adds its points: a positive domain on the latest AHC HRSN screening
  (CMS 2018 core domains), a low Strengthening Families protective factor on the latest
  assessment, and yes/no and counted facts about coverage, language and the household;
- a fact that names others in ``not_with`` does not count when one of them already counts;
- the total gives the level through the file's thresholds, and a fact with a
  ``minimum_level`` (interpersonal safety) lifts the level to at least that;
- facts the center has not collected score nothing and are listed as missing, so a partial
  picture is not mistaken for a family without needs.

The Django side fills ``SocialFacts`` from ``careplans.instruments.social_needs`` (positive and
incomplete domains), the check-in's ``low_subscales``, the child's insurance and the household.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent / "data"
SOCIAL_SCORING_FILE = DATA_DIR / "social_complexity.yaml"


class SocialLevel(StrEnum):
    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return list(SocialLevel).index(self)


class SocialScoringError(ValueError):
    """The social complexity scoring file is malformed; every problem names its key."""

    def __init__(self, source: str, problems: Iterable[str]):
        self.source = source
        self.problems = tuple(problems)
        super().__init__(f"{source}: " + "; ".join(self.problems))


@dataclass(frozen=True)
class SocialFacts:
    """What the center knows of a family's social situation, for one child.

    Domain and factor ids are the instruments' own (``living_situation``, ``food``,
    ``transportation``, ``utilities``, ``safety``; ``parental_resilience``, ...,
    ``concrete_support``). ``children_with_special_needs`` counts this child too.
    """

    hrsn_screened: bool = False
    hrsn_positive_domains: frozenset[str] = frozenset()
    hrsn_incomplete_domains: frozenset[str] = frozenset()
    protective_factors_assessed: bool = False
    low_protective_factors: frozenset[str] = frozenset()
    uninsured: bool = False
    coverage_lapse: bool = False
    interpreter_needed: bool = False
    limited_english: bool = False
    single_caregiver: bool = False
    foster_care: bool = False
    children_with_special_needs: int = 1

    def __post_init__(self):
        for name in ("hrsn_positive_domains", "hrsn_incomplete_domains",
                     "low_protective_factors"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        problems = []
        if not self.hrsn_screened and (self.hrsn_positive_domains or
                                       self.hrsn_incomplete_domains):
            problems.append("AHC domains are given but hrsn_screened is False")
        both = self.hrsn_positive_domains & self.hrsn_incomplete_domains
        if both:
            problems.append(f"AHC domains both positive and incomplete: {', '.join(sorted(both))}")
        if not self.protective_factors_assessed and self.low_protective_factors:
            problems.append("low protective factors are given but protective_factors_assessed "
                            "is False")
        if self.children_with_special_needs < 1:
            problems.append("children_with_special_needs counts this child, so it is at least 1")
        if problems:
            raise ValueError("; ".join(problems))


FLAG_FACTS = tuple(f.name for f in fields(SocialFacts) if f.type is bool
                   and f.name not in ("hrsn_screened", "protective_factors_assessed"))
COUNT_FACTS = ("children_with_special_needs",)


@dataclass(frozen=True)
class FactorRule:
    points: int
    reason: str
    minimum_level: SocialLevel | None = None
    not_with: tuple[str, ...] = ()
    at_least: int = 1  # counted facts only


@dataclass(frozen=True)
class SocialScoring:
    source: str
    moderate_from: int
    high_from: int
    hrsn_domains: Mapping[str, FactorRule]
    low_protective_factors: Mapping[str, FactorRule]
    flags: Mapping[str, FactorRule]
    counts: Mapping[str, FactorRule]

    def level_for(self, points: int) -> SocialLevel:
        if points >= self.high_from:
            return SocialLevel.HIGH
        if points >= self.moderate_from:
            return SocialLevel.MODERATE
        return SocialLevel.LOW


@dataclass(frozen=True)
class ScoredFactor:
    """One fact that counted: ``factor`` is ``<section>.<id>``, e.g. ``hrsn_domains.food``."""

    factor: str
    points: int
    reason: str


@dataclass(frozen=True)
class SocialComplexity:
    level: SocialLevel
    points: int
    factors: tuple[ScoredFactor, ...]  # in the data file's order
    raised_by: tuple[str, ...] = ()  # reasons of the facts that set a minimum level above total
    missing: tuple[str, ...] = ()  # what was not collected, in words

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(factor.reason for factor in self.factors)

    @property
    def points_by_factor(self) -> dict[str, int]:
        return {factor.factor: factor.points for factor in self.factors}


def social_complexity(facts: SocialFacts, scoring: SocialScoring | None = None) -> SocialComplexity:
    """Score ``facts`` by ``scoring`` (the shipped file when not given)."""
    scoring = scoring or load_social_scoring()
    _check_ids(facts, scoring)
    scored: list[tuple[ScoredFactor, FactorRule]] = []
    for domain, rule in scoring.hrsn_domains.items():
        if domain in facts.hrsn_positive_domains:
            scored.append((ScoredFactor(f"hrsn_domains.{domain}", rule.points, rule.reason),
                           rule))
    for factor, rule in scoring.low_protective_factors.items():
        if factor in facts.low_protective_factors:
            scored.append((ScoredFactor(f"low_protective_factors.{factor}", rule.points,
                                        rule.reason), rule))
    present_flags = {name for name in scoring.flags if getattr(facts, name)}
    for name, rule in scoring.flags.items():
        if name in present_flags and not present_flags.intersection(rule.not_with):
            scored.append((ScoredFactor(f"flags.{name}", rule.points, rule.reason), rule))
    for name, rule in scoring.counts.items():
        count = getattr(facts, name)
        if count >= rule.at_least:
            scored.append((ScoredFactor(f"counts.{name}", rule.points,
                                        rule.reason.format(count=count)), rule))

    points = sum(factor.points for factor, _ in scored)
    by_total = scoring.level_for(points)
    level = max([by_total, *(rule.minimum_level for _, rule in scored if rule.minimum_level)],
                key=lambda lvl: lvl.rank)
    raised_by = tuple(f"{factor.reason}: at least {rule.minimum_level} social complexity"
                      for factor, rule in scored
                      if rule.minimum_level and rule.minimum_level.rank > by_total.rank)
    return SocialComplexity(level, points, tuple(factor for factor, _ in scored), raised_by,
                            _missing(facts))


def _check_ids(facts: SocialFacts, scoring: SocialScoring) -> None:
    problems = [f"unknown AHC domain {domain!r} (known: {', '.join(scoring.hrsn_domains)})"
                for domain in sorted(facts.hrsn_positive_domains | facts.hrsn_incomplete_domains)
                if domain not in scoring.hrsn_domains]
    problems += [f"unknown protective factor {factor!r} "
                 f"(known: {', '.join(scoring.low_protective_factors)})"
                 for factor in sorted(facts.low_protective_factors)
                 if factor not in scoring.low_protective_factors]
    if problems:
        raise ValueError("; ".join(problems))


def _missing(facts: SocialFacts) -> tuple[str, ...]:
    missing = []
    if not facts.hrsn_screened:
        missing.append("no AHC social needs screening on record")
    elif facts.hrsn_incomplete_domains:
        missing.append("AHC screening incomplete: "
                       + ", ".join(sorted(facts.hrsn_incomplete_domains)))
    if not facts.protective_factors_assessed:
        missing.append("no protective-factor assessment on record")
    return tuple(missing)


# ---------------------------------------------------------------- the data file


@cache
def load_social_scoring(path: Path = SOCIAL_SCORING_FILE) -> SocialScoring:
    """Read and check a scoring file (the shipped one by default, read once per process)."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as exc:
        raise SocialScoringError(str(path), [f"cannot be read: {exc}"]) from exc
    return parse_social_scoring(data, source=str(path))


def parse_social_scoring(data: Any, source: str = "social complexity scoring") -> SocialScoring:
    """Check a scoring document (as read from YAML) and return it; all problems at once."""
    if not isinstance(data, Mapping):
        raise SocialScoringError(source, ["the file must be a mapping of sections"])
    problems: list[str] = []
    known = {"schema_version", "levels", "hrsn_domains", "low_protective_factors", "flags",
             "counts"}
    problems += [f"{key}: unknown section (known: {', '.join(sorted(known))})"
                 for key in data if key not in known]
    moderate, high = _levels(data.get("levels"), problems)
    sections = {}
    for section in ("hrsn_domains", "low_protective_factors", "flags", "counts"):
        sections[section] = _rules(section, data.get(section), problems)
    for section, required in (("flags", FLAG_FACTS), ("counts", COUNT_FACTS)):
        rules = sections[section]
        problems += [f"{section}.{name}: not a fact SocialFacts knows "
                     f"(known: {', '.join(required)})" for name in rules if name not in required]
        problems += [f"{section}.{name}: missing (every fact needs a rule; 0 points is allowed)"
                     for name in required if name not in rules]
        for name, rule in rules.items():
            problems += [f"{section}.{name}.not_with: {other!r} is not one of the {section}"
                         for other in rule.not_with if other not in rules]
    if problems:
        raise SocialScoringError(source, problems)
    return SocialScoring(source, moderate, high, **sections)


def _levels(levels: Any, problems: list[str]) -> tuple[int, int]:
    if not isinstance(levels, Mapping):
        problems.append("levels: missing (give the lowest total for moderate and for high)")
        return 0, 0
    values = {}
    for name in ("moderate", "high"):
        value = levels.get(name)
        if type(value) is not int or value < 1:
            problems.append(f"levels.{name}: {value!r} is not a whole number of points >= 1")
        values[name] = value
    problems += [f"levels.{name}: unknown level (known: moderate, high)"
                 for name in levels if name not in ("moderate", "high")]
    if (type(values["moderate"]) is int and type(values["high"]) is int
            and values["moderate"] >= values["high"]):
        problems.append(f"levels: moderate ({values['moderate']}) must be below high "
                        f"({values['high']})")
    return values["moderate"], values["high"]


def _rules(section: str, entries: Any, problems: list[str]) -> dict[str, FactorRule]:
    if not isinstance(entries, Mapping) or not entries:
        problems.append(f"{section}: missing or empty")
        return {}
    rules = {}
    for name, entry in entries.items():
        key = f"{section}.{name}"
        if not isinstance(entry, Mapping):
            problems.append(f"{key}: must be a mapping with points and reason")
            continue
        allowed = {"points", "reason", "minimum_level", "not_with"}
        if section == "counts":
            allowed.add("at_least")
        problems += [f"{key}.{field_name}: unknown field (known: {', '.join(sorted(allowed))})"
                     for field_name in entry if field_name not in allowed]
        points, reason = entry.get("points"), entry.get("reason")
        if type(points) is not int or points < 0:
            problems.append(f"{key}.points: {points!r} is not a whole number >= 0")
        if not isinstance(reason, str) or not reason.strip():
            problems.append(f"{key}.reason: give the reason in words a supervisor can check")
        minimum = entry.get("minimum_level")
        if minimum is not None and minimum not in SocialLevel._value2member_map_:
            problems.append(f"{key}.minimum_level: {minimum!r} is not low, moderate or high")
            minimum = None
        not_with = entry.get("not_with", [])
        if not isinstance(not_with, list):
            problems.append(f"{key}.not_with: must be a list")
            not_with = []
        if section == "counts" and isinstance(reason, str):
            try:
                reason.format(count=2)
            except (KeyError, IndexError, ValueError):
                problems.append(f"{key}.reason: only {{count}} may stand in braces")
        at_least = entry.get("at_least", 1)
        if type(at_least) is not int or at_least < 1:
            problems.append(f"{key}.at_least: {at_least!r} is not a whole number >= 1")
        rules[str(name)] = FactorRule(
            points if type(points) is int else 0, reason if isinstance(reason, str) else "",
            SocialLevel(minimum) if minimum else None, tuple(not_with), at_least)
    return rules
