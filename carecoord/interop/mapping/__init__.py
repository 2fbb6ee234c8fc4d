"""CareCoord's records as FHIR R4 resources, and back where a record can arrive from outside.

Plain functions: a domain object (with the relations its selector prefetched) in, a JSON-ready
dict out. Nothing here queries on its own or decides who may see what (the API does that, from
the access policy), and nothing in the domain apps imports this package: the domain speaks
FHIR only at this edge. The reverse functions (`*_fields`) turn a resource into the plain field
values of a domain record, or raise `Unmappable` naming each element that cannot be used."""

from .careplan import care_plan
from .common import Unmappable
from .condition import diagnosis_condition, diagnosis_fields, need_condition
from .goal import goal
from .organization import center_organization, practice_fields, practice_organization
from .patient import child_fields, patient
from .practitioner import clinician_fields, practitioner
from .related_person import guardian_fields, related_person

__all__ = [
    "Unmappable", "care_plan", "center_organization", "child_fields", "clinician_fields",
    "diagnosis_condition", "diagnosis_fields", "goal", "guardian_fields", "need_condition",
    "patient", "practice_fields", "practice_organization", "practitioner", "related_person",
]
