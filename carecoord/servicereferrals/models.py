"""Closed-loop referrals from a care plan need to a community service of the directory (HSDS):
how the referral was sent, the consent checked before the family's information went out, and
each status with its date and who recorded it, until the family received the service or the
reason it failed is recorded. In the Gravity SDOH model this is a ServiceRequest and the Task
that follows it. The step order is in steps.py; the writes that enforce it in services.py."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from carecoord.audit.models import AuditedModel
from carecoord.careplans.models import Need
from carecoord.directory.models import Service
from carecoord.families.models import Child, Consent, Versioned

from . import steps

STEP_DATES = {
    "sent_on": "referral was sent",
    "acknowledged_on": "acknowledgement",
    "scheduled_on": "scheduling",
    "received_on": "service was received",
    "closed_on": "referral was closed",
}


class ServiceReferral(Versioned, AuditedModel):
    class Status(models.TextChoices):
        SENT = steps.SENT, steps.LABELS[steps.SENT]
        ACKNOWLEDGED = steps.ACKNOWLEDGED, steps.LABELS[steps.ACKNOWLEDGED]
        SCHEDULED = steps.SCHEDULED, steps.LABELS[steps.SCHEDULED]
        RECEIVED = steps.RECEIVED, steps.LABELS[steps.RECEIVED]
        DECLINED = steps.DECLINED, steps.LABELS[steps.DECLINED]
        INELIGIBLE = steps.INELIGIBLE, steps.LABELS[steps.INELIGIBLE]
        NO_CAPACITY = steps.NO_CAPACITY, steps.LABELS[steps.NO_CAPACITY]
        FAMILY_DECLINED = steps.FAMILY_DECLINED, steps.LABELS[steps.FAMILY_DECLINED]
        UNABLE_TO_REACH = steps.UNABLE_TO_REACH, steps.LABELS[steps.UNABLE_TO_REACH]

    class SentHow(models.TextChoices):
        PHONE = "phone", "Phone call to the service"
        FAX = "fax", "Fax"
        EMAIL = "email", "Email"
        E_REFERRAL = "e_referral", "E-referral (the service's online form or platform)"
        WARM_HANDOFF = "warm_handoff", "Warm hand-off (introduced the family, together)"
        FAMILY = "family", "The family contacts the service themselves"

    class ConsentBasis(models.TextChoices):
        CONSENT = "consent", "A current consent covers what the center shares"
        NOT_SHARED = "not_shared", "Nothing shared by the center: the family contacts the service"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="service_referrals")
    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="service_referrals",
                             verbose_name="care plan need")
    # The directory may drop an entry; the names as they were when the referral was sent stay.
    service = models.ForeignKey(Service, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="service_referrals")
    service_name = models.CharField(max_length=300)
    organization_name = models.CharField(max_length=300)
    sent_how = models.CharField(max_length=14, choices=SentHow.choices)
    sent_on = models.DateField()
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")

    consent_basis = models.CharField(max_length=12, choices=ConsentBasis.choices)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", help_text="The consent that covered it.")
    consent_checked = models.CharField(
        "consent checked", max_length=300,
        help_text="What was checked when the referral was sent, in words (the consent may be "
                  "revoked later; this stays as it was).")

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SENT)
    acknowledged_on = models.DateField(null=True, blank=True)
    scheduled_on = models.DateField(null=True, blank=True)
    appointment_on = models.DateField(null=True, blank=True,
                                      help_text="The appointment's day, when the service gave "
                                                "one (may be ahead).")
    received_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True,
                                 help_text="When the loop closed: received, or failed.")
    outcome = models.CharField(max_length=300, blank=True,
                               help_text="What the family got, or why it failed.")

    service_contact = models.CharField(
        "contact at the service", max_length=160, blank=True,
        help_text="Who took the referral: a name, a direct line or an email.")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-sent_on", "-pk"]
        indexes = [models.Index(fields=["child", "status"]),
                   models.Index(fields=["status", "sent_on"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status__in=steps.CLOSED) & Q(closed_on__isnull=False))
                | (Q(status__in=steps.OPEN) & Q(closed_on__isnull=True)),
                name="servicereferral_closed_has_date"),
            models.CheckConstraint(
                condition=~Q(status=steps.RECEIVED) | Q(received_on__isnull=False),
                name="servicereferral_received_has_date"),
            models.CheckConstraint(
                condition=(Q(consent_basis="consent") & Q(consent__isnull=False))
                | (Q(consent_basis="not_shared") & Q(sent_how="family")),
                name="servicereferral_consent_checked"),
        ]

    def __str__(self):
        return f"{self.service_name} ({self.get_status_display().lower()})"

    @property
    def audit_center_id(self):
        return self.child.center_id

    @property
    def is_open(self) -> bool:
        return steps.is_open(self.status)

    @property
    def has_failed(self) -> bool:
        return self.status in steps.FAILED

    @property
    def status_on(self) -> datetime.date:
        """The date of the current status."""
        return getattr(self, steps.DATE_FIELD[self.status])

    def next_steps(self) -> list[str]:
        return steps.next_steps(self.status)

    def dated_steps(self) -> list[tuple[str, datetime.date]]:
        return [(name, getattr(self, name)) for name in STEP_DATES if getattr(self, name)]

    def clean(self):
        super().clean()
        errors = {}
        today = timezone.localdate()
        for name in STEP_DATES:
            if getattr(self, name) and getattr(self, name) > today:
                errors[name] = "This date is in the future."
        previous = None
        for name, day in self.dated_steps():
            if previous and day < previous[1]:
                errors.setdefault(name, f"This date comes before the {STEP_DATES[previous[0]]}"
                                        f" ({previous[1]:%b %-d, %Y}).")
            previous = (name, day)
        if self.appointment_on and self.sent_on and self.appointment_on < self.sent_on:
            errors["appointment_on"] = "The appointment comes after the referral was sent."
        if errors:
            raise ValidationError(errors)


class StatusChange(AuditedModel):
    """Each status of a referral: its date, who recorded it and when."""

    referral = models.ForeignKey(ServiceReferral, on_delete=models.CASCADE,
                                 related_name="history")
    status = models.CharField(max_length=16, choices=ServiceReferral.Status.choices)
    on = models.DateField("date")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["on", "recorded_at", "pk"]

    def __str__(self):
        return f"{self.get_status_display()} on {self.on}"

    @property
    def audit_child_id(self):
        return self.referral.child_id

    @property
    def audit_center_id(self):
        return self.referral.child.center_id
