"""Search parameters as FHIR reads them: AND across repeats, OR across commas, tokens with
and without a system, and the implicit range of a partial date."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from carecoord.interop import query
from carecoord.interop.api.resources import KINDS

UTC = datetime.UTC
NEW_YORK = ZoneInfo("America/New_York")


def parse(pairs, resource_type="CarePlan", zone=UTC):
    kind = KINDS[resource_type]
    return query.parse(resource_type, pairs, kind.parameters, kind.includes, zone=zone)


def period(value, zone=UTC):
    return parse([("_lastUpdated", value)], zone=zone).filters["_lastUpdated"][0][0]


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
    assert period("2026-03-04T05:06:07.5+02:00").start == at(
        2026, 3, 4, 3, 6, 7, 500000).astimezone(datetime.timezone(datetime.timedelta(hours=2)))


def test_prefixes():
    day = (at(2026, 3, 4), at(2026, 3, 5))
    assert period("ge2026-03-04") == query.Period(day[0], None)
    assert period("gt2026-03-04") == query.Period(day[1], None)
    assert period("le2026-03-04") == query.Period(None, day[1])
    assert period("lt2026-03-04") == query.Period(None, day[0])
    assert period("eq2026-03-04") == query.Period(*day)


def test_a_date_without_a_zone_is_the_servers_local_day():
    assert period("2026-07-01", zone=NEW_YORK).start == at(2026, 7, 1, 4)  # EDT is UTC-4


@pytest.mark.parametrize("value", ["2026-13", "2026-02-29", "20260101", "ne2026", "9999-12-31",
                                   "2026-01-01T25:00", "2026-01-01T10:00+24:00"])
def test_impossible_dates_are_bad_parameters(value):
    with pytest.raises(query.BadParameter) as bad:
        period(value)
    assert bad.value.parameter == "_lastUpdated"


def test_result_parameters():
    parsed = parse([("_count", "250"), ("_offset", "40"), ("_include", "CarePlan:goal"),
                    ("_include", "CarePlan:goal:Goal"), ("_pretty", "true"), ("_format", "json")])
    assert (parsed.count, parsed.offset, parsed.includes, parsed.pretty) == (
        query.MAX_COUNT, 40, ["CarePlan:goal"], True)
    assert parse([]).count == query.DEFAULT_COUNT


def test_references_keep_only_the_id():
    parsed = parse([("patient", "12,Patient/13,https://cc.example/fhir/Patient/14")])
    assert parsed.filters["patient"] == [["12", "13", "14"]]
