from django import forms

from .models import Service
from .selectors import KEPT_BY
from .services import EDITABLE

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class DirectoryFilterForm(forms.Form):
    kept_by = forms.ChoiceField(choices=list(KEPT_BY.items()), required=False,
                                label="Entries")
    stale = forms.BooleanField(required=False,
                               label="Only entries not verified for over 12 months")


class ServiceForm(forms.ModelForm):
    """A service's own HSDS facts. The page also sends the version of the entry the user saw
    (a hidden input beside these fields), so a save from a stale page is refused."""

    class Meta:
        model = Service
        fields = list(EDITABLE)
        widgets = {name: TEXTAREA for name in (
            "description", "alert", "eligibility_description", "fees_description",
            "application_process", "interpretation_services")}
        widgets["name"] = forms.TextInput()
        widgets["alternate_name"] = forms.TextInput()
        widgets["url"] = forms.URLInput()
        widgets["email"] = forms.EmailInput()
        widgets["wait_time"] = forms.TextInput()
        labels = {
            "alternate_name": "Other name",
            "url": "Web address (URL)",
            "alert": "Alert (a short-term notice, such as a closure)",
            "eligibility_description": "Who it is for",
            "minimum_age": "Minimum age (years)",
            "maximum_age": "Maximum age (years)",
            "fees_description": "Fees",
            "application_process": "How to apply",
            "interpretation_services": "Interpretation",
            "wait_time": "Wait time",
        }
        help_texts = {"maximum_age": "The oldest age, in years, a child may be and still be "
                                     "served (e.g. 2 for Birth to Three)."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("minimum_age", "maximum_age"):
            self.fields[name].widget.attrs.update({"min": 0, "step": "any"})
