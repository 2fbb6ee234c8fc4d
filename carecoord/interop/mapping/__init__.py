"""CareCoord's records as FHIR R4 resources, and back where a record can arrive from outside.

Plain functions: a domain object (with the relations its selector prefetched) in, a JSON-ready
dict out. Nothing here queries on its own or decides who may see what (the API does that, from
the access policy), and nothing in the domain apps imports this package: the domain speaks
FHIR only at this edge. The reverse functions (`*_fields`) turn a resource into the plain field
values of a domain record, or raise `Unmappable` naming each element that cannot be used."""

from .careplan import care_plan
from .common import Unmappable
from .condition import diagnosis_condition, diagnosis_fields, need_condition
from .consent import consent
from .encounter import encounter
from .goal import goal
from .observation import observation
from .organization import center_organization, practice_fields, practice_organization
from .patient import child_fields, patient
from .practitioner import clinician_fields, practitioner
from .practitioner_role import clinician_role, coordinator_role
from .questionnaire_response import questionnaire_response
from .related_person import guardian_fields, related_person
from .service_request import service_request
from .task import task

__all__ = [
    "Unmappable", "care_plan", "center_organization", "child_fields", "clinician_fields",
    "clinician_role", "consent", "coordinator_role", "diagnosis_condition", "diagnosis_fields",
    "encounter", "goal", "guardian_fields", "need_condition", "observation", "patient",
    "practice_fields", "practice_organization", "practitioner", "questionnaire_response",
    "related_person", "service_request", "task",
]
