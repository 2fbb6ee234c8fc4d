"""The demo network's community resource directory, in HSDS 3.0: the Connecticut programs a
center links families to (Birth to Three, WIC offices by town, SNAP and HUSKY at the DSS field
offices, 2-1-1 and the Child Development Infoline, the Medical Home Initiative, family support and
parent advocacy organizations, diagnosis-specific organizations, legal aid, housing, respite,
transportation, child care, food pantries, behavioral health), a few hundred services kept
statewide by the hub, and a handful of local entries kept by each center.

Program and organization names are the real ones where the reference list of state programs
(and the diagnosis-organization catalog) has them; everything a family would use to reach a
program is synthetic: 555-01xx phone numbers, example.org addresses, invented street numbers in
real towns. What each program is, who it serves, its fees and schedule kind are data
(carecoord/directory/data/demo_directory.csv, see the README there); the random choices (which
towns, languages, how long ago each entry was verified: several more than a year) come from the
seeded generator, so a seed gives the same directory.

The records are built as HSDS records and written through the directory's own import path
(`hsds.plan_import` and `hsds.apply_plan`), checked against the HSDS schema first. For a
benchmark, `services=N` adds generated services until there are N statewide ones, written in
batches (the schema check is skipped for those: they are built like the others)."""

import csv
import datetime
import math
import random
import re
import uuid
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from carecoord.accounts.models import Center, Language, Town
from carecoord.connections import catalog
from carecoord.directory import hsds, taxonomy
from carecoord.directory.models import stale_before

from . import datafiles

TEMPLATES = (Path(__file__).resolve().parent.parent / "directory" / "data"
             / "demo_directory.csv")
EXTRA_BATCH = 2000
OFFSET = "-05:00"  # HSDS times carry an offset; CareCoord reads Eastern offsets as wall clock
# (days, opens, closes, what a person would say) for each schedule kind of the templates.
SCHEDULES = {
    "weekdays": [("MO,TU,WE,TH,FR", "08:30", "16:30", "Weekdays, 8:30 AM to 4:30 PM.")],
    "extended": [("MO,TU,WE,FR", "08:00", "16:30", "Monday to Wednesday and Friday, 8 AM to "
                  "4:30 PM."),
                 ("TH", "10:00", "19:00", "Thursday, 10 AM to 7 PM.")],
    "early": [("MO,TU,WE,TH,FR", "07:00", "18:00", "Weekdays, 7 AM to 6 PM.")],
    "24x7": [("MO,TU,WE,TH,FR,SA,SU", "00:00", "23:59", "Open around the clock, every day.")],
    "saturday": [("WE", "15:00", "18:00", "Wednesday, 3 to 6 PM."),
                 ("SA", "09:00", "12:00", "Saturday, 9 AM to noon.")],
    "school": [("MO,TU,WE,TH,FR", "07:30", "15:00", "School days, 7:30 AM to 3 PM, during the "
                "school year.")],
}
COSTS = {
    "free": [{"option": "All families", "amount": 0, "currency": "USD"}],
    "sliding": [{"option": "Families under 200% of the federal poverty level", "amount": 0,
                 "currency": "USD"},
                {"option": "Families with higher incomes",
                 "amount_description": "A share of the cost on a sliding scale by income"}],
    "premium": [{"option": "Lower income band", "amount": 0, "currency": "USD"},
                {"option": "Higher income band", "amount": 30, "currency": "USD",
                 "amount_description": "per month for one child, 50 for two or more"}],
    "insurance": [{"option": "With insurance",
                   "amount_description": "Billed to the plan; co-pays depend on the plan"}],
}


class DemoDirectoryError(Exception):
    """The demo directory did not pass the directory's own checks; the message says why."""


@dataclass(frozen=True)
class Template:
    key: str
    keeper: str
    organization: str
    organization_description: str
    program: str
    service: str
    alternate_name: str
    description: str
    eligibility: str
    minimum_age: float | None
    maximum_age: float | None
    terms: tuple[str, ...]
    insurance: tuple[str, ...]
    fees: str
    cost: str
    application: str
    schedule: str
    places: str
    area_km: float
    spanish: float
    status: str
    alert: str


def _number(text: str) -> float | None:
    return float(text) if text else None


