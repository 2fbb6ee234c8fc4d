"""Date searches as FHIR R4 defines them (search.html#prefix): every prefix, every precision,
against elements that are one instant (Task.authoredOn), one date (Consent.dateTime), a period
of instants (Encounter.period) and a period of dates that may still be open (CarePlan.period).

The database's answer is checked against the spec's own definition, written here over ranges
of instants in plain Python, for values Hypothesis makes up around the night New York moves its
clocks forward (2026-03-08) - and an HTTP fuzz checks that no date value is a server error."""

import datetime
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carecoord.careplans.models import CarePlan
from carecoord.contacts.models import Contact, Task
from carecoord.families.models import Enrollment
from carecoord.interop import query, selectors
from carecoord.interop.api.resources import KINDS
from carecoord.interop.api.resources.dates import Target, matching
from tests import factories

pytestmark = pytest.mark.django_db
ZONE = ZoneInfo("America/New_York")  # settings.TIME_ZONE
MICROSECOND = datetime.timedelta(microseconds=1)
FAR = datetime.datetime(9999, 12, 31, tzinfo=datetime.UTC)
FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def local(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=ZONE)


def midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(), tzinfo=ZONE)


def spec(search: query.DateSearch, t0: datetime.datetime, t1: datetime.datetime) -> bool:
    """FHIR's definition, over the search value's range [s, e) and the element's [t0, t1)."""
    s, e = search.start, search.end
    eq = s <= t0 and t1 <= e
    return {"eq": eq, "ne": not eq, "gt": t1 > e, "lt": t0 < s, "ge": t1 > e or eq,
            "le": t0 < s or eq, "sa": t0 >= e, "eb": t1 <= s,
            "ap": t0 < e and t1 > s}[search.prefix]


@pytest.fixture
def dated_rows(network):
    """Rows on both sides of the night the clocks go forward, and of its midnights."""
    child, nurse, practice = network.child_nc, network["nurse.nc"], network.practice_nc
    for at, minutes, reached in ((local(2026, 3, 8, 1, 30), 45, True),
                                 (local(2026, 3, 8, 23, 30), 60, True),  # past midnight
                                 (local(2026, 3, 9), 30, False),  # an attempt: no duration
                                 (local(2026, 3, 7, 12), None, True)):
        Contact.objects.create(child=child, staff=nurse, channel="phone", occurred_at=at,
                               reached=reached, duration_minutes=minutes)
    for day in (7, 8, 9):
        factories.consent(child, practice, given=datetime.date(2026, 3, day))
    for at in (local(2026, 3, 8, 3), local(2026, 3, 8, 23, 59, 59, 999999), local(2026, 3, 9)):
        task = Task.objects.create(child=child, assigned_to=nurse, kind="other", title="t",
                                   due_on=datetime.date(2026, 3, 20))
        Task.objects.filter(pk=task.pk).update(created_at=at)
    for start, end in ((datetime.date(2026, 3, 1), None),
                       (datetime.date(2026, 2, 1), datetime.date(2026, 3, 8)),
                       (datetime.date(2026, 3, 8), datetime.date(2026, 3, 8))):
        kid = factories.child(network.hub, first="Dated", pcp_practice=practice)
        factories.consent(kid, practice)
        enrollment = Enrollment.objects.create(child=kid, center=kid.center, start_date=start,
                                               discharge_date=end,
                                               discharge_reason="goals_met" if end else "")
        CarePlan.objects.create(enrollment=enrollment, child=kid, center=kid.center,
                                language=kid.preferred_language, created_by=nurse)
    return network.practice_nc.pk


def targets(practice_id: int):
    """(rows, where the element is, the element's range of each row)."""
    def encounter(c):
        end = c.occurred_at
        if c.reached and c.duration_minutes:
            end += datetime.timedelta(minutes=c.duration_minutes)
        return c.occurred_at, end + MICROSECOND

    def plan(p):
        end = p.enrollment.discharge_date
        return midnight(p.enrollment.start_date), (
            midnight(end + datetime.timedelta(days=1)) if end else FAR)

    return [
        (selectors.contacts(practice_id), Target("occurred_at", "ended_at"), encounter),
        (selectors.consents(practice_id), Target("given_on", dates=True),
         lambda c: (midnight(c.given_on), midnight(c.given_on + datetime.timedelta(days=1)))),
        (selectors.tasks(practice_id), Target("created_at"),
         lambda t: (t.created_at, t.created_at + MICROSECOND)),
        (selectors.care_plans(practice_id).select_related("enrollment"),
         Target("enrollment__start_date", "enrollment__discharge_date", dates=True,
                open_end=True), plan),
    ]


def parsed(value: str, now: datetime.datetime | None = None) -> query.DateSearch:
    return query.parse("Encounter", [("date", value)], KINDS["Encounter"].parameters,
                       zone=ZONE, now=now).filters["date"][0][0]


def check(practice_id: int, value: str):
    search = parsed(value)
    for rows, target, element in targets(practice_id):
        found = set(rows.filter(matching(target)(search)).values_list("pk", flat=True))
        expected = {row.pk for row in rows if spec(search, *element(row))}
        assert found == expected, (value, target)


