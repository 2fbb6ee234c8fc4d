"""The directory search as a coordinator uses it from a care plan need: each filter narrows the
list as a person would expect, the ranking puts the service the family can best use first and
says why, stale entries are flagged, another center's local entries never appear, a need fills
the filters, and bad input is a form error. The same on SQLite (FTS5) and PostgreSQL."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from carecoord.accounts.models import Town
from carecoord.audit.models import AuditEvent
from carecoord.careplans.models import Need, NeedDomain
from carecoord.directory import schedules, search, services, taxonomy
from carecoord.directory.models import Organization, Schedule, Service
from carecoord.directory.search import SearchCriteria

from .helpers import load, new_id, service_doc

pytestmark = pytest.mark.django_db
TERMS = taxonomy.by_code()
FOOD, HOUSING, LEGAL = TERMS["food-assistance"], TERMS["housing"], TERMS["legal-aid"]
# A Monday at 10 AM, Connecticut time.
MONDAY_10 = timezone.make_aware(datetime.datetime(2026, 6, 29, 10, 0))
FRESH = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()


def offered(name, town="Hartford", *, areas=None, languages=("en", "es"), cost=0, term=FOOD,
            terms=(), hours=("MO,TU,WE,TH,FR", "09:00", "17:00"), site=True, **fields):
    """A service with one site at `town`'s centroid, serving `areas` (default: that town)."""
    place = Town.objects.get(name=town)
    doc = service_doc(name, town=town, term=term, **{"assured_date": FRESH, **fields})
    doc["service_areas"] = [{"id": new_id(), "name": area}
                            for area in (areas if areas is not None else [town])]
    doc["languages"] = [{"id": new_id(), "code": code,
                         "name": {"en": "English", "es": "Spanish", "pl": "Polish"}[code]}
                        for code in languages]
    doc["cost_options"] = [] if cost is None else [
        {"id": new_id(), "option": "Everyone", "amount": cost, "currency": "USD"}]
    doc["schedules"] = [] if hours is None else [
        {"id": new_id(), "freq": "WEEKLY", "byday": hours[0], "opens_at": f"{hours[1]}-05:00",
         "closes_at": f"{hours[2]}-05:00"}]
    doc["attributes"] += [{"id": new_id(), "link_type": extra.link_type,
                           "taxonomy_term_id": extra.id} for extra in terms]
    if site:
        location = doc["service_at_locations"][0]["location"]
        location["latitude"], location["longitude"] = float(place.latitude), float(
            place.longitude)
    else:
        doc["service_at_locations"] = []
    return doc


def names(user, **criteria):
    criteria.setdefault("at", MONDAY_10)
    if isinstance(criteria.get("town"), str):
        criteria["town"] = Town.objects.select_related("region").get(name=criteria["town"])
    page = search.search(user, SearchCriteria(**criteria))
    return [result.service.name for result in page]


@pytest.fixture
def nurse(network):
    return network["nurse.nc"]


def test_each_filter_narrows_the_list(network, nurse):
    load([
        offered("Pantry Hartford"),
        offered("Housing help", term=HOUSING, languages=("en",), cost=None),
        offered("Diaper bank", description="Free diapers and wipes for babies."),
        offered("Pantry Norwich", "Norwich"),
        offered("Pantry New Haven statewide", "New Haven", areas=["Statewide"]),
        offered("Food line by phone", areas=["Connecticut"], site=False),
        offered("Teen pantry", minimum_age=13, maximum_age=18),
        offered("Private meals", cost=25, hours=("SA", "09:00", "12:00")),
    ])
    everything = set(names(nurse))
    assert len(everything) == 8
    food = set(names(nurse, domain="food"))
    assert food == everything - {"Housing help"}
    assert names(nurse, text="diapers") == ["Diaper bank"]
    assert names(nurse, text="DIAPER!") == ["Diaper bank"]  # stemmed, punctuation ignored
    hartford = set(names(nurse, town="Hartford"))
    assert hartford == everything - {"Pantry Norwich"}
    # Ten miles from Hartford: not the New Haven site; the phone line has no site to measure.
    near = set(names(nurse, town="Hartford", within_miles=10))
    assert near == hartford - {"Pantry New Haven statewide"}
    assert "Pantry New Haven statewide" in names(nurse, town="Hartford", within_miles=40)
    assert set(names(nurse, language="es", language_only=True)) == everything - {"Housing help"}
    assert set(names(nurse, language="en", language_only=True)) == everything  # taken as given
    assert "Teen pantry" not in names(nurse, age=3)
    assert "Teen pantry" in names(nurse, age=15)
    assert "Private meals" not in names(nurse, free_only=True)
    assert "Housing help" not in names(nurse, free_only=True)  # no cost given: not known free
    assert "Private meals" in names(nurse, max_cost=30)
    assert "Private meals" not in names(nurse, max_cost=20)
    assert "Private meals" not in names(nurse, open_now=True)  # Saturdays only
    assert "Private meals" in names(nurse, open_now=True,
                                    at=MONDAY_10 + datetime.timedelta(days=5))
    assert set(names(nurse, domain="food", town="Hartford", within_miles=10, language="es",
                     language_only=True, age=3, free_only=True, open_now=True)) == {
        "Pantry Hartford", "Diaper bank", "Food line by phone"}


