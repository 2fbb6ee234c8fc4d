"""The demo's referrals to community services and its unmet-needs register, for the care plan
needs a center meets by linking the family to a service of the directory (food, housing,
behavioral health, early intervention, transportation, child care, respite, legal aid).

Each referral follows servicereferrals/steps.py and the checks of its services: sent to an
active service of the directory the coordinator may open (statewide, or the center's own local
entries), covering the child's town or region where one does; sent by the center only under a
current consent naming the organization, whose scope covers the need (consent.py), else made by
the family themselves; then acknowledged, scheduled and received, or ended for a reason that may
follow the step it reached. The referrals agree with what the care plan says of the need: a met
need was met by the service received on the day it closed; an unmet one saw its referrals fail
(often none could be made) and is in the register with a reason that fits its domain, housing
mostly for supply outside the center's control; a need still being worked on has a referral
somewhere in the loop. Every row's `version` counts the steps recorded, as the services move
it on.

Supply is what a center cannot change (center profile: "families require access to resources
that the Center cannot control or supply, such as affordable housing"): many housing and child
care needs the care plan closed as met after the family did their part (applications sent, on
the waitlists: the goals), or still worked on after months, are recorded unmet instead, no unit
or slot having come (the plan's versions agreed since they closed say so too)."""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from carecoord.careplans.models import CarePlanVersion, Need
from carecoord.directory.models import Attribute, Service, ServiceArea
from carecoord.families.models import Consent
from carecoord.servicereferrals import consent as consent_rules
from carecoord.servicereferrals import steps
from carecoord.servicereferrals.models import ServiceReferral, StatusChange
from carecoord.unmetneeds.models import UnmetNeed

from . import bulk, datafiles
from .chance import Weighted, add_years, chance, day_between, days_after
from .plans import NeedDraft, PlanDraft

# Need domains a center works through a referral, and how often a need of it gets one.
REFERRED = {"food": 0.85, "housing": 0.9, "behavioral_health": 0.7,
            "early_intervention": 0.8, "transportation": 0.6, "child_care": 0.75,
            "respite": 0.6, "legal": 0.5, "medical": 0.2}
SENT_HOW = Weighted([("phone", 30), ("e_referral", 20), ("fax", 12), ("email", 10),
                     ("warm_handoff", 10), ("family", 18)])
FAILED_FIRST = 0.25  # a met need was first referred somewhere that did not work out
SECOND_FAILURE = 0.45  # an unmet need was referred a second time before it was recorded
UNMET_WITHOUT_REFERRAL = 0.2  # nobody to refer to: recorded straight away
WITHDRAWN_REFERRED = 0.5  # a need the family withdrew had a referral they then declined
OPEN_FAILED = 0.15  # a need still being worked on whose latest referral just failed
# Days from one step to the next: sent → acknowledged → scheduled → appointment.
STEP_DAYS = {steps.ACKNOWLEDGED: (1, 12), steps.SCHEDULED: (2, 25), "appointment": (3, 30)}
FAILURE_DAYS = (5, 45)
NEXT_REFERRAL_DAYS = (1, 14)
APPOINTMENT_AHEAD = 0.6  # a scheduled referral still open has its appointment ahead
UNMET_INSTEAD = {"housing": 0.65, "child_care": 0.35}  # supply outside the center's control
SUPPLY_WAIT_DAYS = 90  # in progress this long, a need for supply may be recorded unmet

# Why a referral fails, by need domain: housing and child care are mostly full.
FAILURES = {
    "housing": {steps.NO_CAPACITY: 6, steps.INELIGIBLE: 2, steps.UNABLE_TO_REACH: 1,
                steps.FAMILY_DECLINED: 1},
    "child_care": {steps.NO_CAPACITY: 5, steps.INELIGIBLE: 1, steps.FAMILY_DECLINED: 1,
                   steps.UNABLE_TO_REACH: 1},
    "behavioral_health": {steps.NO_CAPACITY: 4, steps.DECLINED: 2, steps.FAMILY_DECLINED: 2,
                          steps.UNABLE_TO_REACH: 2},
    "*": {steps.DECLINED: 2, steps.INELIGIBLE: 3, steps.NO_CAPACITY: 2,
          steps.FAMILY_DECLINED: 2, steps.UNABLE_TO_REACH: 2},
}
# Why a need could not be met, by domain (a failed referral's own reason may say it instead).
UNMET_REASONS = {
    "housing": {"outside_control": 5, "waitlist": 3, "cost": 2},
    "child_care": {"waitlist": 4, "no_provider": 3, "cost": 2},
    "behavioral_health": {"waitlist": 5, "cost": 2, "no_provider": 2},
    "respite": {"no_provider": 3, "waitlist": 3, "cost": 1},
    "*": {"no_provider": 3, "waitlist": 2, "cost": 2, "eligibility": 2},
}
_FAILURE_PICKS = {code: Weighted(weights.items()) for code, weights in FAILURES.items()}
_UNMET_PICKS = {code: Weighted(weights.items()) for code, weights in UNMET_REASONS.items()}
REASON_OF_FAILURE = {steps.NO_CAPACITY: "waitlist", steps.INELIGIBLE: "eligibility",
                     steps.DECLINED: "no_provider"}
