"""Each program measure against the hand-counted history of conftest.py, by center, with the
filters and by coordinator; the YAML's checks; a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from carecoord.reporting import measures, selectors
from tests.factories import child, enrolled

from .conftest import TODAY, ago

pytestmark = pytest.mark.django_db


def report(history, **filters):
    n = history.network
    scope = selectors.Scope(start=ago(364), end=TODAY, center_ids=(n.hub.pk, n.east.pk),
                            **filters)
    # Both columns "own": nothing suppressed, every figure as counted.
    columns = measures.Columns([(n.hub.pk, "NC"), (n.east.pk, "EA")],
                               own=frozenset([n.hub.pk, n.east.pk]), total_label="All")
    return {t.measure.id: t for t in measures.compute(scope, columns).tables}


def texts(table, row_key):
    row = next(r for r in table.rows if r.key == row_key)
    return [cell.text for cell in row.cells]


EXPECTED = {
    # measure: {row: [hub, east, all centers]}
    # Sofia, Ana, Ben and Yara at the hub (Olga was discharged before the period); Liam.
    "children_served": {"all": ["4", "1", "5"]},
    # Referrals received 40, 110, 210 and 70 days ago at the hub (Olga's 810: outside).
    "new_referrals": {"all": ["4", "1", "5"]},
    # Hub 5, 5, 9, 5 days: median 5; Eastern 5; all five: 5.
    "days_to_first_contact": {"all": ["5 days (n=4)", "5 days (n=1)", "5 days (n=5)"]},
    # Sofia tier 2 nurse, Ana tier 3 social worker, Ben and Yara not stratified; Liam neither.
    "enrolled_by_tier": {"2:nurse": ["1", "0", "1"], "3:social_worker": ["1", "0", "1"],
                         "none": ["2", "1", "3"], "total": ["4", "1", "5"]},
    # Hub phone 3 + home visit 1 (the call 400 days ago is outside); Eastern 2 texts.
    "contacts_by_channel": {"phone": ["3", "0", "3"], "home_visit": ["1", "0", "1"],
                            "text": ["0", "2", "2"], "email": ["0", "0", "0"],
                            "total": ["4", "2", "6"]},
    # Phone 2 of 3 reached; the home visit 1 of 1; Eastern's texts 0 of 2.
    "contacts_reached": {"phone": ["66.7% (2 of 3)", "—", "66.7% (2 of 3)"],
                         "home_visit": ["100.0% (1 of 1)", "—", "100.0% (1 of 1)"],
                         "text": ["—", "0.0% (0 of 2)", "0.0% (0 of 2)"]},
    # Enrolled today: hub 4, only Sofia's plan agreed within 6 months (Ana's 300 days ago);
    # Liam's plan was never agreed.
    "care_plans_current": {"all": ["25.0% (1 of 4)", "0.0% (0 of 1)", "20.0% (1 of 5)"]},
    # Hub plans: Sofia's and Ana's have priorities, Ben's none (Yara has no plan); Liam's none.
    "plans_with_priorities": {"all": ["66.7% (2 of 3)", "0.0% (0 of 1)", "50.0% (2 of 4)"]},
    # Target dates in the period: Sofia's met (10) and in progress (5), Ana's met (50); the
    # discontinued one is left out and the one due in 30 days is outside.
    "goals_met": {"all": ["66.7% (2 of 3)", "—", "66.7% (2 of 3)"]},
    # Sent in the period: 60 (closed), 40 (closed), 10 (open).
    "closed_loop_rate": {"all": ["66.7% (2 of 3)", "—", "66.7% (2 of 3)"]},
    # Closed in the period: 30 and 20 days after sending: median 25.
    "days_to_close": {"all": ["25 days (n=2)", "—", "25 days (n=2)"]},
    "unmet_needs_by_domain": {"housing": ["2", "1", "3"], "food": ["1", "0", "1"],
                              "total": ["3", "1", "4"]},
    "unmet_needs_by_town": {"Hartford": ["3", "0", "3"], "Norwich": ["0", "1", "1"]},
    # Sofia 2 → 3; Ana 3 → 3 (the 1 was corrected); Ben has one check-in; Liam 4 → 3.5.
    "protective_factor_change": {"improved": ["1", "0", "1"], "unchanged": ["1", "0", "1"],
                                 "declined": ["0", "1", "1"]},
    # Youth 12-21: Ana (planned) and Yara (not); Liam is 9.
    "transition_plan": {"all": ["50.0% (1 of 2)", "—", "50.0% (1 of 2)"]},
    # Sofia and Ana have a PCP practice, Ben and Yara none; Liam has one.
    "medical_home_identified": {"all": ["50.0% (2 of 4)", "100.0% (1 of 1)",
                                        "60.0% (3 of 5)"]},
    # Sofia's plan delivered to her practice; Ana's share failed; Liam's never sent.
    "plan_shared_with_pcp": {"all": ["50.0% (1 of 2)", "0.0% (0 of 1)", "33.3% (1 of 3)"]},
    # Hub: nurse.nc has Sofia and Ben (1.0 FTE), social.nc Ana and Yara (0.5 FTE); Eastern:
    # nurse.ea has Liam, social.ea nobody (1.0 FTE each).
    "caseload_per_fte": {"nurse": ["2.0 (2 / 1 FTE)", "1.0 (1 / 1 FTE)", "1.5 (3 / 2 FTE)"],
                         "social_worker": ["4.0 (2 / 0.5 FTE)", "0.0 (0 / 1 FTE)",
                                           "1.3 (2 / 1.5 FTE)"],
                         "community": ["—", "—", "—"]},
}


def test_every_measure_is_checked():
    assert set(EXPECTED) == {m.id for m in measures.definitions()}


@pytest.mark.parametrize("measure_id", sorted(EXPECTED))
def test_each_measure_against_the_hand_count(history, measure_id):
    table = report(history)[measure_id]
    for row, expected in EXPECTED[measure_id].items():
        assert texts(table, row) == expected, f"{measure_id} {row}"


def test_tier_filter(history):
    tables = report(history, tier=3)
    # Only Ana is tier 3.
    assert texts(tables["children_served"], "all") == ["1", "0", "1"]
    assert texts(tables["transition_plan"], "all") == ["100.0% (1 of 1)", "—",
                                                      "100.0% (1 of 1)"]


def test_discipline_filter(history):
    tables = report(history, discipline="nurse")
    # The child's recommended discipline: Sofia only (tier 2, nurse).
    assert texts(tables["children_served"], "all") == ["1", "0", "1"]
    assert texts(tables["contacts_by_channel"], "phone") == ["3", "0", "3"]
    assert texts(tables["contacts_by_channel"], "home_visit") == ["0", "0", "0"]
    # Caseload per FTE: the coordinator's discipline, one row.
    assert [r.key for r in tables["caseload_per_fte"].rows] == ["nurse"]


def test_period(history):
    n = history.network
    scope = selectors.Scope(start=ago(45), end=TODAY, center_ids=(n.hub.pk,))
    # Referrals received in the last 45 days: Sofia's (40 days ago) only.
    assert sum(selectors.new_referrals(scope).counts.values()) == 1
    # Contacts 10, 12, 14 (phone) and 20 (home visit) days ago are all in.
    assert sum(selectors.contacts_by_channel(scope).counts.values()) == 4


def test_by_coordinator(history):
    n = history.network
    scope = selectors.Scope(start=ago(364), end=TODAY, center_ids=(n.hub.pk,),
                            by=selectors.COORDINATOR)
    served = selectors.children_served(scope).counts
    # nurse.nc: Sofia and Ben; social.nc: Ana and Yara.
    assert served == {("all", n["nurse.nc"].pk): 2, ("all", n["social.nc"].pk): 2}
    contacts = selectors.contacts_by_channel(scope).counts
    assert contacts == {("phone", n["nurse.nc"].pk): 3, ("home_visit", n["social.nc"].pk): 1}


def _queries(history) -> int:
    with CaptureQueriesContext(connection) as queries:
        report(history)
    return len(queries)


def test_a_fixed_number_of_queries_whatever_the_data_size(history):
    before = _queries(history)
    n = history.network
    for i in range(8):
        kid = child(n.hub, first=f"Extra{i}", last=f"Child{i}")
        enrolled(kid, n["nurse.nc"])
    assert _queries(history) == before


# ---------------------------------------------------------------- the YAML


GOOD = """
measures:
  - id: one
    name: One
    definition: A count.
    numerator: Children.
    denominator: none
    exclusions: none
    unit: count
    source: CareCoord
    compute: children_served
    rows: all
