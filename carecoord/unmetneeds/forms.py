import datetime

from django import forms
from django.utils import timezone

from carecoord.accounts.models import Region
from carecoord.careplans.models import NeedDomain
from carecoord.families.forms import DATE
from carecoord.servicereferrals.models import ServiceReferral

from .models import UnmetNeed

DEFAULT_PERIOD_DAYS = 365

# A failed referral's status → the register's reason it suggests.
REASON_OF_FAILURE = {
    "no_capacity": UnmetNeed.Reason.WAITLIST,
    "ineligible": UnmetNeed.Reason.ELIGIBILITY,
    "declined": UnmetNeed.Reason.NO_PROVIDER,
}


class UnmetNeedForm(forms.Form):
    reason = forms.ChoiceField(choices=[("", "---------"), *UnmetNeed.Reason.choices],
                               label="Reason")
    details = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Details",
                              help_text="What was tried and what is missing, for advocacy.")
    recorded_on = forms.DateField(widget=DATE, label="Recorded on")
    referrals_tried = forms.ModelMultipleChoiceField(
        queryset=ServiceReferral.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple, label="Referrals that did not work out")

    def __init__(self, *args, failed, picked=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recorded_on"].initial = timezone.localdate
        self.fields["referrals_tried"].queryset = failed
        self.fields["referrals_tried"].label_from_instance = (
            lambda r: f"{r.service_name}: {r.get_status_display().lower()} "
                      f"({r.closed_on:%b %-d, %Y})")
        if not failed.exists():
            del self.fields["referrals_tried"]
        elif picked is not None:
            self.initial["referrals_tried"] = [picked.pk]
            self.initial["reason"] = REASON_OF_FAILURE.get(picked.status, "")
            if picked.outcome:
                self.initial["details"] = picked.outcome


class ReportForm(forms.Form):
    since = forms.DateField(widget=DATE, required=False, label="From")
    until = forms.DateField(widget=DATE, required=False, label="To")
    region = forms.ModelChoiceField(queryset=Region.objects.none(), required=False,
                                    label="Region", empty_label="All regions")
    domain = forms.ModelChoiceField(queryset=NeedDomain.objects.all(), required=False,
                                    label="Domain", empty_label="All domains")

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        data["until"] = data.get("until") or today
        data["since"] = data.get("since") or data["until"] - datetime.timedelta(
            days=DEFAULT_PERIOD_DAYS)
        if data["since"] > data["until"]:
            self.add_error("since", "The period starts before it ends.")
        return data
