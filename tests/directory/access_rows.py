"""Rows of the access matrix (tests/accounts/test_access_matrix.py) for this app's pages."""

from django.urls import reverse

from carecoord.directory.models import Service

from .helpers import load, service_doc

STATEWIDE = "3f1c2a9e-6b7d-4c11-9a52-0d3e8b7f1a01"
NC_LOCAL = "3f1c2a9e-6b7d-4c11-9a52-0d3e8b7f1a02"
EA_LOCAL = "3f1c2a9e-6b7d-4c11-9a52-0d3e8b7f1a03"
HUB_EDITORS = {"ta.hub", "supervisor.nc", "admin.nc"}
NC_STAFF = {"nurse.nc", "social.nc", "supervisor.nc", "admin.nc", "ta.hub"}
EA_STAFF = {"nurse.ea", "social.ea", "supervisor.ea", "admin.ea"}


def rows(child, *, staff, editors, provider):
    """The search from one of the child's care plan needs: the staff of the child's center
    (the directory is theirs, and so is the child); nobody else may read the need."""
    from django.utils import timezone

    from carecoord.careplans.models import Need, NeedDomain

    need = Need.objects.create(
        plan=child.care_plans.get(), domain=NeedDomain.objects.get(code="food"),
        description="Groceries run short at the end of the month", raised_by="family",
        family_priority="high", reach="within_reach", opened_on=timezone.localdate())
    return [("directory-search", "get", f"{reverse('directory-search')}?need={need.pk}", staff,
             200)]


def entries(network) -> dict[str, str]:
    """A statewide entry and a local one of each center (made once per test)."""
    if not Service.objects.filter(pk=STATEWIDE).exists():
        load(service_doc("WIC – Hartford office (test)", service_id=STATEWIDE))
        load(service_doc("Diaper bank (North Central local, test)", service_id=NC_LOCAL),
             center=network.hub)
        load(service_doc("Diaper bank (Eastern local, test)", service_id=EA_LOCAL,
                         town="Norwich"), center=network.east)
    return {"statewide": STATEWIDE, "nc": NC_LOCAL, "ea": EA_LOCAL}


def center_rows(network):
    """Pages not about one child: (url name, method, url, users who may, status)."""
    ids = entries(network)
    everyone = NC_STAFF | EA_STAFF
    readers = {"statewide": everyone, "nc": NC_STAFF, "ea": EA_STAFF}
    editors = {"statewide": HUB_EDITORS, "nc": NC_STAFF, "ea": EA_STAFF}
    found = [("directory", "get", reverse("directory"), everyone, 200),
             ("directory", "get", reverse("directory") + "?kept_by=local&stale=on", everyone,
              200)]
    for key, service_id in ids.items():
        found += [
            ("directory-service", "get", reverse("directory-service", args=[service_id]),
             readers[key], 200),
            ("directory-service-edit", "get",
             reverse("directory-service-edit", args=[service_id]), editors[key], 200),
            # Without the version of the entry the user saw: refused, nothing changes.
            ("directory-service-edit", "post",
             reverse("directory-service-edit", args=[service_id]), editors[key], 400),
            ("directory-service-verify", "post",
             reverse("directory-service-verify", args=[service_id]), editors[key], 400),
        ]
    found.append(("directory-service", "get",
                  reverse("directory-service", args=["no-such-service"]), set(), 404))
    search = reverse("directory-search")
    found += [
        ("directory-search", "get", search, everyone, 200),
        ("directory-search", "get", f"{search}?q=diapers&domain=food&town=Hartford&miles=10"
         "&language=es&age=4&insurance=husky_a&max_cost=10&open_now=on", everyone, 200),
        # Bad input: the form with its errors, nothing searched.
        ("directory-search", "get", f"{search}?town=Nowhere&miles=-1", everyone, 400),
        ("directory-search", "get", f"{search}?need=999999", set(), 404),
    ]
    return found
