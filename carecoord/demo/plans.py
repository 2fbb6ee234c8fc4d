"""Care plans for the demo's enrollments, as a center's year leaves them: the family's
priorities in their own words and language, strengths tagged with a protective factor, needs
by domain that fit the child (with who raised them and how each side ranks them), goals with
measurable targets, actions with owners and due dates, and the versions agreed with the family.

Every item is drafted with its own timeline (added on, started, done or closed on), so a
version agreed on a day is the plan as it stood that day: the snapshot of the current version
of a plan nobody touched since is exactly what `careplans.services.snapshot()` reads from the
rows, and a plan edited since holds the draft of its next version. Rows are written with
`bulk.insert` (no per-row queries); snapshots are built from the drafts once the rows have
their ids."""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from carecoord.accounts.models import Language, User
from carecoord.careplans import services as plan_services
from carecoord.careplans.models import (
    Action,
    CarePlan,
    CarePlanVersion,
    FamilyPriority,
    Goal,
    Need,
    NeedDomain,
    Strength,
)
from carecoord.careplans.versions import add_months
from carecoord.families.models import CoordinatorAssignment, Enrollment, Guardian

from . import bulk, datafiles, mix
from .chance import Weighted, chance, day_between, days_after
from .directory import RegionDirectory
from .episodes import Rows
from .families import MEDICAID, ChildPlan, HouseholdPlan

LOW_INCOME = (*MEDICAID, "uninsured")
PROVIDER_SOURCES = ("pcp", "specialist", "hospital")
REFERRER_SOURCES = ("specialist", "hospital", "state_program", "early_intervention")
FINISHED_GOAL = (Goal.Status.MET, Goal.Status.PARTLY_MET, Goal.Status.NOT_MET,
                 Goal.Status.DISCONTINUED)
PRIORITY_ORDER = {"high": 0, "medium": 1, "low": 2, "not_now": 3}
RAISED_BY_LABEL = {value: str(label) for value, label in Need.RaisedBy.choices}
OWNER_LABEL = {value: str(label) for value, label in Action.Owner.choices}
STATUS_OF_STATE = {
    "agreed": CarePlan.Status.AGREED, "edited": CarePlan.Status.DRAFT,
    "edited_in_review": CarePlan.Status.IN_REVIEW, "never_agreed": CarePlan.Status.DRAFT,
    "first_in_review": CarePlan.Status.IN_REVIEW, "draft": CarePlan.Status.DRAFT,
    "in_review": CarePlan.Status.IN_REVIEW,
}
EDITED_STATES = ("edited", "edited_in_review")


