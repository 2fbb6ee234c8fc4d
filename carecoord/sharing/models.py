"""Sharing an agreed care plan version with the care team, recorded.

A `Recipient` is how a practice (or an organization outside the directory) accepts plans: a
FHIR endpoint of its EMR, a secure email address, a fax number, and which it prefers. A
`PlanShare` is one sending of one version to one recipient by one route: who sent it, when,
under which consent, and the answer (the EMR's HTTP status, the mail server's acceptance, the
fax operator's note, the provider's acknowledgment). A `FaxQueueEntry` is the PDF waiting for
the center's fax operator. A `ProviderComment` is a provider's acknowledgment of, or comment
on, a version: it reaches the coordinator as a task on "My day" and on the share page."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from carecoord.accounts.models import Center
from carecoord.audit.models import AuditedModel
from carecoord.careplans.models import CarePlanVersion
from carecoord.families.models import Child, Consent, Practice


class Route(models.TextChoices):
    FHIR = "fhir", "FHIR push to the practice's EMR"
    EMAIL = "email", "Secure email with the PDF"
    FAX = "fax", "Fax (the center's fax queue)"


ROUTE_SHORT = {Route.FHIR: "FHIR push", Route.EMAIL: "secure email", Route.FAX: "fax"}


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def fax_digits(number: str) -> str:
    digits = "".join(c for c in number if c.isdigit())
    return digits[1:] if len(digits) == 11 and digits.startswith("1") else digits


class Recipient(AuditedModel):
    """The routes a practice or organization accepts care plans by, and the one it prefers."""

    practice = models.OneToOneField(
        Practice, on_delete=models.PROTECT, null=True, blank=True,
        related_name="sharing_recipient",
        help_text="A practice of the directory (consents name it).")
    organization = models.CharField(
        max_length=160, blank=True,
        help_text="Or an organization outside the directory, named exactly as the family's "
                  "consent names it.")
    fhir_endpoint = models.URLField(
        "FHIR endpoint", max_length=300, blank=True,
        help_text="Where the EMR receives a FHIR R4 Bundle by POST (https).")
    secure_email = models.EmailField(
        blank=True, help_text="A Direct or other secure address that receives the PDF.")
    fax_number = models.CharField(max_length=20, blank=True)
    preferred_route = models.CharField(max_length=8, choices=Route.choices)
    active = models.BooleanField(default=True,
                                 help_text="Untick to stop sending to this recipient.")
    contact = models.CharField(max_length=200, blank=True,
                               help_text="Who to call at the practice about what it receives.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organization", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(practice__isnull=False) & Q(organization=""))
                | (Q(practice__isnull=True) & ~Q(organization="")),
                name="recipient_practice_or_organization"),
            models.UniqueConstraint(Lower("organization"), condition=~Q(organization=""),
                                    name="recipient_organization_unique"),
            models.CheckConstraint(
                condition=(Q(preferred_route="fhir") & ~Q(fhir_endpoint=""))
                | (Q(preferred_route="email") & ~Q(secure_email=""))
                | (Q(preferred_route="fax") & ~Q(fax_number="")),
                name="recipient_preferred_route_has_address"),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.practice.name if self.practice_id else self.organization

    def address(self, route: str) -> str:
        return {Route.FHIR: self.fhir_endpoint, Route.EMAIL: self.secure_email,
                Route.FAX: self.fax_number}.get(route, "")

    @property
    def routes(self) -> list[str]:
        """The routes it accepts (those with an address), the preferred one first."""
        accepted = [r for r in Route.values if self.address(r)]
        return sorted(accepted, key=lambda r: r != self.preferred_route)

    def clean(self):
        super().clean()
        errors = {}
        if bool(self.practice_id) == bool(self.organization.strip()):
            errors["organization"] = ("Name one recipient: a practice of the directory or an "
                                      "organization outside it.")
        if self.fhir_endpoint:
            parts = urlsplit(self.fhir_endpoint)
            if parts.scheme != "https" and not _loopback(parts.hostname or ""):
                errors["fhir_endpoint"] = ("A care plan travels to an EMR over https only "
                                           "(http is accepted for this machine, for testing).")
        if self.fax_number and len(fax_digits(self.fax_number)) != 10:
            errors["fax_number"] = "A fax number has 10 digits (area code and number)."
        if self.preferred_route and not self.address(self.preferred_route):
            errors["preferred_route"] = (f"The preferred route is "
                                         f"{ROUTE_SHORT[self.preferred_route]}: give its "
                                         "address.")
        if errors:
            raise ValidationError(errors)


class PlanShare(AuditedModel):
    """One agreed version sent to one recipient by one route, and what came back."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"

    version = models.ForeignKey(CarePlanVersion, on_delete=models.PROTECT,
                                related_name="shares")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="plan_shares")
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+",
                               help_text="The center that sent it.")
    recipient = models.ForeignKey(Recipient, on_delete=models.PROTECT, related_name="shares")
    recipient_name = models.CharField(max_length=160, help_text="As it was when sent.")
    route = models.CharField(max_length=8, choices=Route.choices)
    address = models.CharField(max_length=300,
                               help_text="The endpoint, email address or fax number used.")
    language = models.CharField(max_length=5, blank=True,
                                help_text="The language of the PDF sent (email and fax).")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="plan_shares",
                                help_text="The consent checked before sending.")
    consent_scope = models.CharField(max_length=16, choices=Consent.Scope.choices)
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    answer = models.CharField(max_length=500, blank=True,
                              help_text="The route's answer: HTTP status, mail server, fax "
                                        "operator, or why it failed.")
    answered_at = models.DateTimeField(null=True, blank=True)
    acknowledgment = models.ForeignKey("ProviderComment", on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="acknowledged_shares")

    class Meta:
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["child", "-sent_at"]),
                   models.Index(fields=["recipient", "version"])]

    def __str__(self):
        return f"Version {self.version_id} to {self.recipient_name} by {self.route}"

    @property
    def route_short(self) -> str:
        return ROUTE_SHORT[self.route]