@cache
def templates() -> tuple[Template, ...]:
    with open(TEMPLATES, newline="", encoding="utf-8") as handle:
        return tuple(Template(
            **{**row, "minimum_age": _number(row["minimum_age"]),
               "maximum_age": _number(row["maximum_age"]),
               "terms": tuple(filter(None, row["terms"].split(";"))),
               "insurance": tuple(filter(None, row["insurance"].split(";"))),
               "area_km": float(row["area_km"] or 0), "spanish": float(row["spanish"] or 0)})
            for row in csv.DictReader(handle))


def _km(a: Town, b: Town) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, map(float, (a.latitude, a.longitude,
                                                           b.latitude, b.longitude)))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 6371 * 2 * math.asin(math.sqrt(h))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60]


class DirectoryFactory:
    """Builds one keeper's HSDS records at a time into a `hsds.Dataset`."""

    def __init__(self, rng: random.Random, as_of: datetime.date, centers: list[Center]):
        self.rng, self.as_of = rng, as_of
        self.centers = centers
        self.towns = {town.name: town for town in Town.objects.select_related("region")
                      .order_by("name")}
        self.zips = datafiles.zip_codes()
        self.streets = datafiles.streets()
        self.place_words = datafiles.place_words()
        self.area_codes = {row.region: row.area_codes for row in datafiles.centers()}
        self.town_languages = datafiles.town_languages()
        self.language_names = dict(Language.objects.values_list("code", "name"))
        weights = datafiles.town_weights()
        self.addressable = [name for name in self.towns if self.zips.get(name)]
        self.weights = [weights.get(name, 1) for name in self.addressable]
        self.terms = taxonomy.by_code()
        self.near: dict[tuple[str, float], list[str]] = {}
        for tpl in templates():
            for name in re.findall(r"(?:towns|offices):(.*)", tpl.places)[:1]:
                missing = [town for town in name.split(";") if town not in self.towns]
                if missing:
                    raise DemoDirectoryError(f"{tpl.key}: no town called {', '.join(missing)}")

    # ------------------------------------------------------------ small parts

    def _dataset(self, name: str) -> hsds.Dataset:
        self.ids: dict[tuple, str] = {}  # shared records of this dataset, by what they are
        return hsds.Dataset(name)

    def uuid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _add(self, ds: hsds.Dataset, table: str, fields: dict) -> str:
        fields = {name: value for name, value in fields.items() if value not in (None, "")}
        ds.add(hsds.Record(table, fields["id"], fields, "demo", f"{table} {fields['id']}"))
        return fields["id"]

    def _shared(self, ds: hsds.Dataset, key: tuple, table: str, fields: dict) -> str:
        """A record several services share (an organization, a program, an office), once."""
        known = self.ids.get(key)
        if known is None:
            known = self.ids[key] = self._add(ds, table, {"id": self.uuid(), **fields})
        return known

    def _near(self, name: str, km: float) -> list[str]:
        """The town and the towns whose centroids are within `km` of its own."""
        key = (name, km)
        if key not in self.near:
            town = self.towns[name]
            self.near[key] = sorted(
                (other for other, place in self.towns.items()
                 if other == name or _km(town, place) <= km),
                key=lambda other: (other != name, other))
        return self.near[key]

    def _phone_number(self, town: Town | None) -> str:
        region = town.region.name if town else "North Central"
        area = self.rng.choice(self.area_codes.get(region, ("860",)))
        return f"{area}-555-01{self.rng.randint(0, 99):02d}"

    def _weighted_towns(self, count: int, among: list[str] | None = None) -> list[Town]:
        names = among or self.addressable
        weights = self.weights if among is None else [1] * len(names)
        chosen: list[str] = []
        while len(chosen) < min(count, len(names)):
            name = self.rng.choices(names, weights)[0]
            if name not in chosen:
                chosen.append(name)
        return [self.towns[name] for name in chosen]

    def _assured(self) -> datetime.date | None:
        draw = self.rng.random()
        if draw < 0.04:
            return None
        if draw < 0.18:  # verified more than a year ago: stale
            return self.as_of - datetime.timedelta(days=self.rng.randint(380, 900))
        return self.as_of - datetime.timedelta(days=self.rng.randint(3, 330))

    def _languages(self, tpl: Template, town: Town | None) -> list[str]:
        mix = {**self.town_languages.get("*", {}),
               **(self.town_languages.get(town.name, {}) if town else {})}
        codes = ["en"]
        spanish = min(1.0, tpl.spanish + (0.3 if mix.get("es", 0) >= 25 else 0))
        if self.rng.random() < spanish:
            codes.append("es")
        for code, percent in sorted(mix.items()):
            if code not in codes and percent >= 4 and self.rng.random() < 0.6:
                codes.append(code)
        return codes

    def _location(self, ds, org_id: str, org_name: str, town: Town) -> str:
        key = ("location", org_id, town.name)
        if key in self.ids:
            return self.ids[key]
        location_id = self._shared(ds, key, "location", {
            "location_type": "physical", "organization_id": org_id,
            "name": f"{org_name} – {town.name}",
            "latitude": round(float(town.latitude) + self.rng.uniform(-0.008, 0.008), 5),
            "longitude": round(float(town.longitude) + self.rng.uniform(-0.008, 0.008), 5),
            "transportation": self.rng.choice(
                ("On a bus line; free parking.", "Parking behind the building.",
                 "Two blocks from the bus stop.", "")),
        })
        self._add(ds, "address", {
            "id": self.uuid(), "location_id": location_id,
            "address_1": f"{self.rng.randint(2, 1999)} {self.rng.choice(self.streets)}",
            "address_2": self.rng.choice(("", "", "Suite 100", "2nd floor", "Unit B")),
            "city": town.name, "state_province": "CT",
            "postal_code": self.rng.choice(self.zips[town.name]), "country": "US",
            "address_type": "physical"})
        if self.rng.random() < 0.5:
            self._add(ds, "accessibility", {
                "id": self.uuid(), "location_id": location_id,
                "description": "Step-free entrance and an accessible restroom."})
        return location_id

    def _schedules(self, ds, service_id: str, kind: str) -> None:
        if kind == "appointment":
            self._add(ds, "schedule", {"id": self.uuid(), "service_id": service_id,
                                       "description": "By appointment."})
            return
        if kind == "monthly":
            self._add(ds, "schedule", {
                "id": self.uuid(), "service_id": service_id, "freq": "MONTHLY", "wkst": "MO",
                "byday": "2TU", "opens_at": f"18:30{OFFSET}", "closes_at": f"20:00{OFFSET}",
                "description": "The second Tuesday of the month, 6:30 to 8 PM."})
            return
        year = self.as_of.year if self.as_of.month >= 7 else self.as_of.year - 1
        for days, opens, closes, words in SCHEDULES[kind]:
            fields = {"id": self.uuid(), "service_id": service_id, "freq": "WEEKLY",
                      "wkst": "MO", "byday": days, "opens_at": f"{opens}{OFFSET}",
                      "closes_at": f"{closes}{OFFSET}", "description": words}
            if kind == "school":
                fields["valid_from"] = datetime.date(year, 8, 28)
                fields["valid_to"] = datetime.date(year + 1, 6, 20)
            self._add(ds, "schedule", fields)

    def _costs(self, ds, service_id: str, kind: str) -> None:
        if kind == "hourly":
            options = [{"option": "Private pay", "amount": self.rng.choice((20, 22, 25, 28)),
                        "currency": "USD", "amount_description": "per hour"}]
        elif kind == "fare":
            options = [{"option": "Each ride", "amount": self.rng.choice((1.75, 2, 2.5, 3)),
                        "currency": "USD", "amount_description": "per ride"}]
        elif kind == "weekly":
            options = [{"option": "Full-time", "amount": self.rng.randrange(240, 400, 10),
                        "currency": "USD", "amount_description": "per week"}]
        else:
            options = COSTS[kind]
        for option in options:
            self._add(ds, "cost_option", {"id": self.uuid(), "service_id": service_id,
                                          **option})

    def _areas(self, ds, service_id: str, tpl: Template, town: Town | None,
               region_name: str | None) -> None:
        if region_name:
            areas = [(f"{region_name} region",
                      f"The towns of the DPH {region_name} region.")]
        elif town is None:
            areas = [("Connecticut", "Families anywhere in Connecticut.")]
        else:
            areas = [(name, "") for name in self._near(town.name, tpl.area_km)]
        for name, description in areas:
            self._add(ds, "service_area", {"id": self.uuid(), "service_id": service_id,
                                           "name": name, "description": description})

    # ------------------------------------------------------------ one service

    def service(self, ds: hsds.Dataset, tpl: Template, *, sites: list[Town] = (),
                town: Town | None = None, region_name: str | None = None,
                virtual: bool = False, words: dict | None = None) -> str:
        words = {"town": town.name if town else "", "region": region_name or "",
                 "place": self.rng.choice(self.place_words), **(words or {})}
        org_name = tpl.organization.format(**words)
        org_id = self._shared(ds, ("organization", org_name), "organization", {
            "name": org_name,
            "description": tpl.organization_description.format(**words),
            "website": f"https://example.org/{_slug(org_name)}",
            "email": f"info@{_slug(org_name)}.example.org"})
        program_id = None
        if tpl.program:
            program_id = self._shared(ds, ("program", org_id, tpl.program), "program", {
                "organization_id": org_id, "name": tpl.program,
                "description": f"{tpl.program}, run by {org_name}."})
        anchor = town or (sites[0] if sites else None)
        codes = self._languages(tpl, anchor)
        assured = self._assured()
        status, alert = tpl.status, tpl.alert
        draw = self.rng.random()
        if draw < 0.02:
            status, alert = "temporarily closed", "Closed for now; call for updates."
        elif draw < 0.03:
            status = "inactive"
        service_id = self._add(ds, "service", {
            "id": self.uuid(), "organization_id": org_id, "program_id": program_id,
            "name": tpl.service.format(**words), "alternate_name": tpl.alternate_name,
            "description": tpl.description.format(**words),
            "url": f"https://example.org/{_slug(org_name)}/{_slug(tpl.service.format(**words))}",
            "email": f"intake@{_slug(org_name)}.example.org", "status": status,
            "interpretation_services": ("Spanish-speaking staff; telephone interpreters for "
                                        "other languages." if "es" in codes else
                                        "Telephone interpreters on request."),
            "application_process": tpl.application, "fees_description": tpl.fees,
            "eligibility_description": tpl.eligibility.format(**words),
            "minimum_age": tpl.minimum_age, "maximum_age": tpl.maximum_age,
            "assured_date": assured, "alert": alert,
            "last_modified": f"{(assured or self.as_of - datetime.timedelta(days=900))}"
                             "T14:00:00Z",
        })
        phone_id = self._add(ds, "phone", {
            "id": self.uuid(), "service_id": service_id, "number": self._phone_number(anchor),
            "type": "voice", "description": "Main line"})
        for code in codes:
            self._add(ds, "language", {"id": self.uuid(), "service_id": service_id,
                                       "name": self.language_names.get(code, code),
                                       "code": code})
            if code != "en":
                self._add(ds, "language", {"id": self.uuid(), "phone_id": phone_id,
                                           "name": self.language_names.get(code, code),
                                           "code": code})
        if self.rng.random() < 0.25:
            self._add(ds, "phone", {"id": self.uuid(), "service_id": service_id,
                                    "number": self._phone_number(anchor), "type": "text",
                                    "description": "Text messages"})
        self._schedules(ds, service_id, tpl.schedule)
        self._costs(ds, service_id, tpl.cost)
        self._areas(ds, service_id, tpl, town, region_name)
        for code in (*tpl.terms, *tpl.insurance):
            term = self.terms[code]
            self._add(ds, "attribute", {
                "id": self.uuid(), "link_id": service_id, "link_entity": "service",
                "link_type": term.link_type, "taxonomy_term_id": term.id})
        for site in sites:
            location_id = self._location(ds, org_id, org_name, site)
            self._add(ds, "service_at_location", {"id": self.uuid(), "service_id": service_id,
                                                  "location_id": location_id})
        if virtual:
            location_id = self._shared(ds, ("virtual", org_id), "location", {
                "location_type": "virtual", "organization_id": org_id,
                "name": f"{org_name} online", "url": f"https://example.org/{_slug(org_name)}"})
            self._add(ds, "service_at_location", {"id": self.uuid(), "service_id": service_id,
                                                  "location_id": location_id})
        return service_id

    # ------------------------------------------------------------ whole keepers

    def statewide(self) -> hsds.Dataset:
        ds = self._dataset("demo directory (statewide)")
        hubs = {center.region.name: self.towns[center.town.name] for center in self.centers}
        for tpl in templates():
            if tpl.keeper != "statewide":
                continue
            kind, _, rest = tpl.places.partition(":")
            if kind in ("statewide", "virtual"):
                self.service(ds, tpl, virtual=kind == "virtual")
            elif kind == "offices":
                self.service(ds, tpl, sites=[self.towns[name] for name in rest.split(";")])
            elif kind == "towns":
                for name in rest.split(";"):
                    self.service(ds, tpl, sites=[self.towns[name]], town=self.towns[name])
            elif kind == "random":
                for town in self._weighted_towns(int(rest)):
                    self.service(ds, tpl, sites=[town], town=town)
            elif kind == "regions":
                for region_name, town in hubs.items():
                    self.service(ds, tpl, sites=[town], region_name=region_name)
            elif kind == "catalog":
                for organization in catalog.catalog().values():
                    if organization.for_every_child:
                        continue  # the family organizations have entries of their own
                    self.service(ds, tpl, virtual=True, words={
                        "name": organization.name,
                        "condition_lower": organization.condition[0].lower()
                        + organization.condition[1:]})
            else:
                raise DemoDirectoryError(f"{tpl.key}: unknown places {tpl.places!r}")
        return ds

    def local(self, center: Center) -> hsds.Dataset:
        ds = self._dataset(f"demo directory ({center.short_name})")
        region_towns = [name for name in self.addressable
                        if self.towns[name].region_id == center.region_id]
        for tpl in templates():
            if tpl.keeper != "local":
                continue
            count = int(tpl.places.partition(":")[2] or 1)
            for town in self._weighted_towns(count, among=region_towns):
                self.service(ds, tpl, sites=[town], town=town)
        return ds

    def extra(self, count: int) -> hsds.Dataset:
        """`count` more statewide services, each a program of the templates opened in another
        town (for a benchmark's size)."""
        ds = self._dataset("demo directory (benchmark)")
        local_kinds = [tpl for tpl in templates()
                       if tpl.keeper == "statewide" and tpl.places.split(":")[0] in (
                           "towns", "random")]
        for _ in range(count):
            town = self._weighted_towns(1)[0]
            self.service(ds, self.rng.choice(local_kinds), sites=[town], town=town)
        return ds


