"""Each child's medical and social complexity, acuity tier and recommended discipline, as the
stratification engine (carecoord/stratification/) worked them out, with the history kept: a
new result is recorded whenever a new diagnosis or screening changes the picture."""

from django.conf import settings
from django.db import models

from carecoord.audit.models import AuditedModel
from carecoord.families.models import Child


class Stratification(AuditedModel):
    class Trigger(models.TextChoices):
        DIAGNOSIS = "diagnosis", "A diagnosis was recorded"
        SCREENING = "screening", "A screening or assessment was recorded"
        INTAKE = "intake", "Enrollment"
        MANUAL = "manual", "Re-checked by staff"
        FILE = "file", "A population file run"
        RULES = "rules", "The scoring rules changed"
        BULK = "bulk", "A data load"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="stratifications")
    as_of = models.DateField(help_text="The end of the three-year look-back.")
    computed_at = models.DateTimeField(auto_now_add=True)
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    # Medical complexity (CCC v2 published mode; PMCA in both variants).
    ccc_categories = models.JSONField(default=list)
    pmca_less = models.CharField("PMCA (less conservative)", max_length=20)
    pmca_more = models.CharField("PMCA (more conservative)", max_length=20)
    body_systems = models.JSONField(default=list)
    behavioral_health = models.BooleanField(default=False)
    medical_complexity = models.CharField(max_length=20)
    # Social complexity.
    social_complexity = models.CharField(max_length=10)
    social_points = models.PositiveSmallIntegerField(default=0)
    # The result.
    tier = models.PositiveSmallIntegerField()
    tier_label = models.CharField(max_length=60)
    discipline = models.CharField(max_length=16)
    discipline_reason = models.CharField(max_length=200)
    reasons = models.JSONField(default=list)
    missing = models.JSONField(default=list, help_text="What the social picture lacks.")

    class Meta:
        ordering = ["-computed_at", "-pk"]
        indexes = [models.Index(fields=["child", "-computed_at"])]

    def __str__(self):
        return f"Tier {self.tier} for {self.child} ({self.computed_at:%Y-%m-%d})"

    @property
    def audit_center_id(self):
        return self.child.center_id

    def same_result(self, other) -> bool:
        return other is not None and all(getattr(self, name) == getattr(other, name)
                                         for name in RESULT_FIELDS)


RESULT_FIELDS = ("ccc_categories", "pmca_less", "pmca_more", "body_systems",
                 "behavioral_health", "medical_complexity", "social_complexity",
                 "social_points", "tier", "discipline", "reasons", "missing")


class CurrentAcuity(models.Model):
    """The latest result per child, kept beside the child so lists sort by tier with a join."""

    child = models.OneToOneField(Child, on_delete=models.CASCADE, primary_key=True,
                                 related_name="acuity")
    stratification = models.ForeignKey(Stratification, on_delete=models.CASCADE,
                                       related_name="+")
    tier = models.PositiveSmallIntegerField(db_index=True)
    discipline = models.CharField(max_length=16)

    def __str__(self):
        return f"Tier {self.tier}"


class PopulationRun(models.Model):
    """One run of a claims file through the population engine (`manage.py stratify`): what
    it found, which children CareCoord already knows (re-stratified from the file), and the
    rest, the outreach list of the target population not yet referred."""

    file_name = models.CharField(max_length=260)
    out_dir = models.CharField(max_length=500, help_text="Where the results were written.")
    mode = models.CharField(max_length=10)
    as_of = models.DateField()
    run_at = models.DateTimeField(auto_now_add=True)
    run_by = models.CharField(max_length=150, help_text="Who ran the command.")
    rows = models.PositiveBigIntegerField()
    rows_rejected = models.PositiveBigIntegerField()
    children = models.PositiveIntegerField()
    known = models.PositiveIntegerField(help_text="Children matched to CareCoord's records.")
    outreach = models.PositiveIntegerField(
        help_text="Children with a chronic condition CareCoord does not know yet.")
    seconds = models.FloatField()
    counts = models.JSONField(default=dict, help_text="By class, tier, region and town.")

    class Meta:
        ordering = ["-run_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} on {self.run_at:%Y-%m-%d}"
