"""Reads for the service referral pages: each starts from the access policy (a child out of
scope is a 404) and fetches what the page shows in a fixed number of queries."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from carecoord.accounts import policy
from carecoord.careplans.models import Need
from carecoord.directory.models import Attribute, Service
from carecoord.families.models import Consent

from .models import ServiceReferral, StatusChange


def child_in_scope(user, child_id: int):
    return get_object_or_404(policy.children_for(user).select_related("center"), pk=child_id)


def need_of(child, need_id: int) -> Need:
    return get_object_or_404(Need.objects.select_related("domain", "plan"), pk=need_id,
                             plan__child=child)


def _referrals(user):
    history = StatusChange.objects.select_related("recorded_by").order_by("on", "recorded_at",
                                                                          "pk")
    return (policy.service_referrals_for(user)
            .select_related("need__domain", "sent_by", "service", "consent")
            .prefetch_related(Prefetch("history", queryset=history)))


def referrals_of(user, child) -> list[ServiceReferral]:
    """The child's referrals: open ones first, then the closed, newest first."""
    referrals = list(_referrals(user).filter(child=child))
    return sorted(referrals, key=lambda r: not r.is_open)


def referral_of(user, child_id: int, referral_id: int):
    """(child, referral), or 404 when the child is out of scope or the referral is not the
    child's."""
    child = child_in_scope(user, child_id)
    return child, get_object_or_404(_referrals(user), pk=referral_id, child=child)


def referrals_by_need(user, plan) -> dict[int, list[ServiceReferral]]:
    """The referrals of a care plan's needs, by need id, in one query (the plan page)."""
    found: dict[int, list[ServiceReferral]] = {}
    for referral in (policy.service_referrals_for(user).filter(need__plan=plan)
                     .only("pk", "child_id", "need_id", "service_name", "status", "sent_on",
                           "closed_on").order_by("sent_on", "pk")):
        found.setdefault(referral.need_id, []).append(referral)
    return found


def services_for_need(user, need: Need, also: str | None = None):
    """The active directory services `user` may open that are tagged with the need's domain,
    by name; and `also`, a service the user picked in the directory, whatever its tags."""
    tagged = Attribute.objects.filter(link_entity="service",
                                      taxonomy_term__need_domain_id=need.domain_id)
    visible = policy.directory_services_for(user)
    chosen = visible.filter(status=Service.Status.ACTIVE, pk__in=tagged.values("link_id"))
    if also:
        # Kept even when inactive: sending refuses it with the reason.
        chosen = chosen | visible.filter(pk=also)
    return chosen.select_related("organization").order_by("name", "id")


def service_in_scope(user, service_id: str) -> Service:
    return get_object_or_404(policy.directory_services_for(user).select_related("organization"),
                             pk=service_id)


def current_consents(child):
    """The child's consents to share with someone outside the directory of practices, current
    today: the ones a referral may rest on."""
    return (Consent.objects.filter(Consent.current_q(on=timezone.localdate()), child=child,
                                   shared_with_practice__isnull=True)
            .select_related("given_by").order_by("-given_on", "-pk"))
