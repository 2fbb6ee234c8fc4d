from django import forms

from .models import FaxQueueEntry, ProviderComment


class ShareForm(forms.Form):
    """Which recipients get the current version, and by which of the routes each accepts.
    Only recipients the plan may go to now are offered (the blocked ones are listed with their
    reasons beside the form); the service checks consent again when sending."""

    recipients = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, label="Send to",
        error_messages={"required": "Choose at least one recipient."})
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.recipients_by_id = {c.recipient.pk: c.recipient for c in candidates
                                 if c.recipient is not None and not c.blocked}
        self.fields["recipients"].choices = [choice for c in candidates if not c.blocked
                                             for choice in c.choices]

    def clean_recipients(self):
        pairs = []
        for value in self.cleaned_data["recipients"]:
            recipient_id, _, route = value.partition(":")
            pairs.append((self.recipients_by_id[int(recipient_id)], route))
        return pairs


class RespondForm(forms.Form):
    kind = forms.ChoiceField(choices=ProviderComment.Kind.choices, widget=forms.HiddenInput)
    text = forms.CharField(
        label="Comment for the care coordinator", required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


class FaxMarkForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(FaxQueueEntry.Status.SENT, "Faxed"),
                 (FaxQueueEntry.Status.FAILED, "Could not be faxed")],
        widget=forms.RadioSelect)
    note = forms.CharField(label="Confirmation or reason", required=False, max_length=300)
