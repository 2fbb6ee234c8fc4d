"""The referrals of a care plan need, on the need's row of the plan page."""

from django import template

from carecoord.accounts import policy
from carecoord.audit.services import record_list

from .. import selectors, services

register = template.Library()


@register.inclusion_tag("servicereferrals/_need_referrals.html", takes_context=True)
def need_referrals(context, need):
    """The first call on a page reads the referrals of every need of the plan in one query
    (kept on the plan object) and records that list in the audit log."""
    user = context["request"].user
    plan = need.plan
    by_need = getattr(plan, "_service_referrals", None)
    if by_need is None:
        by_need = plan._service_referrals = selectors.referrals_by_need(user, plan)
        shown = [r.pk for referrals in by_need.values() for r in referrals]
        if shown:
            record_list("servicereferrals.servicereferral", shown, center_id=plan.center_id,
                        child_id=plan.child_id, page="care-plan")
    child_id = plan.child_id
    return {"need": need, "child_id": child_id, "referrals": by_need.get(need.pk, []),
            "can_refer": context.get("can_edit") and need.status not in services.CLOSED_NEED
            and policy.can_see_directory(user)}
