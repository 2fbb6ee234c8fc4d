"""Whether the family's consent covers a referral. A referral the center sends (a call, a fax,
an e-referral, a warm hand-off) shares the family's information with an organization outside
the center, so it needs a current consent naming that organization whose scope covers the
need; a referral the family makes themselves shares nothing of the center's and needs none.

Behavioral health and education information are shared only under a consent for them (or for
the full record); everything else goes under the care plan's consent, as for the PCP."""

import datetime

from django.core.exceptions import ValidationError

from carecoord.families.models import Consent

# Need domain → the consent scopes that cover sharing for it; any other domain: DEFAULT.
SCOPES = {
    "behavioral_health": (Consent.Scope.BEHAVIORAL, Consent.Scope.FULL_RECORD),
    "education": (Consent.Scope.EDUCATION, Consent.Scope.FULL_RECORD),
}
DEFAULT = (Consent.Scope.CARE_PLAN, Consent.Scope.FULL_RECORD)

FIELD = "consent"


def scopes_for(domain_code: str) -> tuple[str, ...]:
    return SCOPES.get(domain_code, DEFAULT)


def _names(*names: str) -> set[str]:
    return {" ".join(name.split()).lower() for name in names if name and name.strip()}


def covers(consent: Consent, *, recipients: set[str], scopes, on: datetime.date) -> str:
    """Why `consent` does not cover the referral, or "" when it does."""
    if not consent.is_current(on):
        if consent.revoked_on and consent.revoked_on <= on:
            return f"This consent was revoked on {consent.revoked_on:%b %-d, %Y}."
        if consent.given_on > on:
            return f"This consent was given on {consent.given_on:%b %-d, %Y}, after {on:%b %-d}."
        return f"This consent expired on {consent.expires_on:%b %-d, %Y}."
    if consent.scope not in scopes:
        return (f"This consent covers {consent.get_scope_display().lower()}; this referral "
                f"shares {Consent.Scope(scopes[0]).label.lower()}.")
    if not consent.shared_with_other or _names(consent.shared_with_other).isdisjoint(recipients):
        return f"This consent is for {consent.recipient}, not this organization."
    return ""


def describe(consent: Consent, on: datetime.date) -> str:
    giver = str(consent.given_by) if consent.given_by_id else "the youth"
    return (f"Consent to share {consent.get_scope_display().lower()} with {consent.recipient}, "
            f"given {consent.given_on:%b %-d, %Y} by {giver}, until "
            f"{consent.expires_on:%b %-d, %Y}: current on {on:%b %-d, %Y}.")[:300]


def check(*, child, domain_code: str, organization: str, service: str, family_contacts: bool,
          on: datetime.date, consent: Consent | None = None) -> tuple[Consent | None, str]:
    """(the consent that covers the referral or None, what was checked, in words). Raises a
    ValidationError on the consent field, saying what is missing, when nothing covers it."""
    if family_contacts:
        return None, (f"Nothing shared by the center: the family contacts {organization} "
                      "themselves.")[:300]
    scopes = scopes_for(domain_code)
    recipients = _names(organization, service)
    if consent is not None:
        if consent.child_id != child.pk:
            raise ValidationError({FIELD: "Choose a consent of this child."})
        problem = covers(consent, recipients=recipients, scopes=scopes, on=on)
        if problem:
            raise ValidationError({FIELD: problem})
        return consent, describe(consent, on)
    for candidate in (Consent.objects.filter(Consent.current_q(on=on), child=child,
                                             scope__in=scopes, shared_with_practice__isnull=True)
                      .select_related("given_by").order_by("-given_on", "-pk")):
        if not covers(candidate, recipients=recipients, scopes=scopes, on=on):
            return candidate, describe(candidate, on)
    raise ValidationError({FIELD: (
        f"No current consent covers sharing {Consent.Scope(scopes[0]).label.lower()} with "
        f"{organization}: record the family's consent first, or choose “The family contacts "
        "the service themselves”.")})
