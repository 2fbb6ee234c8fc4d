"""Recording a need in the unmet-needs register, in one transaction: the register row, with the
place and domain as they are today, and the care plan need closed as unmet with its outcome.

A need is recorded only once its referrals have closed: while one is still open the loop is
not closed and the need may yet be met."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from carecoord.accounts import policy
from carecoord.careplans.models import Need
from carecoord.servicereferrals import services as referrals
from carecoord.servicereferrals import steps
from carecoord.servicereferrals.models import ServiceReferral

from .models import UnmetNeed

OUTCOME_LENGTH = 300  # careplans.models.Need.outcome


@transaction.atomic
def record_unmet_need(*, user, child, need: Need, reason: str, details: str,
                      recorded_on: datetime.date,
                      referrals_tried=()) -> UnmetNeed:
    """`referrals_tried`: the failed referrals of this need that led here, if any."""
    if not policy.can_edit_child(user, child):
        raise PermissionDenied("You cannot record this child's needs.")
    need = Need.objects.select_for_update().select_related("plan", "domain").get(pk=need.pk)
    referrals.check_need(child, need)
    if recorded_on > timezone.localdate():
        raise ValidationError({"recorded_on": "This date is in the future."})
    if not details.strip():
        raise ValidationError({"details": "Say what was tried and what is missing."})
    still_open = (ServiceReferral.objects.filter(need=need, status__in=steps.OPEN)
                  .order_by("sent_on", "pk").first())
    if still_open is not None:
        raise ValidationError(
            f"The referral to {still_open.service_name} is still open "
            f"({still_open.get_status_display().lower()}): record how it ended first.")
    tried = list(referrals_tried)
    if any(r.need_id != need.pk or r.status not in steps.FAILED for r in tried):
        raise ValidationError({"referrals": "Choose referrals of this need that did not work "
                                            "out."})
    town = child.household.town
    entry = UnmetNeed(child=child, need=need, reason=reason, details=details.strip(),
                      recorded_on=recorded_on, recorded_by=user, center_id=child.center_id,
                      region_id=town.region_id, town=town, domain_id=need.domain_id)
    entry.full_clean()
    entry.save()
    entry.referrals.set(tried)
    referrals.update_need(user, need, status=Need.Status.UNMET, closed_on=recorded_on,
                          outcome=f"{entry.get_reason_display()}: {entry.details}"
                          [:OUTCOME_LENGTH])
    return entry
