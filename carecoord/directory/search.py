"""Directory search from a care plan need: the services a family could use, best first, each
with the reasons it ranks there in words ("Food (WIC and SNAP) · serves Hartford · 2.1 mi ·
Spanish spoken · free").

What narrows the list (`SearchCriteria`):
* the need domain (unless `wider`: then in-domain services only come first), from the
  service's `search_tags` (derived.py: its CareCoord taxonomy terms), as are the language and
  the insurance;
* words, matched by the database's full-text index (FTS5 on SQLite, a tsvector on PostgreSQL:
  see migration 0002) over the name and `search_text`;
* a town: the services that serve families living there (a service area that is the town, its
  region or the whole state; a service that names no area counts when one of its sites is in
  the town). With a distance too, the service must have a site that close, unless none of its
  sites has coordinates (a phone line, a website). Distances are from the town's centroid to
  the site's coordinates (HSDS location latitude/longitude);
* the language the family speaks, when `language_only` (else speaking it ranks higher), by its
  primary code ("es" for "es-US" or "Spanish"). English is taken for granted: entries seldom
  list it;
* the child's age against the service's minimum and maximum ages;
* the child's insurance: services that accept it, and those for which insurance is no
  condition (they list none);
* cost: free (every current cost option is 0) or a lowest stated amount up to `max_cost`;
* open now, from the schedules' derived weekdays and minutes (the same rule as
  `schedules.is_open`).

Ranking adds up, in SQL, for every service left: text relevance, being in the need's domain,
nearness, speaking the family's language, having been verified in the last 12 months (a stale
entry ranks lower and is flagged), and minus for a temporary closure (`WEIGHTS`); then by name.
Each condition is written so the database reads it from an index, or asks it only of the
services the other conditions leave (a few index lookups each).

Everything starts from `policy.directory_services_for(user)`: another center's local entries
never appear. A search costs the same number of queries whatever the size of the directory:
the count (up to COUNT_LIMIT; with a town, exact and part of the next query), one page of
ids and scores, the page's services with their flags, and their service areas when a town
is given (and, on PostgreSQL, turning JIT off)."""

import datetime
import math
import re
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Lookup,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from carecoord.accounts import policy
from carecoord.accounts.models import Language as SpokenLanguage
from carecoord.accounts.models import Town
from carecoord.careplans.models import NeedDomain
from carecoord.families.models import Child

from . import derived
from .models import (
    CostOption,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceSearchIndex,
    stale_before,
)

PAGE_SIZE = 20
COUNT_LIMIT = 1000  # "more than 1,000 found": pages beyond are not offered (refine instead)
SEARCHED = (Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED)
WEIGHTS = {
    "text": 3.0,        # times relevance, from 0 to nearly 1
    "domain": 2.0,      # in the need's domain (matters with `wider`)
    "distance": 2.0,    # times 1 / (1 + (miles / 5)²): 1 at the door, 1/2 at 5 miles
    "remote": 0.8,      # a service with no site to measure (phone, online), as if ~6 miles
    "language": 1.5,    # speaks the family's language
    "verified": 1.0,    # verified in the last 12 months
    "closed": -2.0,     # temporarily closed
}
HALF_SCORE_MILES = 5.0
# Miles per degree: an equirectangular approximation, within 0.5% across Connecticut.
MILES_PER_DEGREE_LATITUDE = 69.05
MILES_PER_DEGREE_LONGITUDE_AT_EQUATOR = 69.17
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SearchCriteria:
    """What a coordinator asks for; empty means "any"."""

    domain: str = ""                  # a need domain code (careplans NeedDomain.code)
    wider: bool = False               # also services outside the domain, ranked lower
    text: str = ""
    town: Town | None = None          # where the family lives (a town with its centroid)
    within_miles: float | None = None
    language: str = ""                # a language code (accounts.Language.code)
    language_only: bool = False       # only services that speak it
    age: int | None = None            # the child's age in whole years
    insurance: str = ""               # families Child.Insurance value
    free_only: bool = False
    max_cost: float | None = None
    open_now: bool = False
    at: datetime.datetime | None = None   # "now" (local time), for tests

    def __post_init__(self):
        if self.within_miles is not None and self.within_miles < 0:
            raise ValueError("A distance is 0 miles or more.")
        if self.within_miles is not None and self.town is None:
            raise ValueError("A distance needs a town to measure from.")
        if self.age is not None and self.age < 0:
            raise ValueError("An age is 0 or more.")


