"""FHIR search parameters, parsed: what a request asks for, as plain values, or a
`BadParameter` naming the parameter and the reason. Pure Python: the API decides what the
parsed values match.

Follows FHIR R4's search rules where they apply: repeating a parameter means AND, commas in a
value mean OR, an empty value is ignored, `system|code` tokens, and dates at the precision given
(year, month, day, minute, second or finer) with every prefix (eq, ne, gt, lt, ge, le, sa, eb,
ap). Parameters this server does not know are refused rather than ignored, so that a misspelt
`patient` never returns every patient."""

import datetime
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

DEFAULT_COUNT = 20
MAX_COUNT = 100
JSON_FORMATS = {"json", "application/json", "application/fhir+json"}
# Parameters every search accepts, besides its resource's own.
RESULT_PARAMETERS = {"_count", "_offset", "_include", "_format", "_pretty"}


class BadParameter(Exception):
    def __init__(self, parameter: str, reason: str):
        self.parameter = parameter
        self.reason = reason
        super().__init__(f"{parameter}: {reason}")


@dataclass(frozen=True)
class Token:
    """`system|code`; system None means any system, code None means any code."""

    system: str | None
    code: str | None

    def matches(self, system: str, code: str) -> bool:
        return (self.system is None or self.system == system) and (
            self.code is None or self.code == code)


@dataclass(frozen=True)
class Period:
    """A range of instants [start, end); either end may be open (None)."""

    start: datetime.datetime | None
    end: datetime.datetime | None


@dataclass
class Query:
    # parameter name → one list of OR-ed values per occurrence (occurrences are AND-ed)
    filters: dict[str, list[list]] = field(default_factory=dict)
    count: int = DEFAULT_COUNT
    offset: int = 0
    includes: list[str] = field(default_factory=list)
    pretty: bool = False


@dataclass(frozen=True)
class Parameter:
    """A search parameter a resource supports: its FHIR type decides how values are read."""

    name: str
    type: str  # "token", "reference" or "date"
    definition: str  # canonical URL of the SearchParameter
    documentation: str
    target: str = ""  # for references: the resource type referred to
    codes: tuple = ()  # for status tokens: the value set's codes, checked


def _token(value: str) -> Token:
    if "|" in value:
        system, _, code = value.partition("|")
        return Token(system, code or None)
    return Token(None, value)


def _reference(parameter: Parameter, value: str) -> str:
    """The id a reference value points at (`123`, `Patient/123` or an absolute URL)."""
    parts = value.rstrip("/").split("/")
    if len(parts) == 1:
        return parts[0]
    if parts[-2] != parameter.target:
        raise BadParameter(parameter.name, f"'{value}' does not refer to a {parameter.target}")
    return parts[-1]


_DATE = re.compile(r"(?P<year>\d{4})(-(?P<month>\d{2})(-(?P<day>\d{2})(T(?P<hour>\d{2}):"
                   r"(?P<minute>\d{2})(:(?P<second>\d{2})(\.(?P<fraction>\d{1,9}))?)?"
                   r"(?P<zone>Z|[+-]\d{2}:\d{2})?)?)?)?")
PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb", "ap")
# `ap`: FHIR leaves "approximately" to the server and suggests 10% of the distance between now
# and the date asked for; a date asked for at or near now still matches its own range.
APPROXIMATION = 0.1
# What can be searched: inside what Python's datetime holds by enough that any range converts
# to UTC and to the server's days without overflowing.
_EARLIEST = datetime.datetime(1, 1, 2, tzinfo=datetime.UTC)
_LATEST = datetime.datetime(9999, 12, 31, 12, tzinfo=datetime.UTC)


def _date_range(parameter: str, text: str, zone: datetime.tzinfo) -> Period:
    """The [start, end) of instants a (possibly partial) date or dateTime stands for, in UTC."""
    match = _DATE.fullmatch(text)
    if match is None:
        raise BadParameter(parameter, f"'{text}' is not a FHIR date or dateTime "
                                      "(YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss+zz:zz)")
    g = match.groupdict()
    try:
        if g["zone"]:
            zone = datetime.UTC if g["zone"] == "Z" else datetime.datetime.strptime(
                g["zone"], "%z").tzinfo
        year = int(g["year"])
        if g["hour"] is not None:
            fraction = (g["fraction"] or "").ljust(6, "0")[:6]
            start = datetime.datetime(year, int(g["month"]), int(g["day"]), int(g["hour"]),
                                      int(g["minute"]), int(g["second"] or 0),
                                      int(fraction or 0), tzinfo=zone)
            step = (datetime.timedelta(minutes=1) if g["second"] is None
                    else datetime.timedelta(microseconds=1) if g["fraction"]
                    else datetime.timedelta(seconds=1))
            period = Period(start, start + step)
        else:
            if g["day"] is not None:
                day = datetime.date(year, int(g["month"]), int(g["day"]))
                following = day + datetime.timedelta(days=1)
            elif g["month"] is not None:
                day = datetime.date(year, int(g["month"]), 1)
                following = (day + datetime.timedelta(days=32)).replace(day=1)
            else:
                day, following = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
            midnight = datetime.time(tzinfo=zone)
            period = Period(datetime.datetime.combine(day, midnight),
                            datetime.datetime.combine(following, midnight))
    except (ValueError, OverflowError) as error:
        raise BadParameter(parameter, f"'{text}' is not a valid date: {error}") from None
    try:
        # The database compares in UTC, and days in the server's zone: a range that cannot be
        # written there with a day to spare is refused here.
        period = Period(period.start.astimezone(datetime.UTC), period.end.astimezone(datetime.UTC))
    except OverflowError:
        period = None
    if period is None or period.start < _EARLIEST or period.end > _LATEST:
        raise BadParameter(parameter, f"'{text}' is outside the dates this server can search "
                                      "(0001-01-02 to 9999-12-30)")
    return period


