from django import forms

from carecoord.families.forms import DATE


class AssignForm(forms.Form):
    coordinator = forms.ModelChoiceField(queryset=None, label="Coordinator")
    start_date = forms.DateField(widget=DATE, label="From")
    reason = forms.CharField(max_length=150, required=False,
                             help_text="Needed when you choose someone other than the first "
                                       "suggestion.")

    def __init__(self, *args, coordinators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = coordinators
        self.fields["coordinator"].label_from_instance = lambda u: (
            f"{u.get_full_name()} ({u.get_discipline_display().lower()})")
