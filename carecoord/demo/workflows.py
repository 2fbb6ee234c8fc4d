"""The domain workflows of the demo's enrollments: school support (IEP/504) for education
needs, the Six Core Elements for youth of transition age, and family-to-family peer support
with the support parents who volunteer from the center's own families. Each follows the rules
its service enforces (a plan in place after a held meeting, a transfer after the adult
clinician is named, an introduction with both families' consent)."""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from carecoord.accounts.models import Language
from carecoord.careplans.versions import add_months
from carecoord.education.models import SchoolMeeting, SchoolSupport
from carecoord.families.models import Consent
from carecoord.peersupport.models import PeerMatch, SupportParent
from carecoord.transition.models import ElementCompletion, TransitionRecord
from carecoord.transition.progress import birthday, elements

from . import bulk, mix
from .chance import add_years, chance, day_between, days_after
from .plans import Episode, PlanDraft

ELEMENT_FROM_AGE = {"transition_policy": 12, "tracking_monitoring": 14,
                    "transition_readiness": 14, "transition_planning": 14,
                    "transfer_of_care": 18}
ADULT_CLINICIANS = ("Dr. {} (adult internal medicine)", "Dr. {} (family medicine)",
                    "Dr. {} (adult neurology)", "Dr. {} (med-peds)")
ADULT_SURNAMES = ("Alvarez", "Bennett", "Chen", "Dubois", "Ellis", "Fontaine", "Greco",
                  "Haddad", "Iyer", "Jablonski", "Kowal", "Lindqvist", "Moreau", "Novak")


@dataclass
class WorkflowRows:
    supports: list[SchoolSupport] = field(default_factory=list)
    meetings: list[SchoolMeeting] = field(default_factory=list)
    records: list[TransitionRecord] = field(default_factory=list)
    completions: list[ElementCompletion] = field(default_factory=list)
    supporters: list[SupportParent] = field(default_factory=list)
    matches: list[PeerMatch] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)


@dataclass(eq=False)
class _Volunteer:
    supporter: SupportParent
    household_id: int
    children: list
    room: int