def _write(ds: hsds.Dataset, center: Center | None, *, as_of: datetime.date,
           validate: bool) -> Counter:
    if validate:
        hsds.validate_records(ds)
    plan = hsds.plan_import(ds, center=center, keep_others=True)
    if plan.problems:
        raise DemoDirectoryError("The demo directory does not pass the directory's checks: "
                                 + "; ".join(str(p) for p in plan.problems[:5]))
    hsds.apply_plan(plan, audit=False)
    services = ds.records["service"].values()
    return Counter({
        "directory_services": len(services),
        "directory_services_local" if center else "directory_services_statewide": len(services),
        "directory_services_stale": sum(
            1 for rec in services if rec.fields.get("assured_date") is None
            or rec.fields["assured_date"] < stale_before(as_of)),
        "directory_organizations": len(ds.records["organization"]),
        "directory_locations": len(ds.records["location"]),
    })


def build_demo_directory(*, rng: random.Random, as_of: datetime.date, centers: list[Center],
                         services: int | None = None, validate: bool = True) -> Counter:
    """Write the demo directory: the statewide services, each center's local ones and, with
    `services`, generated statewide services until there are that many. Returns counts."""
    factory = DirectoryFactory(rng, as_of, centers)
    counts = _write(factory.statewide(), None, as_of=as_of, validate=validate)
    for center in centers:
        counts += _write(factory.local(center), center, as_of=as_of, validate=validate)
    missing = (services or 0) - counts["directory_services_statewide"]
    while missing > 0:
        batch = min(missing, EXTRA_BATCH)
        counts += _write(factory.extra(batch), None, as_of=as_of, validate=False)
        missing -= batch
    return counts