def test_a_service_naming_no_area_counts_for_the_town_of_its_site(network, nurse):
    load([offered("Hartford walk-in", areas=[]),
          offered("West Hartford walk-in", "West Hartford", areas=[])])
    assert names(nurse, town="Hartford") == ["Hartford walk-in"]
    assert names(nurse, town="Hartford", within_miles=10) == ["Hartford walk-in"]
    [result] = search.search(nurse, SearchCriteria(town=Town.objects.get(name="Hartford")))
    assert "no service area given, a site in Hartford" in result.reasons


def test_insurance_keeps_services_that_accept_it_or_ask_for_none(network, nurse):
    husky_a, commercial = TERMS["insurance-husky-a"], TERMS["insurance-commercial"]
    load([offered("Clinic for HUSKY", terms=[husky_a]),
          offered("Private clinic", terms=[commercial]),
          offered("Food pantry (no insurance asked)")])
    assert set(names(nurse, insurance="husky_a")) == {"Clinic for HUSKY",
                                                      "Food pantry (no insurance asked)"}
    assert set(names(nurse, insurance="commercial")) == {"Private clinic",
                                                         "Food pantry (no insurance asked)"}
    [result] = [r for r in search.search(nurse, SearchCriteria(insurance="husky_a"))
                if r.service.name == "Clinic for HUSKY"]
    assert "accepts HUSKY A" in result.reasons


def test_the_spanish_speaking_close_free_in_domain_service_comes_first(network, nurse):
    load([offered("Far English legal aid", "Norwich", areas=["Statewide"], term=LEGAL,
                  languages=("en",), cost=40),
          offered("Near Spanish pantry", "West Hartford", areas=["Statewide"])])
    page = search.search(nurse, SearchCriteria(
        domain="food", wider=True, town=Town.objects.get(name="Hartford"), language="es",
        at=MONDAY_10))
    first, second = page
    assert first.service.name == "Near Spanish pantry"
    assert first.score > second.score
    assert first.reasons[:5] == ["Food (WIC and SNAP)", "serves all of Connecticut",
                                 f"{first.miles:.1f} mi", "Spanish spoken", "free"]
    assert 2 < first.miles < 6
    assert second.reasons[:4] == ["not in Food (WIC and SNAP)", "serves all of Connecticut",
                                  f"{second.miles:.1f} mi", "Spanish not listed"]
    assert second.miles > 30
    assert "Far English legal aid" not in names(nurse, domain="food")  # without `wider`


def test_a_name_match_outranks_a_mention(network, nurse):
    load([offered("Community services", description="Also runs a small food pantry."),
          offered("Food pantry of Hartford"),
          offered("Legal aid", term=LEGAL)])
    assert names(nurse, text="food pantry") == ["Food pantry of Hartford", "Community services"]
    assert names(nurse, text="pantries") == ["Food pantry of Hartford", "Community services"]