@dataclass
class Result:
    service: Service
    score: float
    reasons: list[str] = field(default_factory=list)
    miles: float | None = None

    @property
    def why(self) -> str:
        return " · ".join(self.reasons)

    @property
    def stale(self) -> bool:
        return self.service.is_stale


def search(user, criteria: SearchCriteria, page=1) -> Page:
    """One page of the services `user` may open that fit `criteria`, best first: a Page whose
    items are `Result`s; `page.more` when more than COUNT_LIMIT fit (the count stops
    there)."""
    at = criteria.at or timezone.now()
    now = timezone.localtime(at) if timezone.is_aware(at) else at
    ask = _Asked(criteria, now)
    services = policy.directory_services_for(user).filter(status__in=SEARCHED)
    score = [_verified(now.date()), _closed()]
    if ask.words:
        services, relevance = _text_match(services, ask.words)
        score.append(relevance * Value(WEIGHTS["text"]))
    for condition in _filters(ask):
        services = services.filter(condition)
    if criteria.domain:
        in_domain = _in_domain(criteria.domain)
        score.append(Case(When(in_domain, then=Value(WEIGHTS["domain"])), default=Value(0.0)))
    if criteria.town is not None:
        score.append(_nearness(ask))
    if ask.language is not None:
        score.append(Case(When(_speaks(ask.language), then=Value(WEIGHTS["language"])),
                          default=Value(0.0)))
    total = score[0]
    for part in score[1:]:
        total = total + part
    ranked = services.annotate(score=ExpressionWrapper(total, output_field=FloatField())) \
        .order_by("-score", "name", "pk")
    if connection.vendor != "postgresql":
        return _page(ranked, services, page, ask)
    with transaction.atomic():
        # PostgreSQL costs the per-service subqueries as if each ran for every service and
        # compiles the plan (JIT): ~0.9 s to save milliseconds. Off for this transaction.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL jit = off")
        return _page(ranked, services, page, ask)


def _page(ranked, services, page, ask) -> Page:
    # A town's filters cost most per service, on few services: the total comes with the page
    # (COUNT(*) OVER ()) so they run once. Over most of the directory a separate count is
    # cheaper; and SQLite's bm25() cannot be read beside a window.
    if ask.criteria.town is not None and not (ask.words and connection.vendor == "sqlite"):
        return _page_with_total(ranked, services, _page_number(page), ask)
    # Counted up to COUNT_LIMIT: past it, "more than" says enough and the count stops early.
    counted = services.order_by()[:COUNT_LIMIT + 1].count()
    paginator = Paginator(ranked.values_list("pk", "score"), PAGE_SIZE)
    paginator.count = min(counted, COUNT_LIMIT)
    found = paginator.get_page(page)
    found.object_list = _results(list(found.object_list), ask)
    found.more = counted > COUNT_LIMIT
    return found


def _page_with_total(ranked, services, number: int, ask) -> Page:
    ranked = ranked.annotate(found=Window(Count("*"))).values_list("pk", "score", "found")
    rows = list(ranked[(number - 1) * PAGE_SIZE:number * PAGE_SIZE])
    count = rows[0][2] if rows else 0
    if not rows and number > 1:  # past the last page: the last page, as Paginator does
        count = services.count()
        number = max(1, math.ceil(count / PAGE_SIZE))
        rows = list(ranked[(number - 1) * PAGE_SIZE:number * PAGE_SIZE])
    paginator = Paginator(ranked, PAGE_SIZE)
    paginator.count = count
    found = Page(_results([(pk, score) for pk, score, _ in rows], ask), number, paginator)
    found.more = False
    return found


def _page_number(page) -> int:
    try:
        return max(1, int(page))
    except (TypeError, ValueError):
        return 1


# ---------------------------------------------------------------- what was asked, looked up


