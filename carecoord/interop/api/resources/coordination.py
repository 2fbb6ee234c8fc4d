"""The center's care coordination with the family: its contacts (Encounter), the tasks its
staff hold about the child (Task), its referrals to community services (ServiceRequest), and the
family's consents to share with the practice (Consent). All of them a child's data: only of the
children the practice may see."""

from django.db.models import Q

from carecoord.families.models import Consent

from ... import mapping, selectors
from ...mapping import systems
from ...mapping.encounter import CLASS
from ...mapping.encounter import STATUS as ENCOUNTER_STATUS
from ...mapping.service_request import STATUS as REFERRAL_STATUS
from ...mapping.task import STATUS as TASK_STATUS
from ...query import Parameter, Token
from .base import (
    EVERYTHING,
    ID,
    LAST_UPDATED,
    SP,
    AuditTarget,
    Kind,
    Matches,
    date_parameter,
    dated,
    ids,
    patient_parameter,
    plain,
    plain_read,
    status_parameter,
    statuses,
    token_in,
    where,
)

TASK_STATUSES = ("draft", "requested", "received", "accepted", "rejected", "ready",
                 "cancelled", "in-progress", "on-hold", "failed", "completed", "entered-in-error")
ENCOUNTER_STATUSES = ("planned", "arrived", "triaged", "in-progress", "onleave", "finished",
                      "cancelled", "entered-in-error", "unknown")
CONSENT_STATUSES = ("draft", "proposed", "active", "rejected", "inactive", "entered-in-error")
REQUEST_STATUSES = ("draft", "active", "on-hold", "revoked", "completed", "entered-in-error",
                    "unknown")


def _audit(object_type: str):
    return lambda row: AuditTarget(object_type, row.pk, row.child_id, row.child.center_id)


# ---------------------------------------------------------------- Task


def _search_tasks(practice_id: int, f: dict) -> Matches:
    return Matches(selectors.tasks(practice_id).filter(
        where(f, "_id", ids(plain))
        & where(f, "patient", ids(plain, "child_id"))
        & where(f, "status", statuses("http://hl7.org/fhir/task-status", TASK_STATUS, "status"))
        & where(f, "authored-on", dated("created_at"))
        & where(f, "period", dated("created_at", "closed_at", open_end=True))
        & where(f, "_lastUpdated", dated("last_updated"))))


TASK = Kind(
    "Task",
    {"_id": ID, "patient": patient_parameter(f"{SP}Task-patient"),
     "status": status_parameter(f"{SP}Task-status", "ready (open), completed (done) or "
                                "cancelled (dismissed).", TASK_STATUSES),
     "authored-on": date_parameter("authored-on", f"{SP}Task-authored-on",
                                   "When the task was made"),
     "period": date_parameter("period", f"{SP}Task-period",
                              "The task's execution period: from when it was made until it "
                              "was closed (open while it is open)"),
     "_lastUpdated": LAST_UPDATED},
    _search_tasks, plain_read(selectors.tasks, plain), mapping.task, _audit("contacts.task"),
)


# ---------------------------------------------------------------- Encounter


def _search_encounters(practice_id: int, f: dict) -> Matches:
    classes = token_in({(systems.ACT_CODE, code): Q(channel__in=[
        channel for channel, theirs in CLASS.items() if theirs == code])
        for code in set(CLASS.values())})
    return Matches(selectors.contacts(practice_id).filter(
        where(f, "_id", ids(plain))
        & where(f, "patient", ids(plain, "child_id"))
        & where(f, "status", statuses("http://hl7.org/fhir/encounter-status", ENCOUNTER_STATUS,
                                      "reached"))
        & where(f, "class", classes)
        & where(f, "date", dated("occurred_at", "ended_at"))))


