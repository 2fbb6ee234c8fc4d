"""Connecting a family to organizations for their child's diagnosis, at the community, state or
national level: from a suggestion to the family joining, attending an event or receiving
support (or declining). The step order is in steps.py; the writes that enforce it in
services.py."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from carecoord.audit.models import AuditedModel
from carecoord.careplans.models import Need
from carecoord.families.models import Child, Diagnosis, Versioned

from . import catalog, steps


class Level(models.TextChoices):
    COMMUNITY = "community", "Community"
    STATE = "state", "State"
    NATIONAL = "national", "National"


class OrganizationConnection(Versioned, AuditedModel):
    class Status(models.TextChoices):
        SUGGESTED = steps.SUGGESTED, steps.LABELS[steps.SUGGESTED]
        SHARED = steps.SHARED, steps.LABELS[steps.SHARED]
        CONTACTED = steps.CONTACTED, steps.LABELS[steps.CONTACTED]
        CONNECTED = steps.CONNECTED, steps.LABELS[steps.CONNECTED]
        DECLINED = steps.DECLINED, steps.LABELS[steps.DECLINED]
        NOT_A_FIT = steps.NOT_A_FIT, steps.LABELS[steps.NOT_A_FIT]

    class ConnectedHow(models.TextChoices):
        JOINED = "joined", "Joined (member, mailing list, online group)"
        EVENT = "attended_event", "Attended an event"
        SUPPORT = "receiving_support", "Receiving support (a mentor, a program, resources)"

    child = models.ForeignKey(Child, on_delete=models.PROTECT,
                              related_name="organization_connections")
    diagnosis = models.ForeignKey(
        Diagnosis, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="The diagnosis the organization is for, when it is for one.")
    organization = models.CharField(
        "organization from the catalog", max_length=60, blank=True, choices=catalog.choices,
        help_text="Leave empty to name an organization that is not in the catalog.")
    organization_name = models.CharField(max_length=160)
    website = models.CharField(max_length=120, blank=True,
                               help_text="The public website's domain, e.g. example.org.")
    level = models.CharField(max_length=10, choices=Level.choices)
    need = models.ForeignKey(
        Need, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="organization_connections", verbose_name="care plan need",
        help_text="The diagnosis-specific organizations need of the care plan this answers.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUGGESTED)
    suggested_on = models.DateField()
    information_shared_on = models.DateField(null=True, blank=True)
    family_contacted_on = models.DateField(null=True, blank=True)
    outcome_on = models.DateField(null=True, blank=True,
                                  help_text="When the family connected, declined, or it was "
                                            "found not to be a fit.")
    connected_how = models.CharField(max_length=20, choices=ConnectedHow.choices, blank=True)
    outcome_note = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["suggested_on", "pk"]
        indexes = [models.Index(fields=["child", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["child", "organization"],
                                    condition=~Q(organization=""),
                                    name="connection_one_per_catalog_organization"),
            models.CheckConstraint(condition=~Q(status="connected") | ~Q(connected_how=""),
                                   name="connection_connected_says_how"),
            models.CheckConstraint(
                condition=Q(status__in=steps.OPEN, outcome_on__isnull=True)
                | Q(status__in=steps.FINAL, outcome_on__isnull=False),
                name="connection_outcome_has_date"),
        ]

    def __str__(self):
        return f"{self.organization_name} ({self.get_status_display().lower()})"

    @property
    def audit_center_id(self):
        return self.child.center_id

    @property
    def is_open(self) -> bool:
        return self.status in steps.OPEN

    @property
    def catalog_entry(self) -> catalog.Organization | None:
        return catalog.get(self.organization) if self.organization else None

    def next_steps(self) -> list[tuple[str, str]]:
        return [(status, steps.LABELS[status]) for status in steps.next_steps(self.status)]

    def clean(self):
        super().clean()
        errors = {}
        if self.organization and self.catalog_entry is None:
            errors["organization"] = "Choose an organization from the catalog."
        if not self.organization and not self.organization_name.strip():
            errors["organization_name"] = "Choose an organization from the catalog or name one."
        if self.website and ("/" in self.website or " " in self.website
                             or "." not in self.website):
            errors["website"] = "Give the domain only, e.g. example.org."
        if self.status == self.Status.CONNECTED and not self.connected_how:
            errors["connected_how"] = "Say how the family is connected."
        if self.status == self.Status.NOT_A_FIT and not self.outcome_note.strip():
            errors["outcome_note"] = "Say why the organization was not a fit."
        today = timezone.localdate()
        dated = [(name, getattr(self, name)) for name in (
            "suggested_on", "information_shared_on", "family_contacted_on", "outcome_on")
            if getattr(self, name)]
        for name, day in dated:
            if day > today:
                errors.setdefault(name, "This date is in the future.")
        for (before, earlier), (name, day) in zip(dated, dated[1:]):
            if day < earlier:
                label = self._meta.get_field(before).verbose_name
                errors.setdefault(name, f"This date comes before “{label}” "
                                        f"({earlier:%b %-d, %Y}).")
        if errors:
            raise ValidationError(errors)
