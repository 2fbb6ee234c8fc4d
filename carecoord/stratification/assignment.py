"""Suggest a coordinator for a child, and redistribute a leaving coordinator's children.

CareCoord's own rule, with its numbers in ``data/assignment.yaml`` and the caseload weight of
each acuity tier in ``data/tier_matrix.yaml`` (DESIGN.md: "an acuity-weighted caseload balance
that respects language and geography (home visits)"). For the coordinators of the child's
recommended discipline:

- **load** is the sum of the caseload weights of the coordinator's children, **projected** the
  load with this child; **percent** is projected load over ``caseload_capacity`` (the person's
  own capacity in typical children, already set for their FTE, as ``User.caseload_capacity``);
- **score** starts at percent; a coordinator who speaks the family's preferred language (when
  it is not the working language, English) gets ``language.match_points`` off; when the family
  prefers home visits, every km from the coordinator's base town to the family's town beyond
  ``home_visits.nearby_km`` adds ``home_visits.points_per_km_beyond`` (town centroids);
- ranking: everyone with room (percent at or below ``capacity.full_at_percent``) before anyone
  without, then the lowest score, the lowest percent, and the coordinator id, so equal
  candidates always come out in the same order.

So a Spanish-speaking coordinator is preferred for a Spanish-speaking family over an
English-only one whose projected load is up to ``match_points`` percentage points lower, and
nobody is suggested over capacity while a colleague has room.

``rebalance`` places a leaving coordinator's children one by one, the heaviest first (then by
child id), each with the coordinator ranked first among those with room, counting the children
already placed: acuity spreads across the team in proportion to capacity, and a child nobody
has room for is listed, never forced on someone.
"""

import csv
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .social import DATA_DIR
from .tiers import DISCIPLINES, TierMatrix, load_tier_matrix

ASSIGNMENT_RULES_FILE = DATA_DIR / "assignment.yaml"
ACCOUNTS_DATA = Path(__file__).resolve().parent.parent / "accounts" / "data"
TOWNS_FILE = ACCOUNTS_DATA / "ct_towns_regions.csv"
LANGUAGES_FILE = ACCOUNTS_DATA / "languages.csv"
EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)


class AssignmentRulesError(ValueError):
    """The assignment rules file is malformed; every problem names its key."""

    def __init__(self, source: str, problems: Iterable[str]):
        self.source = source
        self.problems = tuple(problems)
        super().__init__(f"{source}: " + "; ".join(self.problems))


@dataclass(frozen=True)
class Coordinator:
    """A care coordinator and the children they carry now.

    ``caseload_tiers``: one entry per current child, its acuity tier (None: not yet
    stratified). ``languages``: BCP 47 codes. ``base_town``: the town home visits start from.
    """

    id: int
    name: str
    discipline: str
    caseload_capacity: float
    caseload_tiers: tuple[int | None, ...] = ()
    languages: frozenset[str] = frozenset()
    base_town: str | None = None

    def __post_init__(self):
        object.__setattr__(self, "languages", frozenset(self.languages))
        object.__setattr__(self, "caseload_tiers", tuple(self.caseload_tiers))
        if self.discipline not in DISCIPLINES:
            raise ValueError(f"coordinator {self.name}: discipline {self.discipline!r} is not "
                             f"one of {', '.join(DISCIPLINES)}")
        if not self.caseload_capacity or self.caseload_capacity <= 0:
            raise ValueError(f"coordinator {self.name}: caseload_capacity must be above 0")


@dataclass(frozen=True)
class ChildToAssign:
    """A child waiting for a coordinator: tier and discipline from ``tiers.acuity_tier``;
    ``language``: the family's preferred language (BCP 47); ``town``: the household's town."""

    id: int
    tier: int | None
    discipline: str
    language: str
    town: str | None = None
    prefers_home_visits: bool = False

    def __post_init__(self):
        if self.discipline not in DISCIPLINES:
            raise ValueError(f"child {self.id}: discipline {self.discipline!r} is not one of "
                             f"{', '.join(DISCIPLINES)}")


@dataclass(frozen=True)
class AssignmentRules:
    source: str
    full_at_percent: float
    working_language: str
    language_match_points: float
    nearby_km: float
    points_per_km_beyond: float
    unstratified_weight: float


@dataclass(frozen=True)
class Candidate:
    """One coordinator's standing for one child; loads are acuity-weighted."""

    coordinator: Coordinator
    current_load: float
    projected_load: float
    current_percent: float
    projected_percent: float
    has_room: bool
    speaks_family_language: bool | None  # None: the family's language is the working language
    distance_km: float | None  # None: a town or its centroid is unknown
    travel_points: float
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Reassignment:
    child: ChildToAssign
    to: Candidate  # the coordinator's standing when the child was placed


