"""`GET /fhir/<type>?…`: a searchset Bundle of the matching resources within the client's
scope, a page at a time, with the goals of care plans when `_include=CarePlan:goal` asks."""

import uuid

from django.urls import reverse
from django.utils import timezone

from .. import query
from ..mapping.common import instant
from ..smart.scopes import READ, SEARCH
from .audit import record_search
from .auth import fhir_api, require
from .read import allow_get, served
from .resources import KINDS
from .responses import FhirError, fhir_response


def _page_url(request, offset: int, count: int) -> str:
    params = request.GET.copy()
    params["_offset"] = str(offset)
    params["_count"] = str(count)
    return f"{request.build_absolute_uri(request.path)}?{params.urlencode()}"


def _included(includes: list[str], page: list) -> list:
    """The goals of the care plans on the page (each once), for _include=CarePlan:goal."""
    if "CarePlan:goal" not in includes:
        return []
    goals = {}
    for plan in page:
        for goal in plan.goals.all():
            goals.setdefault(goal.pk, goal)
    return list(goals.values())


@fhir_api
def search(request, authorized, resource_type):
    kind = served(resource_type)
    allow_get(request)
    require(authorized, resource_type, SEARCH)
    pairs = [(name, value) for name, values in request.GET.lists() for value in values]
    try:
        asked = query.parse(resource_type, pairs, kind.parameters, kind.includes,
                            zone=timezone.get_current_timezone(), now=timezone.now())
    except query.BadParameter as bad:
        raise FhirError(400, f"Search parameter {bad.parameter} {bad.reason}.",
                        bad.parameter) from None
    for include in asked.includes:
        require(authorized, kind.includes[include], READ)

    matches = kind.search(authorized.client.practice_id, asked.filters)
    total = matches.count()
    page = matches.page(asked.offset, asked.count) if asked.count else []
    shown = [(kind, row, kind.to_fhir(row)) for row in page]
    included = [(KINDS["Goal"], goal, KINDS["Goal"].to_fhir(goal))
                for goal in _included(asked.includes, page)]

    links = [{"relation": "self", "url": request.build_absolute_uri()}]
    if asked.count and asked.offset + len(page) < total:
        links.append({"relation": "next",
                      "url": _page_url(request, asked.offset + asked.count, asked.count)})
    if asked.count and asked.offset:
        links.append({"relation": "previous", "url": _page_url(
            request, max(asked.offset - asked.count, 0), asked.count)})
    bundle = {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "meta": {"lastUpdated": instant(timezone.now())},
        "type": "searchset",
        "total": total,
        "link": links,
        "entry": [{
            "fullUrl": request.build_absolute_uri(
                reverse("fhir-read", args=[resource["resourceType"], resource["id"]])),
            "resource": resource,
            "search": {"mode": mode},
        } for mode, rows in (("match", shown), ("include", included)) for _, _, resource in rows],
    }
    if not bundle["entry"]:
        del bundle["entry"]
    record_search(request.get_full_path()[:300], shown + included)
    return fhir_response(bundle, pretty=asked.pretty)
