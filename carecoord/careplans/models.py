"""The family's care plan: their priorities in their own words, strengths, needs by domain,
goals with measurable targets and the actions that move them, agreed with the family in
versions that can be compared.

The plan's rows are the working copy. Agreeing the plan with the family freezes that copy into
an immutable CarePlanVersion (a snapshot), which becomes the current version; later edits are
the draft of the next one."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from carecoord.accounts.models import Center, Language
from carecoord.audit.models import AuditedModel
from carecoord.families.models import Child, Enrollment, Guardian, Versioned


class Priority(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"
    NOT_NOW = "not_now", "Not a priority now"


class NeedDomain(models.Model):
    """A domain of the need catalog (kept as data: see careplans/data/need_domains.csv)."""

    class Reach(models.TextChoices):
        WITHIN = "within_reach", "Within the center's reach"
        OUTSIDE = "outside_control", "Outside the center's control"

    code = models.SlugField(max_length=40, unique=True)
    label = models.CharField(max_length=80)
    label_es = models.CharField("label in Spanish", max_length=100)
    description = models.CharField(max_length=300, blank=True)
    usual_reach = models.CharField(max_length=16, choices=Reach.choices)
    sdoh_category = models.CharField("Gravity SDOH category", max_length=60, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "label"]

    def __str__(self):
        return self.label


class PlanItem(AuditedModel):
    """A part of a care plan; its audit rows belong to the plan's child."""

    class Meta:
        abstract = True

    @property
    def audit_child_id(self):
        return self.plan.child_id

    @property
    def audit_center_id(self):
        return self.plan.center_id


class CarePlan(Versioned, AuditedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft: being written with the family"
        IN_REVIEW = "in_review", "Reviewed with the family, waiting for agreement"
        AGREED = "agreed", "Agreed: this is the current version"

    enrollment = models.OneToOneField(Enrollment, on_delete=models.PROTECT,
                                      related_name="care_plan")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="care_plans")
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="care_plans")
    language = models.ForeignKey(
        Language, on_delete=models.PROTECT, related_name="+",
        help_text="The language the family reads the plan in.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    current_version = models.ForeignKey(
        "CarePlanVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_due_on = models.DateField(null=True, blank=True)
    review_reason = models.CharField(
        max_length=200, blank=True,
        help_text="Why a review is due before its date (a big event: hospital stay, move…).",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["center", "review_due_on"])]

    def __str__(self):
        return f"Care plan for {self.child}"


class FamilyPriority(PlanItem):
    """What matters most to the family, in their own words and language."""

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="priorities")
    text = models.TextField("in the family's words")
    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+")
    translation = models.TextField(
        blank=True, help_text="A staff translation into English, when the family wrote in "
                              "another language."
    )
    rank = models.PositiveSmallIntegerField(default=1)
    voiced_by = models.ForeignKey(Guardian, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+")

    class Meta:
        ordering = ["rank", "pk"]
        verbose_name_plural = "family priorities"

    def __str__(self):
        return self.text


class Strength(PlanItem):
    class ProtectiveFactor(models.TextChoices):
        RESILIENCE = "parental_resilience", "Parental resilience"
        SOCIAL = "social_connections", "Social connections"
        KNOWLEDGE = "knowledge_of_parenting", "Knowledge of parenting and child development"
        CONCRETE = "concrete_support", "Concrete support in times of need"
        COMPETENCE = "social_emotional_competence", "Social and emotional competence of children"

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="strengths")
    text = models.TextField()
    protective_factor = models.CharField(max_length=30, choices=ProtectiveFactor.choices,
                                         blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.text


class Need(PlanItem):
    class RaisedBy(models.TextChoices):
        FAMILY = "family", "Family"
        PCP = "pcp", "Primary care provider"
        REFERRER = "referrer", "Referring provider"
        COORDINATOR = "coordinator", "Care coordinator"
        SCHOOL = "school", "School"
        SCREENING = "screening", "A screening"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "Being worked on"
        MET = "met", "Met"
        UNMET = "unmet", "Could not be met"
        WITHDRAWN = "withdrawn", "No longer needed"

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="needs")
    domain = models.ForeignKey(NeedDomain, on_delete=models.PROTECT, related_name="needs")
    description = models.TextField()
    raised_by = models.CharField(max_length=12, choices=RaisedBy.choices)
    family_priority = models.CharField(max_length=8, choices=Priority.choices)
    provider_priority = models.CharField(
        max_length=8, choices=Priority.choices, blank=True,
        help_text="The PCP's or referring provider's priority, when they gave one.",
    )
    reach = models.CharField(max_length=16, choices=NeedDomain.Reach.choices)
    expectation = models.TextField(
        "expectation discussed with the family", blank=True,
        help_text="What the center can and cannot do about this need, as said to the family.",
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    opened_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["domain__order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reach="outside_control") | ~Q(expectation=""),
                name="need_outside_control_has_expectation",
            ),
        ]

    def __str__(self):
        return f"{self.domain}: {self.description[:60]}"

    @property
    def priorities_differ(self) -> bool:
        """The family and a provider rank this need differently (the center's known tension:
        a provider's early intervention before a family's WIC or SNAP)."""
        return bool(self.provider_priority) and self.provider_priority != self.family_priority

    def clean(self):
        super().clean()
        if self.reach == NeedDomain.Reach.OUTSIDE and not self.expectation.strip():
            raise ValidationError({"expectation": "This need is outside the center's control: "
                                   "write down the expectation discussed with the family."})
        if self.status in (self.Status.MET, self.Status.UNMET, self.Status.WITHDRAWN) and not (
            self.closed_on
        ):
            raise ValidationError({"closed_on": "Give the date the need was closed."})


