from django import forms
from django.http import Http404
from django.shortcuts import render

from carecoord.accounts import policy

from .models import Action
from .selectors import AuditFilters, audit_events


class AuditFilterForm(forms.Form):
    actor = forms.CharField(required=False, label="User")
    action = forms.ChoiceField(required=False, choices=[("", "Any action"), *Action.choices])
    child_id = forms.CharField(required=False, label="Child record number")
    date_from = forms.DateField(required=False, label="From",
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label="To",
                              widget=forms.DateInput(attrs={"type": "date"}))


def audit_log(request):
    if not policy.can_read_audit(request.user):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    filters = AuditFilters(**form.cleaned_data) if form.is_valid() else AuditFilters()
    page = audit_events(request.user, filters, request.GET.get("page", 1))
    return render(request, "audit/log.html", {"form": form, "page": page})
