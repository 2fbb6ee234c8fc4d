"""Practices (the medical homes that refer and receive plans) and the regional care
coordination centers, as US Core Organizations."""

from . import systems
from .common import (
    Unmappable,
    center_organization_id,
    concept,
    dicts,
    meta,
    practice_organization_id,
    strings,
    telecom,
)


def _address(street: str, town) -> dict:
    address = {"use": "work", "city": town.name, "state": "CT", "country": "US"}
    if street:
        address["line"] = [street]
    return address


def practice_organization(practice) -> dict:
    """Reads practice.town."""
    resource = {
        "resourceType": "Organization",
        "id": practice_organization_id(practice.pk),
        "meta": meta("Organization"),
        "active": True,
        "type": [concept(systems.ORGANIZATION_TYPE, "prov", "Healthcare Provider",
                         practice.get_kind_display())],
        "name": practice.name,
        "address": [_address(practice.address, practice.town)],
    }
    if practice.npi:
        resource["identifier"] = [{"system": systems.NPI, "value": practice.npi}]
    points = [telecom(system, value, "work") for system, value in
              (("phone", practice.phone), ("fax", practice.fax)) if value]
    if points:
        resource["telecom"] = points
    return resource


def center_organization(center) -> dict:
    """Reads center.town."""
    resource = {
        "resourceType": "Organization",
        "id": center_organization_id(center.pk),
        "meta": meta("Organization"),
        "active": True,
        "type": [concept(systems.ORGANIZATION_TYPE, "prov", "Healthcare Provider",
                         "Care coordination center for children and youth with special "
                         "health care needs")],
        "name": center.name,
        "alias": [center.short_name],
        "address": [_address(center.address, center.town)],
    }
    if center.phone:
        resource["telecom"] = [telecom("phone", center.phone, "work")]
    return resource


def practice_fields(resource: dict) -> dict:
    """An Organization (a referring practice) as the fields to find or add a Practice: name,
    NPI, phone, fax, street address and the town's name."""
    problems = []
    name = resource.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(("Organization.name", "the practice's name is required"))
    npis = [v.get("value") for v in dicts(resource.get("identifier"))
            if v.get("system") == systems.NPI and isinstance(v.get("value"), str)]
    phone = fax = ""
    for point in dicts(resource.get("telecom")):
        value = point.get("value") if isinstance(point.get("value"), str) else ""
        if point.get("system") == "phone" and not phone:
            phone = value.strip()
        if point.get("system") == "fax" and not fax:
            fax = value.strip()
    addresses = dicts(resource.get("address"))
    street = ", ".join(strings(addresses[0].get("line"))) if addresses else ""
    town = addresses[0].get("city") if addresses else None
    if problems:
        raise Unmappable(problems)
    return {
        "name": name.strip(),
        "npi": npis[0].strip() if npis else "",
        "phone": phone,
        "fax": fax,
        "address": street,
        "town_name": town.strip() if isinstance(town, str) else "",
    }
