"""Screenings of the demo's enrollments, as `careplans.Assessment` rows: the AHC health-related
social needs screen at intake for most families, and CareCoord's protective factors check-in at
intake and at each agreed review of the plan for some.

Answers are drawn as a family would give them (positive social-needs domains more often for
families on HUSKY or uninsured, and where the child's social codes or the plan's needs say so;
protective factors a little stronger at each review), then checked, stored and scored with the
functions `careplans.assessments.administer` uses, so every stored result is what the engine
makes of the stored answers. The respondent is the primary guardian, in Spanish where the family
speaks it and the instrument has Spanish text; the coordinator of the day administers it; the
care plan linked is the one the child had that day, as `assessments.current_plan` finds it."""

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field

from carecoord.careplans.assessment_results import (
    AHC_HRSN,
    PROTECTIVE_FACTORS_CHECKIN,
    has_spanish,
    instrument_for,
    result_data,
    version_note,
)
from carecoord.careplans.assessments import _stored_answers, checked_answers, respondent_name
from carecoord.careplans.instruments.definitions import Instrument
from carecoord.careplans.instruments.scoring import score
from carecoord.careplans.models import Assessment, Need

from . import bulk, mix
from .chance import Weighted, chance, days_after
from .plans import LOW_INCOME, Episode, PlanDraft

HITS_NEVER = 1
SAFETY_ITEMS = ("safety_hurt", "safety_insult", "safety_threaten", "safety_scream")


@dataclass
class ScreeningRows:
    assessments: list[Assessment] = field(default_factory=list)


