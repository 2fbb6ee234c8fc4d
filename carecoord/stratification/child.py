"""One child's medical complexity and behavioral health flag from its diagnoses.

The same rules as the population engine (`population.py`), for one child at a time (intake,
a new diagnosis): CCC v2, PMCA in both variants and the behavioral health flag, all over the
PMCA's three-year look-back window ending on `as_of`. CCC v2 itself has no window; CareCoord
applies the same one so that all of a child's results describe the same years.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from . import behavioral_health, ccc, pmca
from .ccc import PUBLISHED, CccResult
from .pmca import LESS, MORE, Diagnosis, PmcaResult

COLUMNS = (
    *ccc.COLUMNS,
    "pmca_less",
    "pmca_more",
    "pmca_systems_less",
    "pmca_systems_more",
    "behavioral_health",
)
SYSTEMS_SEPARATOR = ";"


@dataclass(frozen=True)
class ChildClassification:
    ccc: CccResult
    pmca: PmcaResult
    behavioral_health: bool

    def as_row(self) -> dict[str, str | int]:
        less, more = self.pmca.body_systems(LESS), self.pmca.body_systems(MORE)
        flags = {"progressive": self.pmca.progressive, "malignancy": self.pmca.malignancy}
        return {
            **self.ccc.as_row(),
            "pmca_less": pmca.pmca_class(len(less), **flags),
            "pmca_more": pmca.pmca_class(len(more), **flags),
            "pmca_systems_less": SYSTEMS_SEPARATOR.join(less),
            "pmca_systems_more": SYSTEMS_SEPARATOR.join(more),
            "behavioral_health": int(self.behavioral_health),
        }


def classify_child(diagnoses: Iterable[Diagnosis], *, as_of: date,
                   mode: str = PUBLISHED) -> ChildClassification:
    kept = [d for d in diagnoses if pmca.in_window(d.service_date, as_of)]
    return ChildClassification(
        ccc=ccc.classify(((d.code, d.code_system) for d in kept), mode=mode),
        pmca=pmca.classify(kept, as_of=as_of),
        behavioral_health=behavioral_health.behavioral_health(kept, as_of=as_of),
    )