@pytest.mark.parametrize("value", [
    "2026-03-08", "ne2026-03-08", "gt2026-03-08", "lt2026-03-08", "ge2026-03-08",
    "le2026-03-08", "sa2026-03-08", "eb2026-03-08", "ap2026-03-08", "2026-03", "2026",
    "sa2026-02", "eb2027", "2026-03-08T23:59", "2026-03-09T00:15-05:00", "2026-03-08T02:30",
    "ge2026-03-08T23:59:59.999999", "2026-03-09T00:00:00.000000", "le2026-03-09T05:00Z",
])
def test_every_prefix_and_precision_against_every_kind_of_element(dated_rows, value):
    check(dated_rows, value)


def test_a_few_answers_spelled_out(dated_rows):
    """What the definition means on the rows above, for a reader who wants examples."""
    contacts = selectors.contacts(dated_rows)

    def started(value):
        asked_at = local(2026, 3, 8, 12, 30)  # the middle of that (23-hour) day: ap = overlap
        return sorted(timezone.localtime(c.occurred_at).strftime("%d %H:%M") for c in
                      contacts.filter(matching(Target("occurred_at", "ended_at"))(
                          parsed(value, asked_at))))

    assert started("2026-03-08") == ["08 01:30"]  # the 23:30 call ran into the 9th
    assert started("ap2026-03-08") == ["08 01:30", "08 23:30"]  # both overlap the 8th
    assert started("sa2026-03-08") == ["09 00:00"]
    assert started("eb2026-03-08") == ["07 12:00"]
    assert started("gt2026-03-08") == ["08 23:30", "09 00:00"]  # the first ran past midnight
    # ge is "gt, or within": a period that began on the 8th and ended on the 9th is neither.
    assert started("ge2026-03-09") == ["09 00:00"]


@FUZZ
@given(prefix=st.sampled_from([*query.PREFIXES, ""]),
       moment=st.datetimes(min_value=datetime.datetime(2026, 2, 25),
                           max_value=datetime.datetime(2026, 3, 15)),
       precision=st.sampled_from(["year", "month", "day", "minute", "second", "fraction"]),
       zone=st.sampled_from(["", "Z", "-05:00", "-04:00", "+01:00", "+14:00"]))
def test_the_database_agrees_with_the_definition(dated_rows, prefix, moment, precision, zone):
    text = {"year": "%Y", "month": "%Y-%m", "day": "%Y-%m-%d", "minute": "%Y-%m-%dT%H:%M",
            "second": "%Y-%m-%dT%H:%M:%S", "fraction": "%Y-%m-%dT%H:%M:%S.%f"}[precision]
    value = prefix + moment.strftime(text) + (zone if "T" in text else "")
    check(dated_rows, value)


DATE_PARAMETERS = [(t, name) for t, kind in sorted(KINDS.items())
                   for name, p in kind.parameters.items() if p.type == "date"]
date_values = st.one_of(
    st.text(max_size=30),
    st.builds(lambda p, d: p + d, st.sampled_from([*query.PREFIXES, "", "xx", "GE", "e"]),
              st.one_of(st.from_regex(r"-?\d{1,5}(-\d{1,3}(-\d{1,3}(T\d{1,2}(:\d{1,2}(:\d{1,2}"
                                      r"(\.\d{0,12})?)?)?([zZ]|[+-]\d{1,2}:?\d{0,2})?)?)?)?",
                                      fullmatch=True),
                        st.datetimes(timezones=st.sampled_from(
                            [datetime.UTC, ZONE, datetime.timezone(datetime.timedelta(
                                hours=14))])).map(lambda d: d.isoformat()),
                        st.dates().map(str))),
)


@FUZZ
@given(where=st.sampled_from(DATE_PARAMETERS), values=st.lists(date_values, min_size=1,
                                                               max_size=3))
def test_date_parameters_never_fail(network, sofia, fhir, where, values):
    resource_type, name = where
    response = fhir(f"/fhir/{resource_type}?{urlencode([(name, v) for v in values])}")
    assert response.status_code in (200, 400), (where, values, response.content)
    body = response.json()
    if response.status_code == 400:
        issue = body["issue"][0]
        assert issue["expression"] == [name] and issue["diagnostics"].startswith(
            f"Search parameter {name} ")
    else:
        assert body["resourceType"] == "Bundle"


@FUZZ
@given(values=st.lists(date_values, min_size=1, max_size=4))
def test_parsing_dates_refuses_only_with_bad_parameter(values):
    try:
        found = query.parse("Task", [("period", v) for v in values], KINDS["Task"].parameters,
                            zone=ZONE)
    except query.BadParameter as bad:
        assert bad.parameter == "period" and bad.reason
    else:
        for search in (s for occurrence in found.filters.get("period", []) for s in occurrence):
            assert search.prefix in query.PREFIXES and search.start <= search.end
            assert search.start.tzinfo == datetime.UTC == search.end.tzinfo


@pytest.mark.parametrize("value", ["0001-01-02", "9999-12-30", "ap9999-12-29", "ap0001-06",
                                   "sa0001-01-02T00:00Z", "eb9999-12-29T23:59:59.999999-05:00"])
def test_the_first_and_last_searchable_days(network, sofia, fhir, value):
    for resource_type, name in DATE_PARAMETERS:
        query_string = urlencode([(name, value)])
        assert fhir(f"/fhir/{resource_type}?{query_string}").status_code == 200, (
            resource_type, name)