class WorkflowFactory:
    def __init__(self, rng: random.Random, as_of: datetime.date):
        self.rng, self.as_of = rng, as_of
        self.volunteers: dict[int, list[_Volunteer]] = {}  # by center id, across batches
        self.languages = {language.code: language for language in Language.objects.all()}

    def for_plans(self, plans: list[PlanDraft]) -> WorkflowRows:
        rows = WorkflowRows()
        self.transitions: dict[int, tuple[TransitionRecord, dict]] = {}  # a child re-enrolled
        for plan in plans:
            self._volunteer(plan.episode, rows)
        for plan in plans:
            for need in plan.needs:
                if need.domain.code == "education":
                    self._school(plan, need, rows)
                elif need.domain.code == "peer_support":
                    self._peer_match(plan, need, rows)
            self._transition(plan.episode, rows)
        return rows

    # ------------------------------------------------------------ school

    def _school(self, plan: PlanDraft, need, rows: WorkflowRows) -> None:
        rng, episode = self.rng, plan.episode
        child = episode.child_plan.child
        requested = day_between(rng, need.since, days_after(need.since, 14))
        if requested >= episode.end:
            return
        town = episode.household.household.town.name
        support = SchoolSupport(
            child=child, need_id=need.id, school=child.school_name or f"{town} Public Schools",
            district=f"{town} Public Schools", plan_kind=mix.SCHOOL_PLAN_KIND.pick(rng),
            stage=SchoolSupport.Stage.REQUESTED, requested_on=requested,
            school_contact="Special education case manager",
            created_by=episode.coordinator_on(requested))
        rows.supports.append(support)
        referral_ppt = days_after(requested, rng.randint(7, 15))
        self._meeting(rows, episode, support, SchoolMeeting.Kind.REFERRAL_PPT, referral_ppt,
                      "Agreed to evaluate: psychoeducational and speech-language testing.",
                      episode.end)
        if referral_ppt <= episode.end:
            support.stage = SchoolSupport.Stage.EVALUATING
        decision = days_after(requested, rng.randint(*mix.SCHOOL_EVALUATION_DAYS))
        eligible = chance(rng, mix.SCHOOL_ELIGIBLE)
        outcome = ("Eligible: the team wrote the plan with the family." if eligible else
                   "Not eligible for special education; a 504 plan to be considered.")
        kind = (SchoolMeeting.Kind.SECTION_504 if support.plan_kind == "504"
                else SchoolMeeting.Kind.IEP_PPT if eligible else
                SchoolMeeting.Kind.ELIGIBILITY_PPT)
        self._meeting(rows, episode, support, kind, decision, outcome, episode.end)
        if decision <= episode.end:
            if eligible:
                if support.plan_kind == SchoolSupport.PlanKind.NOT_SURE:
                    support.plan_kind = SchoolSupport.PlanKind.IEP
                support.stage = SchoolSupport.Stage.IN_PLACE
                support.plan_started_on = days_after(decision, rng.randint(0, 10))
                review = add_months(decision, 12)
                while review <= episode.end:  # reviewed every year since, a little early
                    held = days_after(review, -rng.randint(0, 20))
                    self._meeting(rows, episode, support, SchoolMeeting.Kind.ANNUAL_REVIEW,
                                  held, "Plan reviewed; goals updated for the new year.",
                                  episode.end)
                    review = add_months(held, 12)
                support.annual_review_due_on = review
                support.reevaluation_due_on = add_years(decision, 3)
                support.services = rng.choice((
                    "Speech-language therapy twice a week; preferential seating.",
                    "Special education 5 hours a week; occupational therapy weekly.",
                    "1:1 paraprofessional; extended time on tests; nurse plan for seizures.",
                    "Counseling weekly; behavior intervention plan; breaks when needed.",
                ))
            else:
                support.stage = SchoolSupport.Stage.NOT_ELIGIBLE
            if chance(rng, mix.SCHOOL_ADVOCACY):
                self._advocacy(rows, episode, support, decision, episode.end)

    def _meeting(self, rows, episode: Episode, support, kind, day, outcome, horizon) -> None:
        # Meetings ahead are on the calendar of families still enrolled.
        if day > (days_after(horizon, 20) if episode.enrollment.discharge_date is None
                  else horizon):
            return
        held = day <= horizon
        guardian = episode.child_plan.primary_guardian
        interpreter = (self.languages.get(episode.household.language.code)
                       if guardian.interpreter_needed else None)
        rows.meetings.append(SchoolMeeting(
            support=support, kind=kind, meets_on=day,
            status=SchoolMeeting.Status.HELD if held else SchoolMeeting.Status.SCHEDULED,
            family_attended=held, interpreter_language=interpreter if held else None,
            coordinator_attended=held and chance(self.rng, mix.SCHOOL_COORDINATOR_ATTENDS),
            outcome=outcome if held else "", recorded_by=episode.coordinator_on(
                min(day, horizon))))

    def _advocacy(self, rows, episode: Episode, support, after, horizon) -> None:
        day = day_between(self.rng, after, days_after(after, 30))
        if day > horizon:
            return
        organization = mix.ADVOCACY_ORGANIZATIONS.pick(self.rng)
        rows.consents.append(Consent(
            child=episode.child_plan.child, given_by=episode.child_plan.primary_guardian,
            shared_with_other=organization, scope=Consent.Scope.EDUCATION, given_on=day,
            expires_on=add_years(day, 1)))
        support.advocacy_organization, support.advocacy_referred_on = organization, day
        support.advocacy_reason = "The family disagrees with the school's decision."

    # ------------------------------------------------------------ transition

    def _transition(self, episode: Episode, rows: WorkflowRows) -> None:
        rng, child = self.rng, episode.child_plan.child
        start, end = episode.enrollment.start_date, episode.end
        born = child.date_of_birth
        if birthday(born, 12) > end:
            return
        if child.pk in self.transitions:
            record, done = self.transitions[child.pk]
        else:
            record, done = TransitionRecord(child=child), {}
            self.transitions[child.pk] = record, done
            rows.records.append(record)
        for element in elements():
            if element.id in done:
                continue
            if element.id == "transfer_completion":
                transfer = done.get("transfer_of_care")
                day = add_months(transfer, rng.randint(3, 6)) if transfer else None
            else:
                due = max(birthday(born, ELEMENT_FROM_AGE[element.id]), start)
                day = days_after(due, rng.randint(0, 150))
            if element.id == "transfer_of_care":
                named = max(birthday(born, mix.ADULT_CLINICIAN_NAMED_FROM_AGE), start)
                if named <= end:
                    record.adult_clinician = rng.choice(ADULT_CLINICIANS).format(
                        rng.choice(ADULT_SURNAMES))
                    day = max(day, named)
                else:
                    day = None
            if day is None or day > end or not chance(rng, mix.TRANSITION_DONE[element.id]):
                continue
            done[element.id] = day
            rows.completions.append(ElementCompletion(
                record=record, element=element.id, done_on=day,
                recorded_by=episode.coordinator_on(day)))
        if "transfer_of_care" in done:
            record.last_pediatric_visit_on = done["transfer_of_care"]

    # ------------------------------------------------------------ peer support

    def _volunteer(self, episode: Episode, rows: WorkflowRows) -> None:
        enrolled_days = (episode.end - episode.enrollment.start_date).days
        if enrolled_days < 365 or not chance(self.rng, mix.SUPPORT_PARENTS):
            return
        household = episode.household
        if any(v.household_id == household.household.pk
               for v in self.volunteers.get(episode.enrollment.center_id, [])):
            return
        guardian = episode.child_plan.primary_guardian
        codes = sorted({row.code[:3] for row in episode.child_plan.codes})
        described = episode.child_plan.codes[0].description.lower() if (
            episode.child_plan.codes) else "special health care needs"
        supporter = SupportParent(
            guardian=guardian, center_id=episode.enrollment.center_id,
            experience=f"Parent of a child with {described}; knows the IEP process and "
                       "HUSKY, and wants to help another family.",
            diagnosis_codes=", ".join(codes), max_matches=mix.SUPPORT_PARENT_MATCHES.pick(
                self.rng),
            trained_on=day_between(self.rng, days_after(episode.enrollment.start_date, 180),
                                   episode.end),
            registered_by=episode.coordinator_on(episode.end))
        rows.supporters.append(supporter)
        self.volunteers.setdefault(episode.enrollment.center_id, []).append(_Volunteer(
            supporter, household.household.pk, [c.child for c in household.children],
            supporter.max_matches))

    def _peer_match(self, plan: PlanDraft, need, rows: WorkflowRows) -> None:
        rng, episode = self.rng, plan.episode
        categories = {row.code[:3] for row in episode.child_plan.codes}
        pool = [v for v in self.volunteers.get(episode.enrollment.center_id, [])
                if v.room > 0 and v.household_id != episode.household.household.pk
                and v.supporter.trained_on and v.supporter.trained_on <= need.since]
        if not pool:
            return
        pool.sort(key=lambda v: (not categories & set(v.supporter.diagnosis_codes.split(", ")),
                                 -v.room))
        volunteer = pool[0]
        proposed = day_between(rng, need.since, days_after(need.since, 21))
        if proposed > plan.horizon:
            return
        shared = sorted(categories & set(volunteer.supporter.diagnosis_codes.split(", ")))
        match = PeerMatch(
            child=episode.child_plan.child, supporter=volunteer.supporter,
            reason="To talk with a parent who has been through it.",
            shared_experience=f"Same condition category ({', '.join(shared)})" if shared else "",
            status=PeerMatch.Status.PROPOSED, proposed_on=proposed,
            proposed_by=episode.coordinator_on(proposed))
        rows.matches.append(match)
        introduced = days_after(proposed, rng.randint(5, 20))
        if chance(rng, mix.PEER_MATCH_DECLINED) and introduced <= plan.horizon:
            match.status, match.closed_on = PeerMatch.Status.DECLINED, introduced
            match.outcome = "The family decided they were not ready to talk to another parent."
            return
        if introduced > plan.horizon:
            volunteer.room -= 1
            return
        for child, guardian in ((episode.child_plan.child, episode.child_plan.primary_guardian),
                                (volunteer.children[0], volunteer.supporter.guardian)):
            rows.consents.append(Consent(
                child=child, given_by=guardian, shared_with_other="A peer support family",
                scope=Consent.Scope.PEER_SUPPORT, given_on=days_after(introduced, -2),
                expires_on=add_years(introduced, 1)))
        match.status, match.introduced_on = PeerMatch.Status.ACTIVE, introduced
        if need.closed_on and need.closed_on > introduced:
            match.status, match.closed_on = PeerMatch.Status.CLOSED, need.closed_on
            match.outcome = "The parents talked several times; the family feels less alone."
        else:
            volunteer.room -= 1


def write_workflows(rows: WorkflowRows, counts: Counter) -> None:
    for objs in (rows.supports, rows.meetings, rows.records, rows.completions, rows.supporters,
                 rows.matches, rows.consents):
        bulk.save_new(objs)
    counts["school_supports"] += len(rows.supports)
    counts["school_meetings"] += len(rows.meetings)
    counts["transition_records"] += len(rows.records)
    counts["transition_elements_done"] += len(rows.completions)
    counts["support_parents"] += len(rows.supporters)
    counts["peer_matches"] += len(rows.matches)