class FaxQueueEntry(AuditedModel):
    """A plan PDF waiting for the center's fax operator, who marks it faxed or failed."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be faxed"
        SENT = "sent", "Faxed"
        FAILED = "failed", "Could not be faxed"

    share = models.OneToOneField(PlanShare, on_delete=models.PROTECT, related_name="fax")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="+")
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    fax_number = models.CharField(max_length=20)
    file_name = models.CharField(max_length=120)
    document = models.BinaryField(help_text="The PDF to fax.")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    queued_at = models.DateTimeField(auto_now_add=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    note = models.CharField(max_length=300, blank=True,
                            help_text="The fax machine's confirmation, or why it failed.")

    class Meta:
        ordering = ["queued_at", "pk"]
        verbose_name_plural = "fax queue entries"
        indexes = [models.Index(fields=["center", "status", "queued_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending", handled_at__isnull=True)
                | (~Q(status="pending") & Q(handled_at__isnull=False)),
                name="faxqueueentry_handled_has_time"),
            models.CheckConstraint(condition=~Q(status="failed") | ~Q(note=""),
                                   name="faxqueueentry_failure_has_reason"),
        ]

    def __str__(self):
        return f"Fax to {self.fax_number} ({self.get_status_display()})"


class ProviderComment(AuditedModel):
    """A provider's acknowledgment of an agreed version, or a comment on it, for the
    coordinator."""

    class Kind(models.TextChoices):
        ACKNOWLEDGE = "acknowledge", "Acknowledged the plan"
        COMMENT = "comment", "Comment"

    version = models.ForeignKey(CarePlanVersion, on_delete=models.PROTECT,
                                related_name="provider_comments")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="provider_comments")
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+",
                               help_text="The center of the plan.")
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    text = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    task = models.ForeignKey("contacts.Task", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+",
                             help_text="The task it gave the child's coordinator.")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["child", "-created_at"])]
        constraints = [
            models.UniqueConstraint(fields=["version", "author"],
                                    condition=Q(kind="acknowledge"),
                                    name="providercomment_one_acknowledgment"),
            models.CheckConstraint(condition=~Q(kind="comment") | ~Q(text=""),
                                   name="providercomment_comment_has_text"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} by {self.author_id} on version {self.version_id}"
