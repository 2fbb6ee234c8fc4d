"""Per-center choices about what the Title V export carries."""

from django.core.exceptions import ValidationError
from django.db import models

from carecoord.accounts.models import Center
from carecoord.audit.models import AuditedModel


class ReportingSettings(AuditedModel):
    """Whether a center's Title V export names the children. Without a row a center's export
    is de-identified (HIPAA Safe Harbor): identifying children to the state is a decision the
    center makes under an agreement with DPH, recorded here by a superuser."""

    center = models.OneToOneField(Center, on_delete=models.PROTECT,
                                  related_name="titlev_settings")
    identified = models.BooleanField(
        "identified export", default=False,
        help_text="Names, addresses, member IDs and dates of birth go to the state. Leave off "
                  "for a de-identified (Safe Harbor) export with a pseudonymous id.")
    identified_basis = models.CharField(
        "agreement allowing identified data", max_length=300, blank=True,
        help_text="The data-sharing agreement or contract clause under which DPH receives "
                  "identified data (required for an identified export).")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "Title V reporting settings"

    def __str__(self):
        return f"Title V reporting for {self.center}"

    def clean(self):
        super().clean()
        if self.identified and not self.identified_basis.strip():
            raise ValidationError({"identified_basis": "Name the agreement under which the "
                                   "state receives identified data."})
