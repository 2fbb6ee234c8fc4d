"""Every read through the API is in the audit log, as a page view is: a read of one resource
as a view of its record, a search as a list of the children (or directory entries) it showed,
one event per center so each center's administrator sees reads of their children. The actor
is the client (see auth.fhir_api)."""

from collections import defaultdict

from carecoord.audit.models import Action
from carecoord.audit.services import record_event, record_list

from .resources import Kind


def record_read(kind: Kind, row, resource: dict):
    target = kind.audit(row)
    record_event(action=Action.VIEW, object_type=target.object_type, object_id=target.object_id,
                 child_id=target.child_id, center_id=target.center_id,
                 detail={"fhir": f"{resource['resourceType']}/{resource['id']}"})


def record_search(search: str, shown: list[tuple[Kind, object, dict]]):
    """`shown`: (kind, row, resource) of every match and include in the answer."""
    by_center: dict = defaultdict(lambda: {"children": set(), "others": [], "fhir": []})
    for kind, row, resource in shown:
        target = kind.audit(row)
        group = by_center[target.center_id]
        if target.child_id is not None:
            group["children"].add(target.child_id)
        else:
            group["others"].append((target.object_type, target.object_id))
        group["fhir"].append(f"{resource['resourceType']}/{resource['id']}")
    if not by_center:
        record_list("families.child", [], search=search, fhir=[])
    for center_id, group in by_center.items():
        children = sorted(group["children"])
        if children:
            record_list("families.child", children, center_id=center_id,
                        child_id=children[0] if len(children) == 1 else None,
                        search=search, fhir=group["fhir"])
        else:
            record_list(group["others"][0][0], [pk for _, pk in group["others"]],
                        center_id=center_id, search=search, fhir=group["fhir"])