FAILURE_DETAILS = {
    steps.DECLINED: ("The service does not take referrals for this age group.",
                     "Referral returned: the program only serves families already enrolled "
                     "with them."),
    steps.INELIGIBLE: ("Household income is over the program's limit.",
                       "Not eligible: the program requires a diagnosis the child does not have.",
                       "Lives outside the service's area."),
    steps.NO_CAPACITY: ("Waitlist is closed; told to call back in three months.",
                        "No openings; the family is on the waitlist (about a year).",
                        "Full for the school year."),
    steps.FAMILY_DECLINED: ("The family decided it was not the right time.",
                            "The family preferred to wait until after the hospital stay."),
    steps.UNABLE_TO_REACH: ("The service called three times and left messages; no answer.",
                            "The family missed the intake appointment and did not call back."),
}
RECEIVED = {
    "food": ("Enrolled in WIC; first benefits loaded.", "SNAP approved; food pantry visits "
             "monthly."),
    "housing": ("Moved into an accessible unit with a housing voucher.",
                "Eviction prevented with rental assistance."),
    "behavioral_health": ("Started weekly counseling.", "Intake done; seen by the "
                          "psychiatrist monthly."),
    "early_intervention": ("Evaluated; the IFSP is in place with weekly therapy.",),
    "transportation": ("Rides to specialty visits arranged.",),
    "child_care": ("Started at a child care center able to meet the child's needs.",),
    "respite": ("Respite hours approved and a provider found.",),
    "legal": ("Legal aid took the case.",),
    "*": ("The family started the service.",),
}


@dataclass
class ServiceReferralRows:
    referrals: list[ServiceReferral] = field(default_factory=list)
    history: list[StatusChange] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    unmet: list[UnmetNeed] = field(default_factory=list)
    unmet_referrals: list[tuple[UnmetNeed, ServiceReferral]] = field(default_factory=list)
    # Care plan needs now unmet, with their plan (whose agreed versions since say so too).
    unmet_instead: list[tuple[PlanDraft, NeedDraft]] = field(default_factory=list)


@dataclass(frozen=True)
class _Service:
    id: str
    name: str
    organization: str
    center_id: int | None
    towns: frozenset
    regions: frozenset
    statewide: bool

    def covers(self, town) -> bool:
        unbounded = not (self.towns or self.regions or self.statewide)
        return (unbounded or self.statewide or town.pk in self.towns
                or town.region_id in self.regions)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))


