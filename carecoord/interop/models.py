"""Systems allowed to read the FHIR API (SMART Backend Services clients), the access tokens
issued to them, and the assertion ids they have used."""

import hashlib
import uuid

from django.core.exceptions import ValidationError
from django.db import models

from carecoord.audit.models import AuditedModel
from carecoord.families.models import Practice

from .smart import keys, scopes


def new_client_id() -> str:
    return str(uuid.uuid4())


class BackendClient(AuditedModel):
    """A practice's EMR (or another system of the practice) registered to read, by itself,
    the records of the children attributed to that practice with a current consent to share."""

    client_id = models.CharField(
        max_length=100, unique=True, default=new_client_id,
        help_text="Given to the practice's EMR team: the iss and sub of its assertions.")
    name = models.CharField(max_length=160, help_text="The system, e.g. the practice's EMR.")
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT,
                                 related_name="fhir_clients")
    jwks = models.JSONField(
        "public JWK set",
        help_text='The client\'s public keys, {"keys": [...]}: RSA (RS384, 2048 bits or more) '
                  "or EC P-384 (ES384), each with a kid. Never a private key.")
    scopes = models.TextField(
        "allowed scopes", default="system/*.read",
        help_text="Space-separated SMART system scopes the client may be granted, e.g. "
                  "system/Patient.read system/CarePlan.read system/Goal.read (or .rs; "
                  "system/*.read for every resource the API serves).")
    active = models.BooleanField(default=True,
                                 help_text="Untick to stop the client at once: its tokens "
                                           "stop working too.")
    contact = models.CharField(max_length=200, blank=True,
                               help_text="Who to call at the practice or vendor about it.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["practice__name", "name"]
        verbose_name = "FHIR client (SMART backend services)"
        verbose_name_plural = "FHIR clients (SMART backend services)"

    def __str__(self):
        return f"{self.name} ({self.practice})"

    @property
    def audit_name(self) -> str:
        """How the client appears as the actor of the audit log."""
        return f"fhir-client:{self.client_id}"

    def clean(self):
        super().clean()
        errors = {}
        problems = keys.key_set_problems(self.jwks)
        if problems:
            errors["jwks"] = problems
        unknown = scopes.unknown(self.scopes)
        if unknown:
            errors["scopes"] = (f"Not a scope this server grants: {', '.join(unknown)}. "
                                "Use system/<Type>.read or .rs with one of "
                                f"{', '.join(scopes.RESOURCE_TYPES)}, or *; and "
                                "system/ServiceRequest.write (or .c) to send referrals.")
        elif not self.scopes.split():
            errors["scopes"] = "Allow at least one scope."
        if errors:
            raise ValidationError(errors)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AccessToken(models.Model):
    """An opaque bearer token, stored only as its SHA-256."""

    client = models.ForeignKey(BackendClient, on_delete=models.CASCADE,
                               related_name="access_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    scopes = models.TextField(help_text="The scopes granted, space-separated.")
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-issued_at"]

    def __str__(self):
        return f"Token for {self.client} until {self.expires_at:%Y-%m-%d %H:%M}"


class UsedAssertion(models.Model):
    """The jti of every assertion a client has presented, so none is accepted twice. Kept until
    the assertion itself expires: after that its exp refuses it anyway."""

    client = models.ForeignKey(BackendClient, on_delete=models.CASCADE, related_name="+")
    jti = models.CharField(max_length=255)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client", "jti"],
                                               name="usedassertion_jti_once_per_client")]


class ReceivedReferral(models.Model):
    """A referral a client's system sent, by the identifier it gave it: the same Bundle sent
    again (a retry after a lost answer) finds this row and creates nothing."""

    client = models.ForeignKey(BackendClient, on_delete=models.PROTECT,
                               related_name="received_referrals")
    identifier_system = models.CharField(max_length=200)
    identifier_value = models.CharField(max_length=200)
    referral = models.OneToOneField("families.Referral", on_delete=models.PROTECT,
                                    related_name="received_as")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(
            fields=["client", "identifier_system", "identifier_value"],
            name="receivedreferral_once_per_identifier")]

    def __str__(self):
        return f"{self.identifier_system}|{self.identifier_value} → referral {self.referral_id}"


class BulkExport(models.Model):
    """A Bulk Data `$export` a client asked for: kicked off, then built by a background job
    into one NDJSON file per resource type, which the client downloads with its token."""

    class Level(models.TextChoices):
        SYSTEM = "system", "Everything the client may see"
        PATIENT = "patient", "All its patients"
        GROUP = "group", "A center's enrolled children"

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "Accepted, waiting for a worker"
        IN_PROGRESS = "in_progress", "Being written"
        COMPLETE = "complete", "Complete"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled by the client"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(BackendClient, on_delete=models.CASCADE,
                               related_name="bulk_exports")
    level = models.CharField(max_length=8, choices=Level.choices)
    group_center = models.ForeignKey("accounts.Center", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")
    types = models.JSONField(help_text="The resource types asked for, in export order.")
    since = models.DateTimeField(null=True, blank=True)
    request_url = models.CharField(max_length=1000)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACCEPTED)
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    transaction_time = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    progress = models.CharField(max_length=200, blank=True)
    output = models.JSONField(default=list, blank=True,
                              help_text="[{type, file, count}] once complete.")
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"$export {self.level} for {self.client} ({self.get_status_display()})"
