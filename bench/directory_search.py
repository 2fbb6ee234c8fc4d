#!/usr/bin/env python
"""Directory search at scale: queries and median / p95 time of the searches coordinators run
from a care plan need, on a directory of 50,000 services.

    .venv/bin/python bench/directory_search.py                 # SQLite file under /tmp
    .venv/bin/python bench/directory_search.py --database-url postgres://postgres@127.0.0.1:5432/helper_search

The database is a throwaway: the SQLite file is deleted first, the PostgreSQL database named in
the URL is dropped and created again. It is migrated, then filled with bulk inserts (not the demo
generator, which goes through the HSDS import and takes minutes): services made from the demo
directory's templates, each with its organization, a site and address in a real Connecticut
town (at the town's centroid), languages (English; Spanish for about half; a third language
for some), weekly schedules, cost options, CareCoord taxonomy terms (need domains, insurance),
and service areas (the town and its neighbours; some regional, some statewide, some phone
lines without a site); about 1 in 7 are stale and a few are each center's local entries.

Each search is timed two ways as a coordinator of the hub: `search.search()` itself (the
selector: its queries and the work on their rows) at a fixed weekday 10 AM, and the page
`/directory/search/?…` through Django's test client (view, queries, template; "open now" is
then the real clock). The query count must not depend on the number of services."""

import argparse
import dataclasses
import math
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = Path("/tmp/carecoord-directory-search-bench.sqlite3")
SEARCHES = [
    ("need: food, Hartford, 10 mi, Spanish, open now",
     {"domain": "food", "town": "Hartford", "miles": "10", "language": "es",
      "open_now": "on"}),
    ("need filled from a child (food)",
     {"domain": "food", "town": "Hartford", "language": "es", "age": "7",
      "insurance": "husky_a"}),
    ("words: food pantry", {"q": "food pantry"}),
    ("insurance HUSKY A", {"insurance": "husky_a"}),
    ("age 3", {"age": "3"}),
    ("everything (no filter)", {}),
]


def throwaway(url: str | None) -> str:
    if not url:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DEFAULT_SQLITE}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{DEFAULT_SQLITE}"
    import psycopg

    server, _, name = url.replace("postgres://", "postgresql://", 1).rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def setup(url: str):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carecoord.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False  # no query log: the build is a million rows
    call_command("migrate", verbosity=0)


# ---------------------------------------------------------------- building the directory