class ScreeningFactory:
    def __init__(self, rng: random.Random, as_of: datetime.date):
        self.rng, self.as_of = rng, as_of
        self.ahc = instrument_for(AHC_HRSN)
        self.checkin = instrument_for(PROTECTIVE_FACTORS_CHECKIN)
        self.versions = {i.id: version_note(i) for i in (self.ahc, self.checkin)}
        self.problems = Weighted((self._code("housing_problems", value), weight)
                                 for value, weight in mix.HOUSING_PROBLEMS.items())

    def for_episodes(self, episodes: list[Episode], plans: list[PlanDraft]) -> ScreeningRows:
        rows = ScreeningRows()
        plan_of = {id(plan.episode): plan for plan in plans}
        self.plans_of: dict[int, list[PlanDraft]] = {}
        for plan in plans:
            self.plans_of.setdefault(plan.episode.child_plan.child.pk, []).append(plan)
        self.household_screens: dict[int, tuple[datetime.date, dict]] = {}
        for episode in episodes:
            self._episode(episode, plan_of.get(id(episode)), rows)
        return rows

    def _code(self, item_id: str, value) -> str:
        return self.ahc.item(item_id).option(value).code

    # ------------------------------------------------------------ one enrollment

    def _episode(self, episode: Episode, plan: PlanDraft | None, rows: ScreeningRows) -> None:
        rng = self.rng
        start = episode.enrollment.start_date
        day = days_after(start, rng.randint(*mix.INTAKE_SCREENING_DAYS))
        forced = self._raised_by_screening(plan)
        if forced:  # the screen came before the needs it raised
            day = max(start, min([day, *forced.values()]))
        if day > episode.end:
            return
        positive = False
        if forced or chance(rng, mix.AHC_AT_INTAKE):
            answers = self._household_answers(episode, plan, day, set(forced))
            screen = self._assessment(episode, self.ahc, answers, Assessment.Context.INTAKE,
                                      day)
            rows.assessments.append(screen)
            positive = bool(screen.result["positive_domains"])
        if not chance(rng, mix.PROTECTIVE_FACTORS_AT_INTAKE):
            return
        levels = self._factor_levels(episode, positive)
        rows.assessments.append(self._assessment(
            episode, self.checkin, self._checkin_answers(levels), Assessment.Context.INTAKE,
            day))
        reviews = [a.day for a in plan.agreements[1:]] if plan else []
        for number, review in enumerate(reviews, start=1):
            if review <= day or not chance(rng, mix.PROTECTIVE_FACTORS_AT_REVIEW):
                continue
            grown = {factor: level + mix.REVIEW_GAIN * number for factor, level in levels.items()}
            rows.assessments.append(self._assessment(
                episode, self.checkin, self._checkin_answers(grown), Assessment.Context.REVIEW,
                review))

    def _assessment(self, episode: Episode, instrument: Instrument, answers: dict,
                    context: str, day: datetime.date) -> Assessment:
        """One administration as `assessments.administer` stores it."""
        child = episode.child_plan.child
        guardian = episode.child_plan.primary_guardian
        language = guardian.preferred_language or child.preferred_language
        spanish = language.code == "es" and has_spanish(instrument)
        checked = checked_answers(instrument, answers)
        return Assessment(
            child=child, center_id=episode.enrollment.center_id,
            care_plan_id=self._current_plan(child.pk, day), instrument_id=instrument.id,
            instrument_title=instrument.title, instrument_version=self.versions[instrument.id],
            instrument_status=instrument.status, context=context, administered_on=day,
            administered_by=episode.coordinator_on(day), respondent=guardian,
            respondent_name=respondent_name(child, guardian),
            language=Assessment.Language.SPANISH if spanish else Assessment.Language.ENGLISH,
            answers=_stored_answers(instrument, checked, answers),
            result=result_data(instrument, score(instrument, answers)),
        )

    def _current_plan(self, child_id: int, day: datetime.date) -> int | None:
        """The plan of the child's latest enrollment among those started by `day`."""
        started = [plan for plan in self.plans_of.get(child_id, ()) if plan.started <= day]
        if not started:
            return None
        return max(started, key=lambda plan: plan.episode.enrollment.start_date).id

    # ------------------------------------------------------------ AHC HRSN

    @staticmethod
    def _raised_by_screening(plan: PlanDraft | None) -> dict[str, datetime.date]:
        """AHC domain → the day the first need a screening raised in it was opened."""
        found: dict[str, datetime.date] = {}
        for need in plan.needs if plan else ():
            domain = mix.AHC_NEED_DOMAINS.get(need.domain.code)
            if domain and need.raised_by == Need.RaisedBy.SCREENING:
                found[domain] = min(found.get(domain, need.since), need.since)
        return found

    def _household_answers(self, episode: Episode, plan: PlanDraft | None,
                           day: datetime.date, forced: set[str]) -> dict:
        """Siblings screened within a few weeks share the household's answers (unless this
        child's plan holds a need those answers did not raise)."""
        household = episode.household.household.pk
        earlier = self.household_screens.get(household)
        if earlier and abs((day - earlier[0]).days) <= mix.SIBLING_SAME_ANSWERS_DAYS:
            answers = earlier[1]
            if forced <= set(score(self.ahc, answers).positive_domains):
                return dict(answers)
        answers = self._ahc_answers(episode, plan, forced)
        self.household_screens[household] = (day, answers)
        return dict(answers)

    def _ahc_answers(self, episode: Episode, plan: PlanDraft | None, forced: set[str]) -> dict:
        rng = self.rng
        child_plan = episode.child_plan
        group = "low_income" if child_plan.child.insurance_type in LOW_INCOME else "other"
        rates = dict(mix.AHC_POSITIVE[group])
        for code in child_plan.codes:
            if code.code in mix.AHC_CODE_SIGNALS:
                domain, signal = mix.AHC_CODE_SIGNALS[code.code]
                rates[domain] = max(rates[domain], signal)
        for need in plan.needs if plan else ():
            domain = mix.AHC_NEED_DOMAINS.get(need.domain.code)
            if domain and need.raised_by == Need.RaisedBy.FAMILY:
                rates[domain] = max(rates[domain], mix.AHC_FAMILY_NEED_SIGNAL)
        positive = {domain for domain, rate in rates.items()
                    if domain in forced or chance(rng, rate)}
        answers = {**self._living_situation("living_situation" in positive),
                   **self._food("food" in positive)}
        answers["transportation"] = self._code(
            "transportation", "yes" if "transportation" in positive else "no")
        answers["utilities"] = self._code(
            "utilities", ("already_shut_off" if chance(rng, mix.UTILITIES_SHUT_OFF) else "yes")
            if "utilities" in positive else "no")
        for item_id in answers:
            if (self.ahc.item(item_id).group_id not in forced
                    and chance(rng, mix.AHC_ITEM_SKIPPED)):
                answers[item_id] = None
        answers.update(self._safety("safety" in positive))
        return answers

    def _living_situation(self, positive: bool) -> dict:
        rng = self.rng
        none = [self._code("housing_problems", "none")]
        if not positive:
            return {"living_situation": self._code("living_situation", "steady"),
                    "housing_problems": none}
        kind = mix.HOUSING_UNSTABLE.pick(rng)
        problems = none
        if kind == "conditions" or (kind == "worried" and chance(rng, mix.PROBLEMS_IF_WORRIED)):
            problems = []
            for _ in range(mix.HOUSING_PROBLEM_COUNT.pick(rng)):
                code = self.problems.pick(rng)
                if code not in problems:
                    problems.append(code)
        situation = "steady" if kind == "conditions" else kind
        return {"living_situation": self._code("living_situation", situation),
                "housing_problems": problems}

    def _food(self, positive: bool) -> dict:
        rng = self.rng
        if not positive:
            never = self._code("food_worry", "never_true")
            return {"food_worry": never, "food_didnt_last": never}
        worry, short = rng.choice((("often_true", "often_true"), ("often_true", "sometimes_true"),
                                   ("sometimes_true", "sometimes_true"),
                                   ("sometimes_true", "sometimes_true"),
                                   ("sometimes_true", "never_true"),
                                   ("never_true", "sometimes_true")))
        return {"food_worry": self._code("food_worry", worry),
                "food_didnt_last": self._code("food_didnt_last", short)}

    def _safety(self, positive: bool) -> dict:
        """The four HITS questions: a total of 11 or more is positive."""
        rng = self.rng
        if chance(rng, mix.SAFETY_DECLINED):
            return dict.fromkeys(SAFETY_ITEMS)
        values = [HITS_NEVER] * 4
        if positive:
            while sum(values) < 11:
                values = [rng.choice((2, 3, 3, 4, 5)) for _ in SAFETY_ITEMS]
        elif chance(rng, mix.SAFETY_SOME_CONFLICT):
            values[1], values[3] = rng.choice((2, 3)), rng.choice((1, 2, 3))
        return {item_id: self._code(item_id, value)
                for item_id, value in zip(SAFETY_ITEMS, values, strict=True)}

    # ------------------------------------------------------------ protective factors

    def _factor_levels(self, episode: Episode, positive_screen: bool) -> dict[str, float]:
        rng = self.rng
        levels = {group.id: rng.gauss(mix.FACTOR_MEAN, mix.FACTOR_SPREAD)
                  for group in self.checkin.groups}
        if positive_screen:
            levels["concrete_support"] += mix.CONCRETE_SUPPORT_IF_POSITIVE
        if len(episode.household.guardians) == 1:
            levels["social_connections"] += mix.CONNECTIONS_IF_SINGLE_CAREGIVER
        return levels

    def _checkin_answers(self, levels: dict[str, float]) -> dict:
        """Each statement around its factor's level, reverse-worded ones answered the other
        way round; now and then one skipped."""
        rng = self.rng
        answers = {}
        for item in self.checkin.items:
            if chance(rng, mix.STATEMENT_SKIPPED):
                answers[item.id] = None
                continue
            wanted = min(5, max(1, round(rng.gauss(levels[item.group_id],
                                                   mix.STATEMENT_SPREAD))))
            answers[item.id] = next(option.code for option in item.answers
                                    if item.scored_value(option.value) == wanted)
        return answers


def write_screenings(rows: ScreeningRows, counts: Counter) -> None:
    bulk.save_new(rows.assessments)
    ahc = [a for a in rows.assessments if a.instrument_id == AHC_HRSN]
    counts["ahc_screenings"] += len(ahc)
    counts["ahc_positive"] += sum(1 for a in ahc if a.result["positive_domains"])
    counts["protective_factor_checkins"] += len(rows.assessments) - len(ahc)