class _Asked:
    """The criteria with what the SQL needs worked out once (at most two small queries: the
    language's names and the domain's label)."""

    def __init__(self, criteria: SearchCriteria, now: datetime.datetime):
        self.criteria, self.now = criteria, now
        self.words = _WORD.findall(criteria.text or "")[:12]
        self.language = None
        if criteria.language and criteria.language.lower() not in ("en", "en-us"):
            self.language = SpokenLanguage.objects.filter(code=criteria.language).first() or \
                SpokenLanguage(code=criteria.language, name=criteria.language)
        self.domain_label = ""
        if criteria.domain:
            self.domain_label = NeedDomain.objects.filter(code=criteria.domain).values_list(
                "label", flat=True).first() or criteria.domain
        town = criteria.town
        if town is not None:
            self.latitude, self.longitude = float(town.latitude), float(town.longitude)
            self.x_scale = MILES_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(
                math.radians(self.latitude))


def _filters(ask: _Asked) -> list:
    c = ask.criteria
    found = []
    if c.domain and not c.wider:
        found.append(_in_domain(c.domain))
    if c.town is not None:
        found.append(_serves(ask))
    if ask.language is not None and c.language_only:
        found.append(_speaks(ask.language))
    if c.age is not None:
        found += [Q(minimum_age__isnull=True) | Q(minimum_age__lte=c.age),
                  Q(maximum_age__isnull=True) | Q(maximum_age__gte=c.age)]
    if c.insurance:
        found.append(_insurance_fits(c.insurance))
    if c.free_only:
        found.append(_free(ask.now.date()))
    elif c.max_cost is not None:
        found.append(Q(pk__in=_current_costs(ask.now.date()).filter(
            amount__lte=c.max_cost).values("service_id")))
    if c.open_now:
        found.append(_open(ask.now))
    return found


# ---------------------------------------------------------------- conditions


def _in_domain(code: str) -> Q:
    return Q(search_tags__contains=derived.tag("domain", code))


def _speaks(language: SpokenLanguage) -> Q:
    return Q(search_tags__contains=derived.tag(
        "language", derived.language_code(language.code, None, {})))


def _insurance_fits(insurance: str) -> Q:
    """Accepts it, or names no insurance it accepts (of the CareCoord taxonomy's)."""
    return (Q(search_tags__contains=derived.tag("insurance", insurance))
            | ~Q(search_tags__contains=" insurance:"))


def _current_costs(day: datetime.date):
    return CostOption.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def _free(day: datetime.date) -> Q:
    """Every current cost option is 0 (and there is one)."""
    costs = _current_costs(day).filter(service=OuterRef("pk"))
    return Exists(costs.filter(amount=0)) & ~Exists(
        costs.filter(Q(amount__isnull=True) | Q(amount__gt=0)))


def _verified(day: datetime.date):
    return Case(When(assured_date__gte=stale_before(day), then=Value(WEIGHTS["verified"])),
                default=Value(0.0))


def _closed():
    return Case(When(status=Service.Status.TEMPORARILY_CLOSED, then=Value(WEIGHTS["closed"])),
                default=Value(0.0))


def open_schedules(at: datetime.datetime):
    """The weekly schedules open at `at` (Connecticut wall clock), as `schedules.is_open`
    decides: hours that close before they open run past midnight."""
    minute, day = at.hour * 60 + at.minute, at.date()
    today, yesterday = 1 << at.weekday(), 1 << ((at.weekday() - 1) % 7)
    same_day = Q(opens_minute__lt=F("closes_minute"), on_today__gt=0, opens_minute__lte=minute,
                 closes_minute__gt=minute)
    overnight = Q(opens_minute__gte=F("closes_minute")) & (
        Q(on_today__gt=0, opens_minute__lte=minute)
        | Q(on_yesterday__gt=0, closes_minute__gt=minute))
    return Schedule.objects.alias(
        on_today=F("weekdays").bitand(today), on_yesterday=F("weekdays").bitand(yesterday),
    ).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        weekdays__isnull=False, opens_minute__isnull=False, closes_minute__isnull=False,
    ).filter(same_day | overnight)


def _open(at: datetime.datetime) -> Q:
    """A schedule of the service itself or of one of its sites is open. Asked of each
    service left by the other filters (the hours of every schedule have no index)."""
    schedules = open_schedules(at)
    # Sites' schedules are listed once. `> ''` (every id is) rather than IS NOT NULL: a range
    # SQLite reads from the index even when its statistics say the column is all empty.
    at_sites = schedules.filter(service_at_location__gt="").values(
        "service_at_location__service_id")
    return Exists(schedules.filter(service=OuterRef("pk"))) | Q(pk__in=at_sites)