ENCOUNTER = Kind(
    "Encounter",
    {"_id": ID, "patient": patient_parameter(),
     "status": status_parameter(f"{SP}Encounter-status", "finished (a contact), cancelled (an "
                                "attempt that reached nobody).", ENCOUNTER_STATUSES),
     "class": Parameter("class", "token", f"{SP}Encounter-class",
                        f"{systems.ACT_CODE}: VR (phone, text, email, video), HH (home visit), "
                        "FLD (school meeting), AMB (at a clinic visit or at the center)."),
     "date": date_parameter("date", f"{SP}clinical-date",
                            "A time within the contact (its period: start, and end when a "
                            "duration was recorded)")},
    _search_encounters, plain_read(selectors.contacts, plain), mapping.encounter,
    _audit("contacts.contact"),
    profiles=(systems.PROFILES["Encounter"],),
)


# ---------------------------------------------------------------- Consent


def _search_consents(practice_id: int, f: dict) -> Matches:
    system = "http://hl7.org/fhir/consent-state-codes"
    status = token_in({(system, "active"): Consent.current_q(),
                       (system, "inactive"): ~Consent.current_q()})
    category = token_in({(systems.ACT_CODE, "IDSCL"): EVERYTHING})
    return Matches(selectors.consents(practice_id).filter(
        where(f, "_id", ids(plain))
        & where(f, "patient", ids(plain, "child_id"))
        & where(f, "status", status)
        & where(f, "category", category)
        & where(f, "date", dated("given_on", dates=True))))


CONSENT = Kind(
    "Consent",
    {"_id": ID, "patient": patient_parameter(),
     "status": status_parameter(f"{SP}Consent-status", "active (current) or inactive "
                                "(expired or revoked).", CONSENT_STATUSES),
     "category": Parameter("category", "token", f"{SP}Consent-category",
                           f"Every consent is {systems.ACT_CODE}|IDSCL (information "
                           "disclosure)."),
     "date": date_parameter("date", f"{SP}clinical-date", "When the consent was given")},
    _search_consents, plain_read(selectors.consents, plain), mapping.consent,
    _audit("families.consent"),
    profiles=(systems.PROFILES["Consent"],),
)


# ---------------------------------------------------------------- ServiceRequest


def _referral_category(token: Token) -> Q:
    social = ~Q(need__domain__sdoh_category="")
    fixed = token_in({(systems.SNOMED, "410606002"): EVERYTHING,
                      (systems.US_CORE_CATEGORY, "sdoh"): social})(token)
    if token.system in (None, systems.SDOH_CATEGORY) and token.code is not None:
        return fixed | Q(need__domain__sdoh_category=token.code)
    if token.system == systems.SDOH_CATEGORY:
        return social
    return fixed


def _search_referrals(practice_id: int, f: dict) -> Matches:
    return Matches(selectors.service_referrals(practice_id).filter(
        where(f, "_id", ids(plain))
        & where(f, "patient", ids(plain, "child_id"))
        & where(f, "status", statuses("http://hl7.org/fhir/request-status", REFERRAL_STATUS,
                                      "status"))
        & where(f, "category", _referral_category)
        & where(f, "authored", dated("sent_on", dates=True))
        & where(f, "_lastUpdated", dated("updated_at"))))


SERVICE_REQUEST = Kind(
    "ServiceRequest",
    {"_id": ID, "patient": patient_parameter(),
     "status": status_parameter(f"{SP}ServiceRequest-status", "active (sent, acknowledged or "
                                "scheduled), completed (the service was received) or revoked "
                                "(the referral failed).", REQUEST_STATUSES),
     "category": Parameter("category", "token", f"{SP}ServiceRequest-category",
                           "410606002 (SNOMED CT, every referral), sdoh (for a social need), "
                           "or a Gravity SDOH category code."),
     "authored": date_parameter("authored", f"{SP}ServiceRequest-authored",
                                "When the referral was sent (a date)"),
     "_lastUpdated": LAST_UPDATED},
    _search_referrals, plain_read(selectors.service_referrals, plain), mapping.service_request,
    _audit("servicereferrals.servicereferral"),
    profiles=(systems.PROFILES["ServiceRequest"], systems.SDOHCC_SERVICE_REQUEST),
)