def test_the_words_follow_edits_and_imports(network, nurse):
    doc = offered("Family resource center")
    load(doc)
    assert names(nurse, text="respite") == []
    service = Service.objects.get(pk=doc["id"])
    services.update_service(user=network["supervisor.nc"], service=service,
                            expected_version=service.version,
                            changes={"description": "Respite care on weekends."})
    assert names(nurse, text="respite") == ["Family resource center"]
    organization = dict(doc["organization"], name="Hartford Lighthouse Network")
    load(dict(doc, organization=organization, description="Respite care on weekends."))
    assert Organization.objects.get().name == "Hartford Lighthouse Network"
    assert names(nurse, text="lighthouse") == ["Family resource center"]
    load(dict(doc, organization=organization, attributes=[
        {"id": new_id(), "link_type": HOUSING.link_type, "taxonomy_term_id": HOUSING.id}]),
        keep_others=False)
    assert names(nurse, text="housing") == ["Family resource center"]
    assert names(nurse, text="nutrition") == []  # the food term is gone with its attribute


def test_the_tags_follow_imports(network, nurse):
    doc = offered("Family center", languages=("en", "es"))
    load(doc)
    assert names(nurse, language="es", language_only=True) == ["Family center"]
    assert names(nurse, insurance="commercial") == ["Family center"]  # names no insurance
    husky = TERMS["insurance-husky-a"]
    changed = dict(doc, languages=[{"id": new_id(), "code": "en", "name": "English"},
                                   {"id": new_id(), "name": "Polish"}],
                   attributes=[*doc["attributes"], {"id": new_id(), "link_type": husky.link_type,
                                                    "taxonomy_term_id": husky.id}])
    load(changed, keep_others=False)
    assert Service.objects.get().search_tags == (
        " domain:food insurance:husky_a language:en language:pl ")
    assert names(nurse, language="es", language_only=True) == []
    assert names(nurse, language="pl", language_only=True) == ["Family center"]
    assert names(nurse, insurance="commercial") == []
    assert names(nurse, insurance="husky_a") == ["Family center"]


@pytest.mark.parametrize("town", [None, "Hartford"])
def test_pages_of_results(network, nurse, town):
    load([offered(f"Pantry {n:02d}") for n in range(search.PAGE_SIZE + 5)])
    criteria = {"town": Town.objects.select_related("region").get(name=town)} if town else {}
    first = search.search(nurse, SearchCriteria(at=MONDAY_10, **criteria))
    second = search.search(nurse, SearchCriteria(at=MONDAY_10, **criteria), page=2)
    assert first.paginator.count == second.paginator.count == search.PAGE_SIZE + 5
    assert (len(first), len(second), second.number) == (search.PAGE_SIZE, 5, 2)
    assert not {r.service.pk for r in first} & {r.service.pk for r in second}
    beyond = search.search(nurse, SearchCriteria(at=MONDAY_10, **criteria), page=9)
    assert (beyond.number, len(beyond)) == (2, 5)
    assert search.search(nurse, SearchCriteria(at=MONDAY_10, **criteria), page="x").number == 1


def test_a_long_list_is_counted_up_to_a_limit(network, nurse, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 3)
    load([offered(f"Pantry {n}") for n in range(5)])
    page = search.search(nurse, SearchCriteria(at=MONDAY_10))
    assert (page.more, page.paginator.count, len(page)) == (True, 3, 3)
    assert "More than 3 services found" in page_text(nurse, q="")
    exact = search.search(nurse, SearchCriteria(at=MONDAY_10, town=Town.objects.get(
        name="Hartford")))  # with a town the count comes with the page, exact
    assert (exact.more, exact.paginator.count) == (False, 5)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index is SQLite's")
def test_the_sqlite_index_has_its_triggers_and_matches_the_table(network):
    load([offered(f"Service {n}") for n in range(5)])
    Service.objects.filter(name="Service 1").delete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                       "AND tbl_name = 'directory_service'")
        assert {row[0] for row in cursor.fetchall()} == {
            "directory_service_fts_insert", "directory_service_fts_delete",
            "directory_service_fts_update"}, "a migration rebuilt directory_service: see 0002"
        # Raises when the index and the table differ.
        cursor.execute("INSERT INTO directory_service_fts(directory_service_fts, rank) "
                       "VALUES ('integrity-check', 1)")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's tsvector")
