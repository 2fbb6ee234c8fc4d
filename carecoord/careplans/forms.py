from django import forms
from django.utils import timezone

from carecoord.accounts.models import Language
from carecoord.families.forms import DATE

from .models import Action, CarePlanVersion, FamilyPriority, Goal, Need, NeedDomain, Strength


class PlanItemForm(forms.ModelForm):
    """A form for one part of a plan; choices come from that plan."""

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan


class PriorityForm(PlanItemForm):
    class Meta:
        model = FamilyPriority
        fields = ["text", "language", "translation", "rank", "voiced_by"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}),
                   "translation": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, plan=plan, **kwargs)
        self.fields["language"].queryset = Language.objects.all()
        self.fields["language"].initial = plan.language_id
        self.fields["voiced_by"].queryset = plan.child.household.guardians.all()
        self.fields["voiced_by"].label = "Said by"


class StrengthForm(PlanItemForm):
    class Meta:
        model = Strength
        fields = ["text", "protective_factor"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class NeedForm(PlanItemForm):
    class Meta:
        model = Need
        fields = ["domain", "description", "raised_by", "family_priority", "provider_priority",
                  "reach", "expectation"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}),
                   "expectation": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, plan=plan, **kwargs)
        self.fields["domain"].queryset = NeedDomain.objects.all()


class GoalForm(PlanItemForm):
    class Meta:
        model = Goal
        fields = ["need", "statement", "measure", "target_date"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 2}), "target_date": DATE}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, plan=plan, **kwargs)
        self.fields["need"].queryset = plan.needs.select_related("domain")
        self.fields["need"].label = "For the need"

    def clean_target_date(self):
        target = self.cleaned_data["target_date"]
        if target < timezone.localdate():
            raise forms.ValidationError("The target date has passed.")
        return target


class ActionForm(PlanItemForm):
    class Meta:
        model = Action
        fields = ["goal", "description", "owner", "owner_name", "due_on"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}), "due_on": DATE}
        labels = {"owner": "Who does it"}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, plan=plan, **kwargs)
        goals = plan.goals.all()
        self.fields["goal"].queryset = goals
        self.fields["goal"].label = "Towards the goal"
        if len(goals) == 1:  # the usual case while a plan is being written
            self.fields["goal"].initial = goals[0].pk


class AgreeForm(forms.Form):
    agreed_by = forms.ChoiceField(label="Agreed by")
    agreed_on = forms.DateField(widget=DATE)
    how = forms.ChoiceField(choices=CarePlanVersion.AgreedHow.choices, label="How")

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.guardians = {str(g.pk): g for g in plan.child.household.guardians.all()}
        self.fields["agreed_by"].choices = [
            *[(pk, f"{g} ({g.get_relationship_display().lower()})")
              for pk, g in self.guardians.items()],
            ("youth", f"{plan.child.full_name} (the youth)"),
        ]
        self.fields["agreed_on"].initial = timezone.localdate()


class CallReviewForm(forms.Form):
    reason = forms.CharField(max_length=200, label="What happened")


STATUS_FIELDS = {"needs": ("status", "closed_on", "outcome"),
                 "goals": ("status", "outcome"),
                 "actions": ("status",)}


class StatusForm(forms.Form):
    """Change the status (and what closing it needs) of a need, goal or action."""

    status = forms.ChoiceField()
    outcome = forms.CharField(required=False, max_length=300)
    closed_on = forms.DateField(required=False, widget=DATE)

    def __init__(self, *args, section, **kwargs):
        super().__init__(*args, **kwargs)
        model = {"needs": Need, "goals": Goal, "actions": Action}[section]
        self.fields["status"].choices = model.Status.choices
        for name in ("outcome", "closed_on"):
            if name not in STATUS_FIELDS[section]:
                del self.fields[name]

    def changes(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in self.fields}


ITEM_FORMS = {"priorities": PriorityForm, "strengths": StrengthForm, "needs": NeedForm,
              "goals": GoalForm, "actions": ActionForm}
