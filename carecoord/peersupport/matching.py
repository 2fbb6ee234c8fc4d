"""Suggest support parents for a family: pure Python, so the ranking is tested on its own.

A support parent is a good match when their child had the same kind of condition (the same
ICD-10-CM category, else the same chapter letter), they speak the family's language, they live
near, and they have room for another family. Families care most about the shared experience
and the language, so those weigh most."""

from dataclasses import dataclass

SAME_CATEGORY, SAME_CHAPTER, SAME_LANGUAGE, SAME_TOWN, SAME_REGION = 6, 2, 4, 2, 1


@dataclass(frozen=True)
class Seeker:
    categories: frozenset[str]  # ICD-10-CM categories, e.g. {"Q90", "F84"}
    languages: frozenset[str]  # language codes the family speaks
    town: str
    region: str


@dataclass(frozen=True)
class Candidate:
    supporter_id: int
    name: str
    categories: frozenset[str]
    languages: frozenset[str]
    town: str
    region: str
    open_matches: int
    max_matches: int


@dataclass(frozen=True)
class Suggestion:
    candidate: Candidate
    score: int
    reasons: tuple[str, ...]


def suggest(seeker: Seeker, candidates, limit: int = 5) -> list[Suggestion]:
    """Support parents with room, best first; ties go to the one with fewer families."""
    suggestions = []
    for c in candidates:
        if c.open_matches >= c.max_matches:
            continue
        score, reasons = 0, []
        shared = sorted(seeker.categories & c.categories)
        chapters = sorted({x[0] for x in seeker.categories} & {x[0] for x in c.categories})
        if shared:
            score += SAME_CATEGORY
            reasons.append(f"same condition category ({', '.join(shared)})")
        elif chapters:
            score += SAME_CHAPTER
            reasons.append(f"related conditions (chapter {', '.join(chapters)})")
        languages = sorted(seeker.languages & c.languages)
        if languages:
            score += SAME_LANGUAGE
            reasons.append(f"speaks {', '.join(languages)}")
        if c.town == seeker.town:
            score += SAME_TOWN
            reasons.append(f"lives in {c.town}")
        elif c.region == seeker.region:
            score += SAME_REGION
            reasons.append(f"same region ({c.region})")
        reasons.append(f"supporting {c.open_matches} of {c.max_matches} families")
        suggestions.append(Suggestion(c, score, tuple(reasons)))
    suggestions.sort(key=lambda s: (-s.score, s.candidate.open_matches, s.candidate.name))
    return suggestions[:limit]
