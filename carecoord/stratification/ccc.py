"""Pediatric Complex Chronic Conditions, version 2 (CCC v2).

Feudtner C, Feinstein JA, Zhong W, Hall M, Dai D. Pediatric complex chronic conditions
classification system version 2: updated for ICD-10 and complex medical technology dependence
and transplantation. BMC Pediatrics 2014;14:199. doi:10.1186/1471-2431-14-199

The code lists are those of the R package pccc 1.0.6 (CUD2V/pccc, commit 2a8b78e3), kept as
data in `data/ccc_v2_*.csv` (see `data/PROVENANCE.md`). The matching follows pccc:

- diagnosis codes (ICD-10-CM, ICD-9-CM) are tested only against the diagnosis lists and
  procedure codes (ICD-10-PCS, ICD-9-PCS) only against the procedure lists;
- a `prefix` entry matches a code that starts with it, an `exact` entry only the same code;
- every category is tested on its own, so one code can set several (`T8509XA` sets
  `neuromusc` and `tech_dep`);
- `ccc_flag` is 1 when any of the twelve columns is 1, `tech_dep` and `transplant` included.

Two modes:

- `published` (the default): pccc's lists plus `data/ccc_v2_corrections_published.csv`, where
  the published classification and pccc part ways and the published one is right (today the
  whole G80 cerebral palsy block, which pccc cuts down to G80, G800, G803, G804 and G808);
- `pccc`: exactly pccc 1.0.6.

Codes are cleaned (upper case, dots and blanks removed) before matching in both modes; pccc
itself compares codes as written, which `normalize=False` reproduces.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from . import codes
from .codes import ICD9CM, ICD9PCS, ICD10CM, ICD10PCS, Pattern, PatternList

CATEGORIES = (
    "neuromusc",
    "cvd",
    "respiratory",
    "renal",
    "gi",
    "hemato_immu",
    "metabolic",
    "congeni_genetic",
    "malignancy",
    "neonatal",
    "tech_dep",
    "transplant",
)
COLUMNS = (*CATEGORIES, "ccc_flag")

PUBLISHED = "published"
PCCC = "pccc"
MODES = (PUBLISHED, PCCC)

LIST_FILES = {
    ICD10CM: "ccc_v2_icd10cm.csv",
    ICD10PCS: "ccc_v2_icd10pcs.csv",
    ICD9CM: "ccc_v2_icd9cm.csv",
    ICD9PCS: "ccc_v2_icd9pcs.csv",
}
CORRECTIONS_FILE = "ccc_v2_corrections_published.csv"


@dataclass(frozen=True)
class CccResult:
    """The CCC v2 categories of one child (or one code)."""

    categories: frozenset[str]

    @property
    def ccc_flag(self) -> bool:
        return bool(self.categories)

    def as_row(self) -> dict[str, int]:
        """The twelve category columns and `ccc_flag`, each 0 or 1, in pccc's column order."""
        row = {category: int(category in self.categories) for category in CATEGORIES}
        row["ccc_flag"] = int(self.ccc_flag)
        return row


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise ValueError(f"unknown CCC mode {mode!r}: choose one of {', '.join(MODES)}")
    return mode


@cache
def code_list(system: str, mode: str = PUBLISHED) -> PatternList[str]:
    """The CCC v2 list of one code system, each pattern carrying its category."""
    check_mode(mode)
    entries = [(Pattern(row["code"], row["match"]), row["category"])
               for row in codes.read_rows(LIST_FILES[system])]
    if mode == PUBLISHED:
        entries += [(Pattern(row["code"], row["match"]), row["category"])
                    for row in codes.read_rows(CORRECTIONS_FILE) if row["code_system"] == system]
    unknown = {category for _, category in entries} - set(CATEGORIES)
    if unknown:
        raise ValueError(f"CCC list for {system} names unknown categories {sorted(unknown)}")
    return PatternList(entries)


def code_categories(code: str, code_system: str, *, mode: str = PUBLISHED,
                    normalize: bool = True) -> frozenset[str]:
    """The categories one code sets; empty for a code on no list or of an unknown system.

    `code_system` is one of ICD-10-CM, ICD-10-PCS, ICD-9-CM, ICD-9-PCS (case and punctuation
    forgiven). With `normalize=False` the code is matched exactly as written, as pccc does.
    """
    system = codes.code_system(code_system)
    if system is None:
        return frozenset()
    if normalize:
        code = codes.normalize(code)
    return frozenset(code_list(system, mode).values(code))


def classify(coded: Iterable[tuple[str, str]], *, mode: str = PUBLISHED,
             normalize: bool = True) -> CccResult:
    """CCC v2 for one child from all of its `(code, code_system)` pairs."""
    found: set[str] = set()
    for code, system in coded:
        found |= code_categories(code, system, mode=mode, normalize=normalize)
    return CccResult(frozenset(found))
