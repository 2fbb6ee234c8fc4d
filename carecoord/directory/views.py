"""The directory pages: the list of entries, the search (from a care plan need or on its own),
one service with its HSDS facts, its edit form and "verified today". Views parse and render;
who sees and changes what is the access policy's, reads are the selectors', writes the
services'."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from carecoord.accounts import policy
from carecoord.accounts.models import Town
from carecoord.audit.services import record_view
from carecoord.families.forms import show_refusal
from carecoord.families.selectors import last_change
from carecoord.families.services import EditConflict

from . import search as directory_search
from . import selectors, services
from .forms import DirectoryFilterForm, SearchForm, ServiceForm


def _require(allowed: bool):
    # Out of scope looks exactly like not there: 404, never 403.
    if not allowed:
        raise Http404


def directory(request):
    _require(policy.can_see_directory(request.user))
    filters = DirectoryFilterForm(request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    page = selectors.directory_page(request.user, kept_by=cleaned.get("kept_by", ""),
                                    stale=cleaned.get("stale", False),
                                    page=request.GET.get("page", 1))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "directory/service_list.html", {
        "page": page, "filters": filters, "query": query.urlencode(),
        "center": request.user.center,
    })


def search(request):
    """Find services for a need. `?need=<id>` alone fills the filters from the need and its
    child (a read of the child's record, audited); the user's own choices win after that."""
    _require(policy.can_see_directory(request.user))
    need = None
    if request.GET.get("need"):
        need = selectors.need_for_search(request.user, request.GET["need"])
        record_view(need)
    data = request.GET
    if need is not None and set(request.GET) <= {"need"}:
        data = selectors.need_filters(need)
    form = SearchForm(data or None)
    page, status = None, 200
    if not form.is_bound:
        page = directory_search.search(request.user, directory_search.SearchCriteria())
    elif form.is_valid():
        page = directory_search.search(request.user, form.criteria(),
                                       request.GET.get("page", 1))
    elif not request.htmx:
        status = 400  # HTMX swaps only successful answers: it gets the errors with a 200
    context = {"form": form, "page": page, "need": need, "query": _query(data),
               "refer_url": _refer_url(need)}
    if request.htmx:
        return render(request, "directory/_search_results.html", context, status=status)
    context["towns"] = Town.objects.values_list("name", flat=True)
    return render(request, "directory/search.html", context, status=status)


def _query(data) -> str:
    """The search as a query string, for the page links (without the page)."""
    if isinstance(data, QueryDict):
        query = data.copy()
    else:  # filled from a need
        query = QueryDict(mutable=True)
        query.update({name: value for name, value in data.items() if value not in (None, "")})
    query.pop("page", None)
    return query.urlencode()


def _refer_url(need):
    """The referral page for this need, once servicereferrals has it (service id appended)."""
    if need is None:
        return ""
    try:
        return reverse("service-referral-new", args=[need.plan.child_id, need.pk])
    except NoReverseMatch:
        return ""


def service_detail(request, service_id):
    service, terms = selectors.service_detail(request.user, service_id)
    return render(request, "directory/service_detail.html", {
        "service": service, "terms": terms,
        "can_edit": policy.can_edit_directory_service(request.user, service),
    })


def service_edit(request, service_id):
    service = selectors.service_in_scope(request.user, service_id)
    _require(policy.can_edit_directory_service(request.user, service))
    form = ServiceForm(request.POST if request.method == "POST" else None, instance=service)
    conflict = None
    status = 200
    if request.method == "POST":
        expected = request.POST.get("version", "")
        status = 400
        valid = form.is_valid()
        if not expected.isdigit():
            form.add_error(None, "This page is missing the version of the entry you opened: "
                                 "reload it and make your change again.")
        elif valid:
            try:
                saved = services.update_service(
                    user=request.user, service=service, expected_version=int(expected),
                    changes={name: form.cleaned_data[name] for name in services.EDITABLE})
                messages.success(request, f"{saved.name}: saved.")
                return redirect("directory-service", service_id=saved.pk)
            except EditConflict as changed:
                service, conflict, status = changed.current, _conflict(changed.current), 409
            except (ValidationError, PermissionDenied) as error:
                show_refusal(form, error)
    return render(request, "directory/service_edit.html", {
        "service": service, "form": form, "conflict": conflict}, status=status)


@require_POST
def service_verify(request, service_id):
    service = selectors.service_in_scope(request.user, service_id)
    _require(policy.can_edit_directory_service(request.user, service))
    expected = request.POST.get("version", "")
    if not expected.isdigit():
        messages.error(request, "Not verified: the page did not say which version of the "
                                "entry you checked. Reload it and try again.")
        return _detail_again(request, service_id, status=400)
    try:
        services.mark_verified(user=request.user, service=service,
                               expected_version=int(expected))
    except EditConflict as changed:
        change = _conflict(changed.current)
        messages.error(request, f"Not verified: {change['by']} changed this entry after you "
                                "opened it. Check it again below, then mark it verified.")
        return _detail_again(request, service_id, status=409)
    messages.success(request, f"{service.name}: verified today.")
    return redirect("directory-service", service_id=service.pk)


def _detail_again(request, service_id, *, status):
    response = service_detail(request, service_id)
    response.status_code = status
    return response


def _conflict(current):
    change = last_change(current)
    return {"by": change.actor_username if change else "someone else",
            "at": change.at if change else None}
