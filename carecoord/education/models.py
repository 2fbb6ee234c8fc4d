"""Support with school: the family's request for an IEP (special education) or a Section 504
plan, the school meetings (in Connecticut the IEP team is the PPT, Planning and Placement
Team), what the school agreed, and a referral to legal help for educational advocacy."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from carecoord.accounts.models import Language
from carecoord.audit.models import AuditedModel
from carecoord.careplans.models import Need
from carecoord.families.models import Child, Versioned


class SchoolSupport(Versioned, AuditedModel):
    class PlanKind(models.TextChoices):
        IEP = "iep", "IEP (special education)"
        SECTION_504 = "504", "Section 504 plan"
        NOT_SURE = "not_sure", "Not sure yet: the evaluation will tell"

    class Stage(models.TextChoices):
        REQUESTED = "requested", "Evaluation requested in writing"
        EVALUATING = "evaluating", "School is evaluating"
        IN_PLACE = "in_place", "Plan in place"
        NOT_ELIGIBLE = "not_eligible", "Found not eligible"
        CLOSED = "closed", "Closed"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="school_supports")
    need = models.ForeignKey(Need, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", help_text="The care plan need this answers.")
    school = models.CharField(max_length=160)
    district = models.CharField("school district", max_length=120, blank=True)
    school_contact = models.CharField(
        max_length=160, blank=True,
        help_text="Who at school: name and role, e.g. the special education case manager.")
    plan_kind = models.CharField("plan sought", max_length=10, choices=PlanKind.choices)
    stage = models.CharField(max_length=14, choices=Stage.choices, default=Stage.REQUESTED)
    requested_on = models.DateField("evaluation requested on")
    plan_started_on = models.DateField("plan in place since", null=True, blank=True)
    annual_review_due_on = models.DateField("annual review due", null=True, blank=True)
    reevaluation_due_on = models.DateField("re-evaluation due", null=True, blank=True)
    services = models.TextField(
        "services and accommodations in the plan", blank=True,
        help_text="E.g. speech therapy twice a week, a 1:1 aide, extended time on tests.")
    outcome = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    advocacy_organization = models.CharField(
        "referred for educational advocacy to", max_length=160, blank=True)
    advocacy_referred_on = models.DateField(null=True, blank=True)
    advocacy_reason = models.TextField(blank=True)
    advocacy_outcome = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-requested_on", "-pk"]

    def __str__(self):
        return f"{self.get_plan_kind_display()} at {self.school}"

    @property
    def audit_center_id(self):
        return self.child.center_id

    def clean(self):
        super().clean()
        held = self.pk and self.meetings.filter(status=SchoolMeeting.Status.HELD).exists()
        if self.stage == self.Stage.IN_PLACE:
            if not self.plan_started_on:
                raise ValidationError({"plan_started_on": "Give the date the plan took effect."})
            if not held:
                raise ValidationError({"stage": "A plan is in place after a meeting was held: "
                                                "record the meeting and its outcome first."})
        if self.stage == self.Stage.NOT_ELIGIBLE and not held:
            raise ValidationError({"stage": "Eligibility is decided at a meeting: record the "
                                            "meeting and its outcome first."})
        if self.stage == self.Stage.CLOSED and not (self.closed_on and self.outcome.strip()):
            raise ValidationError({"outcome": "Give the outcome and the date it was closed."})
        if self.plan_started_on and self.plan_started_on < self.requested_on:
            raise ValidationError({"plan_started_on": "The plan cannot start before the "
                                                      "evaluation was requested."})


class SchoolMeeting(AuditedModel):
    class Kind(models.TextChoices):
        REFERRAL_PPT = "referral_ppt", "PPT: referral (plan the evaluation)"
        ELIGIBILITY_PPT = "eligibility_ppt", "PPT: eligibility"
        IEP_PPT = "iep_ppt", "PPT: write the IEP"
        ANNUAL_REVIEW = "annual_review", "Annual review"
        SECTION_504 = "504_meeting", "Section 504 meeting"
        OTHER = "other", "Other school meeting"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        HELD = "held", "Held"
        POSTPONED = "postponed", "Postponed"
        CANCELLED = "cancelled", "Cancelled"

    support = models.ForeignKey(SchoolSupport, on_delete=models.CASCADE,
                                related_name="meetings")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    meets_on = models.DateField("meeting date")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    family_attended = models.BooleanField(default=False)
    coordinator_attended = models.BooleanField(default=False)
    advocate_present = models.BooleanField(default=False)
    interpreter_language = models.ForeignKey(
        Language, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="When the school provided an interpreter.")
    outcome = models.TextField(blank=True, help_text="What was decided.")
    next_steps = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["meets_on", "pk"]
        indexes = [models.Index(fields=["status", "meets_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.meets_on}"

    @property
    def audit_child_id(self):
        return self.support.child_id

    @property
    def audit_center_id(self):
        return self.support.child.center_id

    def clean(self):
        super().clean()
        if self.status == self.Status.HELD and not self.outcome.strip():
            raise ValidationError({"outcome": "Write down what was decided at the meeting."})