# ---------------------------------------------------------------- where


def _serves(ask: _Asked) -> Q:
    """Serves families in the town: a service area that is the town, its region or the whole
    state, or, for a service naming no area, a site in the town. With a distance, a site that
    close or none to measure (a phone line, a website). Lists read from indexes, so the
    database starts from the services of the town rather than from every service."""
    town, miles = ask.criteria.town, ask.criteria.within_miles
    areas = ServiceArea.objects.values("service_id")
    sites_of_arealess = ServiceAtLocation.objects.filter(
        ~Exists(ServiceArea.objects.filter(service=OuterRef("service_id"))),
        location__addresses__town=town)
    # One list (UNION ALL), so both databases start from it and look each service up by its
    # key. statewide IN (true): SQLite scans for "WHERE statewide", seeks for an IN.
    serves = Q(pk__in=areas.filter(town=town).union(
        areas.filter(region_id=town.region_id), areas.filter(statewide__in=[True]),
        sites_of_arealess.values("service_id"), all=True))
    if miles is None:
        return serves
    return serves & LessThanOrEqual(Coalesce(_nearest(ask), Value(-1.0)), miles * miles)


def _squared_miles(ask: _Asked, prefix: str = "location__"):
    dy = (F(f"{prefix}latitude") - Value(ask.latitude)) * Value(MILES_PER_DEGREE_LATITUDE)
    dx = (F(f"{prefix}longitude") - Value(ask.longitude)) * Value(ask.x_scale)
    return ExpressionWrapper(dy * dy + dx * dx, output_field=FloatField())


def _nearest(ask: _Asked) -> Subquery:
    """Squared miles from the town's centroid to the service's nearest site with
    coordinates (NULL when none has)."""
    return Subquery(ServiceAtLocation.objects.filter(
        service=OuterRef("pk"), location__latitude__isnull=False,
        location__longitude__isnull=False,
    ).values("service_id").annotate(d2=Min(_squared_miles(ask))).values("d2")[:1],
        output_field=FloatField())


def _nearness(ask: _Asked):
    half = HALF_SCORE_MILES * HALF_SCORE_MILES
    # NULL distance (no site with coordinates) makes the quotient NULL: the remote score.
    return Coalesce(Value(WEIGHTS["distance"]) / (Value(1.0) + _nearest(ask) / Value(half)),
                    Value(WEIGHTS["remote"]), output_field=FloatField())


# ---------------------------------------------------------------- words


class _FtsMatch(Lookup):
    """SQLite: `<the FTS5 table> MATCH query` (every indexed column)."""

    lookup_name = "fts_match"

    def as_sql(self, compiler, connection):
        rhs, params = self.process_rhs(compiler, connection)
        return f"{compiler.quote_name_unless_alias(self.lhs.alias)} MATCH {rhs}", params


ServiceSearchIndex._meta.get_field("search_text").register_lookup(_FtsMatch)


class _Bm25(Expression):
    """SQLite: the FTS5 bm25 relevance of the joined row, turned so that higher is better;
    a word in the name counts four times one in the other texts."""

    output_field = FloatField()

    def __init__(self, column):
        super().__init__()
        self.column = column

    def get_source_expressions(self):
        return [self.column]

    def set_source_expressions(self, exprs):
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(self.column.alias)
        return f"(-bm25({table}, 0.0, 4.0, 1.0))", []


class _OwnColumn(Expression):
    """A column of the query's own table that is not a model field (PostgreSQL's
    search_vector)."""

    def __init__(self, column, output_field):
        super().__init__(output_field=output_field)
        self.column = column

    def as_sql(self, compiler, connection):
        table = next(iter(compiler.query.alias_map))
        return (f"{compiler.quote_name_unless_alias(table)}."
                f"{connection.ops.quote_name(self.column)}", [])


