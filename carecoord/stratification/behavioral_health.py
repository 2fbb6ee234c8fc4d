"""The behavioral health flag: the children a clinical social worker should lead for.

A diagnosis code is behavioral health when it is in the PMCA's mental health body system
(ICD-10-CM or ICD-9-CM, `data/pmca_*.csv`) or matches CareCoord's own ICD-10-CM list,
`data/behavioral_health_icd10cm.csv`, which adds the F codes the PMCA leaves out because they
are acute or not chronic (substance use, acute stress, mood and anxiety disorders in full,
eating disorders, conduct and attachment disorders). Why each block is in or out is written in
`data/PROVENANCE.md`. One code on one claim in the look-back window is enough.
"""

from collections.abc import Iterable
from datetime import date
from functools import cache

from . import codes, pmca
from .codes import ICD10CM, Pattern, PatternList

LIST_FILE = "behavioral_health_icd10cm.csv"
MENTAL_HEALTH = "mental_health"


@cache
def code_list() -> PatternList[str]:
    return PatternList((Pattern(row["code"], row["match"]), row["title"])
                       for row in codes.read_rows(LIST_FILE))


def is_behavioral_health(code: str, code_system: str) -> bool:
    if MENTAL_HEALTH in pmca.code_flags(code, code_system).body_systems:
        return True
    return codes.code_system(code_system) == ICD10CM and bool(
        code_list().values(codes.normalize(code)))


def behavioral_health(diagnoses: Iterable[pmca.Diagnosis], *, as_of: date) -> bool:
    """Whether any of a child's diagnoses in the look-back window is behavioral health."""
    return any(pmca.in_window(d.service_date, as_of)
               and is_behavioral_health(d.code, d.code_system) for d in diagnoses)
