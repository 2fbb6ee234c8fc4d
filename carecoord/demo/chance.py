"""Seeded choices for the demo generator. Every draw goes through a `random.Random` that the
caller owns, so the same seed and as-of date give the same network, row for row."""

import bisect
import datetime
import itertools
import random
from collections.abc import Iterable
from typing import Generic, TypeVar

T = TypeVar("T")


class Weighted(Generic[T]):
    """Items drawn in proportion to their weights. Built once and reused: a cumulative table
    with a binary search is much cheaper than `random.choices` rebuilding it on every draw."""

    __slots__ = ("items", "cumulative", "total")

    def __init__(self, pairs: Iterable[tuple[T, float]]):
        kept = [(item, float(weight)) for item, weight in pairs if float(weight) > 0]
        if not kept:
            raise ValueError("Nothing to choose from: every weight is zero.")
        self.items = [item for item, _ in kept]
        self.cumulative = list(itertools.accumulate(weight for _, weight in kept))
        self.total = self.cumulative[-1]

    def pick(self, rng: random.Random) -> T:
        index = bisect.bisect_right(self.cumulative, rng.random() * self.total)
        return self.items[min(index, len(self.items) - 1)]


def weighted(mapping: dict[T, float]) -> Weighted[T]:
    return Weighted(mapping.items())


def chance(rng: random.Random, probability: float) -> bool:
    return rng.random() < probability


def day_between(rng: random.Random, first: datetime.date, last: datetime.date) -> datetime.date:
    """A day from `first` to `last`, both included (`first` when the range is empty)."""
    span = (last - first).days
    return first if span <= 0 else first + datetime.timedelta(days=rng.randint(0, span))


def days_after(day: datetime.date, days: int) -> datetime.date:
    return day + datetime.timedelta(days=days)


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
