"""How a date search matches the element it is about (FHIR R4, search.html#prefix).

Both sides are ranges. The search value stands for every instant of its precision (`2026-03`
is the whole of March; see query.DateSearch). The resource's element is one instant (a
dateTime: CareCoord stores them to the microsecond), one date (the whole day in the server's
time zone), or a period from a start to an end, which may be open (not ended yet). With the
search range [s, e) and the element's range [t0, t1):

    eq  s <= t0 and t1 <= e          ne  not eq
    gt  t1 > e                       lt  t0 < s
    ge  gt or eq                     le  lt or eq
    sa  t0 >= e                      eb  t1 <= s
    ap  t0 < e and t1 > s  (s and e already widened by query.py)

A resource without the element matches no date search."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from ...query import DateSearch


@dataclass(frozen=True)
class Target:
    """Where the element's value is: `start` (the value itself, or a period's start) and,
    for a period, `end`; `dates` when they are DateFields; `open_end` when a NULL end means
    the period has not ended."""

    start: str
    end: str | None = None
    dates: bool = False
    open_end: bool = False


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=timezone.get_current_timezone())


def _first_day_from(moment: datetime.datetime) -> datetime.date:
    """The first day whose midnight is at or after `moment`."""
    day = moment.astimezone(timezone.get_current_timezone()).date()
    if _midnight(day) >= moment or day == datetime.date.max:
        return day
    return day + datetime.timedelta(days=1)


def _last_day_to(moment: datetime.datetime) -> datetime.date:
    """The last day whose midnight is at or before `moment`."""
    day = moment.astimezone(timezone.get_current_timezone()).date()
    if _midnight(day) <= moment or day == datetime.date.min:
        return day
    return day - datetime.timedelta(days=1)


class _Bounds:
    def __init__(self, target: Target):
        self.t = target

    def starts_from(self, moment) -> Q:  # t0 >= moment
        value = _first_day_from(moment) if self.t.dates else moment
        return Q(**{f"{self.t.start}__gte": value})

    def starts_before(self, moment) -> Q:  # t0 < moment
        value = _first_day_from(moment) if self.t.dates else moment
        return Q(**{f"{self.t.start}__lt": value})

    def ends_by(self, moment) -> Q:  # t1 <= moment
        # A date's range ends at the next midnight, an instant's just after it.
        value = _last_day_to(moment) if self.t.dates else moment
        return Q(**{f"{self.t.end or self.t.start}__lt": value})

    def ends_after(self, moment) -> Q:  # t1 > moment
        value = _last_day_to(moment) if self.t.dates else moment
        q = Q(**{f"{self.t.end or self.t.start}__gte": value})
        if self.t.end and self.t.open_end:
            q |= Q(**{f"{self.t.end}__isnull": True})
        return q


def matching(target: Target) -> Callable[[DateSearch], Q]:
    bounds = _Bounds(target)

    def one(search: DateSearch) -> Q:
        s, e = search.start, search.end
        equal = bounds.starts_from(s) & bounds.ends_by(e)
        return {
            "eq": lambda: equal,
            "ne": lambda: bounds.starts_before(s) | bounds.ends_after(e),
            "gt": lambda: bounds.ends_after(e),
            "lt": lambda: bounds.starts_before(s),
            "ge": lambda: bounds.ends_after(e) | equal,
            "le": lambda: bounds.starts_before(s) | equal,
            "sa": lambda: bounds.starts_from(e),
            "eb": lambda: bounds.ends_by(s),
            "ap": lambda: bounds.starts_before(e) & bounds.ends_after(s),
        }[search.prefix]()
    return one