@dataclass(frozen=True)
class DateSearch:
    """A date search value: its prefix, and the instants [start, end) the date stands for at
    the precision it was given in (a year, a month, a day, a minute, a second...), in UTC.
    For `ap` the range is already widened by the approximation. What each prefix matches
    depends on whether the resource's element is one instant, one date or a period: see
    api/resources/dates.py."""

    prefix: str
    start: datetime.datetime
    end: datetime.datetime


def _widened(period: Period, now: datetime.datetime) -> Period:
    middle = period.start + (period.end - period.start) / 2
    margin = abs(now - middle) * APPROXIMATION
    start = period.start - margin if period.start - _EARLIEST > margin else _EARLIEST
    end = period.end + margin if _LATEST - period.end > margin else _LATEST
    return Period(start, end)


def _date(parameter: str, value: str, zone: datetime.tzinfo,
          now: datetime.datetime) -> DateSearch:
    prefix = value[:2] if value[:2] in PREFIXES else "eq"
    text = value[2:] if value[:2] in PREFIXES else value
    if text[:2].isalpha() and text[2:3].isdigit():
        raise BadParameter(parameter, f"'{text[:2]}' is not a date prefix (use one of "
                                      f"{', '.join(PREFIXES)}, or none for eq)")
    period = _date_range(parameter, text, zone)
    if prefix == "ap":
        period = _widened(period, now)
    return DateSearch(prefix, period.start, period.end)


def _value(parameter: Parameter, value: str, zone: datetime.tzinfo, now: datetime.datetime):
    if parameter.name == "_id":
        return value  # a token without a system: the id itself
    if parameter.type == "token":
        token = _token(value)
        if parameter.codes and token.code is not None and token.code not in parameter.codes:
            raise BadParameter(parameter.name, f"'{token.code}' is not one of "
                                               f"{', '.join(parameter.codes)}")
        return token
    if parameter.type == "reference":
        return _reference(parameter, value)
    return _date(parameter.name, value, zone, now)


def _whole_number(name: str, values: list[str], *, minimum: int) -> int:
    if len(values) > 1:
        raise BadParameter(name, "is given more than once")
    value = values[0]
    if not (value.isascii() and value.isdigit()) or len(value) > 9 or int(value) < minimum:
        raise BadParameter(name, f"'{value}' is not a whole number of at least {minimum}")
    return int(value)


def parse(resource_type: str, pairs: list[tuple[str, str]], parameters: dict[str, Parameter],
          includes: dict[str, str] | None = None, zone: datetime.tzinfo = ZoneInfo("UTC"),
          now: datetime.datetime | None = None) -> Query:
    """A search of `resource_type` from the query's (name, value) pairs, in order.
    `includes` maps each supported _include (e.g. "CarePlan:goal") to its target type; `zone`
    is the server's, for dates given without one; `now` is when `ap` is approximately from."""
    now = now or datetime.datetime.now(datetime.UTC)
    includes = includes or {}
    query = Query()
    given: dict[str, list[str]] = {}
    for name, value in pairs:
        if value == "" or name == "":
            continue  # FHIR: a parameter without a value is ignored (and a value without one)
        given.setdefault(name, []).append(value)
    for name, values in given.items():
        base, colon, modifier = name.partition(":")
        if base in parameters or base in RESULT_PARAMETERS:
            if colon:
                raise BadParameter(name, f"the modifier ':{modifier}' is not supported")
        else:
            known = sorted(parameters) + ["_count"] + (["_include"] if includes else [])
            raise BadParameter(name, f"is not supported for {resource_type} on this server "
                                     f"(supported: {', '.join(known)})")
        if name == "_count":
            query.count = min(_whole_number(name, values, minimum=0), MAX_COUNT)
        elif name == "_offset":
            query.offset = _whole_number(name, values, minimum=0)
        elif name == "_format":
            if any(v not in JSON_FORMATS for v in values):
                raise BadParameter(name, "this server answers in JSON only "
                                         "(application/fhir+json)")
        elif name == "_pretty":
            query.pretty = values[-1] == "true"
        elif name == "_include":
            for value in values:
                source, _, target = value.partition(":")[2].partition(":")
                wanted = f"{value.partition(':')[0]}:{source}"
                if wanted not in includes or target not in ("", includes[wanted]):
                    supported = ", ".join(includes) or "none"
                    raise BadParameter(name, f"'{value}' is not supported for {resource_type} "
                                             f"(supported: {supported})")
                if wanted not in query.includes:
                    query.includes.append(wanted)
        else:
            parameter = parameters[name]
            query.filters[name] = [[_value(parameter, v, zone, now) for v in value.split(",")
                                    if v]
                                   for value in values]
    return query
