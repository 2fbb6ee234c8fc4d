from django import forms

from carecoord.families.forms import VersionedForm

from .models import ElementCompletion, TransitionRecord
from .progress import elements


class TransitionRecordForm(VersionedForm):
    class Meta:
        model = TransitionRecord
        fields = ["adult_clinician", "adult_practice", "planned_transfer_on",
                  "last_pediatric_visit_on", "decision_making", "notes"]
        widgets = {"planned_transfer_on": forms.DateInput(attrs={"type": "date"}),
                   "last_pediatric_visit_on": forms.DateInput(attrs={"type": "date"}),
                   "notes": forms.Textarea(attrs={"rows": 3})}


class ElementCompletionForm(forms.ModelForm):
    element = forms.ChoiceField(choices=())

    class Meta:
        model = ElementCompletion
        fields = ["element", "done_on", "note"]
        widgets = {"done_on": forms.DateInput(attrs={"type": "date"}),
                   "note": forms.Textarea(attrs={"rows": 2})}
        labels = {"done_on": "Done on"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["element"].choices = [(e.id, f"{e.number}. {e.name}") for e in elements()]
