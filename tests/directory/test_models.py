"""The stale flag, the columns CareCoord derives from HSDS fields for the search, reading
schedules, and that the tables cover every field of the HSDS schema."""

import csv
import datetime
from pathlib import Path

import pytest

from carecoord.directory import schedules, schema, taxonomy
from carecoord.directory.models import (
    HSDS_MODELS,
    Address,
    Schedule,
    Service,
    ServiceArea,
    TaxonomyTerm,
    attname,
    stale_before,
)

from .helpers import HUSKY_A, load, new_id, service_doc


@pytest.mark.parametrize("today, cutoff", [
    (datetime.date(2026, 6, 30), datetime.date(2025, 6, 30)),
    (datetime.date(2026, 1, 15), datetime.date(2025, 1, 15)),
    (datetime.date(2028, 2, 29), datetime.date(2027, 2, 28)),
])
def test_stale_means_verified_before_the_same_day_a_year_ago(today, cutoff):
    assert stale_before(today) == cutoff


@pytest.mark.django_db
def test_stale_entries_are_found_by_the_database_and_flagged(network):
    today = datetime.date(2026, 6, 30)
    never = service_doc("Never")
    del never["assured_date"]
    load([service_doc("Fresh", assured_date="2025-06-30"),
          service_doc("Old", assured_date="2025-06-29"), never])
    assert set(Service.objects.stale(today).values_list("name", flat=True)) == {"Old", "Never"}
    assert Service.objects.get(name="Never").last_verified_on is None


def test_every_hsds_field_has_a_column():
    for table, spec in schema.tables().items():
        columns = {field.attname for field in HSDS_MODELS[table]._meta.concrete_fields}
        missing = [name for name in spec.fields if attname(table, name) not in columns]
        assert not missing, (table, missing)


def test_the_carecoord_taxonomy_maps_to_need_domains_and_insurance():
    from carecoord import careplans
    from carecoord.families.models import Child

    terms = taxonomy.terms().values()
    domains = {term.need_domain for term in terms if term.need_domain}
    with open(Path(careplans.__file__).parent / "data" / "need_domains.csv",
              encoding="utf-8") as handle:
        codes = {row["code"] for row in csv.DictReader(handle)}
    assert domains == codes  # every need domain has a term, and no term names another
    assert {term.insurance for term in terms if term.insurance} == {
        value for value in Child.Insurance.values if value != "other"}
    assert {term.link_type for term in terms} == {taxonomy.SERVICE_CATEGORY,
                                                  taxonomy.INSURANCE_ACCEPTED}


@pytest.mark.django_db
def test_derived_columns_for_the_search(network):
    doc = service_doc("Derived", term=HUSKY_A, town="East Hartford")
    doc["service_areas"] += [{"id": new_id(), "name": "Eastern region"},
                             {"id": new_id(), "name": "Statewide"},
                             {"id": new_id(), "name": "Norwich, CT"},
                             {"id": new_id(), "name": "Somewhere else"}]
    doc["schedules"].append({"id": new_id(), "freq": "MONTHLY", "byday": "2TU",
                             "opens_at": "18:30-05:00", "closes_at": "20:00-05:00"})
    load(doc)
    areas = {area.name: (area.town and area.town.name, area.region and area.region.name,
                         area.statewide) for area in ServiceArea.objects.all()}
    assert areas == {"East Hartford": ("East Hartford", None, False),
                     "Eastern region": (None, "Eastern", False),
                     "Statewide": (None, None, True),
                     "Norwich, CT": ("Norwich", None, False),
                     "Somewhere else": (None, None, False)}
    assert Address.objects.get().town.name == "East Hartford"
    weekly, monthly = Schedule.objects.order_by("freq").reverse()
    assert (weekly.weekdays, weekly.opens_minute, weekly.closes_minute) == (0b11111, 540, 1020)
    assert (monthly.weekdays, monthly.opens_minute) == (None, 1110)
    term = TaxonomyTerm.objects.get()
    assert (term.insurance, term.need_domain) == ("husky_a", None)


def test_schedule_days_and_minutes():
    assert schedules.weekday_mask("WEEKLY", None, "MO,WE,SU") == 0b1000101
    assert schedules.weekday_mask("WEEKLY", 2, "MO") is None  # every other week
    assert schedules.weekday_mask("MONTHLY", None, "2MO") is None
    assert schedules.weekday_mask(None, None, "XX") is None
    assert schedules.wall_clock_minutes("08:30-05:00") == 510
    assert schedules.wall_clock_minutes("08:30-04:00") == 510  # local daylight time
    assert schedules.wall_clock_minutes("08:30") == 510
    assert schedules.wall_clock_minutes("13:30Z") == 510  # Eastern standard time
    assert schedules.wall_clock_minutes("14:30+01:00") == 510
    assert schedules.wall_clock_minutes("noon") is None


def test_open_now():
    weekdays = schedules.weekday_mask("WEEKLY", None, "MO,TU,WE,TH,FR")
    monday_9 = datetime.datetime(2026, 6, 29, 9, 0)
    hours = {"weekdays": weekdays, "opens_minute": 510, "closes_minute": 990}
    assert schedules.is_open(**hours, at=monday_9)
    assert not schedules.is_open(**hours, at=monday_9.replace(hour=16, minute=30))
    assert not schedules.is_open(**hours, at=monday_9 - datetime.timedelta(days=1))  # Sunday
    assert not schedules.is_open(**hours, at=monday_9, valid_to=datetime.date(2026, 6, 1))
    overnight = {"weekdays": 1 << 4, "opens_minute": 22 * 60, "closes_minute": 2 * 60}
    assert schedules.is_open(**overnight, at=datetime.datetime(2026, 7, 4, 1, 0))  # Sat 1 AM
    assert not schedules.is_open(**overnight, at=datetime.datetime(2026, 7, 5, 1, 0))
    assert not schedules.is_open(weekdays=None, opens_minute=None, closes_minute=None,
                                 at=monday_9)


def test_hours_in_words():
    assert schedules.describe(0b11111, 510, 990) == "Monday to Friday, 8:30 AM to 4:30 PM"
    assert schedules.describe(0b1111111, 0, 1439) == "Every day, around the clock"
    assert schedules.describe(0b0100010, 540, 720) == "Tuesday, Saturday, 9:00 AM to 12:00 PM"
    assert schedules.describe(None, 540, 720) == ""
