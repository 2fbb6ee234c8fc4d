"""Diagnosis and procedure codes as they arrive, and the lists they are matched against.

Every list CareCoord uses (CCC v2, PMCA, behavioral health) is a table of patterns: a pattern
matches a code either as a *prefix* (the code starts with it) or *exactly*, and a prefix
pattern may name prefixes it does not cover (PMCA's ICD-9 rows such as `282` except `2825`).
"""

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

DATA_DIR = Path(__file__).resolve().parent / "data"

ICD10CM = "ICD-10-CM"
ICD10PCS = "ICD-10-PCS"
ICD9CM = "ICD-9-CM"
ICD9PCS = "ICD-9-PCS"
CODE_SYSTEMS = (ICD10CM, ICD10PCS, ICD9CM, ICD9PCS)
DIAGNOSIS_SYSTEMS = frozenset({ICD10CM, ICD9CM})

PREFIX = "prefix"
EXACT = "exact"

# Shapes of a cleaned code. ICD-10-CM: letter, digit, then 1-5 letters or digits (C4A, F32A,
# T66XXXS). ICD-10-PCS: exactly 7 characters, never I or O. ICD-9-CM: 3-5 digits, V and 2-4
# digits, or E and 3-4 digits. ICD-9 procedures (volume 3): 2-4 digits.
_SHAPES = {
    ICD10CM: re.compile(r"[A-Z][0-9][0-9A-Z]{1,5}"),
    ICD10PCS: re.compile(r"[0-9A-HJ-NP-Z]{7}"),
    ICD9CM: re.compile(r"[0-9]{3,5}|V[0-9]{2,4}|E[0-9]{3,4}"),
    ICD9PCS: re.compile(r"[0-9]{2,4}"),
}
_SYSTEM_NAMES = {re.sub(r"[^A-Z0-9]", "", system): system for system in CODE_SYSTEMS}


def normalize(code: str) -> str:
    """The code as the lists write it: upper case, dots and blanks removed (`e84.0 ` -> `E840`)."""
    return "".join(code.split()).replace(".", "").upper()


def code_system(name: str) -> str | None:
    """The code system a source names, forgiving case and punctuation (`icd10cm` -> ICD-10-CM).

    None when it is none of the four systems CareCoord reads.
    """
    return _SYSTEM_NAMES.get(re.sub(r"[^A-Z0-9]", "", name.upper()))


def problem(code: str, system: str) -> str | None:
    """Why a cleaned code cannot be an `system` code, or None when it has the right shape."""
    if not code:
        return "code is empty"
    if not _SHAPES[system].fullmatch(code):
        return f"not a valid {system} code"
    return None


T = TypeVar("T")


@dataclass(frozen=True)
class Pattern:
    code: str
    match: str = PREFIX
    except_prefixes: tuple[str, ...] = ()

    def __post_init__(self):
        if self.match not in (PREFIX, EXACT):
            raise ValueError(f"pattern {self.code!r}: match must be prefix or exact")

    def matches(self, code: str) -> bool:
        if self.match == EXACT:
            return code == self.code
        return code.startswith(self.code) and not code.startswith(self.except_prefixes)


class PatternList(Generic[T]):
    """Patterns, each carrying a value, looked up by every prefix of a code.

    A lookup costs one dictionary probe per character of the code, whatever the list size,
    and compares strings as they are (the caller decides whether to clean them first).
    """

    def __init__(self, entries: Iterable[tuple[Pattern, T]]):
        self.entries = tuple(entries)
        self._by_prefix: dict[str, list[tuple[Pattern, T]]] = {}
        self._exact: dict[str, list[T]] = {}
        for pattern, value in self.entries:
            if pattern.match == EXACT:
                self._exact.setdefault(pattern.code, []).append(value)
            else:
                self._by_prefix.setdefault(pattern.code, []).append((pattern, value))

    def values(self, code: str) -> list[T]:
        """Values of every pattern the code matches (an entry matching twice counts twice)."""
        found = list(self._exact.get(code, ()))
        for end in range(1, len(code) + 1):
            for pattern, value in self._by_prefix.get(code[:end], ()):
                if not code.startswith(pattern.except_prefixes):
                    found.append(value)
        return found


def read_rows(name: str) -> list[dict[str, str]]:
    """Rows of a CSV file in the package's data folder."""
    with open(DATA_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))
