from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from carecoord.accounts import policy
from carecoord.audit.services import record_list
from carecoord.careplans import selectors as plan_selectors
from carecoord.families.forms import show_refusal

from . import selectors, services
from .forms import ContactForm


def contact_new(request, child_id):
    """Log a contact: the family's preferred channels and best times are on the page, with a
    prompt to change channel after repeated unanswered attempts."""
    child, plan, _ = plan_selectors.plan_for_child(request.user, child_id)
    if not policy.can_edit_child(request.user, child):
        raise Http404
    form = ContactForm(request.POST or None, child=child, plan=plan,
                       initial={"occurred_at": timezone.localtime().replace(second=0,
                                                                             microsecond=0)})
    if request.method == "POST" and form.is_valid():
        try:
            services.log_contact(user=request.user, child=child,
                                 contact=form.save(commit=False),
                                 goals=form.cleaned_data["goals"],
                                 actions=form.cleaned_data["actions"])
            messages.success(request, "Contact logged.")
            return redirect("contact-list", child_id=child.pk)
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    guardians = list(child.household.guardians.all())
    return render(request, "contacts/contact_new.html", {
        "child": child, "form": form, "guardians": guardians,
        "suggestion": selectors.channel_suggestion(child, guardians),
    }, status=400 if request.method == "POST" else 200)


def contact_list(request, child_id):
    child, plan, _ = plan_selectors.plan_for_child(request.user, child_id)
    if not policy.can_see_contacts(request.user):
        raise Http404
    page = selectors.contacts_of(child, request.GET.get("page", 1))
    record_list("contacts.contact", [c.pk for c in page], center_id=child.center_id,
                child_id=child.pk)
    guardians = list(child.household.guardians.all())
    return render(request, "contacts/contact_list.html", {
        "child": child, "page": page, "can_log": policy.can_edit_child(request.user, child),
        "suggestion": selectors.channel_suggestion(child, guardians),
    })