def _text_match(services, words: list[str]):
    """The services whose name or search words contain every word (stemmed), with their
    relevance from 0 to nearly 1."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import (
            SearchQuery,
            SearchRank,
            SearchVectorExact,
            SearchVectorField,
        )

        vector = _OwnColumn("search_vector", SearchVectorField())
        query = SearchQuery(" ".join(words), config="english", search_type="plain")
        services = services.filter(SearchVectorExact(vector, query))
        rank = SearchRank(vector, query)
        return services, rank / (rank + Value(0.1))
    query = " ".join('"{}"'.format(word.replace('"', "")) for word in words)
    services = services.filter(search_index__search_text__fts_match=query)
    rank = _Bm25(F("search_index__search_text"))
    return services, rank / (rank + Value(2.0))


# ---------------------------------------------------------------- the page's results


def _results(ranked: list[tuple[str, float]], ask: _Asked) -> list[Result]:
    """The page's services with what their reasons need (one query, and one more for their
    service areas when a town is given)."""
    c, day = ask.criteria, ask.now.date()
    services = Service.objects.filter(pk__in=[pk for pk, _ in ranked]).select_related(
        "organization", "center").annotate(is_free=_free(day))
    if c.domain:
        services = services.annotate(in_domain=ExpressionWrapper(
            _in_domain(c.domain), output_field=BooleanField()))
    if ask.language is not None:
        services = services.annotate(speaks=ExpressionWrapper(
            _speaks(ask.language), output_field=BooleanField()))
    if c.insurance:
        services = services.annotate(accepts=ExpressionWrapper(
            Q(search_tags__contains=derived.tag("insurance", c.insurance)),
            output_field=BooleanField()))
    if c.town is not None:
        services = services.annotate(nearest=_nearest(ask)).prefetch_related(
            Prefetch("service_areas", queryset=ServiceArea.objects.select_related(
                "town", "region")))
    if c.max_cost is not None and not c.free_only:
        services = services.annotate(lowest_cost=Subquery(
            _current_costs(day).filter(service=OuterRef("pk"), amount__isnull=False)
            .values("service_id").annotate(low=Min("amount")).values("low")[:1]))
    by_id = {service.pk: service for service in services}
    return [_explained(by_id[pk], score, ask) for pk, score in ranked if pk in by_id]


def _explained(service: Service, score: float, ask: _Asked) -> Result:
    c = ask.criteria
    reasons = []
    miles = None
    if c.domain:
        reasons.append(ask.domain_label if service.in_domain
                       else f"not in {ask.domain_label}")
    if ask.words:
        reasons.append(f"matches “{' '.join(ask.words)}”")
    if c.town is not None:
        reasons.append(_serving_words(service, c.town))
        if service.nearest is not None:
            miles = math.sqrt(service.nearest)
            reasons.append(f"{miles:.1f} mi")
        else:
            reasons.append("no mapped site")
    if ask.language is not None:
        reasons.append(f"{ask.language.name} spoken" if service.speaks
                       else f"{ask.language.name} not listed")
    if service.is_free:
        reasons.append("free")
    elif c.max_cost is not None and getattr(service, "lowest_cost", None) is not None:
        reasons.append(f"from {service.lowest_cost:.2f}".replace(".00", "") + " USD")
    if c.open_now:
        reasons.append("open now")
    if c.age is not None:
        reasons.append(_ages(service))
    if c.insurance:
        label = Child.Insurance(c.insurance).label.split(" (")[0]
        reasons.append(f"accepts {label}" if service.accepts else "insurance not required")
    if service.status == Service.Status.TEMPORARILY_CLOSED:
        reasons.append("temporarily closed")
    if service.is_stale:
        reasons.append("stale: never verified" if service.assured_date is None
                       else "stale: not verified for over 12 months")
    else:
        reasons.append(f"verified {service.assured_date:%b %-d, %Y}")
    return Result(service=service, score=round(score, 3), reasons=reasons, miles=miles)


def _serving_words(service: Service, town: Town) -> str:
    areas = list(service.service_areas.all())
    if any(area.town_id == town.pk for area in areas):
        return f"serves {town.name}"
    if any(area.region_id == town.region_id for area in areas):
        return f"serves the {town.region.name} region"
    if any(area.statewide for area in areas):
        return "serves all of Connecticut"
    return f"no service area given, a site in {town.name}"


def _ages(service: Service) -> str:
    low, high = service.minimum_age, service.maximum_age

    def number(value):
        return f"{value:g}"

    if low is None and high is None:
        return "any age"
    if high is None:
        return f"ages {number(low)} and up"
    return f"ages {number(low or 0)}–{number(high)}"
