"""The reports page's filters: a GET form."""

import datetime

from django import forms
from django.utils import timezone

from carecoord.accounts.models import Discipline
from carecoord.careplans.versions import add_months
from carecoord.families.forms import DATE
from carecoord.stratification.tiers import load_tier_matrix

from .selectors import CENTER, COORDINATOR

DEFAULT_MONTHS = 12


class ReportForm(forms.Form):
    start = forms.DateField(widget=DATE, required=False, label="From")
    end = forms.DateField(widget=DATE, required=False, label="To")
    center = forms.ModelChoiceField(queryset=None, required=False, label="Center",
                                    empty_label="All centers")
    discipline = forms.ChoiceField(choices=[("", "All disciplines"), *Discipline.choices],
                                   required=False, label="Discipline")
    tier = forms.TypedChoiceField(choices=[], coerce=int, empty_value=None, required=False,
                                  label="Tier")
    by = forms.ChoiceField(choices=[(CENTER, "By center"), (COORDINATOR, "By coordinator")],
                           required=False, label="Columns")

    def __init__(self, *args, centers, drill_down: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["center"].queryset = centers
        self.fields["tier"].choices = [("", "All tiers"), *[
            (n, tier.label) for n, tier in sorted(load_tier_matrix().tiers.items())]]
        if centers.count() <= 1:
            del self.fields["center"]
        if not drill_down:
            del self.fields["by"]

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        data["end"] = data.get("end") or today
        data["start"] = data.get("start") or (
            add_months(data["end"], -DEFAULT_MONTHS) + datetime.timedelta(days=1))
        if data["start"] > data["end"]:
            self.add_error("start", "The period starts before it ends.")
        data["by"] = data.get("by") or CENTER
        return data
