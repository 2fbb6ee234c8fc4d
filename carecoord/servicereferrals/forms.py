from django import forms
from django.utils import timezone

from carecoord.directory.models import Service
from carecoord.families.forms import DATE, VersionedForm
from carecoord.families.models import Consent

from . import steps
from .models import ServiceReferral


def _choices(choices):
    return [("", "---------"), *choices]


class ReferralForm(forms.Form):
    service = forms.ModelChoiceField(queryset=Service.objects.none(), label="Service")
    sent_how = forms.ChoiceField(choices=_choices(ServiceReferral.SentHow.choices),
                                 label="Sent how")
    sent_on = forms.DateField(widget=DATE, label="Sent on")
    consent = forms.ModelChoiceField(
        queryset=Consent.objects.none(), required=False, label="Consent that covers it",
        help_text="Leave empty to have it found: a current consent naming the organization, "
                  "whose scope covers the need. None is needed when the family contacts the "
                  "service themselves.")
    service_contact = forms.CharField(max_length=160, required=False,
                                      label="Contact at the service",
                                      help_text="Who took the referral: a name, a direct line.")
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}),
                            label="Notes")

    def __init__(self, *args, services, consents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services
        self.fields["service"].label_from_instance = (
            lambda s: s.name if s.name.startswith(s.organization.name)
            else f"{s.name} · {s.organization.name}")
        self.fields["consent"].queryset = consents
        self.fields["consent"].label_from_instance = (
            lambda c: f"{c.get_scope_display()}: {c.recipient} (until {c.expires_on:%b %-d, %Y})")
        self.fields["sent_on"].initial = timezone.localdate


class ReferralEditForm(VersionedForm):
    class Meta:
        model = ServiceReferral
        fields = ["service_contact", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class StepForm(forms.Form):
    """A step of a referral. The page also sends the version of the referral the user saw (a
    hidden input beside the form's fields), so a stale step is refused."""

    def __init__(self, *args, referral, **kwargs):
        super().__init__(*args, **kwargs)
        self.referral = referral
        for field in self.fields.values():
            if isinstance(field, forms.DateField) and field.required:
                field.initial = field.initial or timezone.localdate


class AcknowledgedForm(StepForm):
    title = "Acknowledged"
    acknowledged_on = forms.DateField(widget=DATE, label="Acknowledged on")
    note = forms.CharField(max_length=300, required=False, label="Acknowledgement note")


class ScheduledForm(StepForm):
    title = "Scheduled"
    scheduled_on = forms.DateField(widget=DATE, label="Scheduled on")
    appointment_on = forms.DateField(widget=DATE, required=False, label="Appointment on",
                                     help_text="When the family is seen, if the service said.")
    note = forms.CharField(max_length=300, required=False, label="Scheduling note")


class ReceivedForm(StepForm):
    title = "Service received"
    received_on = forms.DateField(widget=DATE, label="Received on")
    outcome = forms.CharField(max_length=250, label="What the family received")
    need_met = forms.BooleanField(required=False, initial=True, label="This meets the need",
                                  help_text="Untick when the need goes on (one service of "
                                            "several).")


class FailureForm(StepForm):
    title = "Did not work out"
    reason = forms.ChoiceField(choices=_choices([(s, steps.LABELS[s]) for s in steps.FAILED]),
                               label="Reason")
    closed_on = forms.DateField(widget=DATE, label="Closed on")
    details = forms.CharField(max_length=300, required=False, label="Details",
                              widget=forms.Textarea(attrs={"rows": 2}))


# The URL's step slug → (the status the step records, or None for a failure; its form).
STEP_FORMS = {
    "acknowledged": (steps.ACKNOWLEDGED, AcknowledgedForm),
    "scheduled": (steps.SCHEDULED, ScheduledForm),
    "received": (steps.RECEIVED, ReceivedForm),
    "failed": (None, FailureForm),
}