class Builder:
    """Model instances in memory, written with bulk_create in batches."""

    BATCH = 2000

    def __init__(self, rng: random.Random):
        from carecoord.accounts.models import Center, Town
        from carecoord.demo import datafiles
        from carecoord.demo.hsds_directory import COSTS, SCHEDULES, templates

        self.rng = rng
        self.towns = list(Town.objects.select_related("region").order_by("name"))
        weights = datafiles.town_weights()
        self.weights = [weights.get(town.name, 1) for town in self.towns]
        self.zips = datafiles.zip_codes()
        self.streets = datafiles.streets()
        self.place_words = datafiles.place_words()
        self.centers = list(Center.objects.all())
        self.costs, self.schedules = COSTS, SCHEDULES
        self.local_kinds = [t for t in templates() if t.places.split(":")[0] in (
            "towns", "random", "local")]
        self.statewide_kinds = [t for t in templates() if t.places.split(":")[0] in (
            "statewide", "virtual", "offices")]
        self.regional_kinds = [t for t in templates() if t.places == "regions"]
        self.neighbours = {town.pk: self._near(town, 9.0) for town in self.towns}
        self.rows = {}

    def _near(self, town, km):
        def distance(other):
            lat1, lon1, lat2, lon2 = map(math.radians, map(float, (
                town.latitude, town.longitude, other.latitude, other.longitude)))
            h = (math.sin((lat2 - lat1) / 2) ** 2
                 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
            return 6371 * 2 * math.asin(math.sqrt(h))
        return [other for other in self.towns if other.pk != town.pk and distance(other) <= km]

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def add(self, model, **fields):
        row = model(id=self.uuid(), **fields)  # foreign keys as *_id: no descriptor work
        self.rows.setdefault(model, []).append(row)
        return row

    def build(self, count: int, today) -> dict:
        import datetime

        from carecoord.directory import derived, schedules, taxonomy
        from carecoord.directory.models import (
            Address,
            Attribute,
            CostOption,
            Language,
            Location,
            Organization,
            Schedule,
            Service,
            ServiceArea,
            ServiceAtLocation,
            Taxonomy,
            TaxonomyTerm,
        )

        terms = taxonomy.by_code()
        Taxonomy.objects.get_or_create(id=taxonomy.TAXONOMY_ID, defaults={
            key: value for key, value in taxonomy.TAXONOMY.items() if key != "id"})
        derivations = derived.Derivations()
        term_rows = {}
        for term in terms.values():
            fields = {key: value for key, value in term.hsds().items() if key != "taxonomy_id"}
            term_rows[term.code] = TaxonomyTerm(
                taxonomy_detail_id=taxonomy.TAXONOMY_ID, **fields,
                **derivations.columns("taxonomy_term", term.hsds()))
        TaxonomyTerm.objects.bulk_create(term_rows.values())
        insurance_codes = [code for code, term in terms.items() if term.insurance]
        other_languages = [("pt", "Portuguese"), ("pl", "Polish"), ("ht", "Haitian Creole"),
                           ("zh", "Chinese"), ("ar", "Arabic")]
        rng = self.rng
        organizations, offices = {}, {}
        for _ in range(count):
            draw = rng.random()
            town = rng.choices(self.towns, self.weights)[0]
            if draw < 0.05:
                tpl, kind = rng.choice(self.statewide_kinds), "statewide"
            elif draw < 0.08 and self.regional_kinds:
                tpl, kind = rng.choice(self.regional_kinds), "regional"
            else:
                tpl, kind = rng.choice(self.local_kinds), "local"
            words = {"town": town.name, "region": town.region.name,
                     "place": rng.choice(self.place_words)}
            org_name = tpl.organization.format(**words)
            org = organizations.get(org_name)
            if org is None:
                org = organizations[org_name] = self.add(
                    Organization, name=org_name,
                    description=tpl.organization_description.format(**words))
            assured = None
            roll = rng.random()
            if roll >= 0.04:
                days = rng.randint(380, 900) if roll < 0.18 else rng.randint(3, 330)
                assured = today - datetime.timedelta(days=days)
            status = "temporarily closed" if rng.random() < 0.02 else (
                "inactive" if rng.random() < 0.01 else "active")
            keeper = None
            if kind == "local" and rng.random() < 0.03 and self.centers:
                keeper = next((c.pk for c in self.centers if c.region_id == town.region_id),
                              None)
            fields = {"alternate_name": tpl.alternate_name or None,
                      "description": tpl.description.format(**words),
                      "eligibility_description": tpl.eligibility.format(**words)}
            term_names = [terms[code].name for code in tpl.terms]
            codes = ["en"] + (["es"] if rng.random() < 0.45 else [])
            if rng.random() < 0.12:
                codes.append(rng.choice(other_languages)[0])
            insurance = list(tpl.insurance)
            if not insurance and rng.random() < 0.25:
                insurance = rng.sample(insurance_codes, rng.randint(1, 3))
            term_names += [terms[code].name for code in insurance]
            service = self.add(
                Service, center_id=keeper, organization_id=org.id, name=tpl.service.format(**words),
                status=status, minimum_age=tpl.minimum_age, maximum_age=tpl.maximum_age,
                assured_date=assured, fees_description=tpl.fees or None,
                application_process=tpl.application or None,
                search_text=derived.search_text(fields, organization=org.name, terms=term_names),
                search_tags=derived.search_tags(
                    domains=[terms[code].need_domain for code in tpl.terms],
                    insurance=[terms[code].insurance for code in insurance], languages=codes),
                **fields)
            for code in codes:
                name = dict(other_languages).get(code) or {"en": "English", "es": "Spanish"}[code]
                self.add(Language, service_id=service.id, code=code, name=name, center_id=keeper)
            for code in (*tpl.terms, *insurance):
                self.add(Attribute, link_id=service.id, link_entity="service",
                         link_type=terms[code].link_type, taxonomy_term_id=term_rows[code].id,
                         center_id=keeper)
            for option in self.costs.get(tpl.cost, [{"option": "Each visit", "amount": rng.choice(
                    (5, 10, 20, 25, 40)), "currency": "USD"}]):
                self.add(CostOption, service_id=service.id, center_id=keeper, **option)
            for days, opens, closes, words_ in self.schedules.get(tpl.schedule, ()):
                self.add(Schedule, service_id=service.id, center_id=keeper, freq="WEEKLY",
                         byday=days,
                         opens_at=f"{opens}-05:00", closes_at=f"{closes}-05:00",
                         description=words_,
                         weekdays=schedules.weekday_mask("WEEKLY", None, days),
                         opens_minute=schedules.wall_clock_minutes(opens),
                         closes_minute=schedules.wall_clock_minutes(closes))
            if kind == "statewide":
                self.add(ServiceArea, service_id=service.id, center_id=keeper, name="Connecticut",
                         statewide=True)
                sites = [] if tpl.places.split(":")[0] in ("statewide", "virtual") else [town]
            elif kind == "regional":
                self.add(ServiceArea, service_id=service.id, center_id=keeper,
                         name=f"{town.region.name} region", region_id=town.region_id)
                sites = [town]
            else:
                near = self.neighbours[town.pk]
                for served in [town, *rng.sample(near, min(len(near), rng.randint(0, 3)))]:
                    self.add(ServiceArea, service_id=service.id, center_id=keeper, name=served.name,
                             town_id=served.pk)
                sites = [town] + ([rng.choice(near)] if near and rng.random() < 0.1 else [])
            for site in sites:
                # An organization's office in a town serves all its services there.
                location = offices.get((org.id, site.pk, keeper))
                if location is None:
                    location = offices[org.id, site.pk, keeper] = self.add(
                        Location, center_id=keeper, organization_id=org.id,
                        location_type="physical", name=f"{org.name} – {site.name}",
                        latitude=round(float(site.latitude) + rng.uniform(-0.01, 0.01), 5),
                        longitude=round(float(site.longitude) + rng.uniform(-0.01, 0.01), 5))
                    self.add(Address, center_id=keeper, location_id=location.id,
                             address_1=f"{rng.randint(2, 1999)} {rng.choice(self.streets)}",
                             city=site.name, state_province="CT",
                             postal_code=rng.choice(self.zips.get(site.name) or ("06000",)),
                             country="US", address_type="physical", town_id=site.pk)
                self.add(ServiceAtLocation, service_id=service.id, location_id=location.id,
                         center_id=keeper)
        order = [Organization, Location, Address, Service, ServiceAtLocation, Language,
                 Schedule, ServiceArea, CostOption, Attribute]
        for model in order:
            model.objects.bulk_create(self.rows.get(model, ()), batch_size=self.BATCH)
        return {model._meta.model_name: len(self.rows.get(model, ())) for model in order}


def ensure_people():
    """A center per region (the hub first) and a coordinator at the hub."""
    from carecoord.accounts.models import Center, Discipline, Region, Role, User

    for n, region in enumerate(Region.objects.order_by("name")):
        town = region.towns.order_by("name").first()
        if region.name == "North Central":
            from carecoord.accounts.models import Town
            town = Town.objects.get(name="Hartford")
        Center.objects.get_or_create(region=region, defaults={
            "name": f"Center for Care Coordination – {region.name}",
            "short_name": region.name, "is_hub": region.name == "North Central", "town": town})
    hub = Center.objects.get(is_hub=True)
    user, _ = User.objects.get_or_create(username="bench.coordinator", defaults={
        "role": Role.COORDINATOR, "center": hub, "discipline": Discipline.NURSE,
        "caseload_capacity": 60})
    return user


# ---------------------------------------------------------------- timing


def percentile_95(timings):
    ordered = sorted(timings)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def measure(user, repeat: int) -> list[dict]:
    import datetime

    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from carecoord.directory import search
    from carecoord.directory.forms import SearchForm

    at = timezone.make_aware(datetime.datetime(2026, 6, 29, 10, 0))  # a Monday, 10 AM
    client = Client()
    client.force_login(user)
    rows = []
    for name, params in SEARCHES:
        form = SearchForm(params)
        assert form.is_valid(), form.errors
        criteria = dataclasses.replace(form.criteria(), at=at)

        def run():
            return search.search(user, criteria)

        def page():
            response = client.get("/directory/search/", params)
            assert response.status_code == 200, (params, response.status_code)
            return response

        figures = {"search": name}
        for label, call in (("selector", run), ("page", page)):
            call()  # warm caches and connections
            queries = []

            def count(execute, sql, params_, many, context):
                queries.append(sql)
                return execute(sql, params_, many, context)

            with connection.execute_wrapper(count):
                result = call()
            timings = []
            for _ in range(repeat):
                started = time.perf_counter()
                call()
                timings.append((time.perf_counter() - started) * 1000)
            figures[label] = {"queries": len(queries), "median": statistics.median(timings),
                              "p95": percentile_95(timings)}
            if label == "selector":
                figures["found"] = f"{result.paginator.count}{'+' if result.more else ''}"
        rows.append(figures)
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="a PostgreSQL database to drop and refill; "
                                               f"default SQLite {DEFAULT_SQLITE}")
    parser.add_argument("--keep", action="store_true",
                        help="reuse the database of the last run instead of building it again")
    args = parser.parse_args()
    if args.keep:
        url = args.database_url or f"sqlite:///{DEFAULT_SQLITE}"
    else:
        url = throwaway(args.database_url)
    setup(url)
    from django.db import connection
    from django.utils import timezone

    from carecoord.directory.models import Service

    user = ensure_people()
    engine = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    if args.keep and Service.objects.exists():
        print(f"Directory search on {engine}: {Service.objects.count():,} services (kept)")
    else:
        started = time.perf_counter()
        counts = Builder(random.Random(args.seed)).build(args.services, timezone.localdate())
        with connection.cursor() as cursor:
            # As a database in use would be: statistics, and (PostgreSQL) the visibility map
            # that lets an index answer alone.
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        built = time.perf_counter() - started
        rows = ", ".join(f"{n:,} {name}" for name, n in counts.items() if name != "service")
        print(f"Directory search on {engine}: {counts['service']:,} services built in "
              f"{built:.1f} s ({rows})")
    rows = measure(user, args.repeat)
    print(f"{args.repeat} runs each; selector = search.search() at a weekday 10 AM; page = "
          "GET /directory/search/ (server time)")
    print(f"{'search':48} {'found':>6} {'queries':>8} {'median ms':>10} {'p95 ms':>7} "
          f"{'page q':>7} {'page median':>12} {'page p95':>9}")
    slow = False
    for row in rows:
        sel, page = row["selector"], row["page"]
        print(f"{row['search']:48} {row['found']:>6} {sel['queries']:>8} "
              f"{sel['median']:>10.1f} {sel['p95']:>7.1f} {page['queries']:>7} "
              f"{page['median']:>12.1f} {page['p95']:>9.1f}")
        slow |= sel["p95"] >= 100
    print("every search under 100 ms (p95, selector): " + ("NO" if slow else "yes"))
    sys.exit(1 if slow else 0)


if __name__ == "__main__":
    main()
