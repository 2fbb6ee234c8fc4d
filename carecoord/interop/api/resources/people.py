"""Who: the child (Patient), their guardians (RelatedPerson), clinicians (Practitioner), the
practice and the centers (Organization), and the roles of clinicians and of the centers' staff
(PractitionerRole). Only Patient and RelatedPerson are a child's data; the others are what a
practice needs to read the references in the child's resources (see selectors.py)."""

from django.db.models import Q

from ... import mapping, selectors
from ...mapping import common, systems
from ...query import Parameter
from .base import (
    ID,
    LAST_UPDATED,
    NOTHING,
    SP,
    AuditTarget,
    Kind,
    Matches,
    dated,
    ids,
    patient_parameter,
    plain,
    plain_read,
    prefixed,
    read_either,
    where,
)

# ---------------------------------------------------------------- Patient


def _search_patients(practice_id: int, f: dict) -> Matches:
    return Matches(selectors.patients(practice_id).filter(
        where(f, "_id", ids(plain)) & where(f, "_lastUpdated", dated("updated_at"))))


PATIENT = Kind(
    "Patient", {"_id": ID, "_lastUpdated": LAST_UPDATED}, _search_patients,
    plain_read(selectors.patients, plain), mapping.patient,
    lambda c: AuditTarget("families.child", c.pk, c.pk, c.center_id),
    profiles=(systems.PROFILES["Patient"],))


# ---------------------------------------------------------------- RelatedPerson


def _search_related(practice_id: int, f: dict) -> Matches:
    def one_id(value: str) -> Q:
        pair = common.parse_related_person_id(value)
        return Q(household__guardians__pk=pair[0], pk=pair[1]) if pair else NOTHING

    pairs = selectors.guardian_pairs(practice_id, where(f, "_id", one_id)
                                     & where(f, "patient", ids(plain)))
    return Matches(pairs, load=selectors.guardians_of)


def _read_related(practice_id: int, resource_id: str):
    pair = common.parse_related_person_id(resource_id)
    if pair is None:
        return None
    found = list(selectors.guardian_pairs(practice_id, Q(household__guardians__pk=pair[0],
                                                        pk=pair[1])))
    return selectors.guardians_of(found)[0] if found else None


RELATED_PERSON = Kind(
    "RelatedPerson",
    {"_id": ID, "patient": patient_parameter(f"{SP}RelatedPerson-patient")},
    _search_related, _read_related,
    lambda pair: mapping.related_person(pair.guardian, pair.child),
    lambda pair: AuditTarget("families.guardian", pair.guardian.pk, pair.child.pk,
                             pair.child.center_id),
    profiles=(systems.PROFILES["RelatedPerson"],))


# ---------------------------------------------------------------- Practitioner


def _search_practitioners(practice_id: int, f: dict) -> Matches:
    return Matches(selectors.clinicians(practice_id).filter(where(f, "_id", ids(plain))))


PRACTITIONER = Kind(
    "Practitioner", {"_id": ID}, _search_practitioners,
    plain_read(selectors.clinicians, plain), mapping.practitioner,
    lambda c: AuditTarget("families.clinician", c.pk, None, None),
    profiles=(systems.PROFILES["Practitioner"],))


# ---------------------------------------------------------------- PractitionerRole
# Not a child's data. A practice sees the roles of the clinicians it sees as Practitioners (its
# own, and the PCPs of its children) and of the centers' staff who work with its children.


def _search_roles(practice_id: int, f: dict) -> Matches:
    staff = selectors.staff(practice_id).filter(where(f, "_id", ids(prefixed("coordinator"))))
    if any(f.get("practitioner", [])):
        staff = staff.none()  # the centers' staff are not Practitioners
    return Matches(
        selectors.clinician_roles(practice_id).filter(
            where(f, "_id", ids(prefixed("clinician"))) & where(f, "practitioner", ids(plain))),
        staff,
    )


def _is_clinician(row) -> bool:
    return row._meta.model_name == "clinician"


def _role(row) -> dict:
    return mapping.clinician_role(row) if _is_clinician(row) else mapping.coordinator_role(row)


PRACTITIONER_ROLE = Kind(
    "PractitionerRole",
    {"_id": ID,
     "practitioner": Parameter("practitioner", "reference", f"{SP}PractitionerRole-practitioner",
                               "A clinician (Practitioner): their role in their practice. The "
                               "centers' staff are not Practitioners.", target="Practitioner")},
    _search_roles,
    read_either(("clinician", selectors.clinician_roles), ("coordinator", selectors.staff)),
    _role,
    lambda row: (AuditTarget("families.clinician", row.pk, None, None) if _is_clinician(row)
                 else AuditTarget("accounts.user", row.pk, None, row.center_id)),
    profiles=(systems.PROFILES["PractitionerRole"],))


# ---------------------------------------------------------------- Organization


def _search_organizations(practice_id: int, f: dict) -> Matches:
    return Matches(
        selectors.practices(practice_id).filter(where(f, "_id", ids(prefixed("practice")))),
        selectors.centers(practice_id).filter(where(f, "_id", ids(prefixed("center")))),
    )


def _organization(org) -> dict:
    if org._meta.model_name == "practice":
        return mapping.practice_organization(org)
    return mapping.center_organization(org)


def _audit_organization(org) -> AuditTarget:
    if org._meta.model_name == "practice":
        return AuditTarget("families.practice", org.pk, None, None)
    return AuditTarget("accounts.center", org.pk, None, org.pk)


ORGANIZATION = Kind(
    "Organization", {"_id": ID}, _search_organizations,
    read_either(("practice", selectors.practices), ("center", selectors.centers)),
    _organization, _audit_organization,
    profiles=(systems.PROFILES["Organization"],))
