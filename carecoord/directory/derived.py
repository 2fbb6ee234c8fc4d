"""CareCoord's own columns, worked out from HSDS fields whenever a row is written (import, demo,
edit), so the search filters on indexed columns instead of parsing text:

* address → `town`: its city, when the state is Connecticut and the city is one of the 169
  towns;
* service_area → `town`, `region` or `statewide`: its name is a town ("Hartford", "Hartford,
  CT"), a DPH region ("Eastern", "Eastern region") or the state ("Connecticut", "Statewide");
* schedule → `weekdays`, `opens_minute`, `closes_minute` (schedules.py);
* taxonomy_term → `need_domain`, `insurance`, for the terms of the CareCoord taxonomy."""

from carecoord.accounts.models import Region, Town
from carecoord.careplans.models import NeedDomain

from . import schedules, taxonomy

CONNECTICUT = {"ct", "connecticut"}
STATEWIDE_NAMES = {"connecticut", "statewide", "state of connecticut", "all of connecticut"}


def _plain(name: str | None) -> str:
    text = " ".join((name or "").split()).lower()
    for suffix in (", connecticut", ", ct", " ct"):
        text = text.removesuffix(suffix)
    return text


class Derivations:
    """The towns, regions and need domains, looked up once for a whole import."""

    def __init__(self):
        self.towns = {name.lower(): pk for pk, name in Town.objects.values_list("pk", "name")}
        self.regions = {name.lower(): pk for pk, name in Region.objects.values_list("pk", "name")}
        self.need_domains = dict((code, pk) for pk, code in
                                 NeedDomain.objects.values_list("pk", "code"))

    def columns(self, table: str, fields: dict) -> dict:
        """The derived columns (attnames) of one row given its HSDS fields."""
        if table == "address":
            in_connecticut = _plain(fields.get("state_province")) in CONNECTICUT
            return {"town_id": self.towns.get(_plain(fields.get("city")))
                    if in_connecticut else None}
        if table == "service_area":
            return self.area(fields.get("name"))
        if table == "schedule":
            return {
                "weekdays": schedules.weekday_mask(fields.get("freq"), fields.get("interval"),
                                                   fields.get("byday")),
                "opens_minute": schedules.wall_clock_minutes(fields.get("opens_at")),
                "closes_minute": schedules.wall_clock_minutes(fields.get("closes_at")),
            }
        if table == "taxonomy_term":
            term = taxonomy.terms().get(fields.get("id"))
            return {"need_domain_id": self.need_domains.get(term.need_domain) if term else None,
                    "insurance": term.insurance if term else ""}
        return {}

    def area(self, name: str | None) -> dict:
        text = _plain(name)
        if text in STATEWIDE_NAMES:
            return {"town_id": None, "region_id": None, "statewide": True}
        region = self.regions.get(text.removesuffix(" region"))
        return {"town_id": self.towns.get(text), "region_id": region, "statewide": False}
