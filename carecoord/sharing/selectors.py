"""Reads for sharing: each starts from the access policy (out of scope is a 404) and fetches
what a page shows in a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404
from django.utils import timezone

from carecoord.accounts import policy
from carecoord.careplans.models import Action, CarePlan, Goal, Need, NeedDomain
from carecoord.families.models import Child, CoordinatorAssignment, Enrollment
from carecoord.servicereferrals import selectors as service_referrals

from .consent import consent_to_share
from .models import FaxQueueEntry, PlanShare, ProviderComment, Recipient, Route

RECENT_CONTACTS = 10
RECENT_CONTACT_DAYS = 180
PAGE_SIZE = 50


# ---------------------------------------------------------------- the child and the plan


def child_in_scope(user, child_id: int) -> Child:
    return get_object_or_404(policy.children_for(user).select_related("center"), pk=child_id)


def child_for_sharing(child_id: int) -> Child:
    """The child with what the PDF's care team block and the FHIR Patient read."""
    enrollments = Enrollment.objects.select_related("center").prefetch_related(
        Prefetch("assignments",
                 queryset=CoordinatorAssignment.objects.select_related("coordinator")))
    return (Child.objects.select_related("household__town", "preferred_language", "center",
                                         "pcp", "pcp_practice")
            .prefetch_related("races", "diagnoses", "household__guardians",
                              Prefetch("enrollments", queryset=enrollments))
            .get(pk=child_id))


def plan_of(child: Child) -> CarePlan | None:
    """The child's plan (the open enrollment's, else the latest) with its current version."""
    return (CarePlan.objects.filter(child=child)
            .select_related("current_version", "enrollment", "center", "language")
            .order_by("-enrollment__start_date").first())


def need_domains() -> dict[str, NeedDomain]:
    """Need domain label → domain (agreed versions store the label)."""
    return {d.label: d for d in NeedDomain.objects.all()}


# ---------------------------------------------------------------- who the plan may go to


