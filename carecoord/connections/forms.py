from django import forms
from django.utils import timezone

from carecoord.families.forms import DATE

from .models import OrganizationConnection


class ConnectionForm(forms.ModelForm):
    class Meta:
        model = OrganizationConnection
        fields = ["organization", "organization_name", "website", "level", "diagnosis", "need",
                  "suggested_on", "notes"]
        widgets = {"suggested_on": DATE, "notes": forms.Textarea(attrs={"rows": 2})}
        labels = {"organization_name": "Or its name, when it is not in the catalog",
                  "level": "Level (for an organization not in the catalog)",
                  "suggested_on": "Suggested on"}

    def __init__(self, *args, child, needs, **kwargs):
        super().__init__(*args, **kwargs)
        # A catalog organization brings its own name, domain and level (services.py).
        for name in ("organization_name", "level", "suggested_on"):
            self.fields[name].required = False
        self.fields["suggested_on"].initial = timezone.localdate
        self.fields["diagnosis"].queryset = child.diagnoses.all()
        self.fields["diagnosis"].label_from_instance = (
            lambda d: f"{d.code} {d.description}".strip())
        self.fields["need"].queryset = needs
        self.fields["need"].label_from_instance = lambda need: need.description[:80]


class AdvanceForm(forms.Form):
    """The next step of a connection. The page also sends the connection's version (a hidden
    input), so a change from an older page is refused."""

    status = forms.ChoiceField(label="Next step")
    on = forms.DateField(widget=DATE, label="On")
    connected_how = forms.ChoiceField(
        required=False, label="How the family is connected (connected)",
        choices=[("", "---------"), *OrganizationConnection.ConnectedHow.choices])
    outcome_note = forms.CharField(required=False, max_length=300, label="Note",
                                   help_text="Why it was not a fit, or what the family said.")

    def __init__(self, *args, connection, **kwargs):
        kwargs.setdefault("prefix", f"c{connection.pk}")
        super().__init__(*args, **kwargs)
        self.connection = connection
        # Any later step is accepted here and the service says why one cannot be taken yet;
        # the list offers only the steps that can.
        self.fields["status"].choices = [
            (value, label) for value, label in OrganizationConnection.Status.choices
            if value != OrganizationConnection.Status.SUGGESTED]
        self.fields["status"].widget.choices = connection.next_steps()
        self.fields["on"].initial = timezone.localdate
