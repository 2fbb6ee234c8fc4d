"""The unmet-needs register: a care plan need nobody could meet, with the reason (no provider, a
waitlist, the cost, eligibility, or supply outside the center's control, like affordable
housing) and the details, for advocacy. The region, town and domain are copied from the child
and the need when it is recorded, so the counts by place stay as they were when the family moves
or the town's region is corrected. Reports count these rows; they never list them."""

from django.conf import settings
from django.db import models

from carecoord.accounts.models import Center, Region, Town
from carecoord.audit.models import AuditedModel
from carecoord.careplans.models import Need, NeedDomain
from carecoord.families.models import Child
from carecoord.servicereferrals.models import ServiceReferral


class UnmetNeed(AuditedModel):
    class Reason(models.TextChoices):
        NO_PROVIDER = "no_provider", "No provider or program offers it"
        WAITLIST = "waitlist", "Waitlist: no opening"
        COST = "cost", "Cost: not affordable or not covered"
        ELIGIBILITY = "eligibility", "Not eligible for what exists"
        OUTSIDE_CONTROL = "outside_control", "Outside the center's control (supply, e.g. housing)"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="unmet_needs")
    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="unmet_register",
                             verbose_name="care plan need")
    reason = models.CharField(max_length=16, choices=Reason.choices)
    details = models.TextField(help_text="What was tried and what is missing, for advocacy.")
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    referrals = models.ManyToManyField(ServiceReferral, blank=True, related_name="unmet_needs",
                                       verbose_name="failed referrals")
    # As they were when recorded.
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    town = models.ForeignKey(Town, on_delete=models.PROTECT, related_name="+")
    domain = models.ForeignKey(NeedDomain, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_on", "-pk"]
        indexes = [models.Index(fields=["center", "recorded_on"]),
                   models.Index(fields=["region", "recorded_on"]),
                   models.Index(fields=["recorded_on"])]

    def __str__(self):
        return f"{self.domain}: {self.get_reason_display()}"
