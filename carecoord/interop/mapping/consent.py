"""A family's consent to share (families.Consent) as a Gravity SDOHCC Consent: the guardian
(or the youth) permits the center to disclose the child's information to a recipient, for what
scope, from when until when.

The form itself stays at the center: `sourceAttachment` names it, without its content.
The legal basis is written as a HIPAA authorization (Gravity's example); Connecticut's rules
for minors and behavioural health need their own review (shared/reference/fhir/README.md)."""

import datetime

from . import systems
from .common import (
    center_reference,
    coding,
    concept,
    meta,
    patient_reference,
    practice_reference,
    respondent_reference,
)


def status(consent, on: datetime.date | None = None) -> str:
    return "active" if consent.is_current(on) else "inactive"


def _last_day(consent) -> datetime.date:
    """The last day the consent covers (FHIR period ends are inclusive; `expires_on` and
    `revoked_on` are the first day it no longer does)."""
    ends = [consent.expires_on] + ([consent.revoked_on] if consent.revoked_on else [])
    return max(min(ends) - datetime.timedelta(days=1), consent.given_on)


def _recipient(consent) -> dict:
    if consent.shared_with_practice_id:
        return practice_reference(consent.shared_with_practice)
    return {"display": consent.shared_with_other}


def consent(consent) -> dict:
    """Reads consent.child (with center), given_by and shared_with_practice."""
    scope = consent.get_scope_display()
    return {
        "resourceType": "Consent",
        "id": str(consent.pk),
        "meta": meta("Consent"),
        "status": status(consent),
        "scope": concept(systems.CONSENT_SCOPE, "patient-privacy", "Privacy Consent"),
        "category": [concept(systems.ACT_CODE, "IDSCL", "information disclosure",
                             "Consent to share information")],
        "patient": patient_reference(consent.child),
        "dateTime": consent.given_on.isoformat(),
        "performer": [respondent_reference(consent.given_by, consent.child)],
        "organization": [center_reference(consent.child.center)],
        "sourceAttachment": {"title": f"Consent form on file at {consent.child.center.name}",
                             "creation": consent.given_on.isoformat()},
        "policyRule": concept(systems.CONSENT_POLICY, "hipaa-auth", "HIPAA Authorization"),
        "provision": {
            "type": "permit",
            "period": {"start": consent.given_on.isoformat(),
                       "end": _last_day(consent).isoformat()},
            "actor": [{"role": concept(systems.PARTICIPATION_TYPE, "IRCP",
                                       "information recipient"),
                       "reference": _recipient(consent)}],
            "action": [concept(systems.CONSENT_ACTION, "disclose", "Disclose")],
            "purpose": [coding(systems.ACT_REASON, "CAREMGT", "care management")],
            "code": [concept(systems.SHARING_SCOPE, consent.scope, scope, scope)],
        },
    }
