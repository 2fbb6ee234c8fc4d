from django import forms

from carecoord.families.forms import DATE

from .models import PeerMatch, SupportParent


class SupportParentForm(forms.ModelForm):
    class Meta:
        model = SupportParent
        fields = ["guardian", "experience", "diagnosis_codes", "trained_on", "max_matches"]
        widgets = {"trained_on": DATE, "experience": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, child, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["guardian"].queryset = child.household.guardians.all()
        self.fields["guardian"].label = "Parent who volunteers"
        codes = sorted({d.code[:3] for d in child.diagnoses.all() if d.code_system == "icd10cm"})
        self.initial.setdefault("diagnosis_codes", ", ".join(codes))


class ProposeForm(forms.Form):
    supporter = forms.ModelChoiceField(queryset=SupportParent.objects.none(),
                                       label="Support parent")
    reason = forms.CharField(label="What the family hopes for",
                             widget=forms.Textarea(attrs={"rows": 2}))
    shared_experience = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, supporters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supporter"].queryset = SupportParent.objects.filter(
            pk__in=[s.pk for s in supporters]).select_related("guardian")


class IntroduceForm(forms.Form):
    introduced_on = forms.DateField(widget=DATE, label="Introduced on")


class MatchStatusForm(forms.Form):
    status = forms.ChoiceField(choices=[(s.value, s.label) for s in (
        PeerMatch.Status.ACTIVE, PeerMatch.Status.CLOSED, PeerMatch.Status.DECLINED)])
    outcome = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
