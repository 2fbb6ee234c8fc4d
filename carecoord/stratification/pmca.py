"""Pediatric Medical Complexity Algorithm (PMCA).

Simon TD, Cawthon ML, Stanford S, et al. Pediatric medical complexity algorithm: a new method
to stratify children by medical complexity. Pediatrics 2014;133(6):e1647-e1654.
doi:10.1542/peds.2013-3875. ICD-10-CM version: Simon TD et al., Academic Pediatrics 2018.

Code lists: the `%classify_dx` macro of `pmca.sas` (kpwhri/pmca, commit 7bfdfe6b), kept as
data in `data/pmca_icd10cm.csv` and `data/pmca_icd9cm.csv` (see `data/PROVENANCE.md`).

A child's diagnoses over a three-year look-back (`as_of - 3 years < service date <= as_of`)
give three facts: which body systems carry a chronic condition and on how many distinct
claims, whether any condition is progressive, and whether any is a malignancy. Then, with
*k* claims needed per body system (1 in the less conservative variant, 2 in the more
conservative one) and *S* the body systems seen on at least *k* claims:

- `complex_chronic` if any code is progressive or a malignancy, or |S| >= 2;
- `non_complex_chronic` if |S| = 1;
- `non_chronic` otherwise.

The authors recommend the more conservative variant for claims that include outpatient
encounters (Medicaid claims) and the less conservative one for hospital data; CareCoord
computes and stores both. Only ICD-10-CM and ICD-9-CM codes count; procedures never do.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from . import codes
from .codes import ICD9CM, ICD10CM, Pattern, PatternList

BODY_SYSTEMS = (
    "cardiac",
    "craniofacial",
    "dermatological",
    "endocrinological",
    "gastrointestinal",
    "genetic",
    "genitourinary",
    "hematological",
    "immunological",
    "mental_health",
    "metabolic",
    "musculoskeletal",
    "neurological",
    "ophthalmological",
    "otologic",
    "pulmonary_respiratory",
    "renal",
)
MALIGNANCY = "malignancy"

COMPLEX_CHRONIC = "complex_chronic"
NON_COMPLEX_CHRONIC = "non_complex_chronic"
NON_CHRONIC = "non_chronic"
CLASSES = (COMPLEX_CHRONIC, NON_COMPLEX_CHRONIC, NON_CHRONIC)

LESS = "less"
MORE = "more"
# Claims a body system needs to count, by variant.
CLAIMS_NEEDED = {LESS: 1, MORE: 2}
LOOK_BACK_YEARS = 3

LIST_FILES = {ICD10CM: "pmca_icd10cm.csv", ICD9CM: "pmca_icd9cm.csv"}


@dataclass(frozen=True)
class CodeFlags:
    """What one diagnosis code says: its body systems, progressive, malignancy."""

    body_systems: frozenset[str] = frozenset()
    progressive: bool = False
    malignancy: bool = False

    def __or__(self, other: "CodeFlags") -> "CodeFlags":
        return CodeFlags(self.body_systems | other.body_systems,
                         self.progressive or other.progressive,
                         self.malignancy or other.malignancy)

    def __bool__(self) -> bool:
        return bool(self.body_systems) or self.progressive or self.malignancy


NO_FLAGS = CodeFlags()


@cache
def code_list(system: str) -> PatternList[tuple[str, bool]]:
    """The PMCA list of one code system: each pattern carries (body system, progressive)."""
    entries = []
    for row in codes.read_rows(LIST_FILES[system]):
        if row["body_system"] not in BODY_SYSTEMS and row["body_system"] != MALIGNANCY:
            raise ValueError(f"PMCA list for {system}: unknown body system {row['body_system']!r}")
        excepts = tuple(p for p in row["except_prefix"].split(";") if p)
        entries.append((Pattern(row["code"], row["match"], excepts),
                        (row["body_system"], row["progressive"] == "1")))
    return PatternList(entries)


def code_flags(code: str, code_system: str) -> CodeFlags:
    """The PMCA flags of one diagnosis code; none for a code on no list or of another system."""
    system = codes.code_system(code_system)
    if system not in LIST_FILES:
        return NO_FLAGS
    matched = code_list(system).values(codes.normalize(code))
    if not matched:
        return NO_FLAGS
    return CodeFlags(
        body_systems=frozenset(s for s, _ in matched if s != MALIGNANCY),
        progressive=any(progressive for _, progressive in matched),
        malignancy=any(s == MALIGNANCY for s, _ in matched),
    )


def window_start(as_of: date) -> date:
    """The day before the look-back window opens: the same day three years before `as_of`.

    29 February falls back to 28 February. A service date must be after this day.
    """
    year = as_of.year - LOOK_BACK_YEARS
    if as_of.month == 2 and as_of.day == 29:
        return date(year, 2, 28)
    return as_of.replace(year=year)


def in_window(service_date: date, as_of: date) -> bool:
    return window_start(as_of) < service_date <= as_of


def pmca_class(body_systems: int, *, progressive: bool, malignancy: bool) -> str:
    """The class from the number of body systems that reached the variant's claim count."""
    if progressive or malignancy or body_systems >= 2:
        return COMPLEX_CHRONIC
    if body_systems == 1:
        return NON_COMPLEX_CHRONIC
    return NON_CHRONIC


@dataclass(frozen=True)
class Diagnosis:
    """One diagnosis row of a claim. Without a claim id, a child's codes of one service date
    are taken as one claim (the usual substitute, which can differ from the true count)."""

    code: str
    code_system: str
    service_date: date
    claim_id: str | None = None

    @property
    def claim(self) -> object:
        return self.claim_id if self.claim_id is not None else self.service_date


@dataclass(frozen=True)
class PmcaResult:
    """One child's PMCA facts and classes over the look-back window."""

    claims_by_body_system: Mapping[str, int] = field(default_factory=dict)
    progressive: bool = False
    malignancy: bool = False

    def body_systems(self, variant: str) -> tuple[str, ...]:
        """Body systems seen on enough claims for the variant, alphabetical."""
        needed = CLAIMS_NEEDED[variant]
        return tuple(sorted(s for s, n in self.claims_by_body_system.items() if n >= needed))

    def pmca_class(self, variant: str) -> str:
        return pmca_class(len(self.body_systems(variant)), progressive=self.progressive,
                          malignancy=self.malignancy)

    @property
    def class_less(self) -> str:
        return self.pmca_class(LESS)

    @property
    def class_more(self) -> str:
        return self.pmca_class(MORE)


def classify(diagnoses: Iterable[Diagnosis], *, as_of: date) -> PmcaResult:
    """PMCA for one child from all of its diagnoses; rows outside the window are ignored."""
    claims: dict[str, set[object]] = {}
    flags = NO_FLAGS
    for diagnosis in diagnoses:
        if not in_window(diagnosis.service_date, as_of):
            continue
        found = code_flags(diagnosis.code, diagnosis.code_system)
        flags |= found
        for system in found.body_systems:
            claims.setdefault(system, set()).add(diagnosis.claim)
    return PmcaResult({s: len(c) for s, c in sorted(claims.items())},
                      progressive=flags.progressive, malignancy=flags.malignancy)
