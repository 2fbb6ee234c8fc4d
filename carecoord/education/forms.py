from django import forms

from carecoord.accounts.models import Language
from carecoord.careplans.models import Need
from carecoord.families.forms import DATE, VersionedForm

from .models import SchoolMeeting, SchoolSupport


class SchoolSupportForm(forms.ModelForm):
    class Meta:
        model = SchoolSupport
        fields = ["school", "district", "school_contact", "plan_kind", "requested_on", "need"]
        widgets = {"requested_on": DATE}

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = Need.objects.filter(plan__child=child).select_related(
            "domain")


class SchoolSupportEditForm(VersionedForm):
    class Meta:
        model = SchoolSupport
        fields = ["school", "district", "school_contact", "plan_kind", "stage",
                  "plan_started_on", "annual_review_due_on", "reevaluation_due_on",
                  "services", "outcome", "closed_on"]
        widgets = {"plan_started_on": DATE, "annual_review_due_on": DATE,
                   "reevaluation_due_on": DATE, "closed_on": DATE,
                   "services": forms.Textarea(attrs={"rows": 3}),
                   "outcome": forms.Textarea(attrs={"rows": 2})}


class MeetingForm(forms.ModelForm):
    class Meta:
        model = SchoolMeeting
        fields = ["kind", "meets_on"]
        widgets = {"meets_on": DATE}


class MeetingRecordForm(forms.ModelForm):
    class Meta:
        model = SchoolMeeting
        fields = ["status", "meets_on", "family_attended", "coordinator_attended",
                  "advocate_present", "interpreter_language", "outcome", "next_steps"]
        widgets = {"meets_on": DATE, "outcome": forms.Textarea(attrs={"rows": 2}),
                   "next_steps": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interpreter_language"].queryset = Language.objects.order_by("name")


class AdvocacyForm(forms.Form):
    organization = forms.CharField(
        label="Organization", max_length=160,
        help_text="As named on the family's consent, e.g. Center for Children's Advocacy or "
                  "CPAC.")
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="What the family needs help with at school.")
    referred_on = forms.DateField(widget=DATE)
