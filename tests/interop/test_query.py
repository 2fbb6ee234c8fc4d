"""Search parameters as FHIR reads them: AND across repeats, OR across commas, tokens with
and without a system, and the implicit range of a date at its precision, with its prefix (what
each prefix then matches is in test_date_search.py)."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from carecoord.interop import query
from carecoord.interop.api.resources import KINDS

UTC = datetime.UTC
NEW_YORK = ZoneInfo("America/New_York")


def parse(pairs, resource_type="CarePlan", zone=UTC, now=None):
    kind = KINDS[resource_type]
    return query.parse(resource_type, pairs, kind.parameters, kind.includes, zone=zone, now=now)


def search(value, zone=UTC, now=None):
    return parse([("_lastUpdated", value)], zone=zone, now=now).filters["_lastUpdated"][0][0]


def period(value, zone=UTC):
    """The range of instants a date value stands for, at its precision."""
    found = search(value, zone)
    return query.Period(found.start, found.end)


def at(*args, tz=UTC):
    return datetime.datetime(*args, tzinfo=tz)


def test_repeats_are_and_commas_are_or():
    parsed = parse([("status", "active,draft"), ("status", "completed")])
    assert parsed.filters["status"] == [
        [query.Token(None, "active"), query.Token(None, "draft")],
        [query.Token(None, "completed")]]


def test_tokens():
    assert query._token("s|c") == query.Token("s", "c")
    assert query._token("s|") == query.Token("s", None)
    assert query._token("|c") == query.Token("", "c")
    assert not query.Token("", "c").matches("s", "c")  # "|c": a code with no system
    assert query.Token(None, "c").matches("s", "c") and query.Token("s", None).matches("s", "x")


def test_partial_dates_stand_for_their_whole_range():
    assert period("2026") == query.Period(at(2026, 1, 1), at(2027, 1, 1))
    assert period("2026-02") == query.Period(at(2026, 2, 1), at(2026, 3, 1))
    assert period("2026-12-31") == query.Period(at(2026, 12, 31), at(2027, 1, 1))
    assert period("2026-03-04T05:06") == query.Period(at(2026, 3, 4, 5, 6), at(2026, 3, 4, 5, 7))
    assert period("2026-03-04T05:06:07") == query.Period(at(2026, 3, 4, 5, 6, 7),
                                                         at(2026, 3, 4, 5, 6, 8))
    assert period("2026-03-04T05:06:07.5+02:00") == query.Period(
        at(2026, 3, 4, 3, 6, 7, 500000), at(2026, 3, 4, 3, 6, 7, 500001))


def test_every_prefix_keeps_the_values_own_range():
    day = query.Period(at(2026, 3, 4), at(2026, 3, 5))
    for prefix in ("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb"):
        found = search(f"{prefix}2026-03-04")
        assert (found.prefix, found.start, found.end) == (prefix, day.start, day.end)
    assert search("2026-03-04").prefix == "eq"


def test_approximately_widens_by_a_tenth_of_the_distance_from_now():
    now = at(2026, 1, 1)
    near = search("ap2026-01-01", now=now)  # the day around now: hardly widened at all
    assert (near.start, near.end) == (at(2025, 12, 31, 22, 48), at(2026, 1, 2, 1, 12))
    far = search("ap2016-01-01", now=now)  # ten years back: about a year either side
    assert at(2014, 12, 31) < far.start < at(2015, 1, 2) and at(2016, 12, 31) < far.end
    edge = search("ap0001-01-02T12:00Z", now=now)  # widened no further than searchable
    assert edge.start == at(1, 1, 2) and edge.end > at(1, 1, 2, 12, 1)


def test_a_date_without_a_zone_is_the_servers_local_day():
    assert period("2026-07-01", zone=NEW_YORK).start == at(2026, 7, 1, 4)  # EDT is UTC-4


@pytest.mark.parametrize("value,says", [
    ("2026-13", "not a valid date"), ("2026-02-29", "not a valid date"),
    ("20260101", "not a FHIR date"), ("9999-12-31", "not a valid date"),
    ("2026-01-01T25:00", "not a valid date"), ("2026-01-01T10:00+24:00", "not a valid date"),
    ("xx2026", "'xx' is not a date prefix"), ("ge", "not a FHIR date"),
    ("0001-01-01T00:00+05:00", "outside the dates this server can search"),
    ("9999-12-31T20:00-05:00", "outside the dates this server can search"),
    ("9999-12-31T13:00Z", "outside the dates this server can search"),
    ("0001", "outside the dates this server can search"),
])
def test_impossible_dates_are_bad_parameters(value, says):
    with pytest.raises(query.BadParameter) as bad:
        search(value)
    assert bad.value.parameter == "_lastUpdated" and says in bad.value.reason


def test_result_parameters():
    parsed = parse([("_count", "250"), ("_offset", "40"), ("_include", "CarePlan:goal"),
                    ("_include", "CarePlan:goal:Goal"), ("_pretty", "true"), ("_format", "json")])
    assert (parsed.count, parsed.offset, parsed.includes, parsed.pretty) == (
        query.MAX_COUNT, 40, ["CarePlan:goal"], True)
    assert parse([]).count == query.DEFAULT_COUNT


def test_references_keep_only_the_id():
    parsed = parse([("patient", "12,Patient/13,https://cc.example/fhir/Patient/14")])
    assert parsed.filters["patient"] == [["12", "13", "14"]]