class Goal(PlanItem):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        MET = "met", "Met"
        PARTLY_MET = "partly_met", "Partly met"
        NOT_MET = "not_met", "Not met"
        DISCONTINUED = "discontinued", "Discontinued"

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="goals")
    need = models.ForeignKey(Need, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="goals")
    statement = models.TextField(help_text="What the family wants to achieve.")
    measure = models.CharField(
        "measurable target", max_length=300,
        help_text="How everyone will know it is met, e.g. “IEP meeting held and speech therapy "
                  "twice a week in the IEP”.",
    )
    target_date = models.DateField()
    status = models.CharField(max_length=14, choices=Status.choices,
                              default=Status.NOT_STARTED)
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["target_date", "pk"]

    def __str__(self):
        return self.statement[:80]

    def clean(self):
        super().clean()
        finished = (self.Status.MET, self.Status.PARTLY_MET, self.Status.NOT_MET,
                    self.Status.DISCONTINUED)
        if self.status in finished and not self.outcome.strip():
            raise ValidationError({"outcome": "Describe the outcome when a goal is closed."})


class Action(PlanItem):
    class Owner(models.TextChoices):
        FAMILY = "family", "Family"
        COORDINATOR = "coordinator", "Care coordinator"
        PCP = "pcp", "Primary care provider"
        SPECIALIST = "specialist", "Specialist"
        SCHOOL = "school", "School"
        AGENCY = "agency", "Community agency"
        PEER_FAMILY = "peer_family", "Another family (peer support)"

    class Status(models.TextChoices):
        TO_DO = "to_do", "To do"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Cancelled"

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="actions")
    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.CharField(max_length=12, choices=Owner.choices)
    owner_name = models.CharField(max_length=120, blank=True,
                                  help_text="Who exactly: a name, a school, an agency.")
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.TO_DO)
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="done", completed_on__isnull=False) | ~Q(status="done"),
                name="action_done_has_date",
            ),
        ]

    def __str__(self):
        return self.description[:80]


class CarePlanVersion(models.Model):
    """A plan as agreed with the family: frozen, never edited."""

    class AgreedHow(models.TextChoices):
        IN_PERSON = "in_person", "In person"
        PHONE = "phone", "By phone"
        VIDEO = "video", "By video"
        PORTAL = "portal", "In the family portal"

    plan = models.ForeignKey(CarePlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    agreed_on = models.DateField()
    agreed_by = models.ForeignKey(
        Guardian, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="Empty when the youth agreed for themselves.",
    )
    agreed_by_name = models.CharField(max_length=120)
    agreed_how = models.CharField(max_length=10, choices=AgreedHow.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    review_due_on = models.DateField()
    snapshot = models.JSONField()
    plan_version = models.PositiveIntegerField(
        null=True, blank=True, editable=False,
        help_text="The plan's edit counter when agreed: progress recorded later moves it on.")

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"],
                                               name="careplanversion_number_unique")]

    def __str__(self):
        return f"Version {self.number} agreed {self.agreed_on}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("An agreed care plan version is never changed.")
        super().save(*args, **kwargs)


class AssessmentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError("An administered screening or assessment is never changed: "
                              "record a correction as a new administration.")


class Assessment(AuditedModel):
    """One administration of a screening or assessment instrument (careplans/instruments/): the
    answers as given and the result as the engine scored them then, in plain data. Frozen once
    saved, like an agreed plan version: a correction is a new administration that names the one
    it corrects, so the record of what was said and shown stays whole."""

    class Context(models.TextChoices):
        INTAKE = "intake", "At intake"
        REVIEW = "review", "At a care plan review"
        OTHER = "other", "Other"

    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        SPANISH = "es", "Spanish"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="assessments")
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+",
                               help_text="The center that administered it.")
    care_plan = models.ForeignKey(CarePlan, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="assessments")
    instrument_id = models.CharField(max_length=60)
    instrument_title = models.CharField(max_length=200)
    instrument_version = models.CharField(
        max_length=300, blank=True, help_text="The definition's own version note, as it was.")
    instrument_status = models.CharField(
        max_length=60, blank=True,
        help_text="The definition's status then (e.g. complete, licensed-items-loaded).")
    context = models.CharField(max_length=8, choices=Context.choices)
    administered_on = models.DateField()
    administered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                        related_name="+")
    respondent = models.ForeignKey(
        Guardian, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="Empty when the youth answered for themselves.",
    )
    respondent_name = models.CharField(max_length=120)
    language = models.CharField(max_length=2, choices=Language.choices)
    answers = models.JSONField(help_text="Item id → answer code, a list of codes, or null for a "
                                         "question asked but not answered.")
    result = models.JSONField(help_text="The scored result as plain data (see "
                                        "careplans/assessment_results.py).")
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections",
        help_text="The administration this one corrects (that one is then left out of "
                  "comparisons and summaries).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-administered_on", "-pk"]
        indexes = [models.Index(fields=["child", "instrument_id", "administered_on"])]

    def __str__(self):
        return f"{self.instrument_title} on {self.administered_on}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("An administered screening or assessment is never changed: "
                                  "record a correction as a new administration.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("An administered screening or assessment is kept: record a "
                              "correction as a new administration.")
