from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils import timezone

from carecoord.accounts.models import Language, Town

from .models import (
    Child,
    Clinician,
    Consent,
    ContactChannel,
    Enrollment,
    Guardian,
    Household,
    Practice,
    RaceCategory,
    Referral,
    Weekday,
)
from .npi import npi_problem


def show_refusal(form, error: ValidationError | PermissionDenied):
    """Show a service's refusal on the form: field errors beside their fields, the rest above."""
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
    elif hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def apply_form(request, form, write, done_url, again):
    """The usual POST: a valid form's data goes to `write` (a service call that returns the
    message to show), then a redirect to `done_url`; a form or a service that refuses sends
    the form with its errors to `again` (the page, shown again with status 400)."""
    if form.is_valid():
        try:
            messages.success(request, write(form.cleaned_data))
            return redirect(done_url)
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    return again(form)


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ChildIntakeForm(forms.ModelForm):
    races = forms.ModelMultipleChoiceField(
        queryset=RaceCategory.objects.all(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Race (choose all that apply)",
    )

    class Meta:
        model = Child
        fields = ["first_name", "middle_name", "last_name", "preferred_name", "date_of_birth",
                  "sex", "preferred_language", "races", "ethnicity", "insurance_type",
                  "insurance_member_id", "school_name", "grade", "pcp_practice"]
        widgets = {"date_of_birth": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].queryset = Language.objects.all()
        self.fields["pcp_practice"].queryset = Practice.objects.filter(
            kind__in=[Practice.Kind.PRIMARY_CARE, Practice.Kind.FQHC]).select_related("town")
        self.fields["pcp_practice"].label_from_instance = lambda p: f"{p.name} ({p.town})"

    def clean_date_of_birth(self):
        dob = self.cleaned_data["date_of_birth"]
        if dob > timezone.localdate():
            raise forms.ValidationError("The date of birth is in the future.")
        return dob

    def clean_races(self):
        races = self.cleaned_data["races"]
        codes = {r.code for r in races}
        if RaceCategory.DECLINED in codes and len(codes) > 1:
            raise forms.ValidationError("“Declined to answer” cannot be combined with a race.")
        return races


class VersionedForm(forms.ModelForm):
    """Carries the version of the record the user loaded, so a stale save can be refused."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:  # a record not yet saved starts at its first version
            self.initial["version"] = self.instance.version

    def changes(self) -> dict:
        """The edited plain fields (many-to-many fields are returned by many_to_many())."""
        return {name: value for name, value in self.cleaned_data.items()
                if name != "version" and not isinstance(self.fields[name],
                                                        forms.ModelMultipleChoiceField)}

    def many_to_many(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items()
                if isinstance(self.fields[name], forms.ModelMultipleChoiceField)}


class ChildEditForm(VersionedForm, ChildIntakeForm):
    class Meta(ChildIntakeForm.Meta):
        fields = ChildIntakeForm.Meta.fields + ["pcp"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pcp"].queryset = Clinician.objects.filter(is_pcp=True).select_related(
            "practice")
        self.fields["pcp"].label_from_instance = lambda c: (
            f"{c} ({c.practice})" if c.practice_id else str(c))


class HouseholdIntakeForm(forms.ModelForm):
    class Meta:
        model = Household
        fields = ["address_line1", "address_line2", "town", "zip_code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["town"].queryset = Town.objects.all()
        self.fields["town"].widget.attrs.update({
            "hx-get": "check/", "hx-trigger": "change", "hx-target": "#intake-checks",
            "hx-include": "#intake-form",
        })

    def clean_zip_code(self):
        zip_code = self.cleaned_data["zip_code"].strip()
        if zip_code and not (len(zip_code) in (5, 10) and zip_code[:5].isdigit()):
            raise forms.ValidationError("A ZIP code is 5 digits (or ZIP+4).")
        return zip_code


class GuardianIntakeForm(forms.ModelForm):
    preferred_channels = forms.MultipleChoiceField(
        choices=ContactChannel.choices, required=False, widget=forms.CheckboxSelectMultiple,
        label="Ways the family prefers to be reached",
    )
    best_days = forms.MultipleChoiceField(
        choices=Weekday.choices, required=False, widget=forms.CheckboxSelectMultiple,
        label="Best days",
    )

    class Meta:
        model = Guardian
        fields = ["first_name", "last_name", "relationship", "preferred_language", "languages",
                  "interpreter_needed", "phone", "phone_can_text", "email", "preferred_channels",
                  "best_days", "best_time_from", "best_time_to", "contact_notes"]
        widgets = {"best_time_from": TIME, "best_time_to": TIME,
                   "languages": forms.SelectMultiple(attrs={"size": 4})}
        labels = {"languages": "Other languages spoken"}

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        digits = "".join(c for c in phone if c.isdigit())
        if phone and len(digits.removeprefix("1")) != 10:
            raise forms.ValidationError("A phone number has 10 digits, e.g. 860-555-0142.")
        return phone


class GuardianEditForm(VersionedForm, GuardianIntakeForm):
    class Meta(GuardianIntakeForm.Meta):
        fields = GuardianIntakeForm.Meta.fields + ["is_legal_guardian", "is_primary_contact",
                                                  "address"]


class ReferralIntakeForm(forms.ModelForm):
    referrer_npi = forms.CharField(
        label="Referring provider NPI", required=False, max_length=10,
        help_text="10 digits; for a PCP or specialist.",
    )

    class Meta:
        model = Referral
        fields = ["source_type", "referrer_name", "referrer_organization", "referrer_npi",
                  "referrer_phone", "referrer_email", "received_on", "reason", "urgency"]
        widgets = {"received_on": DATE, "reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()

    def clean_referrer_npi(self):
        npi = self.cleaned_data["referrer_npi"].strip()
        if npi and (problem := npi_problem(npi)):
            raise forms.ValidationError(problem)
        return npi

    def clean_received_on(self):
        received = self.cleaned_data["received_on"]
        if received > timezone.localdate():
            raise forms.ValidationError("The referral date is in the future.")
        return received


class ScreeningForm(forms.Form):
    first_contact_on = forms.DateField(label="Date the family was first reached", widget=DATE)
    note = forms.CharField(required=False, max_length=300)


class DecisionNoteForm(forms.Form):
    note = forms.CharField(required=False, max_length=300)


class DeclineForm(forms.Form):
    reason = forms.ChoiceField(choices=[("", "Choose a reason"),
                                        *Referral.DeclineReason.choices])
    note = forms.CharField(required=False, max_length=300)


class CoordinatorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.get_full_name()} ({user.get_discipline_display()})"


class EnrollForm(forms.Form):
    coordinator = CoordinatorChoiceField(queryset=None)
    start_date = forms.DateField(widget=DATE)

    def __init__(self, *args, coordinators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = coordinators
        self.fields["start_date"].initial = timezone.localdate()


class ReassignForm(EnrollForm):
    reason = forms.CharField(max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start_date"].label = "From"


class DischargeForm(forms.Form):
    discharge_date = forms.DateField(widget=DATE)
    reason = forms.ChoiceField(choices=[("", "Choose a reason"),
                                        *Enrollment.DischargeReason.choices])
    note = forms.CharField(required=False, max_length=300)
    transferred_to = forms.ModelChoiceField(queryset=None, required=False,
                                            label="Transferred to (center)")

    def __init__(self, *args, centers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["transferred_to"].queryset = centers
        self.fields["discharge_date"].initial = timezone.localdate()


class ConsentForm(forms.ModelForm):
    class Meta:
        model = Consent
        fields = ["given_by", "shared_with_practice", "shared_with_other", "scope", "given_on",
                  "expires_on"]
        widgets = {"given_on": DATE, "expires_on": DATE}
        labels = {"given_by": "Given by (empty: the youth themselves)",
                  "shared_with_practice": "Share with a practice in the directory",
                  "shared_with_other": "…or with someone else (school, agency, person)"}

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_by"].queryset = child.household.guardians.all()
        self.fields["shared_with_practice"].queryset = Practice.objects.select_related("town")
        self.fields["shared_with_practice"].initial = child.pcp_practice_id
        today = timezone.localdate()
        self.fields["given_on"].initial = today
        self.fields["expires_on"].initial = today.replace(year=today.year + 1) if not (
            today.month == 2 and today.day == 29) else today.replace(year=today.year + 1, day=28)
