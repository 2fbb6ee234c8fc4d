"""Coverage and financial help: a family's application to a program (HUSKY, SSI, a hospital's
financial assistance…) followed step by step, with the date of each step, until the benefit is
in place and renewed, or the application is closed. The step order is in steps.py; the writes
that enforce it in services.py."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from carecoord.audit.models import AuditedModel
from carecoord.careplans.models import Need
from carecoord.families.models import Child, Versioned

from . import programs, steps

STEP_DATES = {
    "eligibility_checked_on": "eligibility check",
    "submitted_on": "submission",
    "decision_on": "decision",
    "appeal_filed_on": "appeal",
    "appeal_decided_on": "appeal's outcome",
    "closed_on": "closing",
}
# Dates of what has happened; the benefit's start, a hearing and a renewal may lie ahead.
PAST_DATES = (*STEP_DATES, "last_renewed_on")

# A DSS fair hearing and an SSA reconsideration are both asked for within 60 days of the
# notice; the date on the family's notice wins.
APPEAL_WINDOW_DAYS = 60


class CoverageApplication(Versioned, AuditedModel):
    class Step(models.TextChoices):
        ELIGIBILITY_CHECKED = steps.ELIGIBILITY_CHECKED, steps.LABELS[steps.ELIGIBILITY_CHECKED]
        SUBMITTED = steps.SUBMITTED, steps.LABELS[steps.SUBMITTED]
        DOCUMENTS_REQUESTED = steps.DOCUMENTS_REQUESTED, steps.LABELS[steps.DOCUMENTS_REQUESTED]
        DECIDED = steps.DECIDED, steps.LABELS[steps.DECIDED]
        APPEALED = steps.APPEALED, steps.LABELS[steps.APPEALED]
        CLOSED = steps.CLOSED, steps.LABELS[steps.CLOSED]

    class Finding(models.TextChoices):
        LIKELY = "likely_eligible", "Likely eligible"
        UNSURE = "unsure", "Not sure: apply and let the agency decide"
        NOT_ELIGIBLE = "not_eligible", "Not eligible"

    class SubmittedHow(models.TextChoices):
        ONLINE = "online", "Online"
        PAPER = "paper", "On paper (mailed, faxed or dropped off)"
        IN_PERSON = "in_person", "In person at the office"
        PHONE = "phone", "By phone"

    class Helper(models.TextChoices):
        COORDINATOR = "coordinator", "The care coordinator"
        FAMILY = "family", "The family, on their own"
        FINANCIAL_COUNSELOR = "financial_counselor", "A hospital financial counselor"
        ASSISTER = "assister", "An enrollment assister or navigator"
        OTHER = "other", "Someone else"

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        DENIED = "denied", "Denied"

    class AppealOutcome(models.TextChoices):
        REVERSED = "reversed", "Decision reversed: approved"
        UPHELD = "upheld", "Denial upheld"
        WITHDRAWN = "withdrawn", "Appeal withdrawn"

    class ClosedReason(models.TextChoices):
        HELP_GIVEN = "help_given", "The help was given (benefit in place, bill settled)"
        NOT_ELIGIBLE = "not_eligible", "Not eligible"
        DENIED = "denied", "Denied, not appealed further"
        FAMILY_STOPPED = "family_stopped", "The family decided not to go on"
        ENDED = "ended", "The benefit ended (aged out, moved, lost eligibility)"
        OTHER = "other", "Other"

    child = models.ForeignKey(Child, on_delete=models.PROTECT,
                              related_name="coverage_applications")
    program = models.CharField(max_length=40, choices=programs.choices)
    need = models.ForeignKey(
        Need, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="coverage_applications", verbose_name="care plan need",
        help_text="The financial help and coverage need of the care plan this answers.",
    )
    step = models.CharField(max_length=20, choices=Step.choices,
                            default=Step.ELIGIBILITY_CHECKED)

    eligibility_checked_on = models.DateField()
    eligibility_finding = models.CharField(max_length=16, choices=Finding.choices)
    eligibility_note = models.CharField(
        max_length=300, blank=True,
        help_text="What was checked: income band, household size, disability, age.")

    submitted_on = models.DateField(null=True, blank=True)
    submitted_how = models.CharField(max_length=10, choices=SubmittedHow.choices, blank=True)
    helped_by = models.CharField("who helped", max_length=20, choices=Helper.choices,
                                 blank=True)
    helper_name = models.CharField(max_length=120, blank=True,
                                   help_text="A name or an office, when not the coordinator.")
    confirmation_number = models.CharField(
        max_length=40, blank=True, help_text="The application or case number on the receipt.")

    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decision_on = models.DateField("decision date", null=True, blank=True,
                                   help_text="The date on the notice.")
    benefit_starts_on = models.DateField(null=True, blank=True)
    denial_reason = models.CharField(max_length=300, blank=True,
                                     help_text="As the notice gives it.")

    appeal_filed_on = models.DateField(null=True, blank=True)
    hearing_on = models.DateField("hearing date", null=True, blank=True)
    appeal_outcome = models.CharField(max_length=10, choices=AppealOutcome.choices, blank=True)
    appeal_decided_on = models.DateField(null=True, blank=True)

    renewal_due_on = models.DateField(
        "renewal or redetermination due", null=True, blank=True,
        help_text="The coordinator is reminded 60 days before.")
    last_renewed_on = models.DateField(null=True, blank=True)

    closed_on = models.DateField(null=True, blank=True)
    closed_reason = models.CharField(max_length=16, choices=ClosedReason.choices, blank=True)
    closed_note = models.CharField(max_length=300, blank=True)

    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-eligibility_checked_on", "-pk"]
        indexes = [models.Index(fields=["child", "step"]),
                   models.Index(fields=["step", "renewal_due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="") | Q(decision_on__isnull=False),
                name="coverage_decision_has_date"),
            models.CheckConstraint(
                condition=~Q(decision="denied") | ~Q(denial_reason=""),
                name="coverage_denial_has_reason"),
            models.CheckConstraint(
                condition=~Q(decision="approved") | Q(benefit_starts_on__isnull=False),
                name="coverage_approval_has_start"),
            models.CheckConstraint(
                condition=(Q(step="closed") & Q(closed_on__isnull=False) & ~Q(closed_reason=""))
                | (~Q(step="closed") & Q(closed_on__isnull=True)),
                name="coverage_closed_has_date_and_reason"),
            models.CheckConstraint(
                condition=Q(submitted_on__isnull=True)
                | Q(submitted_on__gte=F("eligibility_checked_on")),
                name="coverage_submitted_after_eligibility"),
        ]

    def __str__(self):
        return f"{self.program_label} ({self.get_step_display().lower()})"

    @property
    def program_info(self) -> programs.Program | None:
        return programs.get(self.program)

    @property
    def program_label(self) -> str:
        info = self.program_info
        return info.label if info else self.program

    @property
    def audit_center_id(self):
        return self.child.center_id

    @property
    def is_approved(self) -> bool:
        """Approved on the first decision or on appeal: the benefit is in place."""
        return (self.decision == self.Decision.APPROVED
                or self.appeal_outcome == self.AppealOutcome.REVERSED)

    @property
    def appeal_deadline(self) -> datetime.date | None:
        if self.decision != self.Decision.DENIED or self.appeal_filed_on:
            return None
        return self.decision_on + datetime.timedelta(days=APPEAL_WINDOW_DAYS)

    def next_actions(self) -> list[str]:
        """The steps a user may take now (steps.py, narrowed by what was decided)."""
        actions = steps.allowed_actions(self.step)
        if self.decision != self.Decision.DENIED:
            actions = [a for a in actions if a != steps.APPEAL]
        if self.appeal_outcome:
            actions = [a for a in actions if a != steps.APPEAL_OUTCOME]
        if not self.is_approved:
            actions = [a for a in actions if a != steps.RENEW]
        if steps.DOCUMENTS_SENT in actions and all(
                r.sent_on for r in self.document_requests.all()):
            actions = [a for a in actions if a != steps.DOCUMENTS_SENT]
        return actions

    def dated_steps(self) -> list[tuple[str, datetime.date]]:
        """The dates of the steps taken, in order, for the timeline and the date checks."""
        return [(name, getattr(self, name)) for name in STEP_DATES if getattr(self, name)]

    def clean(self):
        super().clean()
        errors = {}
        if self.program and self.program_info is None:
            errors["program"] = "Choose a program from the list."
        if self.decision == self.Decision.DENIED and not self.denial_reason.strip():
            errors["denial_reason"] = "Give the reason for the denial, as the notice says."
        if self.decision == self.Decision.APPROVED and not self.benefit_starts_on:
            errors["benefit_starts_on"] = "Give the date the approved benefit starts."
        if self.appeal_outcome == self.AppealOutcome.REVERSED and not self.benefit_starts_on:
            errors["benefit_starts_on"] = "Give the date the benefit starts after the appeal."
        if self.closed_reason == self.ClosedReason.OTHER and not self.closed_note.strip():
            errors["closed_note"] = "Say why the application is closed."
        if self.hearing_on and self.appeal_filed_on and self.hearing_on < self.appeal_filed_on:
            errors["hearing_on"] = "The hearing comes after the appeal is filed."
        today = timezone.localdate()
        for name in PAST_DATES:
            if getattr(self, name) and getattr(self, name) > today:
                errors.setdefault(name, "This date is in the future.")
        previous = None
        for name, day in self.dated_steps():
            if previous and day < previous[1]:
                errors.setdefault(name, f"This date comes before the {STEP_DATES[previous[0]]} "
                                        f"({previous[1]:%b %-d, %Y}).")
            previous = (name, day)
        if errors:
            raise ValidationError(errors)


class DocumentRequest(AuditedModel):
    """Documents the agency asked for (proof of income, a birth certificate, medical records
    for a disability decision), by a date: the coordinator gets a task to help the family."""

    application = models.ForeignKey(CoverageApplication, on_delete=models.CASCADE,
                                    related_name="document_requests")
    requested_on = models.DateField()
    documents = models.CharField("documents asked for", max_length=300)
    due_on = models.DateField("due by")
    sent_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["requested_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=F("requested_on")),
                                   name="documentrequest_due_after_request"),
            models.CheckConstraint(
                condition=Q(sent_on__isnull=True) | Q(sent_on__gte=F("requested_on")),
                name="documentrequest_sent_after_request"),
        ]

    def __str__(self):
        return f"{self.documents[:60]} by {self.due_on}"

    @property
    def audit_child_id(self):
        return self.application.child_id

    @property
    def audit_center_id(self):
        return self.application.child.center_id

    def clean(self):
        super().clean()
        errors = {}
        today = timezone.localdate()
        for name in ("requested_on", "sent_on"):
            if getattr(self, name) and getattr(self, name) > today:
                errors[name] = "This date is in the future."
        if self.requested_on and self.due_on and self.due_on < self.requested_on:
            errors["due_on"] = "The due date comes after the request."
        if self.requested_on and self.sent_on and self.sent_on < self.requested_on:
            errors.setdefault("sent_on", "The documents were sent after they were requested.")
        if errors:
            raise ValidationError(errors)