def test_the_postgresql_index_is_a_stored_tsvector_with_a_gin_index(network):
    load(offered("Diaper bank", description="Diapers and wipes."))
    with connection.cursor() as cursor:
        cursor.execute("SELECT search_vector::text FROM directory_service")
        assert "'diaper':1A" in cursor.fetchone()[0]  # the name weighs most
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = "
                       "'directory_service_search_vector'")
        assert "USING gin (search_vector)" in cursor.fetchone()[0]


def test_stale_entries_rank_lower_and_stay_flagged(network, nurse):
    load([offered("Old pantry", assured_date="2023-01-10"), offered("New pantry")])
    page = search.search(nurse, SearchCriteria(domain="food", at=MONDAY_10))
    assert [r.service.name for r in page] == ["New pantry", "Old pantry"]
    assert [r.stale for r in page] == [False, True]
    assert page[1].reasons[-1] == "stale: not verified for over 12 months"
    text = page_text(nurse, domain="food")
    assert text.count("data-stale") == 1


def test_another_centers_local_entries_never_appear(network):
    load(offered("Statewide pantry"))
    load(offered("North Central pantry"), center=network.hub)
    load(offered("Eastern pantry", "Norwich"), center=network.east)
    assert set(names(network["social.ea"])) == {"Statewide pantry", "Eastern pantry"}
    assert set(names(network["social.nc"])) == {"Statewide pantry", "North Central pantry"}
    assert set(names(network["ta.hub"], text="pantry")) == {"Statewide pantry",
                                                             "North Central pantry"}
    assert names(network["provider.nc"]) == []
    assert "Eastern pantry" not in page_text(network["nurse.nc"], q="pantry")


# ---------------------------------------------------------------- the page


def page_text(user, client=None, status=200, **params):
    from django.test import Client

    client = client or Client()
    client.force_login(user)
    response = client.get(reverse("directory-search"), params)
    assert response.status_code == status, response.content.decode()[:2000]
    return response.content.decode()


def a_need(child, domain="food", description="Groceries run out before the end of the month",
           status=Need.Status.OPEN):
    plan = child.care_plans.get()
    return Need.objects.create(
        plan=plan, domain=NeedDomain.objects.get(code=domain), description=description,
        raised_by=Need.RaisedBy.FAMILY, family_priority="high", reach="within_reach",
        opened_on=timezone.localdate(), status=status)


def test_a_need_fills_the_filters_from_the_child(network, nurse):
    load([offered("Hartford pantry"), offered("Norwich pantry", "Norwich"),
          offered("Housing search", term=HOUSING)])
    need = a_need(network.child_nc)
    text = page_text(nurse, need=need.pk)
    child = network.child_nc
    assert f"For {child.full_name}&#x27;s need" in text or f"For {child.full_name}'s need" in text
    for filled in ('value="Hartford"', '<option value="food" selected>',
                   '<option value="es" selected>', f'value="{child.age}"',
                   '<option value="husky_a" selected>'):
        assert filled in text, filled
    assert "Hartford pantry" in text
    assert "Norwich pantry" not in text and "Housing search" not in text
    assert "serves Hartford" in text and "Spanish spoken" in text
    event = AuditEvent.objects.filter(action="view", object_type="careplans.need").get()
    assert (event.child_id, event.object_id) == (child.pk, str(need.pk))
    # The user's own choices win once they search.
    wider = page_text(nurse, need=need.pk, domain="", town="Hartford")
    assert "Housing search" in wider


def test_each_result_links_to_its_entry_and_to_a_referral_for_the_need(network, nurse):
    doc = offered("Hartford pantry")
    load(doc)
    need = a_need(network.child_nc)
    text = page_text(nurse, need=need.pk)
    assert reverse("directory-service", args=[doc["id"]]) in text
    try:
        refer = reverse("service-referral-new", args=[network.child_nc.pk, need.pk])
    except NoReverseMatch:
        assert "Refer<span" not in text  # the referral page is not there yet
    else:
        assert f'{refer}?service={doc["id"]}' in text
    assert "Refer<span" not in page_text(nurse, q="pantry")  # no need, nothing to refer for