"""


def test_the_shipped_definitions_load():
    ids = [m.id for m in measures.definitions()]
    assert len(ids) == len(set(ids)) == 18
    assert all(m.definition and m.source for m in measures.definitions())


@pytest.mark.parametrize("change, message", [
    (("unit: count", "unit: percentage"), "measure one: field 'unit'"),
    (("    name: One\n", ""), "measure one: field 'name' is missing"),
    (("compute: children_served", "compute: nothing_here"), "measure one: field 'compute'"),
    (("rows: all", "rows: all\n    colour: red"), "measure one: unknown field 'colour'"),
])
def test_a_bad_definition_names_the_measure_and_the_field(change, message):
    with pytest.raises(measures.MeasureDefinitionError, match=message):
        measures.parse(GOOD.replace(*change))


def test_a_repeated_id_is_refused():
    twice = GOOD + GOOD.split("measures:\n", 1)[1]
    with pytest.raises(measures.MeasureDefinitionError, match="measure one: field 'id'"):
        measures.parse(twice)


def test_a_contact_counts_in_the_day_it_happened_here(history):
    """The period is in local days: a call at 23:30 on its last day is in, one at 23:30 the
    day before it starts is out (in UTC both are already the next day)."""
    import datetime

    from django.utils import timezone

    from carecoord.contacts.models import Contact

    n = history.network
    start, end = ago(30), ago(5)
    scope = selectors.Scope(start=start, end=end, center_ids=(n.hub.pk,))
    before = sum(selectors.contacts_by_channel(scope).counts.values())
    zone = timezone.get_current_timezone()
    for day in (end, start - datetime.timedelta(days=1)):
        Contact.objects.create(child=n.child_nc, staff=n["nurse.nc"], channel="phone",
                               reached=True, occurred_at=datetime.datetime.combine(
                                   day, datetime.time(23, 30), tzinfo=zone))
    assert sum(selectors.contacts_by_channel(scope).counts.values()) == before + 1
