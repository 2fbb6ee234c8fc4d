"""PractitionerRoles (US Core): a clinician in their practice, and a member of a center's staff
working in care coordination (the coordinator of a child, or whoever logged a contact, holds a
task or gave a screening). Staff are not Practitioners (they have no NPI): their role names the
person in `practitioner.display` only."""

from . import systems
from .common import (
    center_reference,
    clinician_role_id,
    concept,
    coordinator_role_id,
    meta,
    practice_reference,
    reference,
    telecom,
)

PCP = concept(systems.SNOMED, "446050000", "Primary care physician")
CARE_COORDINATOR = concept(systems.SNOMED, "768820003", "Care coordinator")
# A coordinator's discipline as a NUCC provider taxonomy code (US Core's specialty binding).
DISCIPLINE = {
    "nurse": ("163WC0400X", "Case Management Registered Nurse"),
    "social_worker": ("1041C0700X", "Clinical Social Worker"),
    "community": ("171M00000X", "Case Manager/Care Coordinator"),
}


def clinician_role(clinician) -> dict:
    """Reads clinician.practice. With no phone or email of their own, the practice's phone is
    how to reach them (US Core asks for a contact point)."""
    resource = {
        "resourceType": "PractitionerRole",
        "id": clinician_role_id(clinician.pk),
        "meta": meta("PractitionerRole"),
        "active": True,
        "practitioner": reference("Practitioner", clinician.pk, str(clinician)),
    }
    if clinician.practice_id:
        resource["organization"] = practice_reference(clinician.practice)
    if clinician.is_pcp:
        resource["code"] = [{**PCP, "text": "Primary care provider"}]
    if clinician.specialty:
        resource["specialty"] = [{"text": clinician.specialty}]
    points = [telecom(system, value, "work") for system, value in
              (("phone", clinician.phone), ("email", clinician.email)) if value]
    if not points and clinician.practice_id and clinician.practice.phone:
        points = [telecom("phone", clinician.practice.phone, "work")]
    if points:
        resource["telecom"] = points
    return resource


def coordinator_role(user) -> dict:
    """Reads user.center."""
    resource = {
        "resourceType": "PractitionerRole",
        "id": coordinator_role_id(user.pk),
        "meta": meta("PractitionerRole"),
        "active": user.is_active,
        "practitioner": {"display": str(user)},
        "code": [{**CARE_COORDINATOR, "text": "Care coordination"}],
    }
    if user.center_id:
        resource["organization"] = center_reference(user.center)
    if user.discipline in DISCIPLINE:
        code, display = DISCIPLINE[user.discipline]
        resource["specialty"] = [concept(systems.NUCC, code, display,
                                         user.get_discipline_display())]
    points = [telecom("email", user.email, "work")] if user.email else []
    if user.center_id and user.center.phone:
        points.append(telecom("phone", user.center.phone, "work"))
    if points:
        resource["telecom"] = points
    return resource
