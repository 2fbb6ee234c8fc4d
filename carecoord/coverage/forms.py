from django import forms
from django.utils import timezone

from carecoord.families.forms import DATE

from . import steps
from .models import CoverageApplication, DocumentRequest


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = CoverageApplication
        fields = ["program", "need", "eligibility_checked_on", "eligibility_finding",
                  "eligibility_note", "notes"]
        widgets = {"eligibility_checked_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}
        labels = {"eligibility_checked_on": "Eligibility checked on",
                  "eligibility_finding": "What the check found"}

    def __init__(self, *args, needs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = needs
        self.fields["need"].label_from_instance = lambda need: need.description[:80]
        self.fields["eligibility_checked_on"].initial = timezone.localdate()


class StepForm(forms.Form):
    """A step of an application. The page also sends the version of the application the user
    saw (a hidden input beside the form's fields), so a stale step is refused."""

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        for field in self.fields.values():
            if isinstance(field, forms.DateField) and field.required:
                field.initial = field.initial or timezone.localdate


def _choices(choices):
    return [("", "---------"), *choices]


class SubmissionForm(StepForm):
    title = "Application submitted"
    submitted_on = forms.DateField(widget=DATE, label="Submitted on")
    submitted_how = forms.ChoiceField(choices=_choices(CoverageApplication.SubmittedHow.choices),
                                      label="How")
    helped_by = forms.ChoiceField(choices=_choices(CoverageApplication.Helper.choices),
                                  label="Who helped")
    helper_name = forms.CharField(required=False, max_length=120, label="Helper's name or office")
    confirmation_number = forms.CharField(required=False, max_length=40,
                                          label="Application or case number")


class DocumentsRequestForm(StepForm):
    title = "Documents requested"
    requested_on = forms.DateField(widget=DATE, label="Requested on")
    documents = forms.CharField(max_length=300, label="Documents asked for",
                                widget=forms.Textarea(attrs={"rows": 2}))
    due_on = forms.DateField(widget=DATE, label="Due by")


class DocumentsSentForm(StepForm):
    title = "Documents sent"
    request = forms.ModelChoiceField(queryset=DocumentRequest.objects.none(),
                                     label="Which documents")
    sent_on = forms.DateField(widget=DATE, label="Sent on")

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, application=application, **kwargs)
        self.fields["request"].queryset = application.document_requests.filter(
            sent_on__isnull=True)
        self.fields["request"].label_from_instance = (
            lambda r: f"{r.documents[:80]} (due {r.due_on:%b %-d, %Y})")


class DecisionForm(StepForm):
    title = "Decision"
    decision = forms.ChoiceField(choices=_choices(CoverageApplication.Decision.choices))
    decision_on = forms.DateField(widget=DATE, label="Date on the notice")
    benefit_starts_on = forms.DateField(widget=DATE, required=False,
                                        label="Benefit starts on (approved)")
    denial_reason = forms.CharField(required=False, max_length=300,
                                    label="Reason for the denial (denied)")
    renewal_due_on = forms.DateField(
        widget=DATE, required=False, label="Renewal or redetermination due",
        help_text="Leave empty to use the program's rule.")

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, application=application, **kwargs)
        info = application.program_info
        if info and info.renewal_rule:
            self.fields["renewal_due_on"].help_text = (
                f"Leave empty to use the program's rule: {info.renewal_rule}.")


class AppealForm(StepForm):
    title = "Appeal filed"
    appeal_filed_on = forms.DateField(widget=DATE, label="Appeal filed on")
    hearing_on = forms.DateField(widget=DATE, required=False, label="Hearing date, if set")


class AppealOutcomeForm(StepForm):
    title = "Appeal outcome"
    appeal_outcome = forms.ChoiceField(
        choices=_choices(CoverageApplication.AppealOutcome.choices), label="Outcome")
    appeal_decided_on = forms.DateField(widget=DATE, label="Decided on")
    hearing_on = forms.DateField(widget=DATE, required=False, label="Hearing date")
    benefit_starts_on = forms.DateField(widget=DATE, required=False,
                                        label="Benefit starts on (reversed)")
    renewal_due_on = forms.DateField(widget=DATE, required=False,
                                     label="Renewal or redetermination due",
                                     help_text="Leave empty to use the program's rule.")


class RenewalForm(StepForm):
    title = "Renewal"
    last_renewed_on = forms.DateField(widget=DATE, label="Renewed on")
    renewal_due_on = forms.DateField(widget=DATE, required=False, label="Next renewal due",
                                     help_text="Leave empty to use the program's rule.")


class CloseForm(StepForm):
    title = "Close the application"
    closed_on = forms.DateField(widget=DATE, label="Closed on")
    closed_reason = forms.ChoiceField(
        choices=_choices(CoverageApplication.ClosedReason.choices), label="Why")
    closed_note = forms.CharField(required=False, max_length=300, label="Note")


# The URL's step slug → (the action in steps.py, its form).
STEP_FORMS = {
    "submitted": (steps.SUBMIT, SubmissionForm),
    "documents": (steps.REQUEST_DOCUMENTS, DocumentsRequestForm),
    "documents-sent": (steps.DOCUMENTS_SENT, DocumentsSentForm),
    "decision": (steps.DECIDE, DecisionForm),
    "appeal": (steps.APPEAL, AppealForm),
    "appeal-outcome": (steps.APPEAL_OUTCOME, AppealOutcomeForm),
    "renewal": (steps.RENEW, RenewalForm),
    "close": (steps.CLOSE, CloseForm),
}
SLUG_OF = {action: slug for slug, (action, _) in STEP_FORMS.items()}
