"""Reading an HSDS schedule as "which days, from when to when" in Connecticut wall-clock time,
so "open now" is a comparison of small numbers. Pure Python: no Django imports.

HSDS schedules follow iCalendar: `freq` WEEKLY with `byday` (MO,TU,…) and `opens_at` /
`closes_at` as HH:MM with a UTC offset ("08:30-05:00"). Providers write their local hours with
the offset of the season they happened to be in, so an Eastern offset (-05:00 standard, -04:00
daylight) or none is taken as Connecticut wall-clock time; UTC ("Z") or another offset is
converted with Eastern standard time. Monthly rules ("2MO"), intervals and counts are not
reduced to days: those schedules keep their description and have no weekdays."""

import datetime
import re

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
EASTERN_OFFSETS = {None, "-05:00", "-04:00"}
EASTERN_STANDARD_MINUTES = -5 * 60
MINUTES_A_DAY = 24 * 60
_TIME = re.compile(r"^(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$")


def weekday_mask(freq: str | None, interval: float | None, byday: str | None) -> int | None:
    """Bit 0 Monday … bit 6 Sunday, for a plain weekly schedule; None for anything else."""
    if freq not in (None, "WEEKLY") or interval not in (None, 1) or not byday:
        return None
    mask = 0
    for part in byday.split(","):
        day = part.strip().upper()
        if day not in DAYS:
            return None
        mask |= 1 << DAYS.index(day)
    return mask


def wall_clock_minutes(value: str | None) -> int | None:
    """Minutes since midnight, Connecticut wall clock, of an HSDS opens_at / closes_at."""
    match = _TIME.match(value or "")
    if not match:
        return None
    hours, minutes, offset = int(match[1]), int(match[2]), match[3]
    if hours > 24 or minutes > 59:
        return None
    clock = hours * 60 + minutes
    if offset in EASTERN_OFFSETS:
        return min(clock, MINUTES_A_DAY)
    offset_minutes = 0 if offset == "Z" else (
        (1 if offset[0] == "+" else -1) * (int(offset[1:3]) * 60 + int(offset[4:6])))
    return (clock - offset_minutes + EASTERN_STANDARD_MINUTES) % MINUTES_A_DAY


def is_open(*, weekdays: int | None, opens_minute: int | None, closes_minute: int | None,
            at: datetime.datetime, valid_from: datetime.date | None = None,
            valid_to: datetime.date | None = None) -> bool:
    """Whether a weekly schedule is open at `at` (Connecticut local time). Hours that close
    before they open run past midnight into the next day."""
    if weekdays is None or opens_minute is None or closes_minute is None:
        return False
    day, minute = at.date(), at.hour * 60 + at.minute
    if (valid_from and day < valid_from) or (valid_to and day > valid_to):
        return False
    today = 1 << at.weekday()
    yesterday = 1 << ((at.weekday() - 1) % 7)
    if opens_minute < closes_minute:
        return bool(weekdays & today) and opens_minute <= minute < closes_minute
    return (bool(weekdays & today) and minute >= opens_minute) or (
        bool(weekdays & yesterday) and minute < closes_minute)


DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _clock(minute: int) -> str:
    if minute in (0, MINUTES_A_DAY):
        return "midnight"
    hours, minutes = divmod(minute, 60)
    suffix = "AM" if hours < 12 else "PM"
    return f"{(hours - 1) % 12 + 1}:{minutes:02d} {suffix}"


def describe(weekdays: int | None, opens_minute: int | None, closes_minute: int | None) -> str:
    """"Monday to Friday, 8:30 AM to 4:30 PM"; empty when the schedule is not a weekly one."""
    if not weekdays:
        return ""
    days = [i for i in range(7) if weekdays & (1 << i)]
    if len(days) == 7:
        label = "Every day"
    elif len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        label = f"{DAY_NAMES[days[0]]} to {DAY_NAMES[days[-1]]}"
    else:
        label = ", ".join(DAY_NAMES[i] for i in days)
    if opens_minute is None or closes_minute is None:
        return label
    if opens_minute == 0 and closes_minute >= MINUTES_A_DAY - 1:
        return f"{label}, around the clock"
    return f"{label}, {_clock(opens_minute)} to {_clock(closes_minute)}"
