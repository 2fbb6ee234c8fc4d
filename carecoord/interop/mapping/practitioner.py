"""Clinicians (a child's PCP, the practice's physicians) as US Core Practitioners."""

from . import systems
from .common import Unmappable, dicts, meta, official_name, strings, telecom


def practitioner(clinician) -> dict:
    name = {"use": "official", "family": clinician.last_name, "given": [clinician.first_name]}
    if clinician.credentials:
        name["suffix"] = [clinician.credentials]
    resource = {
        "resourceType": "Practitioner",
        "id": str(clinician.pk),
        "meta": meta("Practitioner"),
        "identifier": [{"system": systems.NPI, "value": clinician.npi}],
        "active": True,
        "name": [name],
    }
    points = [telecom(system, value, "work") for system, value in
              (("phone", clinician.phone), ("email", clinician.email)) if value]
    if points:
        resource["telecom"] = points
    return resource


def clinician_fields(resource: dict) -> dict:
    """A Practitioner (a referring clinician) as the fields to find or add a Clinician. The
    NPI is what identifies a clinician: it is required."""
    problems = []
    name = official_name(resource.get("name"), "Practitioner.name", problems) or {}
    given, family = strings(name.get("given")), name.get("family")
    if not given:
        problems.append(("Practitioner.name.given", "a given (first) name is required"))
    if not isinstance(family, str) or not family.strip():
        problems.append(("Practitioner.name.family", "a family (last) name is required"))
    npis = [v.get("value").strip() for v in dicts(resource.get("identifier"))
            if v.get("system") == systems.NPI and isinstance(v.get("value"), str)
            and v.get("value").strip()]
    if not npis:
        problems.append(("Practitioner.identifier",
                         f"an NPI (system {systems.NPI}) is required"))
    phone = email = ""
    for point in dicts(resource.get("telecom")):
        value = point.get("value").strip() if isinstance(point.get("value"), str) else ""
        if point.get("system") == "phone" and not phone:
            phone = value
        if point.get("system") == "email" and not email:
            email = value
    if problems:
        raise Unmappable(problems)
    return {
        "first_name": given[0],
        "last_name": family.strip(),
        "credentials": " ".join(strings(name.get("suffix"))),
        "npi": npis[0],
        "phone": phone,
        "email": email,
    }
