from django import forms

from .export import ALL_CENTERS


class ReportForm(forms.Form):
    """Which year and which center the analysts' page shows (a GET form)."""

    year = forms.TypedChoiceField(label="Federal fiscal year", coerce=int)
    center = forms.ChoiceField(label="Center")

    def __init__(self, *args, years, centers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y.year, str(y)) for y in years]
        choices = [(code, c.name) for code, c in centers.items()]
        if len(choices) > 1:
            choices.insert(0, (ALL_CENTERS, "All centers"))
        self.fields["center"].choices = choices
