from django import forms

from carecoord.accounts.models import Language
from carecoord.careplans.models import Action, Goal

from .models import Contact, Participant


class ContactForm(forms.ModelForm):
    reached = forms.TypedChoiceField(
        choices=[("True", "Reached: the contact happened"),
                 ("False", "Attempt: did not reach them")],
        coerce=lambda value: value == "True", widget=forms.RadioSelect, label="Outcome")
    participants = forms.MultipleChoiceField(
        choices=Participant.choices, required=False, widget=forms.CheckboxSelectMultiple,
        label="Who took part")
    goals = forms.ModelMultipleChoiceField(
        queryset=Goal.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Goals this contact moved forward")
    actions = forms.ModelMultipleChoiceField(
        queryset=Action.objects.none(), required=False, widget=forms.CheckboxSelectMultiple,
        label="Actions this contact moved forward")

    follow_up_on = forms.DateField(required=False, label="Follow up on",
                                   widget=forms.DateInput(attrs={"type": "date"}))
    follow_up = forms.CharField(required=False, max_length=200, label="Follow-up to do")

    class Meta:
        model = Contact
        fields = ["channel", "direction", "occurred_at", "reached", "duration_minutes",
                  "guardian", "participants", "interpreter_language", "notes"]
        widgets = {"occurred_at": forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                      format="%Y-%m-%dT%H:%M"),
                   "notes": forms.Textarea(attrs={"rows": 3})}
        labels = {"duration_minutes": "Duration (minutes)", "occurred_at": "When"}

    def __init__(self, *args, child, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guardian"].queryset = child.household.guardians.all()
        self.fields["interpreter_language"].queryset = Language.objects.all()
        if plan is not None:
            self.fields["goals"].queryset = plan.goals.all()
            self.fields["actions"].queryset = plan.actions.exclude(status="cancelled")


class TaskForm(forms.Form):
    title = forms.CharField(max_length=200, label="What to do")
    due_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="By")
    detail = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CloseTaskForm(forms.Form):
    status = forms.ChoiceField(choices=[("done", "Done"), ("dismissed", "Dismiss")])
    note = forms.CharField(required=False, max_length=200)
