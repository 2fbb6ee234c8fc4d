from django import forms
from django.utils import timezone

from carecoord.accounts.models import Center
from carecoord.directory.models import Service
from carecoord.families.forms import DATE, VersionedForm

from .models import Consultation, FollowUp, LibraryItem, RequestComment, TARequest, Training

ATTENDEES_HELP = ("One a line: “Name; role; center”, e.g. “Dana Lee; supervisor; Eastern”. "
                  "On a request's consultation the center may be left out.")


def _today(form, *names):
    for name in names:
        form.fields[name].initial = timezone.localdate


class RequestForm(forms.ModelForm):
    class Meta:
        model = TARequest
        fields = ["center", "asked_by_name", "asked_by_role", "topic", "urgency", "subject",
                  "description", "requested_on"]
        widgets = {"requested_on": DATE, "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _today(self, "requested_on")


class RequestEditForm(VersionedForm):
    class Meta:
        model = TARequest
        fields = ["asked_by_name", "asked_by_role", "topic", "urgency", "subject",
                  "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class StartForm(forms.Form):
    title = "Work started"
    started_on = forms.DateField(widget=DATE, label="Started on", initial=timezone.localdate)


class ResolveForm(forms.Form):
    title = "Resolved"
    resolved_on = forms.DateField(widget=DATE, label="Resolved on", initial=timezone.localdate)
    resolution = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}),
                                 label="How it was resolved")


STEP_FORMS = {"start": StartForm, "resolve": ResolveForm}


class CommentForm(forms.ModelForm):
    class Meta:
        model = RequestComment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}


class ConsultationForm(forms.ModelForm):
    attendees = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                help_text=ATTENDEES_HELP)

    class Meta:
        model = Consultation
        fields = ["centers", "held_on", "mode", "topic", "notes"]
        widgets = {"held_on": DATE, "centers": forms.CheckboxSelectMultiple,
                   "notes": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, on_request=None, **kwargs):
        super().__init__(*args, **kwargs)
        _today(self, "held_on")
        self.fields["centers"].queryset = Center.objects.all()
        if on_request is not None:
            self.fields["centers"].required = False
            self.fields["centers"].help_text = (f"{on_request.center} takes part; add any "
                                                "other center.")
            self.fields["topic"].initial = on_request.topic


class ConsultationEditForm(VersionedForm):
    class Meta:
        model = Consultation
        fields = ["held_on", "mode", "topic", "notes"]
        widgets = {"held_on": DATE, "notes": forms.Textarea(attrs={"rows": 6})}


class TrainingForm(forms.ModelForm):
    attendees = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 5}),
                                help_text=ATTENDEES_HELP)

    class Meta:
        model = Training
        fields = ["title", "held_on", "hours", "mode", "trainer", "topic", "description",
                  "centers", "materials"]
        widgets = {"held_on": DATE, "centers": forms.CheckboxSelectMultiple,
                   "materials": forms.CheckboxSelectMultiple,
                   "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centers"].queryset = Center.objects.all()
        self.fields["materials"].queryset = LibraryItem.objects.all()
        self.fields["materials"].required = False


class TrainingEditForm(VersionedForm):
    class Meta:
        model = Training
        fields = ["title", "held_on", "hours", "mode", "trainer", "topic", "description"]
        widgets = {"held_on": DATE, "description": forms.Textarea(attrs={"rows": 3})}


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["description", "owner", "owner_center", "due_on"]
        widgets = {"due_on": DATE}


class LibraryItemForm(forms.ModelForm):
    class Meta:
        model = LibraryItem
        fields = ["title", "description", "topic", "file", "services"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "file": forms.ClearableFileInput(attrs={
                       "accept": ".pdf,.docx,.xlsx,.pptx"})}
        help_texts = {"file": "PDF, DOCX, XLSX or PPTX, up to 10 MB.",
                      "services": "Statewide entries of the resource directory this relates "
                                  "to."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = Service.objects.filter(
            center__isnull=True).order_by("name")
        self.fields["services"].required = False
