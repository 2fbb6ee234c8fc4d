"""Family-to-family peer support: parents who have lived a similar situation (trained support
parents, as in PATH Parent to Parent) matched with a family who asks for one. Contact details
pass between the two families only when both have consented."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from carecoord.accounts.models import Center
from carecoord.audit.models import AuditedModel
from carecoord.families.models import Child, Guardian


class SupportParent(AuditedModel):
    guardian = models.OneToOneField(Guardian, on_delete=models.PROTECT,
                                    related_name="support_parent")
    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="+")
    experience = models.TextField(
        help_text="What they have lived and can share, in their words: e.g. “my son has Down "
                  "syndrome, now 15; IEP meetings, Katie Beckett waiver”.")
    diagnosis_codes = models.CharField(
        max_length=200, blank=True,
        help_text="ICD-10-CM categories of their child's conditions, comma-separated (Q90, "
                  "G40…), used to suggest matches.")
    trained_on = models.DateField("trained as a support parent on", null=True, blank=True)
    max_matches = models.PositiveSmallIntegerField(default=2, validators=[MinValueValidator(1)])
    active = models.BooleanField(default=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                      related_name="+")
    registered_on = models.DateField(auto_now_add=True)

    def __str__(self):
        return f"{self.guardian} (support parent)"

    @property
    def categories(self) -> set[str]:
        return {code.strip().upper().replace(".", "")[:3]
                for code in self.diagnosis_codes.split(",") if code.strip()}

    @property
    def audit_child_id(self):
        return None  # a volunteer's record, not a child's

    @property
    def audit_center_id(self):
        return self.center_id


class PeerMatch(AuditedModel):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed: waiting for both families' consent"
        INTRODUCED = "introduced", "Introduced: contact details shared"
        ACTIVE = "active", "Meeting or talking"
        CLOSED = "closed", "Closed"
        DECLINED = "declined", "Declined"

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="peer_matches")
    supporter = models.ForeignKey(SupportParent, on_delete=models.PROTECT,
                                  related_name="matches")
    reason = models.TextField("what the family hopes for",
                              help_text="What the family asked for, in their words.")
    shared_experience = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_on = models.DateField()
    introduced_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        ordering = ["-proposed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child", "supporter"], condition=Q(status__in=["proposed", "introduced",
                                                                       "active"]),
                name="peermatch_one_open_per_pair"),
        ]

    def __str__(self):
        return f"{self.child} with {self.supporter}"

    OPEN = (Status.PROPOSED, Status.INTRODUCED, Status.ACTIVE)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def audit_center_id(self):
        return self.child.center_id
