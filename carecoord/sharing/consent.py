"""Whether the family's consent lets the center send the care plan to one recipient, and if
not, why, in words the coordinator can act on ("No current consent to share with Hartford
Pediatrics (expired 2026-03-01)").

Plain functions over the consents already loaded (no queries): a consent names its recipient
(a practice of the directory, or an organization by name), a scope and the days it is
current (Consent.is_current: from the day given, until the day it expires or is revoked)."""

import datetime

from carecoord.families.models import Consent

# The scopes that cover sending the care plan. Education, behavioral health and peer support
# consents cover other things.
PLAN_SCOPES = (Consent.Scope.CARE_PLAN, Consent.Scope.FULL_RECORD)


def names_recipient(consent: Consent, *, practice_id: int | None, organization: str) -> bool:
    if practice_id:
        return consent.shared_with_practice_id == practice_id
    return bool(organization.strip()) and (
        consent.shared_with_other.strip().casefold() == organization.strip().casefold())


def consent_to_share(consents, *, name: str, practice_id: int | None = None,
                     organization: str = "", on: datetime.date) -> tuple[Consent | None, str]:
    """(the current consent that allows sending the care plan, ""), or (None, the reason).
    `consents`: the child's consents (any recipient; this picks the ones naming this one)."""
    mine = [c for c in consents
            if names_recipient(c, practice_id=practice_id, organization=organization)]
    for_plan = [c for c in mine if c.scope in PLAN_SCOPES]
    current = [c for c in for_plan if c.is_current(on)]
    if current:
        # The one that lasts longest, and of two alike the latest recorded.
        return max(current, key=lambda c: (c.expires_on, c.pk or 0)), ""
    if not mine:
        return None, f"No consent on file to share with {name}"
    if not for_plan:
        scopes = sorted({c.get_scope_display() for c in mine})
        return None, (f"No consent to share the care plan with {name} (the consent on file "
                      f"covers {' and '.join(scopes)} only)")
    latest = max(for_plan, key=lambda c: (c.given_on, c.pk or 0))
    if latest.revoked_on is not None and latest.revoked_on <= on:
        return None, (f"No current consent to share with {name} "
                      f"(revoked {latest.revoked_on.isoformat()})")
    if latest.given_on > on:
        return None, (f"No current consent to share with {name} "
                      f"(it starts {latest.given_on.isoformat()})")
    return None, (f"No current consent to share with {name} "
                  f"(expired {latest.expires_on.isoformat()})")