@dataclass(frozen=True)
class Unplaced:
    child: ChildToAssign
    reason: str


@dataclass(frozen=True)
class CoordinatorLoad:
    coordinator: Coordinator
    load: float
    percent: float


@dataclass(frozen=True)
class Rebalance:
    leaving: Coordinator
    moves: tuple[Reassignment, ...]  # in the order the children were placed
    unplaced: tuple[Unplaced, ...]
    loads_after: tuple[CoordinatorLoad, ...]  # everyone remaining, with the moves


def caseload_load(coordinator: Coordinator, matrix: TierMatrix,
                  rules: AssignmentRules) -> float:
    """The acuity-weighted load of the children the coordinator carries."""
    return sum(_weight(tier, matrix, rules) for tier in coordinator.caseload_tiers)


def suggest_coordinators(child: ChildToAssign, coordinators: Sequence[Coordinator], *,
                         matrix: TierMatrix | None = None, rules: AssignmentRules | None = None,
                         centroids: Mapping[str, tuple[float, float]] | None = None,
                         language_names: Mapping[str, str] | None = None,
                         ) -> tuple[Candidate, ...]:
    """The coordinators of the child's discipline, best first, each with loads and reasons.

    ``centroids`` (town -> latitude, longitude) and ``language_names`` (code -> name) default
    to the shipped Connecticut towns and languages.
    """
    matrix = matrix or load_tier_matrix()
    rules = rules or load_assignment_rules()
    centroids = load_town_centroids() if centroids is None else centroids
    language_names = load_language_names() if language_names is None else language_names
    weight = _weight(child.tier, matrix, rules)
    candidates = [_standing(child, weight, coordinator, matrix, rules, centroids, language_names)
                  for coordinator in coordinators if coordinator.discipline == child.discipline]
    return tuple(sorted(candidates, key=_rank_key))


def rebalance(leaving: Coordinator, children: Sequence[ChildToAssign],
              staff: Sequence[Coordinator], *, matrix: TierMatrix | None = None,
              rules: AssignmentRules | None = None,
              centroids: Mapping[str, tuple[float, float]] | None = None,
              language_names: Mapping[str, str] | None = None) -> Rebalance:
    """Propose a coordinator for each of ``leaving``'s ``children`` among ``staff`` (the leaver
    is left out if listed), never beyond anyone's capacity."""
    matrix = matrix or load_tier_matrix()
    rules = rules or load_assignment_rules()
    centroids = load_town_centroids() if centroids is None else centroids
    language_names = load_language_names() if language_names is None else language_names
    team = {c.id: c for c in sorted(staff, key=lambda c: c.id) if c.id != leaving.id}
    order = sorted(children, key=lambda child: (-_weight(child.tier, matrix, rules), child.id))
    moves, unplaced = [], []
    for child in order:
        ranked = suggest_coordinators(child, list(team.values()), matrix=matrix, rules=rules,
                                      centroids=centroids, language_names=language_names)
        choice = next((candidate for candidate in ranked if candidate.has_room), None)
        if choice is None:
            unplaced.append(Unplaced(child, _no_room_reason(child, ranked)))
            continue
        moves.append(Reassignment(child, choice))
        chosen = choice.coordinator
        team[chosen.id] = replace(chosen, caseload_tiers=chosen.caseload_tiers + (child.tier,))
    loads_after = []
    for coordinator in team.values():
        load = caseload_load(coordinator, matrix, rules)
        loads_after.append(CoordinatorLoad(coordinator, load,
                                           100 * load / coordinator.caseload_capacity))
    return Rebalance(leaving, tuple(moves), tuple(unplaced), tuple(loads_after))


def _standing(child: ChildToAssign, weight: float, coordinator: Coordinator,
              matrix: TierMatrix, rules: AssignmentRules,
              centroids: Mapping[str, tuple[float, float]],
              language_names: Mapping[str, str]) -> Candidate:
    current = caseload_load(coordinator, matrix, rules)
    projected = current + weight
    current_percent = 100 * current / coordinator.caseload_capacity
    projected_percent = 100 * projected / coordinator.caseload_capacity
    has_room = projected_percent <= rules.full_at_percent
    reasons = []
    score = projected_percent

    speaks = None
    if child.language != rules.working_language:
        language = language_names.get(child.language, child.language)
        speaks = child.language in coordinator.languages
        if speaks:
            score -= rules.language_match_points
            reasons.append(f"speaks {language}")
        else:
            reasons.append(f"does not speak {language}: needs an interpreter")

    distance = _distance_km(coordinator.base_town, child.town, centroids)
    travel = 0.0
    if child.prefers_home_visits:
        if distance is None:
            reasons.append("home visits: distance unknown (no town on record)")
        else:
            beyond = max(0.0, distance - rules.nearby_km)
            travel = beyond * rules.points_per_km_beyond
            where = (f"based in {child.town}" if coordinator.base_town == child.town else
                     f"based in {coordinator.base_town}, {distance:.0f} km from {child.town}")
            reasons.append(f"{where}, nearby for home visits" if not beyond else
                           f"{where}, {beyond:.0f} km beyond nearby for home visits")
    score += travel

    if has_room:
        reasons.append(f"at {current_percent:.0f}% of capacity, "
                       f"{projected_percent:.0f}% with this child")
    else:
        reasons.append(f"over capacity with this child: {projected_percent:.0f}% "
                       f"(now {current_percent:.0f}%)")
    return Candidate(coordinator, current, projected, current_percent, projected_percent,
                     has_room, speaks, distance, travel, score, tuple(reasons))