def test_the_care_plan_links_open_needs_to_the_search(network, nurse, login):
    open_need = a_need(network.child_nc)
    met = a_need(network.child_nc, "housing", "Apartment found", status=Need.Status.MET)
    met.closed_on, met.outcome = timezone.localdate(), "Moved in"
    met.save()
    client = login(nurse)
    text = client.get(reverse("care-plan", args=[network.child_nc.pk])).content.decode()
    search_url = reverse("directory-search")
    assert f"{search_url}?need={open_need.pk}" in text
    assert f"{search_url}?need={met.pk}" not in text
    client = login(network["provider.nc"])
    text = client.get(reverse("care-plan", args=[network.child_nc.pk])).content.decode()
    assert "Find services" not in text


def test_a_need_of_a_child_out_of_reach_is_not_there(network):
    need = a_need(network.child_nc)
    for username in ("nurse.ea", "supervisor.ea", "provider.nc", "titlev.state"):
        page_text(network[username], status=404, need=need.pk)
    page_text(network["nurse.nc"], status=404, need="999999")
    page_text(network["nurse.nc"], status=404, need="abc")
    assert not AuditEvent.objects.filter(object_type="careplans.need", action="view").exists()


@pytest.mark.parametrize("params, message", [
    ({"town": "Hartfrod"}, "There is no Connecticut town called “Hartfrod”"),
    ({"town": "Hartford", "miles": "-3"}, "A distance is 0 miles or more."),
    ({"miles": "5"}, "Give the family&#x27;s town to measure the distance from."),
    ({"age": "-1"}, "An age is 0 years or more."),
    ({"age": "three"}, "Enter a whole number."),
    ({"max_cost": "-5"}, "A cost is 0 or more."),
    ({"language": "xx"}, "Select a valid choice."),
])
def test_bad_input_is_a_form_error(network, nurse, params, message):
    text = page_text(nurse, status=400, **params)
    assert message in text
    assert 'aria-describedby="id_' in text
    from django.test import Client
    client = Client(headers={"HX-Request": "true"})
    partial = page_text(nurse, client=client, **params)  # HTMX swaps only a 200
    assert message in partial and "<html" not in partial


def test_htmx_gets_only_the_results(network, nurse):
    load(offered("Hartford pantry"))
    from django.test import Client
    client = Client(headers={"HX-Request": "true"})
    partial = page_text(nurse, client=client, q="pantry")
    assert "Hartford pantry" in partial and "<form" not in partial
    assert "1 service found" in partial


def test_a_search_costs_the_same_queries_whatever_the_directory_size(network, nurse):
    params = {"domain": "food", "town": "Hartford", "miles": "10", "language": "es",
              "age": "4", "insurance": "husky_a", "max_cost": "10", "open_now": "on",
              "q": "pantry"}
    counter = itertools.count()
    load([offered(f"Pantry {next(counter)}") for _ in range(2)])
    with CaptureQueriesContext(connection) as few:
        page_text(nurse, **params)
    load([offered(f"Pantry {next(counter)}", town) for town in ("Hartford", "Bristol",
                                                                "Norwich") * 10])
    with CaptureQueriesContext(connection) as many:
        page_text(nurse, **params)
    assert len(many) == len(few)


def test_open_now_in_sql_is_schedules_is_open(network):
    rules = [("MO,TU,WE,TH,FR", "09:00", "17:00"), ("SA", "22:00", "02:00"),
             ("SU", "00:00", "23:59"), ("TH", "10:00", "10:00"), ("FR", "16:30", "08:00")]
    load([offered(f"Hours {n}", hours=rule) for n, rule in enumerate(rules)])
    Schedule.objects.filter(service__name="Hours 0").update(valid_to=datetime.date(2026, 7, 1))
    rows = list(Schedule.objects.values("pk", "weekdays", "opens_minute", "closes_minute",
                                        "valid_from", "valid_to"))
    start = datetime.datetime(2026, 6, 28, 0, 0)
    for hours in range(0, 24 * 9, 1):
        for minute in (0, 29, 59):
            at = start + datetime.timedelta(hours=hours, minutes=minute)
            expected = {row["pk"] for row in rows if schedules.is_open(
                weekdays=row["weekdays"], opens_minute=row["opens_minute"],
                closes_minute=row["closes_minute"], valid_from=row["valid_from"],
                valid_to=row["valid_to"], at=at)}
            assert set(search.open_schedules(at).values_list("pk", flat=True)) == expected, at
