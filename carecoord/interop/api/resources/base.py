"""The pieces every served type is made of: the `Kind` (what a type supports and how it is
found), `Matches` (a search's results, counted and paged), and the Q-builders that turn parsed
search values into filters on the selectors' querysets."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from ...mapping import common
from ...query import Parameter, Token
from .dates import Target, matching

NOTHING = Q(pk__in=[])
# Not Q(): Django drops an empty Q from an OR, and here "every row" must survive one.
EVERYTHING = ~NOTHING
SP = "http://hl7.org/fhir/SearchParameter/"
PREFIX_NOTE = "prefixes eq, ne, gt, lt, ge, le, sa, eb, ap; year, month, day or time precision"

ID = Parameter("_id", "token", f"{SP}Resource-id", "The resource's logical id; several "
               "separated by commas.")
LAST_UPDATED = Parameter("_lastUpdated", "date", f"{SP}Resource-lastUpdated",
                         f"When the resource last changed (meta.lastUpdated); {PREFIX_NOTE}.")


def patient_parameter(definition: str = f"{SP}clinical-patient") -> Parameter:
    return Parameter("patient", "reference", definition, "The child: 123, Patient/123 or the "
                     "Patient's URL.", target="Patient")


def date_parameter(name: str, definition: str, what: str) -> Parameter:
    return Parameter(name, "date", definition, f"{what}; {PREFIX_NOTE}.")


def status_parameter(definition: str, documentation: str, codes: tuple) -> Parameter:
    return Parameter("status", "token", definition, documentation, codes=codes)


@dataclass(frozen=True)
class AuditTarget:
    object_type: str
    object_id: int
    child_id: int | None
    center_id: int | None


class Matches:
    """The results of a search, counted and read a page at a time, in a stable order."""

    def __init__(self, *querysets: QuerySet, load: Callable[[list], list] | None = None):
        self.querysets = querysets
        self.load = load or (lambda rows: rows)

    def count(self) -> int:
        return sum(qs.count() for qs in self.querysets)

    def page(self, offset: int, limit: int) -> list:
        rows = []
        for qs in self.querysets:
            if limit <= len(rows):
                break
            size = qs.count() if len(self.querysets) > 1 else None
            if size is not None and offset >= size:
                offset -= size
                continue
            taken = list(qs[offset:offset + limit - len(rows)])
            rows += self.load(taken)
            offset = 0
        return rows


    def chunks(self, size: int):
        """Every result, `size` at a time, read as one stream per queryset (a bulk export:
        paging by offset would read the rows before each page again)."""
        for qs in self.querysets:
            batch = []
            for row in qs.iterator(chunk_size=size):
                batch.append(row)
                if len(batch) == size:
                    yield self.load(batch)
                    batch = []
            if batch:
                yield self.load(batch)


class PartMatches:
    """Results that are parts of database rows (each answer of an administered screening is an
    Observation of its own). One query reads the few fields that say which parts a row has, for
    every matching row; the parts are counted and paged in Python; a second step loads the
    page's rows whole. `parts(values)` lists the keys of one row's parts, in order; `load(keys)`
    turns a page of keys into results."""

    def __init__(self, light: QuerySet, parts: Callable[[tuple], list],
                 load: Callable[[list], list]):
        self.light = light
        self.parts = parts
        self.load = load
        self._keys: list | None = None

    def keys(self) -> list:
        if self._keys is None:
            self._keys = [key for values in self.light for key in self.parts(values)]
        return self._keys

    def count(self) -> int:
        return len(self.keys())

    def page(self, offset: int, limit: int) -> list:
        taken = self.keys()[offset:offset + limit]
        return self.load(taken) if taken else []

    def chunks(self, size: int):
        keys = self.keys()
        for start in range(0, len(keys), size):
            yield self.load(keys[start:start + size])


@dataclass(frozen=True)
class Kind:
    type: str
    parameters: dict[str, Parameter]
    # (practice id, {parameter: [[OR-ed values] per occurrence]}) → Matches
    search: Callable[[int, dict], Matches | PartMatches]
    # (practice id, id) → the domain object, or None (missing and out of scope alike)
    read: Callable[[int, str], object | None]
    to_fhir: Callable[[object], dict]
    audit: Callable[[object], AuditTarget]
    includes: dict[str, str] = field(default_factory=dict)
    # The profiles its resources claim in meta.profile (the CapabilityStatement's
    # supportedProfile); none for a type no published profile fits.
    profiles: tuple[str, ...] = ()


def where(filters: dict, name: str, one: Callable[[object], Q]) -> Q:
    """AND over the occurrences of a parameter, OR over the values of each."""
    result = Q()
    for alternatives in filters.get(name, []):
        if alternatives:
            either = NOTHING
            for value in alternatives:
                either |= one(value)
            result &= either
    return result


def dated(start: str, end: str | None = None, *, dates: bool = False,
          open_end: bool = False) -> Callable:
    """A date parameter over the field(s) holding the element's value (see dates.py)."""
    return matching(Target(start, end, dates=dates, open_end=open_end))


def ids(parse: Callable[[str], int | None], field_name: str = "pk") -> Callable[[str], Q]:
    def one(value: str) -> Q:
        number = parse(value)
        return Q(**{field_name: number}) if number else NOTHING
    return one


def token_in(codes: dict[tuple[str, str], Q]) -> Callable[[Token], Q]:
    """A token parameter whose every (system, code) this server writes is listed with the rows
    it stands for."""
    def one(token: Token) -> Q:
        either = NOTHING
        for (system, code), q in codes.items():
            if token.matches(system, code):
                either |= q
        return either
    return one


def statuses(system: str, mapped: dict[str, str], field_name: str) -> Callable[[Token], Q]:
    """A status token, matched through the mapping's own table (domain status → FHIR code)."""
    return token_in({(system, code): Q(**{f"{field_name}__in": [
        ours for ours, theirs in mapped.items() if theirs == code]})
        for code in set(mapped.values())})


def plain_read(rows: Callable[[int], QuerySet], parse: Callable[[str], int | None]
               ) -> Callable[[int, str], object | None]:
    """Read by an id that is one row's number: the row, when it is within the rows in scope."""
    def read(practice_id: int, resource_id: str):
        pk = parse(resource_id)
        return rows(practice_id).filter(pk=pk).first() if pk else None
    return read


def prefixed(prefix: str) -> Callable[[str], int | None]:
    """Parse an id of the form `<prefix>-<number>` (ids of types served from two tables)."""
    return lambda value: common.parse_prefixed_id(value, prefix)


def plain(value: str) -> int | None:
    return common.parse_plain_id(value)


def read_either(*tables: tuple[str, Callable[[int], QuerySet]]
                ) -> Callable[[int, str], object | None]:
    """Read by a prefixed id, from the table its prefix names."""
    def read(practice_id: int, resource_id: str):
        for prefix, rows in tables:
            pk = common.parse_prefixed_id(resource_id, prefix)
            if pk:
                return rows(practice_id).filter(pk=pk).first()
        return None
    return read
