"""Compare two administrations of one subscale instrument (e.g. intake and the 6-month review).

Change is the later score minus the earlier one, per subscale, from the unrounded scores (the
PFS-2 reference's ``change_over_time`` rule). Higher scores mean stronger protective factors, so
a rise is "improved". A subscale without a score at either time is "not_comparable".
"""

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from .subscales import SubscaleResult, round_half_up


class Direction(StrEnum):
    IMPROVED = "improved"
    WORSENED = "worsened"
    UNCHANGED = "unchanged"
    NOT_COMPARABLE = "not_comparable"


@dataclass(frozen=True)
class SubscaleChange:
    subscale_id: str
    before: Fraction | None
    after: Fraction | None
    change: Fraction | None
    direction: Direction

    @property
    def display(self) -> Decimal | None:
        return None if self.change is None else round_half_up(self.change)


@dataclass(frozen=True)
class Comparison:
    instrument_id: str
    changes: tuple[SubscaleChange, ...]  # in the instrument's subscale order

    def change_of(self, subscale_id: str) -> SubscaleChange:
        return next(change for change in self.changes if change.subscale_id == subscale_id)


def compare_administrations(earlier: SubscaleResult, later: SubscaleResult) -> Comparison:
    """Change per subscale from ``earlier`` to ``later`` (same instrument only)."""
    if earlier.instrument_id != later.instrument_id:
        raise ValueError(f"cannot compare {earlier.instrument_id} with {later.instrument_id}")
    changes = []
    for before, after in zip(earlier.scores, later.scores, strict=True):
        if before.score is None or after.score is None:
            changes.append(SubscaleChange(before.subscale_id, before.score, after.score, None,
                                          Direction.NOT_COMPARABLE))
            continue
        change = after.score - before.score
        direction = (Direction.IMPROVED if change > 0 else
                     Direction.WORSENED if change < 0 else Direction.UNCHANGED)
        changes.append(SubscaleChange(before.subscale_id, before.score, after.score, change,
                                      direction))
    return Comparison(earlier.instrument_id, tuple(changes))