def years_old(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# ---------------------------------------------------------------- one enrollment


@dataclass(eq=False)
class Episode:
    """One enrollment of a batch, with what its plan and contacts are drawn from."""

    enrollment: Enrollment
    household: HouseholdPlan
    child_plan: ChildPlan
    assignments: list[CoordinatorAssignment]  # in date order
    end: datetime.date  # the discharge date, else the as-of date

    def coordinator_on(self, day: datetime.date) -> User:
        current = self.assignments[0]
        for assignment in self.assignments[1:]:
            if assignment.start_date <= day:
                current = assignment
        return current.coordinator


def episodes_of(batch: list[HouseholdPlan], rows: Rows, as_of: datetime.date) -> list[Episode]:
    """The batch's enrollments, in the order they were written."""
    owners = {id(child.child): (household, child) for household in batch
              for child in household.children}
    assignments: dict[int, list[CoordinatorAssignment]] = {}
    for assignment in rows.assignments:
        assignments.setdefault(id(assignment.enrollment), []).append(assignment)
    episodes = []
    for enrollment in rows.enrollments:
        household, child = owners[id(enrollment.child)]
        episodes.append(Episode(
            enrollment=enrollment, household=household, child_plan=child,
            assignments=sorted(assignments[id(enrollment)], key=lambda a: a.start_date),
            end=enrollment.discharge_date or as_of,
        ))
    return episodes


# ---------------------------------------------------------------- drafts with their timelines


@dataclass(eq=False, slots=True)
class ActionDraft:
    goal: "GoalDraft"
    description: str
    owner: str
    owner_name: str
    since: datetime.date
    due_on: datetime.date
    started_on: datetime.date | None = None
    completed_on: datetime.date | None = None
    cancelled_on: datetime.date | None = None
    id: int | None = None

    @property
    def ended_on(self) -> datetime.date | None:
        return self.completed_on or self.cancelled_on

    def status_on(self, day: datetime.date) -> str:
        if self.completed_on and self.completed_on <= day:
            return Action.Status.DONE
        if self.cancelled_on and self.cancelled_on <= day:
            return Action.Status.CANCELLED
        if self.started_on and self.started_on <= day:
            return Action.Status.IN_PROGRESS
        return Action.Status.TO_DO

    def completed_by(self, day: datetime.date) -> datetime.date | None:
        return self.completed_on if self.completed_on and self.completed_on <= day else None

    def events(self):
        return (self.started_on, self.completed_on, self.cancelled_on)


@dataclass(eq=False, slots=True)
class GoalDraft:
    need: "NeedDraft"
    statement: str
    measure: str
    since: datetime.date
    target_date: datetime.date
    actions: list[ActionDraft] = field(default_factory=list)
    started_on: datetime.date | None = None
    finished_on: datetime.date | None = None
    final_status: str = ""
    outcome: str = ""
    id: int | None = None

    def status_on(self, day: datetime.date) -> str:
        if self.finished_on and self.finished_on <= day:
            return self.final_status
        if self.started_on and self.started_on <= day:
            return Goal.Status.IN_PROGRESS
        return Goal.Status.NOT_STARTED

    def outcome_on(self, day: datetime.date) -> str:
        return self.outcome if self.finished_on and self.finished_on <= day else ""

    def events(self):
        return (self.started_on, self.finished_on)


@dataclass(eq=False, slots=True)
class NeedDraft:
    domain: NeedDomain
    description: str
    raised_by: str
    family_priority: str
    provider_priority: str
    reach: str
    expectation: str
    since: datetime.date
    role: str = ""  # "tension": a provider's ask the family ranks lower; "basic": their first
    goals: list[GoalDraft] = field(default_factory=list)
    started_on: datetime.date | None = None
    closed_on: datetime.date | None = None
    final_status: str = ""
    outcome: str = ""
    id: int | None = None

    def status_on(self, day: datetime.date) -> str:
        if self.closed_on and self.closed_on <= day:
            return self.final_status
        if self.started_on and self.started_on <= day:
            return Need.Status.IN_PROGRESS
        return Need.Status.OPEN

    def events(self):
        return (self.started_on, self.closed_on)


@dataclass(eq=False, slots=True)
class PriorityDraft:
    text: str
    language: Language
    translation: str
    rank: int
    voiced_by: Guardian
    need: NeedDraft
    id: int | None = None


@dataclass(eq=False, slots=True)
class StrengthDraft:
    text: str
    protective_factor: str
    id: int | None = None


@dataclass(eq=False, slots=True)
class Agreement:
    number: int
    day: datetime.date
    guardian: Guardian | None
    name: str
    how: str
    recorded_by: User
    review_due_on: datetime.date


@dataclass(eq=False)
class PlanDraft:
    episode: Episode
    language: Language
    status: str
    started: datetime.date
    horizon: datetime.date  # nothing in the working copy happened after this day
    created_by: User
    agreements: list[Agreement] = field(default_factory=list)
    edited: bool = False  # the working copy changed after the last agreement
    review_due_on: datetime.date | None = None
    review_reason: str = ""
    priorities: list[PriorityDraft] = field(default_factory=list)
    strengths: list[StrengthDraft] = field(default_factory=list)
    needs: list[NeedDraft] = field(default_factory=list)
    id: int | None = None

    @property
    def goals(self) -> list[GoalDraft]:
        return [goal for need in self.needs for goal in need.goals]

    @property
    def actions(self) -> list[ActionDraft]:
        return [action for need in self.needs for goal in need.goals for action in goal.actions]

    @property
    def edits(self) -> int:
        """A plausible CarePlan.version: one step per item written, change of status, review
        and agreement (each is one service call that moves the version on)."""
        items = len(self.priorities) + len(self.strengths) + len(self.needs)
        changes = sum(1 for need in self.needs for day in need.events() if day)
        for goal in self.goals:
            items += 1 + len(goal.actions)
            changes += sum(1 for day in goal.events() if day)
            changes += sum(1 for action in goal.actions for day in action.events() if day)
        reviews = len(self.agreements) + (self.status == CarePlan.Status.IN_REVIEW)
        return 1 + items + changes + reviews + len(self.agreements)

    def snapshot_on(self, day: datetime.date) -> dict:
        """The plan as it stood on `day`, in the shape of careplans.services.snapshot()."""
        def iso(value):
            return value.isoformat() if value else None

        needs = sorted((n for n in self.needs if n.since <= day),
                       key=lambda n: (n.domain.order, n.id))
        goals = sorted((g for n in needs for g in n.goals if g.since <= day),
                       key=lambda g: (g.target_date, g.id))
        actions = sorted((a for g in goals for a in g.actions if a.since <= day),
                         key=lambda a: (a.due_on, a.id))
        return {
            "language": self.language.code,
            "priorities": [{"id": p.id, "text": p.text, "translation": p.translation,
                            "rank": p.rank}
                           for p in sorted(self.priorities, key=lambda p: (p.rank, p.id))],
            "strengths": [{"id": s.id, "text": s.text, "protective_factor": s.protective_factor}
                          for s in sorted(self.strengths, key=lambda s: s.id)],
            "needs": [{"id": n.id, "domain": n.domain.label, "description": n.description,
                       "raised_by": RAISED_BY_LABEL[n.raised_by],
                       "family_priority": n.family_priority,
                       "provider_priority": n.provider_priority, "reach": n.reach,
                       "expectation": n.expectation, "status": n.status_on(day)}
                      for n in needs],
            "goals": [{"id": g.id, "need_id": g.need.id, "statement": g.statement,
                       "measure": g.measure, "target_date": iso(g.target_date),
                       "status": g.status_on(day), "outcome": g.outcome_on(day)}
                      for g in goals],
            "actions": [{"id": a.id, "goal_id": a.goal.id, "description": a.description,
                         "owner": OWNER_LABEL[a.owner], "owner_name": a.owner_name,
                         "due_on": iso(a.due_on), "status": a.status_on(day),
                         "completed_on": iso(a.completed_by(day))}
                        for a in actions],
        }


# ---------------------------------------------------------------- drafting


class PlanFactory:
    def __init__(self, rng: random.Random, as_of: datetime.date,
                 directories: dict[int, RegionDirectory], languages: dict[str, Language]):
        self.rng = rng
        self.as_of = as_of
        self.directories = directories
        self.english = languages["en"]
        self.domains = {domain.code: domain for domain in NeedDomain.objects.order_by("code")}
        self.review_months = plan_services.review_months()
        self.priority_texts = datafiles.plan_priorities()
        self.strength_texts = datafiles.plan_strengths()
        self.factors = sorted(self.strength_texts)
        self.texts = datafiles.plan_texts()
        self.goal_templates = datafiles.plan_goals()
        self.action_templates = datafiles.plan_actions()

    def for_episodes(self, episodes: list[Episode]) -> list[PlanDraft]:
        plans = []
        for episode in episodes:
            plan = self._plan(episode)
            if plan is not None:
                plans.append(plan)
        return plans

    def _text(self, kind: str, key: str) -> str:
        return self.rng.choice(self.texts.get((kind, key)) or self.texts[(kind, "*")])

    # ------------------------------------------------------------ the plan's course

    def _plan(self, episode: Episode) -> PlanDraft | None:
        rng, as_of = self.rng, self.as_of
        enrollment = episode.enrollment
        start, end = enrollment.start_date, episode.end
        discharged = enrollment.discharge_date is not None
        if discharged:
            if (end - start).days < 30 or not chance(rng, mix.PLAN_FOR_DISCHARGED):
                return None
        else:
            new = (as_of - start).days < mix.NEW_ENROLLMENT_DAYS
            if not chance(rng, mix.PLAN_FOR_NEW if new else mix.PLAN_FOR_OPEN):
                return None
        started = min(days_after(start, rng.randint(*mix.DAYS_TO_PLAN_START)), end)
        first = min(days_after(started, rng.randint(*mix.DAYS_TO_FIRST_AGREEMENT)), end)
        last = None
        if discharged:
            state = "agreed"
            last = max(first, days_after(end, -rng.randint(*mix.DAYS_BEFORE_DISCHARGE)))
        elif days_after(started, mix.DAYS_TO_FIRST_AGREEMENT[0]) > as_of:
            state = mix.NEW_PLAN_STATE.pick(rng)
        else:
            state = mix.OPEN_PLAN_STATE.pick(rng)
            if state in ("agreed", *EDITED_STATES):
                low, high = mix.DAYS_SINCE_AGREEMENT.pick(rng)
                lag = rng.randint(low, high)
                if state in EDITED_STATES:
                    lag = max(lag, 7)
                last = max(first, days_after(as_of, -lag))
                if state in EDITED_STATES and last >= as_of:
                    state = "agreed"
        days = self._agreement_days(first, last) if last else []
        last = days[-1] if days else None
        edited = state in EDITED_STATES
        horizon = as_of if last is None or edited else last
        plan = PlanDraft(
            episode=episode, language=self._language(episode), status=STATUS_OF_STATE[state],
            started=started, horizon=horizon, created_by=episode.coordinator_on(started),
            edited=edited,
        )
        goals_met = enrollment.discharge_reason == Enrollment.DischargeReason.GOALS_MET
        self._needs(plan, days, goals_met)
        if edited:
            self._edit_since(plan, last, goals_met)
        self._priorities(plan)
        self._strengths(plan)
        self._agreements(plan, days)
        if edited and chance(rng, mix.REVIEW_CALLED):
            plan.review_due_on = day_between(rng, days_after(last, 1), as_of)
            plan.review_reason = self._text("review_reason", "")
        return plan

    def _agreement_days(self, first: datetime.date, last: datetime.date) -> list[datetime.date]:
        span = (last - first).days
        if span < 30:
            return [first]
        if span < mix.VERSION_SPAN_DAYS or not chance(self.rng, mix.MIDDLE_VERSION):
            return [first, last]
        middle = days_after(first, span // 2 + self.rng.randint(-span // 6, span // 6))
        return [first, middle, last]

    def _language(self, episode: Episode) -> Language:
        primary = episode.household.guardians[0]
        return primary.preferred_language or episode.child_plan.child.preferred_language

    def _agreements(self, plan: PlanDraft, days: list[datetime.date]) -> None:
        rng = self.rng
        episode = plan.episode
        child = episode.child_plan.child
        guardians = episode.household.guardians
        for number, day in enumerate(days, start=1):
            if years_old(child.date_of_birth, day) >= 18 and chance(rng, mix.YOUTH_AGREES):
                guardian, name = None, f"{child.full_name} (youth)"
            else:
                guardian = (guardians[1] if len(guardians) > 1
                            and chance(rng, mix.AGREED_BY_SECOND_GUARDIAN) else guardians[0])
                name = str(guardian)
            how = mix.AGREED_HOW.pick(rng)
            if how == CarePlanVersion.AgreedHow.PHONE and not (guardian or guardians[0]).phone:
                how = CarePlanVersion.AgreedHow.IN_PERSON
            plan.agreements.append(Agreement(
                number=number, day=day, guardian=guardian, name=name, how=how,
                recorded_by=episode.coordinator_on(day),
                review_due_on=add_months(day, self.review_months),
            ))
        if plan.agreements:
            plan.review_due_on = plan.agreements[-1].review_due_on

    # ------------------------------------------------------------ needs by domain

    def _needs(self, plan: PlanDraft, days: list[datetime.date], goals_met: bool) -> None:
        rng = self.rng
        episode = plan.episode
        age = years_old(episode.child_plan.child.date_of_birth, plan.started)
        weights = self._domain_weights(episode, age)
        count = mix.NEEDS[episode.child_plan.profile].pick(rng)
        if plan.edited:
            count = min(count, 4)  # room for the need the edit adds
        chosen: list[tuple[str, str]] = []  # (domain, role)
        asked = self._provider_ask(episode, age)
        if asked:
            chosen.append((asked, "provider_ask"))
            groups = {code.group for code in episode.child_plan.codes}
            basics = "social" in groups or episode.child_plan.profile in ("social_needs", "mixed")
            if basics and chance(rng, mix.TENSION):
                basic = self._basic_need(weights)
                chosen.append((basic, "basic"))
                chosen[0] = (asked, "tension")
        taken = {domain for domain, _ in chosen}
        while len(chosen) < max(count, 1):
            left = [(domain, weight) for domain, weight in weights.items() if domain not in taken]
            if not left:
                break
            domain = Weighted(left).pick(rng)
            taken.add(domain)
            chosen.append((domain, ""))
        for position, (domain, role) in enumerate(chosen):
            since = plan.started
            if position and not role and len(days) > 1 and chance(rng, mix.NEED_ADDED_AT_REVIEW):
                k = rng.randint(1, len(days) - 1)
                since = day_between(rng, days_after(days[k - 1], 1), days[k])
            need = self._need(plan, domain, role, since)
            self._work(need, plan.horizon, goals_met, reviews=days[1:])
            plan.needs.append(need)

    def _domain_weights(self, episode: Episode, age: int) -> dict[str, float]:
        weights: Counter = Counter()
        for code in episode.child_plan.codes:
            weights.update(mix.DOMAIN_WEIGHTS[code.group])
            if code.code in mix.SOCIAL_CODE_DOMAINS:
                weights[mix.SOCIAL_CODE_DOMAINS[code.code]] += mix.CODE_SIGNAL
        if episode.child_plan.child.insurance_type in LOW_INCOME:
            weights.update(mix.LOW_INCOME_SIGNAL)
        if age >= mix.TRANSITION_AGE:
            weights["transition"] += mix.TRANSITION_SIGNAL
        return {domain: weight for domain, weight in sorted(weights.items())
                if self._fits_age(domain, age)}

    @staticmethod
    def _fits_age(domain: str, age: int) -> bool:
        low, high = mix.DOMAIN_AGES.get(domain, (0, 99))
        return low <= age <= high

    def _provider_ask(self, episode: Episode, age: int) -> str | None:
        """What a referring clinician asks the center for: early intervention for a toddler,
        else the evaluation or therapy the child's diagnoses point to."""
        rng = self.rng
        if (episode.enrollment.referral.source_type not in PROVIDER_SOURCES
                or not chance(rng, mix.PROVIDER_ASK)):
            return None
        groups = {code.group for code in episode.child_plan.codes}
        if age < 3:
            return "early_intervention"
        if "behavioral" in groups:
            return "behavioral_health"
        if "developmental" in groups:
            return "education"
        if groups & {"complex", "tech"}:
            return "medical"
        return rng.choice(("behavioral_health", "education"))

    def _basic_need(self, weights: dict[str, float]) -> str:
        signal = {domain: weights.get(domain, 0) for domain in ("food", "housing")}
        if max(signal.values()) >= mix.CODE_SIGNAL:
            return max(signal, key=signal.get)
        return mix.BASIC_NEED.pick(self.rng)

    def _need(self, plan: PlanDraft, code: str, role: str, since: datetime.date) -> NeedDraft:
        rng = self.rng
        episode = plan.episode
        domain = self.domains[code]
        source = episode.enrollment.referral.source_type
        if role in ("provider_ask", "tension"):
            raised_by = "pcp" if source == "pcp" else "referrer"
            family = mix.FAMILY_PRIORITY["tension" if role == "tension" else "provider"].pick(rng)
            provider = "high"
        elif role == "basic":
            raised_by = "family" if chance(rng, 0.7) else "screening"
            family, provider = "high", ""
        else:
            raised_by = self._raised_by(code, episode)
            kind = ("family" if raised_by == "family" else
                    "provider" if raised_by in ("pcp", "referrer") else "other")
            family = mix.FAMILY_PRIORITY[kind].pick(rng)
            provider = mix.PROVIDER_PRIORITY.pick(rng) if kind == "provider" else ""
        if code in mix.OUTSIDE_REACH:
            outside = chance(rng, mix.OUTSIDE_REACH[code])
        else:
            outside = chance(rng, mix.OUTSIDE_REACH_OTHERWISE)
        reach = NeedDomain.Reach.OUTSIDE if outside else NeedDomain.Reach.WITHIN
        if outside:
            expectation = self._text("expectation_outside", code)
        elif chance(rng, mix.EXPECTATION_WITHIN_REACH):
            expectation = self._text("expectation_within", code)
        else:
            expectation = ""
        need = NeedDraft(
            domain=domain, description=self._description(code, episode.child_plan),
            raised_by=raised_by, family_priority=family, provider_priority=provider,
            reach=reach, expectation=expectation, since=since, role=role,
        )
        self._goals(plan, need)
        return need

    def _raised_by(self, code: str, episode: Episode) -> str:
        who = mix.RAISED_BY[mix.NEED_GROUP[code]].pick(self.rng)
        child = episode.child_plan.child
        if who == "pcp" and child.pcp_id is None:
            return "coordinator"
        if who == "referrer" and episode.enrollment.referral.source_type not in REFERRER_SOURCES:
            return "coordinator"
        if who == "school" and not child.school_name:
            return "family"
        return who

    def _description(self, code: str, child_plan: ChildPlan) -> str:
        texts = self.texts[("need", code)]
        fitting = [c for c in child_plan.codes if c.group not in ("social",)]
        if not fitting:
            texts = tuple(text for text in texts if "{diagnosis}" not in text) or texts
        text = self.rng.choice(texts)
        if "{diagnosis}" in text:
            diagnosis = (fitting or child_plan.codes)[0].description
            text = text.format(diagnosis=diagnosis)
        return text

    # ------------------------------------------------------------ goals and actions

    def _goals(self, plan: PlanDraft, need: NeedDraft) -> None:
        rng = self.rng
        code = need.domain.code
        child = plan.episode.child_plan.child
        templates = self.goal_templates[code]
        count = min(mix.GOALS_PER_NEED.pick(rng), len(templates))
        pool = list(self.action_templates[code])
        rng.shuffle(pool)
        low, high = mix.ACTION_DUE_DAYS[need.reach]
        for number, template in enumerate(rng.sample(templates, count)):
            days = round(template.target_days * rng.uniform(0.75, 1.25))
            goal = GoalDraft(
                need=need, statement=template.statement.format(child=child.first_name),
                measure=template.measure, since=need.since,
                target_date=days_after(need.since, days),
            )
            goals_left = count - number - 1
            take = max(1, min(mix.ACTIONS_PER_GOAL.pick(rng), len(pool) - goals_left))
            for owner, description in pool[:take]:
                goal.actions.append(ActionDraft(
                    goal=goal, description=description, owner=owner,
                    owner_name=self._owner_name(plan, owner, code), since=need.since,
                    due_on=days_after(need.since, rng.randint(low, min(high, days))),
                ))
            pool = pool[take:] or list(self.action_templates[code])
            need.goals.append(goal)

    def _owner_name(self, plan: PlanDraft, owner: str, code: str) -> str:
        episode = plan.episode
        child_plan = episode.child_plan
        child = child_plan.child
        if owner == "family":
            return str(episode.household.guardians[0])
        if owner == "coordinator":
            return plan.created_by.get_full_name()
        if owner == "pcp":
            return str(child.pcp) if child.pcp else ""
        if owner == "specialist":
            directory = self.directories[episode.enrollment.center.region_id]
            for diagnosis in child_plan.codes:
                team = directory.specialists.get(diagnosis.specialty)
                if team:
                    return str(self.rng.choice(team))
            return ""
        if owner == "school":
            return child.school_name or f"{episode.household.household.town.name} Public Schools"
        if owner == "agency":
            return self._text("agency", code)
        return self._text("peer_family", "")

    def _work(self, need: NeedDraft, horizon: datetime.date, goals_met: bool,
              reviews: list[datetime.date] = ()) -> None:
        """What happened to the need's actions, goals and the need itself up to `horizon`
        (`reviews`: the days a later version was agreed)."""
        rng = self.rng
        p_done = mix.ACTION_DONE_GOALS_MET if goals_met else mix.ACTION_DONE[need.reach]
        for goal in need.goals:
            for action in goal.actions:
                self._action_course(action, horizon, p_done)
                self._review_stale(action, reviews, horizon)
            self._goal_course(goal, horizon)
        if horizon > days_after(need.since, 14) and chance(rng, mix.NEED_WITHDRAWN):
            day = day_between(rng, days_after(need.since, 14), horizon)
            for goal in need.goals:
                self._close_goal(goal, day, Goal.Status.DISCONTINUED)
            need.closed_on, need.final_status = day, Need.Status.WITHDRAWN
        elif need.goals and all(goal.finished_on for goal in need.goals):
            statuses = {goal.final_status for goal in need.goals}
            last = max(goal.finished_on for goal in need.goals)
            need.closed_on = min(days_after(last, rng.randint(0, 14)), horizon)
            if Goal.Status.MET in statuses:
                need.final_status = Need.Status.MET
            elif Goal.Status.PARTLY_MET in statuses:
                need.final_status = Need.Status.MET if chance(rng, 0.5) else Need.Status.UNMET
            elif Goal.Status.NOT_MET in statuses:
                need.final_status = Need.Status.UNMET
            else:
                need.final_status = Need.Status.WITHDRAWN
        if need.closed_on:
            key = need.domain.code
            kind = f"need_{need.final_status}"
            need.outcome = self._text(kind, key)
        starts = [day for goal in need.goals for day in (goal.started_on, goal.finished_on) if day]
        need.started_on = min(starts) if starts else None
        if need.closed_on and need.started_on and need.started_on > need.closed_on:
            need.started_on = need.closed_on

    def _action_course(self, action: ActionDraft, horizon: datetime.date, p_done: float) -> None:
        rng = self.rng
        if horizon <= action.since:
            return
        if chance(rng, p_done):
            done = max(days_after(action.due_on, rng.randint(*mix.ACTION_DONE_LATE_DAYS)),
                       days_after(action.since, 1))
            if done <= horizon:
                action.completed_on = done
                if chance(rng, mix.ACTION_STARTED):
                    action.started_on = day_between(rng, days_after(action.since, 1), done)
                return
        if chance(rng, mix.ACTION_CANCELLED):
            action.cancelled_on = day_between(rng, days_after(action.since, 1), horizon)
        elif chance(rng, mix.ACTION_STARTED):
            action.started_on = day_between(rng, days_after(action.since, 1), horizon)

    def _review_stale(self, action: ActionDraft, reviews, horizon: datetime.date) -> None:
        """Work long past due and never done is mostly dropped at the next review rather than
        carried over for good."""
        if action.ended_on:
            return
        for day in reviews:
            if action.due_on < day <= horizon and action.since < day:
                if chance(self.rng, mix.STALE_DROPPED_AT_REVIEW):
                    action.cancelled_on = day
                    if action.started_on and action.started_on > day:
                        action.started_on = None
                return

    def _goal_course(self, goal: GoalDraft, horizon: datetime.date) -> None:
        rng = self.rng
        ends = [action.ended_on for action in goal.actions]
        if all(ends):
            last = max(ends)
            if any(action.completed_on for action in goal.actions):
                status = Goal.Status.MET if chance(rng, mix.GOAL_MET) else Goal.Status.PARTLY_MET
                self._close_goal(goal, min(days_after(last, rng.randint(0, 10)), horizon), status)
            else:
                self._close_goal(goal, last, Goal.Status.DISCONTINUED)
        elif days_after(goal.target_date, 30) < horizon and chance(rng, mix.GOAL_GIVEN_UP):
            day = day_between(rng, days_after(goal.target_date, 30), horizon)
            if chance(rng, mix.GOAL_DISCONTINUED):
                status = Goal.Status.DISCONTINUED
            elif any(a.completed_on and a.completed_on <= day for a in goal.actions):
                status = Goal.Status.PARTLY_MET
            else:
                status = Goal.Status.NOT_MET
            self._close_goal(goal, day, status)
        starts = [day for action in goal.actions
                  for day in (action.started_on, action.completed_on) if day]
        goal.started_on = min(starts) if starts else None

    def _close_goal(self, goal: GoalDraft, day: datetime.date, status: str) -> None:
        """Close the goal on `day` (unless it closed before); work still open is cancelled."""
        if goal.finished_on and goal.finished_on <= day:
            return
        goal.finished_on, goal.final_status = day, status
        goal.outcome = self._text(f"goal_{status}", "*")
        for action in goal.actions:
            if action.ended_on and action.ended_on <= day:
                continue
            action.completed_on = None
            action.cancelled_on = max(day, action.since)
            if action.started_on and action.started_on > day:
                action.started_on = None

    def _edit_since(self, plan: PlanDraft, last: datetime.date, goals_met: bool) -> None:
        """The draft of the next version: something changed after the last agreement, either
        in the work itself or a new need that came up."""
        rng = self.rng
        changed = any(day and day > last for need in plan.needs
                      for day in (*need.events(),
                                  *(d for g in need.goals for d in g.events()),
                                  *(d for g in need.goals for a in g.actions
                                    for d in a.events())))
        if changed and not chance(rng, mix.NEW_NEED_SINCE_AGREEMENT):
            return
        episode = plan.episode
        age = years_old(episode.child_plan.child.date_of_birth, plan.started)
        taken = {need.domain.code for need in plan.needs}
        left = [(domain, weight) for domain, weight in self._domain_weights(episode, age).items()
                if domain not in taken]
        if left:
            domain = Weighted(left).pick(rng)
        else:
            domain = next(code for code in ("peer_support", "respite", "financial", "medical")
                          if code not in taken)
        need = self._need(plan, domain, "", day_between(rng, days_after(last, 1), self.as_of))
        self._work(need, self.as_of, goals_met)
        plan.needs.append(need)

    # ------------------------------------------------------------ priorities and strengths

    def _priorities(self, plan: PlanDraft) -> None:
        """The family's priorities in their own words: what they ranked highest among the
        needs of the first plan (food or housing first when that is what they asked for)."""
        rng = self.rng
        episode = plan.episode
        guardians = episode.household.guardians
        voice = (guardians[1] if len(guardians) > 1 and chance(rng, mix.SECOND_GUARDIAN_VOICES)
                 else guardians[0])
        first = [need for need in plan.needs if need.since == plan.started] or plan.needs[:1]
        ranked = sorted((need for need in first if need.family_priority != "not_now"),
                        key=lambda n: (n.role != "basic",
                                       n.raised_by not in ("family", "screening")
                                       or n.family_priority != "high",
                                       PRIORITY_ORDER[n.family_priority]))
        ranked = ranked or first
        language = voice.preferred_language or episode.child_plan.child.preferred_language
        child_name = episode.child_plan.child.first_name
        for rank, need in enumerate(ranked[:mix.PRIORITIES.pick(rng)], start=1):
            texts = self.priority_texts.get((need.domain.code, language.code))
            spoken = language
            if texts is None:  # recorded in English through the interpreter
                texts, spoken = self.priority_texts[(need.domain.code, "en")], self.english
            text, translation = rng.choice(texts)
            plan.priorities.append(PriorityDraft(
                text=text.format(child=child_name), language=spoken,
                translation=translation.format(child=child_name), rank=rank, voiced_by=voice,
                need=need,
            ))

    def _strengths(self, plan: PlanDraft) -> None:
        rng = self.rng
        child = plan.episode.child_plan.child
        guardian = plan.episode.household.guardians[0]
        for factor in rng.sample(self.factors, mix.STRENGTHS.pick(rng)):
            text = rng.choice(self.strength_texts[factor])
            plan.strengths.append(StrengthDraft(
                text=text.format(child=child.first_name, guardian=guardian.first_name),
                protective_factor=factor,
            ))


# ---------------------------------------------------------------- writing


def write_plans(plans: list[PlanDraft], counts: Counter) -> None:
    """Insert the plans, their items and versions, then point each plan at its current
    version. Ids come back from each insert and flow into the next table's rows."""
    if not plans:
        return
    ids = bulk.insert(CarePlan, (
        "enrollment_id", "child_id", "center_id", "language_id", "status", "review_due_on",
        "review_reason", "created_by_id", "version",
    ), [(p.episode.enrollment.pk, p.episode.enrollment.child_id, p.episode.enrollment.center_id,
         p.language.pk, p.status, p.review_due_on, p.review_reason, p.created_by.pk, p.edits)
        for p in plans])
    for plan, pk in zip(plans, ids, strict=True):
        plan.id = pk
    priorities = [(plan, item) for plan in plans for item in plan.priorities]
    _assign(priorities, bulk.insert(FamilyPriority, (
        "plan_id", "text", "language_id", "translation", "rank", "voiced_by_id",
    ), [(plan.id, p.text, p.language.pk, p.translation, p.rank, p.voiced_by.pk)
        for plan, p in priorities]))
    strengths = [(plan, item) for plan in plans for item in plan.strengths]
    _assign(strengths, bulk.insert(Strength, ("plan_id", "text", "protective_factor"), [
        (plan.id, s.text, s.protective_factor) for plan, s in strengths]))
    needs = [(plan, need) for plan in plans for need in plan.needs]
    _assign(needs, bulk.insert(Need, (
        "plan_id", "domain_id", "description", "raised_by", "family_priority",
        "provider_priority", "reach", "expectation", "status", "opened_on", "closed_on",
        "outcome",
    ), [(plan.id, n.domain.pk, n.description, n.raised_by, n.family_priority,
         n.provider_priority, n.reach, n.expectation, n.status_on(plan.horizon), n.since,
         n.closed_on, n.outcome) for plan, n in needs]))
    goals = [(plan, goal) for plan in plans for goal in plan.goals]
    _assign(goals, bulk.insert(Goal, (
        "plan_id", "need_id", "statement", "measure", "target_date", "status", "outcome",
    ), [(plan.id, g.need.id, g.statement, g.measure, g.target_date, g.status_on(plan.horizon),
         g.outcome_on(plan.horizon)) for plan, g in goals]))
    actions = [(plan, action) for plan in plans for action in plan.actions]
    _assign(actions, bulk.insert(Action, (
        "goal_id", "plan_id", "description", "owner", "owner_name", "due_on", "status",
        "completed_on",
    ), [(a.goal.id, plan.id, a.description, a.owner, a.owner_name, a.due_on,
         a.status_on(plan.horizon), a.completed_by(plan.horizon)) for plan, a in actions]))
    agreed = [(plan, agreement) for plan in plans for agreement in plan.agreements]
    version_ids = bulk.insert(CarePlanVersion, (
        "plan_id", "number", "agreed_on", "agreed_by_id", "agreed_by_name", "agreed_how",
        "recorded_by_id", "review_due_on", "snapshot",
    ), [(plan.id, a.number, a.day, a.guardian.pk if a.guardian else None, a.name, a.how,
         a.recorded_by.pk, a.review_due_on, plan.snapshot_on(a.day)) for plan, a in agreed])
    current = {plan.id: version for (plan, _), version in zip(agreed, version_ids, strict=True)}
    bulk.set_column(CarePlan, "current_version_id",
                    [(version, plan) for plan, version in current.items()])
    statuses = Counter(plan.status for plan in plans)
    counts["care_plans"] += len(plans)
    counts["care_plans_agreed"] += statuses[CarePlan.Status.AGREED]
    counts["care_plans_draft"] += statuses[CarePlan.Status.DRAFT]
    counts["care_plans_in_review"] += statuses[CarePlan.Status.IN_REVIEW]
    counts["care_plan_versions"] += len(agreed)
    counts["family_priorities"] += len(priorities)
    counts["strengths"] += len(strengths)
    counts["needs"] += len(needs)
    counts["goals"] += len(goals)
    counts["actions"] += len(actions)


def _assign(pairs: list[tuple[PlanDraft, object]], ids: list[int]) -> None:
    for (_, item), pk in zip(pairs, ids, strict=True):
        item.id = pk
