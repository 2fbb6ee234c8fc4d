"""A youth's progress through Got Transition's Six Core Elements, from the transition policy
at 12 to the confirmed transfer to adult care. The elements and the ages they are due come
from careplans/instruments/data/got-transition-six-core-elements.yaml."""

from django.conf import settings
from django.db import models

from carecoord.audit.models import AuditedModel
from carecoord.families.models import Child, Practice, Versioned


class TransitionRecord(Versioned, AuditedModel):
    """The transfer to adult care being prepared for one youth."""

    child = models.OneToOneField(Child, on_delete=models.PROTECT, related_name="transition")
    adult_clinician = models.CharField(
        "adult clinician", max_length=120, blank=True,
        help_text="The adult primary care clinician or specialist taking over.",
    )
    adult_practice = models.ForeignKey(Practice, on_delete=models.PROTECT, null=True,
                                       blank=True, related_name="+")
    planned_transfer_on = models.DateField("planned transfer date", null=True, blank=True)
    last_pediatric_visit_on = models.DateField(
        "last pediatric visit", null=True, blank=True,
        help_text="The transfer completion call falls 3 to 6 months after it.",
    )
    decision_making = models.CharField(
        "decision-making at 18", max_length=200, blank=True,
        help_text="What the youth and family chose: the youth decides alone, supported "
                  "decision-making, power of attorney, guardianship…",
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Transition to adult care for {self.child}"

    @property
    def audit_center_id(self):
        return self.child.center_id


class ElementCompletion(AuditedModel):
    """One core element done for the youth on a date. Readiness assessments repeat, so an
    element may be done more than once; the latest counts."""

    record = models.ForeignKey(TransitionRecord, on_delete=models.CASCADE,
                               related_name="completions")
    element = models.CharField(max_length=30)  # an element id of the Six Core Elements file
    done_on = models.DateField()
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["done_on", "pk"]
        indexes = [models.Index(fields=["record", "element"])]

    def __str__(self):
        return f"{self.element} on {self.done_on}"

    @property
    def audit_child_id(self):
        return self.record.child_id

    @property
    def audit_center_id(self):
        return self.record.child.center_id
