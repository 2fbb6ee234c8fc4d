"""A referral of the family to a community service (servicereferrals.ServiceReferral, closed
loop) as a ServiceRequest: the center (the coordinator who sent it) asks the service, listed in
the directory, to serve the child, for a need of the care plan.

A referral for a social need (the need's domain has a Gravity SDOH category) is an SDOHCC
ServiceRequest: its SDOH category, `reasonReference` to the need's Condition, `pertainsToGoal`
the need's goals. Others (respite, legal help, a diagnosis organization...) are US Core
ServiceRequests with the need in words. The code is SNOMED CT "Patient referral" with the
service named in its text: CareCoord does not code what each service does.

Where the loop stands is the status (`active` until the service was received, `completed`, or
`revoked` when it failed) and a note with the step, its date and the outcome. The coordinator's
notes and the contact at the service stay in CareCoord. The service is named, not referenced:
the directory is not served as HealthcareService resources."""

from . import systems
from .common import (
    concept,
    instant,
    meta,
    need_condition_id,
    patient_reference,
    reference,
    sdoh_category,
    staff_reference,
)
from .goal import addresses_condition

STATUS = {"sent": "active", "acknowledged": "active", "scheduled": "active",
          "service_received": "completed", "declined": "revoked", "ineligible": "revoked",
          "no_capacity": "revoked", "family_declined": "revoked", "unable_to_reach": "revoked"}
REFERRAL = concept(systems.SNOMED, "3457005", "Patient referral")
SOCIAL_SERVICE = concept(systems.SNOMED, "410606002", "Social service procedure")
SDOH = concept(systems.US_CORE_CATEGORY, "sdoh", "SDOH")


def social(referral) -> bool:
    return addresses_condition(referral.need)


def _note(referral) -> str:
    text = f"{referral.get_status_display()} on {referral.status_on.isoformat()}"
    if referral.appointment_on and referral.status in ("scheduled", "acknowledged"):
        text += f"; appointment on {referral.appointment_on.isoformat()}"
    return text + (f". Outcome: {referral.outcome}" if referral.outcome else ".")


def service_request(referral) -> dict:
    """Reads referral.child, need (with domain and goals), sent_by and consent."""
    need = referral.need
    categories = [SOCIAL_SERVICE]
    if social(referral):
        categories = [SDOH, sdoh_category(need.domain.sdoh_category), SOCIAL_SERVICE]
    service = referral.service_name + (f", {referral.organization_name}"
                                       if referral.organization_name else "")
    resource = {
        "resourceType": "ServiceRequest",
        "id": str(referral.pk),
        "meta": meta("ServiceRequest", referral.updated_at,
                     profile=systems.SDOHCC_SERVICE_REQUEST if social(referral) else ""),
        "status": STATUS[referral.status],
        "intent": "order",
        "category": categories,
        "code": {**REFERRAL, "text": f"Referral to {service}"},
        "subject": patient_reference(referral.child),
        "authoredOn": referral.sent_on.isoformat(),
        "requester": staff_reference(referral.sent_by),
        "performer": [{"display": service}],
        "note": [{"text": _note(referral), "time": instant(referral.updated_at)}],
    }
    goals = [reference("Goal", goal.pk, goal.statement[:80]) for goal in need.goals.all()]
    if social(referral):
        resource["reasonReference"] = [reference("Condition", need_condition_id(need.pk),
                                                 need.description[:80])]
        if goals:
            resource["extension"] = [{"url": systems.PERTAINS_TO_GOAL, "valueReference": g}
                                     for g in goals]
    else:
        resource["reasonCode"] = [{"text": f"{need.domain.label}: {need.description}"}]
    if referral.appointment_on:
        resource["occurrenceDateTime"] = referral.appointment_on.isoformat()
    if referral.consent_id:
        resource["supportingInfo"] = [{"display": f"Consent to share: {referral.consent_checked}"
                                       if referral.consent_checked else "Consent to share"}]
    return resource