class ServiceReferralFactory:
    def __init__(self, rng: random.Random, as_of: datetime.date):
        self.rng, self.as_of = rng, as_of
        self.services: dict[str, list[_Service]] | None = None  # read once the directory is in
        # child id → {(organization, scope): the consent's expiry}, across batches
        self.consented: dict[int, dict[tuple[str, str], Consent]] = {}
        self.texts = datafiles.plan_texts()

    def _load_services(self) -> dict[str, list[_Service]]:
        areas: dict[str, tuple[set, set, list]] = {}
        for service, town, region, statewide in ServiceArea.objects.order_by("id").values_list(
                "service_id", "town_id", "region_id", "statewide"):
            towns, regions, whole = areas.setdefault(service, (set(), set(), []))
            if town:
                towns.add(town)
            if region:
                regions.add(region)
            if statewide:
                whole.append(True)
        domains: dict[str, set[str]] = {}
        for service, code in Attribute.objects.filter(
                link_entity="service", taxonomy_term__need_domain__isnull=False,
        ).values_list("link_id", "taxonomy_term__need_domain__code"):
            domains.setdefault(service, set()).add(code)
        found: dict[str, list[_Service]] = {}
        for pk, name, organization, center in Service.objects.filter(
                status=Service.Status.ACTIVE).order_by("id").values_list(
                "id", "name", "organization__name", "center_id"):
            towns, regions, whole = areas.get(pk, (set(), set(), []))
            entry = _Service(pk, name, organization, center, frozenset(towns),
                             frozenset(regions), bool(whole))
            for code in sorted(domains.get(pk, ())):
                found.setdefault(code, []).append(entry)
        return found

    def for_plans(self, plans: list[PlanDraft]) -> ServiceReferralRows:
        if self.services is None:
            self.services = self._load_services()
        rows = ServiceReferralRows()
        for plan in plans:
            for need in plan.needs:
                self._need(plan, need, rows)
        return rows

    # ------------------------------------------------------------ one need

    def _need(self, plan: PlanDraft, need: NeedDraft, rows: ServiceReferralRows) -> None:
        rng, code = self.rng, need.domain.code
        self._supply(plan, need, rows)
        candidates = self._candidates(plan, code)
        referred = bool(candidates) and code in REFERRED and chance(rng, REFERRED[code])
        final = need.final_status if need.closed_on else ""
        if final == Need.Status.UNMET:
            tried = []
            if referred and not chance(rng, UNMET_WITHOUT_REFERRAL):
                tried = self._failures(plan, need, candidates, need.closed_on, rows,
                                       2 if chance(rng, SECOND_FAILURE) else 1)
            self._register(plan, need, tried, rows)
            return
        if not referred:
            return
        if final == Need.Status.MET:
            self._met(plan, need, candidates, rows)
        elif final == Need.Status.WITHDRAWN:
            if chance(rng, WITHDRAWN_REFERRED):
                start = need.started_on or need.since
                self._referral(plan, need, candidates, start, need.closed_on, rows,
                               ending=steps.FAMILY_DECLINED)
        elif need.started_on and need.started_on <= plan.horizon:
            ending, until = "open", plan.horizon
            if chance(rng, OPEN_FAILED):
                ending = self._failure(code)
                until = day_between(rng, need.started_on, plan.horizon)
            self._referral(plan, need, candidates, need.started_on, until, rows, ending=ending)

    def _supply(self, plan: PlanDraft, need: NeedDraft, rows: ServiceReferralRows) -> None:
        """A housing or child care need the plan saw met, or still working on after months, is
        closed as unmet: no unit or slot came."""
        code = need.domain.code
        if code not in UNMET_INSTEAD or not chance(self.rng, UNMET_INSTEAD[code]):
            return
        if not (need.final_status == Need.Status.MET and need.closed_on):
            if need.closed_on or not need.started_on:
                return
            first = days_after(need.started_on, SUPPLY_WAIT_DAYS)
            if first > plan.horizon:
                return
            need.closed_on = day_between(self.rng, first, plan.horizon)
        need.final_status = Need.Status.UNMET
        need.outcome = self.rng.choice(self.texts.get(("need_unmet", code))
                                       or self.texts[("need_unmet", "*")])
        rows.unmet_instead.append((plan, need))

    def _failure(self, code: str) -> str:
        return _FAILURE_PICKS.get(code, _FAILURE_PICKS["*"]).pick(self.rng)

    def _candidates(self, plan: PlanDraft, code: str) -> list[_Service]:
        center = plan.episode.enrollment.center_id
        town = plan.episode.household.household.town
        mine = [s for s in (self.services or {}).get(code, ())
                if s.center_id in (None, center)]
        near = [s for s in mine if s.covers(town)]
        return near or mine

    def _met(self, plan, need, candidates, rows) -> None:
        rng = self.rng
        start, closed = need.started_on or need.since, need.closed_on
        avoid: set = set()
        if (closed - start).days > 20 and chance(rng, FAILED_FIRST):
            failed = self._referral(plan, need, candidates, start,
                                    days_after(start, (closed - start).days // 2), rows,
                                    ending=self._failure(need.domain.code))
            if failed is not None and failed.closed_on:
                start = days_after(failed.closed_on, rng.randint(0, 3))
                avoid = {failed.service_id}
        self._referral(plan, need, candidates, min(start, closed), closed, rows,
                       ending=steps.RECEIVED, avoid=avoid)

    def _failures(self, plan, need, candidates, until, rows, count) -> list[ServiceReferral]:
        rng = self.rng
        start = need.started_on or need.since
        tried = []
        for number in range(count):
            if start > until:
                break
            span = (until - start).days
            end = until if number == count - 1 else days_after(start, span // 2)
            reason = self._failure(need.domain.code)
            referral = self._referral(plan, need, candidates, start, end, rows, ending=reason,
                                      avoid={r.service_id for r in tried})
            if referral is None or not referral.closed_on:
                break
            tried.append(referral)
            start = days_after(referral.closed_on, rng.randint(*NEXT_REFERRAL_DAYS))
        return tried

    # ------------------------------------------------------------ one referral

    def _referral(self, plan: PlanDraft, need: NeedDraft, candidates: list[_Service],
                  start: datetime.date, until: datetime.date, rows: ServiceReferralRows, *,
                  ending: str, avoid: set = frozenset()) -> ServiceReferral | None:
        """A referral sent on or after `start` that ends as `ending` by `until` (a closed
        status; received exactly on `until`) or, "open", moves on as far as the days allow."""
        rng, episode = self.rng, plan.episode
        until = min(until, plan.horizon, self.as_of)
        if start > until:
            return None
        sent, path = self._path(ending, start, until)
        pool = [s for s in candidates if s.id not in avoid] or candidates
        service = pool[rng.randrange(len(pool))]
        referral = ServiceReferral(
            child=episode.child_plan.child, need_id=need.id, service_id=service.id,
            service_name=service.name[:300], organization_name=service.organization[:300],
            sent_how=SENT_HOW.pick(rng), sent_on=sent, sent_by=episode.coordinator_on(sent),
            status=steps.SENT, version=1)
        self._consent(plan, need, service, referral, rows)
        rows.referrals.append(referral)
        self._history(rows, plan, referral, steps.SENT, sent)
        for status, day in path:
            referral.status = status
            setattr(referral, steps.DATE_FIELD[status], day)
            note = ""
            if status == steps.SCHEDULED:
                ahead = days_after(day, rng.randint(*STEP_DAYS["appointment"]))
                referral.appointment_on = (ahead if ending != "open" or chance(
                    rng, APPOINTMENT_AHEAD) else min(ahead, until))
            if status in steps.CLOSED:
                referral.closed_on = day
                referral.outcome = note = self._outcome(need, status)
                if referral.appointment_on:
                    referral.appointment_on = min(referral.appointment_on, day)
            referral.version += 1
            self._history(rows, plan, referral, status, day, note)
        return referral

    def _path(self, ending: str, start: datetime.date,
              until: datetime.date) -> tuple[datetime.date, list[tuple[str, datetime.date]]]:
        """The day the referral is sent and the steps after it, each with its day."""
        rng = self.rng
        if ending == steps.RECEIVED:
            wanted = [steps.ACKNOWLEDGED, steps.SCHEDULED, steps.RECEIVED]
        elif ending == "open":
            wanted = [steps.ACKNOWLEDGED, steps.SCHEDULED][:rng.randint(0, 2)]
        else:
            # A failure comes from a step it may follow: a service that scheduled the family
            # had room and took the referral.
            reach = [s for s in steps.OPEN if ending in steps.ALLOWED[s]]
            stop = reach[rng.randrange(len(reach))]
            wanted = [*steps.OPEN[1:steps.OPEN.index(stop) + 1], ending]
        days = [rng.randint(*STEP_DAYS.get(s, FAILURE_DAYS)) for s in wanted]
        room = (until - start).days
        if ending != "open" and sum(days) > room:
            # Squeeze the steps into the time the care plan gives, the last one on `until`.
            scale = room / sum(days)
            days = [int(d * scale) for d in days]
            days[-1] += room - sum(days)
        elif ending == steps.RECEIVED:
            # More time than the steps take: the referral went out later, the service was
            # received the day the need closed.
            start = days_after(until, -sum(days))
        path, day = [], start
        for status, gap in zip(wanted, days, strict=True):
            day = days_after(day, gap)
            if day > until:
                break
            path.append((status, day))
        return start, path

    def _outcome(self, need: NeedDraft, status: str) -> str:
        if status == steps.RECEIVED:
            return self.rng.choice(RECEIVED.get(need.domain.code, RECEIVED["*"]))
        return self.rng.choice(FAILURE_DETAILS[status])

    def _consent(self, plan, need, service: _Service, referral, rows) -> None:
        """The consent the referral rests on: one the family already gave that is still
        current, else one given for it (a day or two before); none when the family contacts
        the service themselves."""
        day = referral.sent_on
        if referral.sent_how == ServiceReferral.SentHow.FAMILY:
            referral.consent_basis = ServiceReferral.ConsentBasis.NOT_SHARED
            referral.consent_checked = (f"Nothing shared by the center: the family contacts "
                                        f"{service.organization} themselves.")[:300]
            return
        scope = consent_rules.scopes_for(need.domain.code)[0]
        given = self.consented.setdefault(referral.child.pk, {})
        key = (service.organization, scope)
        consent = given.get(key)
        if consent is None or not (consent.given_on <= day < consent.expires_on):
            first = plan.episode.enrollment.start_date
            on = min(day, max(first, days_after(day, -self.rng.randint(0, 2))))
            consent = Consent(child=referral.child,
                              given_by=plan.episode.child_plan.primary_guardian,
                              shared_with_other=service.organization[:160], scope=scope,
                              given_on=on, expires_on=add_years(on, 1))
            rows.consents.append(consent)
            given[key] = consent
        referral.consent = consent
        referral.consent_basis = ServiceReferral.ConsentBasis.CONSENT
        referral.consent_checked = consent_rules.describe(consent, day)

    def _history(self, rows, plan, referral, status, day, note="") -> None:
        rows.history.append(StatusChange(
            referral=referral, status=status, on=day,
            recorded_by=plan.episode.coordinator_on(day), recorded_at=_at(day),
            note=note[:300]))

    # ------------------------------------------------------------ the register

    def _register(self, plan: PlanDraft, need: NeedDraft, tried: list[ServiceReferral],
                  rows: ServiceReferralRows) -> None:
        rng, code = self.rng, need.domain.code
        failed = [r for r in tried if r.status in steps.FAILED]
        reason = _UNMET_PICKS.get(code, _UNMET_PICKS["*"]).pick(rng)
        if failed and failed[-1].status in REASON_OF_FAILURE and code != "housing":
            reason = REASON_OF_FAILURE[failed[-1].status]
        town = plan.episode.household.household.town
        child = plan.episode.child_plan.child
        entry = UnmetNeed(child=child, need_id=need.id, reason=reason,
                          details=need.outcome or "No provider could be found.",
                          recorded_on=need.closed_on,
                          recorded_by=plan.episode.coordinator_on(need.closed_on),
                          center_id=plan.episode.enrollment.center_id, region_id=town.region_id,
                          town=town, domain=need.domain)
        rows.unmet.append(entry)
        rows.unmet_referrals += [(entry, r) for r in failed]


def write_service_referrals(rows: ServiceReferralRows, counts: Counter) -> None:
    _write_unmet_instead(rows.unmet_instead)
    for objs in (rows.consents, rows.referrals, rows.history, rows.unmet):
        bulk.save_new(objs)
    bulk.insert(UnmetNeed.referrals.through, ("unmetneed_id", "servicereferral_id"), [
        (entry.pk, referral.pk) for entry, referral in rows.unmet_referrals], returning=False)
    counts["service_referrals"] += len(rows.referrals)
    counts["service_referrals_received"] += sum(
        1 for r in rows.referrals if r.status == steps.RECEIVED)
    counts["service_referrals_failed"] += sum(1 for r in rows.referrals if r.has_failed)
    counts["unmet_needs"] += len(rows.unmet)


def _write_unmet_instead(changed: list[tuple[PlanDraft, NeedDraft]]) -> None:
    """The needs closed as unmet instead, and the snapshots of the versions agreed since they
    closed (the snapshot holds each need's status on the day of the agreement)."""
    if not changed:
        return
    needs = [need for _, need in changed]
    day = bulk.adapter(Need, "closed_on")
    bulk.set_column(Need, "status", [(n.final_status, n.id) for n in needs])
    bulk.set_column(Need, "outcome", [(n.outcome, n.id) for n in needs])
    bulk.set_column(Need, "closed_on", [(day(n.closed_on), n.id) for n in needs])
    since: dict[int, tuple[PlanDraft, datetime.date]] = {}
    for plan, need in changed:
        earliest = since.get(plan.id, (plan, need.closed_on))[1]
        since[plan.id] = (plan, min(earliest, need.closed_on))
    snapshot = bulk.adapter(CarePlanVersion, "snapshot")
    pairs = []
    for pk, plan_id, number in CarePlanVersion.objects.filter(plan_id__in=since).values_list(
            "pk", "plan_id", "number"):
        plan, closed = since[plan_id]
        agreement = next(a for a in plan.agreements if a.number == number)
        if agreement.day >= closed:
            pairs.append((snapshot(plan.snapshot_on(agreement.day)), pk))
    bulk.set_column(CarePlanVersion, "snapshot", pairs)
