"""CareCoord's own columns, worked out from HSDS fields whenever a row is written (import, demo,
edit), so the search filters on indexed columns instead of parsing text:

* address → `town`: its city, when the state is Connecticut and the city is one of the 169
  towns;
* service_area → `town`, `region` or `statewide`: its name is a town ("Hartford", "Hartford,
  CT"), a DPH region ("Eastern", "Eastern region") or the state ("Connecticut", "Statewide");
* schedule → `weekdays`, `opens_minute`, `closes_minute` (schedules.py);
* taxonomy_term → `need_domain`, `insurance`, for the terms of the CareCoord taxonomy;
* service → `search_text`, the words the full-text search reads besides the name, and
  `search_tags`, its need domains, the insurance it accepts and the languages it speaks as
  tokens (" domain:food insurance:husky_a language:es "), so a search reads them from the
  service's own row (an index covers it) instead of joining three tables for every service.
  They come from other tables (the organization, the program, the attributes and their
  terms, the service's languages), so an import refreshes the services whose columns it may
  have changed (`refresh_search_columns`), and an edit on a page the service it saves."""

from collections import defaultdict

from carecoord.accounts.models import Region, Town
from carecoord.careplans.models import NeedDomain

from . import schedules, taxonomy

SEARCH_FIELDS = ("alternate_name", "description", "eligibility_description")
CHUNK = 500

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


def search_text(service: dict, *, organization: str | None = None,
                organization_alternate: str | None = None, program: str | None = None,
                terms=()) -> str:
    """A service's search words (one per line, each part once): its own texts, the names of
    its organization and program, the names of the taxonomy terms applied to it."""
    parts = [service.get(name) for name in SEARCH_FIELDS]
    parts += [organization, organization_alternate, program, *sorted(terms)]
    seen, lines = set(), []
    for part in parts:
        text = " ".join((part or "").split())
        if text and text.lower() not in seen:
            seen.add(text.lower())
            lines.append(text)
    return "\n".join(lines)


def search_tags(*, domains=(), insurance=(), languages=()) -> str:
    """What a service is for, whom it takes and what it speaks, as tokens a search finds with
    `contains`: " domain:food insurance:husky_a language:es " (empty when none)."""
    tags = sorted({f"domain:{code}" for code in domains if code}
                  | {f"insurance:{code}" for code in insurance if code}
                  | {f"language:{code}" for code in languages if code})
    return f" {' '.join(tags)} " if tags else ""


def tag(kind: str, code: str) -> str:
    """The token `search_tags` holds for one thing, as a search looks for it."""
    return f" {kind}:{code} "


def spoken_languages() -> dict[str, str]:
    """Language names (English, Spanish, native; lower case) → code, of the languages
    CareCoord knows."""
    from carecoord.accounts.models import Language

    names = {}
    for code, *spelled in Language.objects.values_list("code", "name", "name_es",
                                                      "native_name"):
        for name in spelled:
            if name:
                names.setdefault(name.strip().lower(), code)
    return names


def language_code(code: str | None, name: str | None, names: dict[str, str]) -> str:
    """An HSDS language as a plain code: the code's primary subtag ("es-US" → "es"), else the
    code of its name ("Spanish", "Español" → "es"); empty when neither says."""
    primary = (code or "").strip().lower().replace("_", "-").split("-")[0]
    return primary or names.get((name or "").strip().lower(), "")


def search_text_for(service) -> str:
    """The search words of a service being saved: its own texts as they are in memory, the
    rest as stored (2 queries)."""
    from .models import Attribute, Service

    stored = Service.objects.filter(pk=service.pk).values(
        "organization__name", "organization__alternate_name", "program__name").get()
    terms = Attribute.objects.filter(link_entity="service", link_id=service.pk).values_list(
        "taxonomy_term__name", flat=True)
    return search_text({name: getattr(service, name) for name in SEARCH_FIELDS},
                       organization=stored["organization__name"],
                       organization_alternate=stored["organization__alternate_name"],
                       program=stored["program__name"], terms=terms)


def search_columns(service_ids) -> dict[str, dict]:
    """`search_text` and `search_tags` of these services, as the database has them now (3
    queries a chunk, and one for the language names)."""
    from .models import Attribute, Language, Service

    ids, found, names = list(service_ids), {}, spoken_languages()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        terms, domains, insurance = defaultdict(set), defaultdict(set), defaultdict(set)
        for link_id, name, domain, accepted in Attribute.objects.filter(
                link_entity="service", link_id__in=chunk).values_list(
                "link_id", "taxonomy_term__name", "taxonomy_term__need_domain__code",
                "taxonomy_term__insurance"):
            terms[link_id].add(name)
            domains[link_id].add(domain)
            insurance[link_id].add(accepted)
        spoken = defaultdict(set)
        for service_id, code, name in Language.objects.filter(service_id__in=chunk).values_list(
                "service_id", "code", "name"):
            spoken[service_id].add(language_code(code, name, names))
        for row in Service.objects.filter(pk__in=chunk).values(
                "id", *SEARCH_FIELDS, "organization__name", "organization__alternate_name",
                "program__name"):
            pk = row["id"]
            found[pk] = {
                "search_text": search_text(
                    row, organization=row["organization__name"],
                    organization_alternate=row["organization__alternate_name"],
                    program=row["program__name"], terms=terms[pk]),
                "search_tags": search_tags(domains=domains[pk], insurance=insurance[pk],
                                           languages=spoken[pk]),
            }
    return found


def refresh_search_columns(service_ids) -> int:
    """Write `search_text` and `search_tags` of these services where they changed; returns
    how many did."""
    from .models import Service

    ids, changed = list(dict.fromkeys(service_ids)), 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        now = {row.pop("id"): row for row in Service.objects.filter(pk__in=chunk).values(
            "id", "search_text", "search_tags")}
        stale = [Service(pk=pk, **columns)
                 for pk, columns in search_columns(now).items() if now[pk] != columns]
        Service.objects.bulk_update(stale, ["search_text", "search_tags"])
        changed += len(stale)
    return changed