@dataclass
class Candidate:
    """A possible recipient of the child's plan: the PCP's practice, and every recipient a
    consent of the child names. `reasons` is empty when the plan may go to it now."""

    name: str
    recipient: Recipient | None
    is_pcp: bool = False
    consent: object = None
    reasons: list[str] = field(default_factory=list)

    @property
    def blocked(self) -> bool:
        return bool(self.reasons)

    @property
    def routes(self) -> list[str]:
        return self.recipient.routes if self.recipient is not None else []

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(form value, label) of each route, the preferred first."""
        if self.recipient is None:
            return []
        labels = dict(Route.choices)
        return [(f"{self.recipient.pk}:{route}",
                 f"{labels[route]} ({self.recipient.address(route)})"
                 + (" — preferred" if route == self.recipient.preferred_route else ""))
                for route in self.routes]


def candidates(child: Child, on: datetime.date | None = None) -> list[Candidate]:
    """The PCP's practice first, then the others a consent names, each with the consent that
    allows sending or the reasons it is blocked. Two queries."""
    on = on or timezone.localdate()
    consents = list(child.consents.select_related("shared_with_practice"))
    practice_ids = {c.shared_with_practice_id for c in consents if c.shared_with_practice_id}
    if child.pcp_practice_id:
        practice_ids.add(child.pcp_practice_id)
    others = {c.shared_with_other.strip().casefold() for c in consents
              if c.shared_with_other.strip()}
    recipients = list(Recipient.objects.select_related("practice").annotate(
        lower_name=Lower("organization")).filter(
        Q(practice_id__in=practice_ids) | Q(lower_name__in=others)))
    by_practice = {r.practice_id: r for r in recipients if r.practice_id}
    found = []
    seen_practices = set()
    for practice_id in [child.pcp_practice_id] + sorted(practice_ids - {child.pcp_practice_id}):
        if not practice_id or practice_id in seen_practices:
            continue
        seen_practices.add(practice_id)
        recipient = by_practice.get(practice_id)
        name = recipient.name if recipient else _practice_name(practice_id, child, consents)
        found.append(_candidate(consents, name, recipient, on, practice_id=practice_id,
                                is_pcp=practice_id == child.pcp_practice_id))
    for recipient in sorted((r for r in recipients if not r.practice_id),
                            key=lambda r: r.organization.casefold()):
        found.append(_candidate(consents, recipient.organization, recipient, on,
                                organization=recipient.organization))
    return found


def _practice_name(practice_id, child, consents) -> str:
    if practice_id == child.pcp_practice_id and child.pcp_practice is not None:
        return child.pcp_practice.name
    return next(c.shared_with_practice.name for c in consents
                if c.shared_with_practice_id == practice_id)


def _candidate(consents, name, recipient, on, *, practice_id=None, organization="",
               is_pcp=False) -> Candidate:
    consent, why = consent_to_share(consents, name=name, practice_id=practice_id,
                                    organization=organization, on=on)
    reasons = [why] if why else []
    if recipient is None:
        reasons.append(f"No route registered for {name}: add its FHIR endpoint, secure email "
                       "or fax number in the admin (Sharing › Recipients)")
    elif not recipient.active:
        reasons.append(f"Sending to {name} is switched off (inactive in the admin)")
    return Candidate(name=name, recipient=recipient, is_pcp=is_pcp, consent=consent,
                     reasons=reasons)


# ---------------------------------------------------------------- what was sent, and answers


def shares_of(child: Child) -> list[PlanShare]:
    return list(PlanShare.objects.filter(child=child).select_related(
        "version", "sent_by", "fax", "acknowledgment__author").defer("fax__document"))


def comments_of(child: Child) -> list[ProviderComment]:
    return list(ProviderComment.objects.filter(child=child).select_related(
        "version", "author", "practice", "task__assigned_to"))


# ---------------------------------------------------------------- the fax queue


def fax_queue(user, *, handled_days: int = 14):
    """(pending faxes, oldest first; those handled in the last `handled_days`, newest first)."""
    entries = (policy.fax_entries_for(user).defer("document")
               .select_related("child", "share__sent_by", "share__version", "handled_by"))
    since = timezone.now() - datetime.timedelta(days=handled_days)
    pending = list(entries.filter(status=FaxQueueEntry.Status.PENDING).order_by("queued_at",
                                                                                "pk"))
    handled = list(entries.exclude(status=FaxQueueEntry.Status.PENDING)
                   .filter(handled_at__gte=since).order_by("-handled_at", "-pk")[:50])
    return pending, handled


def fax_entry(user, entry_id: int, *, with_document=False) -> FaxQueueEntry:
    entries = policy.fax_entries_for(user).select_related("share", "child")
    if not with_document:
        entries = entries.defer("document")
    return get_object_or_404(entries, pk=entry_id)


# ---------------------------------------------------------------- the provider view


def shared_plans(user, page=1):
    """The provider's attributed children (with a current consent), each with the current
    agreed version of the plan, the latest version sent to their practice and whether they
    acknowledged the current one. One page, in a fixed number of queries."""
    practice_id = user.practice_id
    plans = CarePlan.objects.filter(child=OuterRef("pk")).order_by("-enrollment__start_date")
    latest_share = PlanShare.objects.filter(
        child=OuterRef("pk"), recipient__practice_id=practice_id).order_by("-sent_at", "-pk")
    children = policy.shared_children_for(user).annotate(
        current_version_id=Subquery(plans.values("current_version_id")[:1]),
        current_version_number=Subquery(plans.values("current_version__number")[:1]),
        current_agreed_on=Subquery(plans.values("current_version__agreed_on")[:1]),
        shared_version=Subquery(latest_share.values("version__number")[:1]),
        shared_at=Subquery(latest_share.values("sent_at")[:1]),
        shared_status=Subquery(latest_share.values("status")[:1]),
    ).annotate(
        acknowledged=Exists(ProviderComment.objects.filter(
            practice_id=practice_id, kind=ProviderComment.Kind.ACKNOWLEDGE,
            version_id=OuterRef("current_version_id"))),
    ).order_by("last_name", "first_name", "pk")
    page = Paginator(children, PAGE_SIZE).get_page(page)
    labels = dict(PlanShare.Status.choices)
    for child in page.object_list:
        child.shared_status_label = labels.get(child.shared_status, "")
    return page


def provider_child(user, child_id: int) -> Child:
    """A child of the provider view, or 404 (another practice's, or no current consent)."""
    return get_object_or_404(policy.shared_children_for(user).select_related(
        "center", "pcp", "pcp_practice"), pk=child_id)


@dataclass
class PlanSummary:
    """The agreed version as a provider reads it, with the progress recorded since (the
    statuses of its goals, actions and needs as they are now)."""

    version: object
    priorities: list
    goals: list
    open_needs: list


def plan_summary(plan: CarePlan) -> PlanSummary | None:
    version = plan.current_version if plan is not None else None
    if version is None:
        return None
    snap = version.snapshot
    goal_ids = [g["id"] for g in snap.get("goals", [])]
    action_ids = [a["id"] for a in snap.get("actions", [])]
    need_ids = [n["id"] for n in snap.get("needs", [])]
    goal_status = dict(Goal.objects.filter(plan=plan, pk__in=goal_ids).values_list("pk",
                                                                                  "status"))
    action_status = dict(Action.objects.filter(plan=plan, pk__in=action_ids).values_list(
        "pk", "status"))
    need_status = dict(Need.objects.filter(plan=plan, pk__in=need_ids).values_list("pk",
                                                                                  "status"))
    goal_labels, action_labels = dict(Goal.Status.choices), dict(Action.Status.choices)
    need_labels = dict(Need.Status.choices)
    goals = []
    for g in snap.get("goals", []):
        status = goal_status.get(g["id"], g["status"])
        actions = [{
            "description": a["description"], "owner": a["owner"],
            "owner_name": a.get("owner_name", ""), "due_on": _day(a["due_on"]),
            "status": action_labels.get(action_status.get(a["id"], a["status"]), ""),
        } for a in snap.get("actions", []) if a["goal_id"] == g["id"]]
        goals.append({"statement": g["statement"], "measure": g["measure"],
                      "target_date": _day(g["target_date"]),
                      "status": goal_labels.get(status, status), "actions": actions})
    open_needs = [{"domain": n["domain"], "description": n["description"],
                   "status": need_labels[need_status.get(n["id"], n["status"])],
                   "outside_control": n["reach"] == "outside_control",
                   "expectation": n.get("expectation", "")}
                  for n in snap.get("needs", [])
                  if need_status.get(n["id"], n["status"]) in (Need.Status.OPEN,
                                                                Need.Status.IN_PROGRESS)]
    return PlanSummary(version=version, priorities=snap.get("priorities", []), goals=goals,
                       open_needs=open_needs)


def _day(value):
    return datetime.date.fromisoformat(value) if value else None


def recent_contacts(user, child):
    """Date, channel and whether the family was reached, of the latest contacts: never the
    notes (policy.contact_summaries_for)."""
    since = timezone.now() - datetime.timedelta(days=RECENT_CONTACT_DAYS)
    return list(policy.contact_summaries_for(user, child).filter(occurred_at__gte=since)
                .only("pk", "child_id", "occurred_at", "channel", "reached", "direction")
                .order_by("-occurred_at", "-pk")[:RECENT_CONTACTS])


def open_service_referrals(user, child) -> list:
    """The child's open referrals to community services (servicereferrals' own read, which
    starts from policy.service_referrals_for): sent, acknowledged or scheduled."""
    return [r for r in service_referrals.referrals_of(user, child) if r.is_open]


def practice_shares(user, child) -> list[PlanShare]:
    return list(PlanShare.objects.filter(child=child, recipient__practice_id=user.practice_id)
                .select_related("version").order_by("-sent_at", "-pk")[:20])


def practice_comments(user, child) -> list[ProviderComment]:
    return list(ProviderComment.objects.filter(child=child, practice_id=user.practice_id)
                .select_related("version", "author"))
