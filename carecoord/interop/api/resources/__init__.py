"""What the API serves, type by type: the search parameters each supports, what they match,
how one resource is found by id, what its read is recorded as in the audit log, and the
profiles it claims. The CapabilityStatement is written from this table, so it says exactly what
is implemented.

One module per part of the record: people.py (Patient, RelatedPerson, Practitioner,
PractitionerRole, Organization), plan.py (CarePlan, Goal, Condition), coordination.py
(Encounter, Task, ServiceRequest, Consent), screening.py (Observation, QuestionnaireResponse);
base.py and dates.py are what they are made of. The interactions (read, search, metadata...)
are in api/."""

from .base import AuditTarget, Kind, Matches, PartMatches
from .coordination import CONSENT, ENCOUNTER, SERVICE_REQUEST, TASK
from .people import ORGANIZATION, PATIENT, PRACTITIONER, PRACTITIONER_ROLE, RELATED_PERSON
from .plan import CARE_PLAN, CONDITION, GOAL
from .screening import OBSERVATION, QUESTIONNAIRE_RESPONSE

KINDS = {kind.type: kind for kind in (
    PATIENT, RELATED_PERSON, PRACTITIONER, PRACTITIONER_ROLE, ORGANIZATION, CARE_PLAN, GOAL,
    CONDITION, ENCOUNTER, TASK, CONSENT, OBSERVATION, QUESTIONNAIRE_RESPONSE, SERVICE_REQUEST)}

__all__ = ["KINDS", "AuditTarget", "Kind", "Matches", "PartMatches"]
