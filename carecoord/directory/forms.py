from django import forms
from django.core.exceptions import ValidationError

from carecoord.accounts.models import Language, Town
from carecoord.careplans.models import NeedDomain
from carecoord.families.models import Child

from . import taxonomy
from .models import Service
from .search import SearchCriteria
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


def _insurance_choices():
    mapped = {term.insurance for term in taxonomy.terms().values() if term.insurance}
    return [("", "Any, or not known")] + [(value, label) for value, label in
                                          Child.Insurance.choices if value in mapped]


class SearchForm(forms.Form):
    """The directory search's filters (GET). Every field may be empty: empty is "any"."""

    q = forms.CharField(label="Words to look for", required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search"}),
                        help_text="In the name, description, organization or category, "
                                  "e.g. food pantry.")
    domain = forms.ModelChoiceField(NeedDomain.objects.all(), to_field_name="code",
                                    required=False, label="Need domain",
                                    empty_label="Any domain")
    wider = forms.BooleanField(required=False,
                               label="Also show services outside this domain (ranked lower)")
    town = forms.CharField(label="Family's town", required=False, max_length=80,
                           widget=forms.TextInput(attrs={"list": "ct-towns",
                                                         "autocomplete": "off"}),
                           help_text="A Connecticut town: services that serve families there.")
    miles = forms.DecimalField(label="Within (miles)", required=False, max_digits=5,
                               decimal_places=1, max_value=200,
                               widget=forms.NumberInput(attrs={"min": 0, "step": "any"}),
                               help_text="From the town's center to the nearest site.")
    language = forms.ModelChoiceField(Language.objects.all(), to_field_name="code",
                                      required=False, label="Language the family speaks",
                                      empty_label="Any language")
    language_only = forms.BooleanField(required=False, label="Only services that speak it")
    age = forms.IntegerField(label="Child's age (years)", required=False, max_value=26,
                             widget=forms.NumberInput(attrs={"min": 0}))
    insurance = forms.ChoiceField(label="Child's insurance", required=False, choices=[])
    free = forms.BooleanField(required=False, label="Free only")
    max_cost = forms.DecimalField(label="Costs at most (USD)", required=False, max_digits=8,
                                  decimal_places=2,
                                  widget=forms.NumberInput(attrs={"min": 0, "step": "any"}),
                                  help_text="The lowest price the service lists.")
    open_now = forms.BooleanField(required=False, label="Open now")
    need = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["insurance"].choices = _insurance_choices()

    def clean_town(self):
        name = " ".join(self.cleaned_data["town"].split())
        if not name:
            return None
        plain = name.removesuffix(", CT").removesuffix(", Connecticut")
        town = Town.objects.select_related("region").filter(name__iexact=plain).first()
        if town is None:
            raise ValidationError(f"There is no Connecticut town called “{name}”: choose one "
                                  "of the 169 towns from the list.")
        return town

    def _not_negative(self, name, message):
        value = self.cleaned_data.get(name)
        if value is not None and value < 0:
            raise ValidationError(message)
        return value

    def clean_miles(self):
        return self._not_negative("miles", "A distance is 0 miles or more.")

    def clean_age(self):
        return self._not_negative("age", "An age is 0 years or more.")

    def clean_max_cost(self):
        return self._not_negative("max_cost", "A cost is 0 or more.")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("miles") is not None and not cleaned.get("town") and (
                "town" not in self.errors):
            self.add_error("miles", "Give the family's town to measure the distance from.")
        return cleaned

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:  # a screen reader reads the error with the field
                bound = self[name]
                ids = [f"{bound.auto_id}_error"] + (
                    [f"{bound.auto_id}_helptext"] if bound.help_text else [])
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)

    def criteria(self) -> SearchCriteria:
        data = self.cleaned_data
        return SearchCriteria(
            domain=data["domain"].code if data["domain"] else "", wider=data["wider"],
            text=data["q"], town=data["town"],
            within_miles=float(data["miles"]) if data["miles"] is not None else None,
            language=data["language"].code if data["language"] else "",
            language_only=data["language_only"], age=data["age"],
            insurance=data["insurance"], free_only=data["free"],
            max_cost=float(data["max_cost"]) if data["max_cost"] is not None else None,
            open_now=data["open_now"])
