"""Diagnosis-specific organizations for a child: the list with suggestions from the child's
diagnoses, adding an organization, and moving a connection to its next step (in place, with
HTMX, when the browser runs it). Views parse and render; the rules live in services, selectors
and the access policy."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from carecoord.accounts import policy
from carecoord.audit.services import record_list
from carecoord.families.forms import show_refusal
from carecoord.families.services import EditConflict

from . import selectors, services
from .forms import AdvanceForm, ConnectionForm


def _require(allowed: bool):
    # Out of scope looks exactly like not there: 404, never 403.
    if not allowed:
        raise Http404


def _list_page(request, child, *, bound=None, status=200, conflict=None):
    connections = selectors.connections_of(child)
    record_list("connections.organizationconnection", [c.pk for c in connections],
                center_id=child.center_id, child_id=child.pk)
    can_edit = policy.can_edit_child(request.user, child)
    rows = [(c, bound if bound is not None and bound.connection.pk == c.pk
             else AdvanceForm(connection=c)) for c in connections]
    return render(request, "connections/organization_list.html", {
        "child": child, "rows": rows, "can_edit": can_edit, "conflict": conflict,
        "suggestions": selectors.suggestions_for(child, connections) if can_edit else [],
    }, status=status)


def organization_list(request, child_id):
    child = selectors.child_in_scope(request.user, child_id)
    return _list_page(request, child)


def organization_new(request, child_id):
    """Add an organization: from a suggestion's button (the catalog code and the diagnosis) or
    from the form (the catalog, or any organization by name)."""
    child = selectors.child_in_scope(request.user, child_id)
    _require(policy.can_edit_child(request.user, child))
    form = ConnectionForm(request.POST or None, child=child,
                          needs=selectors.organization_needs(child))
    if request.method == "POST" and form.is_valid():
        try:
            connection = services.add_connection(user=request.user, child=child,
                                                 connection=form.save(commit=False))
            messages.success(request, f"{connection.organization_name} added to "
                                      f"{child.first_name}'s organizations.")
            return redirect(reverse("organization-list", args=[child.pk])
                            + f"#connection-{connection.pk}")
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    return render(request, "connections/organization_new.html", {"child": child, "form": form},
                  status=400 if request.method == "POST" else 200)


@require_POST
def organization_advance(request, child_id, connection_id):
    child, connection = selectors.connection_of(request.user, child_id, connection_id)
    _require(policy.can_edit_child(request.user, child))
    form = AdvanceForm(request.POST, connection=connection)
    expected = request.POST.get("version", "")
    conflict = None
    if form.is_valid() and expected.isdigit():
        try:
            connection = services.advance(user=request.user, connection=connection,
                                          expected_version=int(expected), **form.cleaned_data)
            if request.htmx:
                return _row(request, child, connection, AdvanceForm(connection=connection),
                            saved=True)
            messages.success(request, f"{connection.organization_name}: "
                                      f"{connection.get_status_display().lower()}.")
            return redirect(reverse("organization-list", args=[child.pk])
                            + f"#connection-{connection.pk}")
        except EditConflict as changed:
            connection = selectors.connection_of(request.user, child.pk, changed.current.pk)[1]
            conflict = connection
            form = AdvanceForm(connection=connection)
        except (ValidationError, PermissionDenied) as error:
            show_refusal(form, error)
    elif not expected.isdigit():
        form.add_error(None, "Reload the page and try again.")
    if request.htmx:
        # HTMX swaps only successful answers: the row comes back with its errors in place.
        return _row(request, child, connection, form, conflict=conflict)
    return _list_page(request, child, bound=form, status=409 if conflict else 400,
                      conflict=conflict)


def _row(request, child, connection, form, *, saved=False, conflict=None):
    return render(request, "connections/_connection_row.html", {
        "child": child, "connection": connection, "form": form, "can_edit": True,
        "saved": saved, "row_conflict": conflict,
    })
