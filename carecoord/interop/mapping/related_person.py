"""A guardian, in relation to one child, as a US Core RelatedPerson."""

from . import systems
from .common import (
    Unmappable,
    codes_in,
    coding,
    dicts,
    meta,
    official_name,
    patient_reference,
    related_person_id,
    strings,
    telecom,
)
from .patient import language

# Guardian.relationship → v3 RoleCode (personal relationship). "Legal guardian" and "other
# caregiver" have no personal relationship code: the first is the RoleClass GUARD (added for
# every legal guardian), the second HL7 v2 table 0131 "O" (other).
RELATIONSHIP = {
    "mother": (systems.ROLE_CODE, "MTH", "mother"),
    "father": (systems.ROLE_CODE, "FTH", "father"),
    "stepparent": (systems.ROLE_CODE, "STPPRN", "step parent"),
    "grandparent": (systems.ROLE_CODE, "GRPRN", "grandparent"),
    "aunt_uncle": (systems.ROLE_CODE, "EXT", "extended family member"),
    "sibling": (systems.ROLE_CODE, "SIB", "sibling"),
    "foster": (systems.ROLE_CODE, "PRNFOST", "foster parent"),
    "other": (systems.V2_CONTACT_ROLE, "O", "Other"),
}
GUARDIAN = (systems.ROLE_CLASS, "GUARD", "guardian")

# What a referring system may send, read back into CareCoord's relationships.
RELATIONSHIP_FROM_ROLE_CODE = {
    **{code: "mother" for code in ("MTH", "NMTH", "ADOPTM", "GESTM")},
    **{code: "father" for code in ("FTH", "NFTH", "ADOPTF")},
    **{code: "stepparent" for code in ("STPPRN", "STPMTH", "STPFTH")},
    **{code: "grandparent" for code in ("GRPRN", "GRMTH", "GRFTH", "MGRMTH", "MGRFTH",
                                        "MGRPRN", "PGRMTH", "PGRFTH", "PGRPRN")},
    **{code: "aunt_uncle" for code in ("EXT", "AUNT", "UNCLE", "MAUNT", "PAUNT", "MUNCLE",
                                       "PUNCLE")},
    **{code: "sibling" for code in ("SIB", "BRO", "SIS", "NSIB", "NBRO", "NSIS", "HSIB",
                                    "HBRO", "HSIS")},
    **{code: "foster" for code in ("PRNFOST", "MTHFOST", "FTHFOST")},
}


def related_person(guardian, child) -> dict:
    """Reads guardian.preferred_language."""
    relationship = []
    if guardian.relationship in RELATIONSHIP:
        system, code, display = RELATIONSHIP[guardian.relationship]
        relationship.append({"coding": [coding(system, code, display)],
                             "text": guardian.get_relationship_display()})
    if guardian.is_legal_guardian or guardian.relationship == "legal_guardian":
        relationship.append({"coding": [coding(*GUARDIAN)], "text": "Legal guardian"})
    contact_points = []
    if guardian.phone:
        contact_points.append(telecom("phone", guardian.phone,
                                      "mobile" if guardian.phone_can_text else "home"))
    if guardian.phone and guardian.phone_can_text:
        contact_points.append(telecom("sms", guardian.phone, "mobile"))
    if guardian.email:
        contact_points.append(telecom("email", guardian.email, "home"))
    resource = {
        "resourceType": "RelatedPerson",
        "id": related_person_id(guardian.pk, child.pk),
        "meta": meta("RelatedPerson"),
        "active": True,
        "patient": patient_reference(child),
        "relationship": relationship,
        "name": [{"use": "official", "family": guardian.last_name,
                  "given": [guardian.first_name]}],
    }
    if contact_points:
        resource["telecom"] = contact_points
    if guardian.address:
        resource["address"] = [{"use": "home", "text": guardian.address}]
    if guardian.preferred_language_id:
        resource["communication"] = [{"language": language(guardian.preferred_language),
                                      "preferred": True}]
    return resource


def guardian_fields(resource: dict) -> dict:
    """A RelatedPerson as the fields of a new Guardian (the household comes from the child)."""
    problems = []
    name = official_name(resource.get("name"), "RelatedPerson.name", problems) or {}
    given, family = strings(name.get("given")), name.get("family")
    if not given:
        problems.append(("RelatedPerson.name.given", "a given (first) name is required"))
    if not isinstance(family, str) or not family.strip():
        problems.append(("RelatedPerson.name.family", "a family (last) name is required"))
    relationship, legal = "other", False
    for concept_json in dicts(resource.get("relationship")):
        if "GUARD" in codes_in(concept_json, systems.ROLE_CLASS):
            legal = True
        for code in codes_in(concept_json, systems.ROLE_CODE):
            relationship = RELATIONSHIP_FROM_ROLE_CODE.get(code, relationship)
    if legal and relationship == "other":
        relationship = "legal_guardian"
    phone = email = ""
    can_text = False
    for point in dicts(resource.get("telecom")):
        value = point.get("value")
        if not isinstance(value, str) or not value.strip():
            continue
        if point.get("system") in ("phone", "sms") and not phone:
            phone = value.strip()
        can_text = can_text or point.get("system") == "sms"
        if point.get("system") == "email" and not email:
            email = value.strip()
    if not (phone or email):
        problems.append(("RelatedPerson.telecom",
                         "a phone number or an email address is required to reach the family"))
    language_codes = [code for item in dicts(resource.get("communication"))
                      for code in codes_in(item.get("language"), systems.BCP_47)]
    if problems:
        raise Unmappable(problems)
    return {
        "first_name": given[0],
        "last_name": family.strip(),
        "relationship": relationship,
        "is_legal_guardian": legal,
        "phone": phone,
        "phone_can_text": can_text and bool(phone),
        "email": email,
        "preferred_language_code": language_codes[0].split("-")[0].lower()
        if language_codes else None,
    }