def _rank_key(candidate: Candidate) -> tuple:
    # Rounding keeps equal candidates equal whatever order their weights were added in.
    return (not candidate.has_room, round(candidate.score, 9),
            round(candidate.projected_percent, 9), candidate.coordinator.id)


def _no_room_reason(child: ChildToAssign, ranked: Sequence[Candidate]) -> str:
    discipline = child.discipline.replace("_", " ")
    if not ranked:
        return f"no remaining {discipline} coordinator"
    return f"no remaining {discipline} coordinator has room for a tier {child.tier} child"


def _weight(tier: int | None, matrix: TierMatrix, rules: AssignmentRules) -> float:
    if tier is None:
        return rules.unstratified_weight
    if tier not in matrix.tiers:
        raise ValueError(f"tier {tier!r} is not defined in {matrix.source} "
                         f"({', '.join(map(str, matrix.tiers))})")
    return matrix.caseload_weight(tier)


def _distance_km(town_a: str | None, town_b: str | None,
                 centroids: Mapping[str, tuple[float, float]]) -> float | None:
    if town_a is None or town_b is None:
        return None
    unknown = [town for town in (town_a, town_b) if town not in centroids]
    if unknown:
        raise ValueError(f"no centroid for town {', '.join(map(repr, unknown))}")
    return haversine_km(centroids[town_a], centroids[town_b])


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (latitude, longitude) points, in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


# ---------------------------------------------------------------- data files


@cache
def load_town_centroids(path: Path = TOWNS_FILE) -> dict[str, tuple[float, float]]:
    """Town -> (latitude, longitude) of its area centroid, from the accounts app's copy of the
    Connecticut towns reference table."""
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["town"]: (float(row["centroid_lat"]), float(row["centroid_lon"]))
                for row in csv.DictReader(handle)}


@cache
def load_language_names(path: Path = LANGUAGES_FILE) -> dict[str, str]:
    """Language code -> English name, from the accounts app's language list."""
    with open(path, encoding="utf-8", newline="") as handle:
        return {row["code"]: row["name"] for row in csv.DictReader(handle)}


@cache
def load_assignment_rules(path: Path = ASSIGNMENT_RULES_FILE) -> AssignmentRules:
    """Read and check an assignment rules file (the shipped one by default)."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as exc:
        raise AssignmentRulesError(str(path), [f"cannot be read: {exc}"]) from exc
    return parse_assignment_rules(data, source=str(path))


FIELDS = {  # key path -> (AssignmentRules field, lowest allowed value)
    ("capacity", "full_at_percent"): ("full_at_percent", 1),
    ("language", "match_points"): ("language_match_points", 0),
    ("home_visits", "nearby_km"): ("nearby_km", 0),
    ("home_visits", "points_per_km_beyond"): ("points_per_km_beyond", 0),
    ("unstratified_weight",): ("unstratified_weight", 0),
}


def parse_assignment_rules(data: Any, source: str = "assignment rules") -> AssignmentRules:
    """Check an assignment rules document (as read from YAML); all problems at once."""
    if not isinstance(data, Mapping):
        raise AssignmentRulesError(source, ["the file must be a mapping of sections"])
    problems = []
    known = {"schema_version", "capacity", "language", "home_visits", "unstratified_weight"}
    problems += [f"{key}: unknown section (known: {', '.join(sorted(known))})"
                 for key in data if key not in known]
    values: dict[str, Any] = {}
    for path, (name, lowest) in FIELDS.items():
        value = data
        for part in path:
            value = value.get(part) if isinstance(value, Mapping) else None
        key = ".".join(path)
        if type(value) not in (int, float) or value < lowest:
            problems.append(f"{key}: {value!r} is not a number >= {lowest}")
        values[name] = value
    language = data.get("language")
    working = language.get("working_language") if isinstance(language, Mapping) else None
    if not isinstance(working, str) or not working:
        problems.append("language.working_language: give the center's working language code")
    if problems:
        raise AssignmentRulesError(source, problems)
    return AssignmentRules(source=source, working_language=working,
                           **{name: float(value) for name, value in values.items()})
