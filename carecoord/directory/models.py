"""The community resource directory in the shape of the Open Referral Human Services Data
Specification (HSDS 3.0): one table per HSDS object, its fields named as HSDS names them, its
HSDS id (a UUID string, as given) as the primary key, so an import and an export round-trip.

Optional HSDS fields are nullable: absent stays absent, an empty text stays empty. Beside the
HSDS fields each table has CareCoord's own columns, never exported:

* `center` on every row: who keeps it. Empty means statewide, kept by the hub; a center means a
  local entry of that center, seen only by its staff (`accounts.policy.directory_services_for`).
  What hangs under a record (a service's phones, a location's addresses) has its keeper.
* on `Service`, `version` (an edit from a stale page is refused) and `verified_by`; the date of
  the last verification is HSDS's own `service.assured_date`; more than 12 months ago is stale.
* columns derived from HSDS fields when a row is written (`derived.py`), for the search to
  filter on with indexes: a term's need domain and insurance (from the CareCoord taxonomy,
  `data/carecoord_taxonomy.csv`), an address's and a service area's town, a service area's
  region or the whole state, a schedule's weekdays and opening minutes, a service's
  `search_text` (the words the search matches besides its name: its other names, description,
  eligibility, organization, program and taxonomy terms) and `search_tags` (its need domains,
  insurance accepted and languages, as tokens).

The full-text index over a service's name and search_text is the database's own (migration
0002): an FTS5 table kept in step by triggers on SQLite (`ServiceSearchIndex`), a stored,
GIN-indexed tsvector column on PostgreSQL (not a model field: see search.py)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from carecoord.accounts.models import Center, Region, Town
from carecoord.audit.models import AuditedModel
from carecoord.careplans.models import NeedDomain
from carecoord.families.models import Child, Versioned

from . import schedules

STALE_AFTER_MONTHS = 12


def _text(verbose_name=None, **kwargs):
    return models.TextField(verbose_name, null=True, blank=True, **kwargs)


def _link(to, related_name, *, on_delete=models.CASCADE, null=True, **kwargs):
    """An HSDS foreign key: the Django field `service` is the HSDS column `service_id`."""
    return models.ForeignKey(to, on_delete=on_delete, null=null, blank=null,
                             related_name=related_name, **kwargs)


def _soft_link(verbose_name=None):
    """An HSDS identifier of a record that may be outside the directory (a parent
    organization, a parent term, what an attribute describes): kept as given, indexed."""
    return models.CharField(verbose_name, max_length=36, null=True, blank=True, db_index=True)


def stale_before(today: datetime.date) -> datetime.date:
    """A service verified before this date is stale: the same day 12 months earlier (28 Feb
    for 29 Feb)."""
    year, month = divmod(today.year * 12 + today.month - 1 - STALE_AFTER_MONTHS, 12)
    month += 1
    for day in (today.day, 30, 29, 28):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


class HSDSRecord(models.Model):
    id = models.CharField("HSDS id", max_length=36, primary_key=True)
    center = models.ForeignKey(
        Center, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name="kept by",
        help_text="Empty: a statewide entry, kept by the hub. A center: that center's local "
                  "entry, seen only by its staff.")

    class Meta:
        abstract = True

    @property
    def kept_by(self) -> str:
        return self.center.short_name if self.center_id else "Statewide (the hub)"


class Taxonomy(HSDSRecord):
    name = models.TextField()
    description = models.TextField()
    uri = _text()
    version = _text()

    class Meta:
        verbose_name_plural = "taxonomies"

    def __str__(self):
        return self.name


class TaxonomyTerm(HSDSRecord):
    code = models.CharField(max_length=100, null=True, blank=True, db_index=True)
    name = models.TextField()
    description = models.TextField()
    parent_id = _soft_link()
    taxonomy = _text(help_text="HSDS: the taxonomy in use, in words or a URI.")
    language = models.CharField(max_length=35, null=True, blank=True)
    taxonomy_detail = _link(Taxonomy, "terms", on_delete=models.PROTECT,
                            db_column="taxonomy_id", verbose_name="taxonomy (HSDS taxonomy_id)")
    term_uri = _text()
    # CareCoord: what the term means here, from data/carecoord_taxonomy.csv.
    need_domain = models.ForeignKey(NeedDomain, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    insurance = models.CharField("insurance accepted", max_length=16,
                                 choices=Child.Insurance.choices, blank=True)

    def __str__(self):
        return self.name


class Organization(HSDSRecord):
    name = models.TextField()
    alternate_name = _text()
    description = models.TextField()
    email = _text()
    website = _text()
    tax_status = _text()
    tax_id = _text()
    year_incorporated = models.FloatField(null=True, blank=True)
    legal_status = _text()
    logo = _text()
    uri = _text()
    parent_organization_id = _soft_link()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class OrganizationIdentifier(HSDSRecord):
    organization = _link(Organization, "organization_identifiers", null=False)
    identifier_scheme = _text()
    identifier_type = models.TextField()
    identifier = models.TextField()


class Program(HSDSRecord):
    organization = _link(Organization, "programs", null=False)
    name = models.TextField()
    alternate_name = _text()
    description = models.TextField()

    def __str__(self):
        return self.name


class Location(HSDSRecord):
    class LocationType(models.TextChoices):
        PHYSICAL = "physical", "Physical"
        POSTAL = "postal", "Postal"
        VIRTUAL = "virtual", "Virtual"

    location_type = models.CharField(max_length=8, choices=LocationType.choices)
    url = _text()
    organization = _link(Organization, "locations", on_delete=models.PROTECT)
    name = _text()
    alternate_name = _text()
    description = _text()
    transportation = _text()
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    external_identifier = _text()
    external_identifier_type = _text()

    class Meta:
        indexes = [models.Index(fields=["latitude", "longitude"])]

    def __str__(self):
        return self.name or self.id


class Address(HSDSRecord):
    location = _link(Location, "addresses")
    attention = _text()
    address_1 = models.TextField()
    address_2 = _text()
    city = models.TextField()
    region = _text()
    state_province = models.TextField()
    postal_code = models.TextField()
    country = models.TextField()
    address_type = models.CharField(max_length=8, choices=Location.LocationType.choices)
    # CareCoord: the Connecticut town of `city`.
    town = models.ForeignKey(Town, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")

    def __str__(self):
        return ", ".join(part for part in (self.address_1, self.address_2, self.city,
                                           f"{self.state_province} {self.postal_code}") if part)


class Accessibility(HSDSRecord):
    location = _link(Location, "accessibility")
    description = _text()
    details = _text()
    url = _text()

    class Meta:
        verbose_name_plural = "accessibility"


class ServiceQuerySet(models.QuerySet):
    def stale(self, today: datetime.date | None = None):
        """Never verified, or last verified more than 12 months ago."""
        cutoff = stale_before(today or timezone.localdate())
        return self.filter(Q(assured_date__isnull=True) | Q(assured_date__lt=cutoff))


class Service(Versioned, AuditedModel, HSDSRecord):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"
        DEFUNCT = "defunct", "Defunct"
        TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"

    organization = _link(Organization, "services", on_delete=models.PROTECT, null=False)
    program = _link(Program, "services", on_delete=models.PROTECT)
    name = models.TextField()
    alternate_name = _text()
    description = _text()
    url = _text("URL")
    email = _text()
    status = models.CharField(max_length=20, choices=Status.choices)
    interpretation_services = _text()
    application_process = _text()
    fees_description = _text()
    wait_time = _text()
    fees = _text()
    accreditations = _text()
    eligibility_description = _text()
    minimum_age = models.FloatField(null=True, blank=True)
    maximum_age = models.FloatField(null=True, blank=True)
    assured_date = models.DateField(
        "last verified on", null=True, blank=True,
        help_text="HSDS assured_date: when the information was last checked.")
    assurer_email = _text()
    licenses = _text()
    alert = _text()
    last_modified = _text(help_text="HSDS date-time, as given.")
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    # CareCoord (derived.py): what the full-text search reads besides the name, and the need
    # domains, insurance and languages as tokens for the search's filters.
    search_text = models.TextField(default="", blank=True, editable=False)
    search_tags = models.TextField(default="", blank=True, editable=False)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            # Covers what a search reads of every service it may show (keeper, status, the
            # columns it filters and ranks on, the order): the table's rows are not read.
            models.Index(fields=["center", "status", "assured_date", "minimum_age",
                                 "maximum_age", "search_tags", "name", "id"]),
            models.Index(fields=["assured_date"]),
            models.Index(fields=["minimum_age", "maximum_age"]),
            models.Index(fields=["name"]),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        for name in ("minimum_age", "maximum_age"):
            if getattr(self, name) is not None and getattr(self, name) < 0:
                errors[name] = "An age is 0 or more."
        if (self.minimum_age is not None and self.maximum_age is not None
                and self.minimum_age > self.maximum_age):
            errors["maximum_age"] = "The maximum age is at least the minimum age."
        if errors:
            raise ValidationError(errors)

    @property
    def last_verified_on(self) -> datetime.date | None:
        return self.assured_date

    @property
    def is_stale(self) -> bool:
        return (self.assured_date is None
                or self.assured_date < stale_before(timezone.localdate()))


class ServiceSearchIndex(models.Model):
    """SQLite only: the FTS5 external-content index of a service's name and search_text
    (migration 0002 creates it and the triggers that keep it in step). Declared so the search
    can join it; PostgreSQL has no such table and never reads this model."""

    service = models.OneToOneField(Service, on_delete=models.DO_NOTHING, primary_key=True,
                                   db_column="id", db_constraint=False,
                                   related_name="search_index")
    name = models.TextField()
    search_text = models.TextField()

    class Meta:
        managed = False
        db_table = "directory_service_fts"


class ServiceAtLocation(HSDSRecord):
    service = _link(Service, "service_at_locations", null=False)
    location = _link(Location, "service_at_locations", on_delete=models.PROTECT, null=False)
    description = _text()

    class Meta:
        verbose_name = "service at location"


class Contact(HSDSRecord):
    organization = _link(Organization, "contacts")
    service = _link(Service, "contacts")
    service_at_location = _link(ServiceAtLocation, "contacts")
    location = _link(Location, "contacts")
    name = _text()
    title = _text()
    department = _text()
    email = _text()


class Phone(HSDSRecord):
    location = _link(Location, "phones")
    service = _link(Service, "phones")
    organization = _link(Organization, "phones")
    contact = _link(Contact, "phones")
    service_at_location = _link(ServiceAtLocation, "phones")
    number = models.TextField()
    extension = models.FloatField(null=True, blank=True)
    type = models.CharField(max_length=20, null=True, blank=True)
    description = _text()

    def __str__(self):
        return self.number


class Language(HSDSRecord):
    service = _link(Service, "languages")
    location = _link(Location, "languages")
    phone = _link(Phone, "languages")
    name = _text()
    code = models.CharField(max_length=35, null=True, blank=True)
    note = _text()

    class Meta:
        indexes = [models.Index(fields=["code", "service"])]

    def __str__(self):
        return self.name or self.code or self.id


class Schedule(HSDSRecord):
    class Weekday(models.TextChoices):
        MO = "MO", "Monday"
        TU = "TU", "Tuesday"
        WE = "WE", "Wednesday"
        TH = "TH", "Thursday"
        FR = "FR", "Friday"
        SA = "SA", "Saturday"
        SU = "SU", "Sunday"

    class Freq(models.TextChoices):
        WEEKLY = "WEEKLY", "Weekly"
        MONTHLY = "MONTHLY", "Monthly"

    service = _link(Service, "schedules")
    location = _link(Location, "schedules")
    service_at_location = _link(ServiceAtLocation, "schedules")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    timezone = models.FloatField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    count = models.FloatField(null=True, blank=True)
    wkst = models.CharField(max_length=2, choices=Weekday.choices, null=True, blank=True)
    freq = models.CharField(max_length=7, choices=Freq.choices, null=True, blank=True)
    interval = models.FloatField(null=True, blank=True)
    byday = _text()
    byweekno = _text()
    bymonthday = _text()
    byyearday = _text()
    description = _text()
    opens_at = models.CharField(max_length=30, null=True, blank=True)
    closes_at = models.CharField(max_length=30, null=True, blank=True)
    schedule_link = _text()
    attending_type = _text()
    notes = _text()
    # CareCoord, from freq/interval/byday/opens_at/closes_at (schedules.py): the days a weekly
    # schedule is open (bit 0 Monday … bit 6 Sunday) and its hours in Connecticut wall-clock
    # minutes since midnight; empty when the schedule is not a plain weekly one.
    weekdays = models.PositiveSmallIntegerField(null=True, blank=True)
    opens_minute = models.PositiveSmallIntegerField(null=True, blank=True)
    closes_minute = models.PositiveSmallIntegerField(null=True, blank=True)

    @property
    def hours(self) -> str:
        return schedules.describe(self.weekdays, self.opens_minute, self.closes_minute)


class Funding(HSDSRecord):
    organization = _link(Organization, "funding")
    service = _link(Service, "funding")
    source = _text()

    class Meta:
        verbose_name_plural = "funding"


class ServiceArea(HSDSRecord):
    service = _link(Service, "service_areas")
    name = _text()
    description = _text()
    extent = _text()
    extent_type = models.CharField(max_length=20, null=True, blank=True)
    uri = _text()
    # CareCoord, from `name` (derived.py): a Connecticut town, a DPH region, or the whole state.
    town = models.ForeignKey(Town, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+")
    region = models.ForeignKey(Region, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+")
    statewide = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["town", "service"]),
                   models.Index(fields=["region", "service"]),
                   models.Index(fields=["statewide", "service"])]


class RequiredDocument(HSDSRecord):
    service = _link(Service, "required_documents")
    document = _text()
    uri = _text()


class CostOption(HSDSRecord):
    service = _link(Service, "cost_options", null=False)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    option = _text()
    currency = models.CharField(max_length=3, null=True, blank=True)
    amount = models.FloatField(null=True, blank=True)
    amount_description = _text()

    class Meta:
        indexes = [models.Index(fields=["service", "amount"])]


class Attribute(HSDSRecord):
    """A taxonomy term applied to any record: `link_entity` names the table, `link_id` the
    record (a service's need domain, the insurance it accepts...)."""

    link_id = models.CharField(max_length=36)
    taxonomy_term = _link(TaxonomyTerm, "attributes", on_delete=models.PROTECT, null=False)
    link_type = models.CharField(max_length=100, null=True, blank=True)
    link_entity = models.CharField(max_length=40)
    value = _text()

    class Meta:
        indexes = [models.Index(fields=["link_entity", "link_id"]),
                   models.Index(fields=["taxonomy_term", "link_entity", "link_id"])]


class Metadata(HSDSRecord):
    """HSDS's change log of a record (who changed which field when), kept as given."""

    resource_id = models.CharField(max_length=36)
    resource_type = models.CharField(max_length=40)
    last_action_date = models.DateField()
    last_action_type = models.TextField()
    field_name = models.TextField()
    previous_value = models.TextField()
    replacement_value = models.TextField()
    updated_by = models.TextField()

    class Meta:
        verbose_name_plural = "metadata"
        indexes = [models.Index(fields=["resource_type", "resource_id"])]


class MetaTableDescription(HSDSRecord):
    name = _text()
    language = _text()
    character_set = _text()


# HSDS table → model, parents before the tables that point at them (the order of inserts;
# deletes go the other way).
HSDS_MODELS: dict[str, type[HSDSRecord]] = {
    "taxonomy": Taxonomy,
    "taxonomy_term": TaxonomyTerm,
    "organization": Organization,
    "organization_identifier": OrganizationIdentifier,
    "program": Program,
    "location": Location,
    "address": Address,
    "accessibility": Accessibility,
    "service": Service,
    "service_at_location": ServiceAtLocation,
    "contact": Contact,
    "phone": Phone,
    "language": Language,
    "schedule": Schedule,
    "funding": Funding,
    "service_area": ServiceArea,
    "required_document": RequiredDocument,
    "cost_option": CostOption,
    "attribute": Attribute,
    "metadata": Metadata,
    "meta_table_description": MetaTableDescription,
}

# Where an HSDS field's column has another Python name (the term's `taxonomy` is its text,
# so the foreign key `taxonomy_id` is the field `taxonomy_detail`).
_ATTNAMES = {("taxonomy_term", "taxonomy_id"): "taxonomy_detail_id"}


def attname(table: str, field: str) -> str:
    return _ATTNAMES.get((table, field), field)
