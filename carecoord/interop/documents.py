"""FHIR documents other apps send out: the Bundle of a care plan version for a practice's EMR
(registered with the sharing app when this app loads, see apps.py)."""

import uuid

from django.utils import timezone

from . import mapping


def care_plan_bundle(plan, goals, child, fhir_base: str) -> dict:
    """A `collection` Bundle: the child (Patient), the plan as agreed (CarePlan), its goals and
    the diagnoses on file its `addresses` names. `fhir_base`: this server's FHIR base URL (the
    entries' fullUrl: the EMR can read them again there)."""
    resources = [mapping.patient(child), mapping.care_plan(plan)]
    resources += [mapping.goal(goal) for goal in goals]
    resources += [mapping.diagnosis_condition(d) for d in child.diagnoses.all()]
    base = fhir_base.rstrip("/")
    return {
        "resourceType": "Bundle",
        "identifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{uuid.uuid4()}"},
        "type": "collection",
        "timestamp": timezone.now().isoformat(timespec="seconds"),
        "entry": [{"fullUrl": f"{base}/{r['resourceType']}/{r['id']}", "resource": r}
                  for r in resources],
    }
