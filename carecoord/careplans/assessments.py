"""Screenings and assessments of a child, the Django side of the instrument engine in
``careplans/instruments/``: administering an instrument (the engine checks and scores the
answers), a child's history per instrument, the change between the latest two administrations
of a subscale instrument, the social-needs summary the stratification reads, and what a result
suggests for the care plan (a goal for a low protective factor, a need for a positive
social-needs domain).

Writes are plain functions with keyword-only arguments, one transaction each, checking
``policy.can_edit_child``. Reads take a child the caller may see (views get it from
``child_for``, which starts from ``policy.children_for``).

An administration is never changed; a correction is a new administration naming the one it
corrects, which is then left out of comparisons and summaries ("in effect" below).
"""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone

from carecoord.accounts import policy
from carecoord.families.models import Child, Guardian

from . import services
from .assessment_results import (
    AHC_HRSN,
    DOMAIN_SCREEN,
    PFS_2,
    SUBSCALE_MEAN,
    UnknownInstrument,
    compare,
    has_spanish,
    instrument_for,
    method,
    offered_instrument_ids,
    result_data,
    short_title,
    social_needs,
    version_note,
)
from .instruments.answers import check_answers
from .instruments.comparison import Comparison
from .instruments.definitions import Instrument, ItemType
from .instruments.errors import AnswerError, DefinitionError
from .instruments.scoring import score
from .instruments.social_needs import SocialNeedsSummary
from .models import Assessment, CarePlan, Goal, Need, NeedDomain
from .versions import add_months

STILL_OPEN = (Need.Status.OPEN, Need.Status.IN_PROGRESS)
GOAL_MONTHS = 3  # a goal suggested by a low factor is due by about the next review
# The need domains a positive AHC HRSN domain may become in the plan (CareCoord's mapping; the
# first is offered first). Interpersonal safety may call for counseling or for legal help.
NEED_DOMAINS_FOR = {
    "living_situation": ("housing",),
    "food": ("food",),
    "transportation": ("transportation",),
    "utilities": ("financial",),
    "safety": ("behavioral_health", "legal"),
}
PFS2_NOT_LOADED = (
    "The PFS-2 cannot be administered yet: its item wording is licensed from the FRIENDS "
    "National Center and this center's licensed items are not loaded. Ask your center "
    "administrator to load the center's licensed PFS-2 item file; until then, use CareCoord's "
    "protective factors check-in."
)


# ---------------------------------------------------------------- administering


def _question(instrument: Instrument, item_id: str) -> str:
    if instrument.has_item(item_id):
        return f"Question {instrument.item(item_id).number}"
    return f"Item {item_id}"


def checked_answers(instrument: Instrument, answers: Mapping[str, object]):
    """The engine's check of ``answers`` (item id → code, list of codes, or None for a question
    the family declined or skipped), plus CareCoord's own rule that every question asked is
    either answered or marked not answered: an item left out entirely was probably missed.
    Raises ValidationError keyed by item id, each message naming the question."""
    try:
        checked = check_answers(instrument, answers)
    except AnswerError as error:
        problems: dict[str, list[str]] = {}
        for item_id, problem in error.problems:
            problems.setdefault(item_id, []).append(f"{_question(instrument, item_id)} "
                                                    f"({item_id}): {problem}.")
        raise ValidationError(problems) from None
    missing = [item for item in instrument.items
               if item.id not in answers and item.id not in checked.skipped]
    if missing:
        raise ValidationError({item.id: [
            f"Question {item.number} ({item.id}) has no answer: choose one, or “Not answered” "
            f"if the family declined or skipped it."] for item in missing})
    return checked


def _stored_answers(instrument: Instrument, checked, answers: Mapping[str, object]) -> dict:
    stored = {}
    for item in instrument.items:
        if item.id in checked.skipped:
            continue  # not asked (skip logic)
        options = checked.options(item.id)
        if options is None:
            if item.id in answers:
                stored[item.id] = None  # asked, not answered
        elif item.type is ItemType.MULTIPLE_CHOICE:
            stored[item.id] = [option.code for option in options]
        else:
            stored[item.id] = options[0].code
    return stored


def current_plan(child: Child) -> CarePlan | None:
    """The plan the care plan page shows: the latest enrollment's."""
    return CarePlan.objects.filter(child=child).order_by("-enrollment__start_date").first()


def respondent_name(child: Child, respondent: Guardian | None) -> str:
    return str(respondent) if respondent else f"{child.full_name} (youth)"


@transaction.atomic
def administer(*, user, child: Child, instrument_id: str, answers: Mapping[str, object],
               context: str, administered_on: datetime.date,
               respondent: Guardian | None = None, youth: bool = False,
               language: str = Assessment.Language.ENGLISH,
               corrects: Assessment | None = None) -> Assessment:
    """Check and score one administration with the engine and store it with its result.

    ``answers``: item id → answer code (or list of codes), None for a question asked but not
    answered (declined or skipped); questions not asked because of skip logic are left out.
    Every problem is refused at once, keyed by field or item id."""
    child = Child.objects.select_related("household").get(pk=child.pk)
    if not policy.can_edit_child(user, child):
        raise PermissionDenied("You cannot record screenings or assessments for this child.")
    try:
        instrument = instrument_for(instrument_id)
    except UnknownInstrument:
        raise ValidationError({"instrument_id": f"There is no instrument "
                                                f"“{instrument_id}”."}) from None
    if instrument.awaiting_licensed_items:
        raise ValidationError(PFS2_NOT_LOADED if instrument.id == PFS_2 else
                              f"{instrument.title}: its licensed item text is not loaded.")
    errors: dict[str, str | list[str]] = {}
    if context not in Assessment.Context.values:
        errors["context"] = "Say when it was given: at intake, at a review, or other."
    if language not in Assessment.Language.values:
        errors["language"] = "English or Spanish."
    elif language == Assessment.Language.SPANISH and not has_spanish(instrument):
        errors["language"] = f"The {short_title(instrument)} has no Spanish text in CareCoord."
    if administered_on > timezone.localdate():
        errors["administered_on"] = "The date is in the future."
    if (respondent is None) == (not youth):
        errors["respondent"] = "Say who answered: a guardian, or the youth."
    elif respondent is not None and respondent.household_id != child.household_id:
        errors["respondent"] = "Choose a guardian of this child's household."
    if corrects is not None:
        corrects = Assessment.objects.select_for_update().get(pk=corrects.pk)
        if corrects.child_id != child.pk or corrects.instrument_id != instrument.id:
            errors["corrects"] = "A correction is of the same instrument for the same child."
        elif corrects.corrections.exists():
            errors["corrects"] = "That administration has already been corrected."
    try:
        checked = checked_answers(instrument, answers)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    try:
        result = score(instrument, answers)
    except DefinitionError as error:  # e.g. a PFS-2 whose reverse scoring is unknown
        raise ValidationError(f"{instrument.title} cannot be scored: {error}") from None
    assessment = Assessment(
        child=child, center_id=child.center_id, care_plan=current_plan(child),
        instrument_id=instrument.id, instrument_title=instrument.title,
        instrument_version=version_note(instrument), instrument_status=instrument.status,
        context=context, administered_on=administered_on, administered_by=user,
        respondent=respondent, respondent_name=respondent_name(child, respondent),
        language=language, answers=_stored_answers(instrument, checked, answers),
        result=result_data(instrument, result), corrects=corrects,
    )
    assessment.full_clean()
    assessment.save()
    return assessment


# ---------------------------------------------------------------- what a result suggests


def _suggestion_plan(user, assessment: Assessment) -> CarePlan:
    if not policy.can_edit_child(user, assessment.child):
        raise PermissionDenied("You cannot change this child's care plan.")
    plan = current_plan(assessment.child)
    if plan is None:
        raise ValidationError("This child has no care plan yet: start one from the care plan "
                              "page first.")
    return plan


def suggested_goal_measure(data: dict, subscale_id: str) -> str:
    title = data["titles"].get(subscale_id, subscale_id)
    threshold = data["low_below"].get(subscale_id)
    return f"{title}: factor score at or above {threshold} at the next review"


@transaction.atomic
def add_suggested_goal(*, user, assessment: Assessment, subscale_id: str,
                       expected_version: int) -> Goal:
    """Add the goal the data suggests for a low protective factor to the child's care plan
    (the family decides: this is offered, never automatic)."""
    plan = _suggestion_plan(user, assessment)
    data = assessment.result
    if data.get("method") != SUBSCALE_MEAN or subscale_id not in data["suggested_goals"]:
        raise ValidationError("That factor was not low in this administration: no goal is "
                              "suggested for it.")
    statement = data["goals"][subscale_id]["text"]
    if plan.goals.filter(statement=statement).exists():
        raise ValidationError("This goal is already in the care plan.")
    goal = Goal(need=None, statement=statement,
                measure=suggested_goal_measure(data, subscale_id),
                target_date=add_months(timezone.localdate(), GOAL_MONTHS))
    return services.add_item(user=user, plan=plan, expected_version=expected_version, item=goal)


def need_description(assessment: Assessment, domain_id: str) -> str:
    title = assessment.result["titles"].get(domain_id, domain_id)
    day = assessment.administered_on
    return (f"{title}: positive on the {short_title_of(assessment)} screening of "
            f"{day:%b} {day.day}, {day.year} (a possible unmet need to follow up).")


def short_title_of(assessment: Assessment) -> str:
    try:
        return short_title(instrument_for(assessment.instrument_id))
    except UnknownInstrument:
        return assessment.instrument_title


@transaction.atomic
def add_screening_need(*, user, assessment: Assessment, domain_id: str, need_domain: str,
                       expected_version: int, family_priority: str, expectation: str = "",
                       description: str = "") -> Need:
    """Add a need raised by a positive social-needs domain to the child's care plan."""
    plan = _suggestion_plan(user, assessment)
    data = assessment.result
    if data.get("method") != DOMAIN_SCREEN or domain_id not in data["positive_domains"]:
        raise ValidationError("That domain was not positive in this screening.")
    if need_domain not in NEED_DOMAINS_FOR.get(domain_id, ()):
        raise ValidationError({"need_domain": "Choose one of the need domains offered."})
    domain = NeedDomain.objects.get(code=need_domain)
    if plan.needs.filter(domain=domain, raised_by=Need.RaisedBy.SCREENING,
                         status__in=STILL_OPEN).exists():
        raise ValidationError(f"The plan already has an open {domain.label.lower()} need "
                              f"raised by a screening.")
    need = Need(domain=domain, raised_by=Need.RaisedBy.SCREENING,
                description=description.strip() or need_description(assessment, domain_id),
                family_priority=family_priority, reach=domain.usual_reach,
                expectation=expectation.strip(), opened_on=timezone.localdate())
    return services.add_item(user=user, plan=plan, expected_version=expected_version, item=need)


# ---------------------------------------------------------------- reads


def child_for(user, child_id: int) -> Child:
    """The child, or 404 when out of the user's scope."""
    return get_object_or_404(
        policy.children_for(user).select_related("center", "household", "preferred_language"),
        pk=child_id)


def administrations(child: Child, instrument_id: str | None = None) -> list[Assessment]:
    """A child's administrations, newest first, in one query."""
    rows = Assessment.objects.filter(child=child).select_related(
        "administered_by", "respondent").prefetch_related("corrections")
    if instrument_id is not None:
        rows = rows.filter(instrument_id=instrument_id)
    return list(rows)


def in_effect(rows: Sequence[Assessment]) -> list[Assessment]:
    """Those not corrected by a later administration, in the same order."""
    corrected = {row.corrects_id for row in rows if row.corrects_id}
    return [row for row in rows if row.pk not in corrected]


@dataclass
class InstrumentHistory:
    instrument: Instrument
    method: str
    administrations: list[Assessment]  # newest first, corrected ones included

    @property
    def latest(self) -> Assessment | None:
        current = in_effect(self.administrations)
        return current[0] if current else None


def history(child: Child) -> list[InstrumentHistory]:
    """Every offered instrument with the child's administrations of it (one query)."""
    rows = administrations(child)
    return [InstrumentHistory(instrument, method(instrument),
                              [row for row in rows if row.instrument_id == instrument.id])
            for instrument in (instrument_for(i) for i in offered_instrument_ids())]


def comparison(earlier: Assessment, later: Assessment) -> Comparison:
    return compare(earlier.instrument_id, earlier.result, later.result)


def compare_latest(rows: Sequence[Assessment]):
    """(earlier, later, the engine's Comparison) for the latest two in effect of ``rows`` (one
    subscale instrument's administrations, newest first), or None with fewer than two."""
    current = in_effect(rows)
    if len(current) < 2 or current[0].result.get("method") != SUBSCALE_MEAN:
        return None
    later, earlier = current[0], current[1]
    return earlier, later, comparison(earlier, later)


def latest_comparison(child: Child, instrument_id: str):
    """The change between the child's latest two administrations of a subscale instrument."""
    return compare_latest(administrations(child, instrument_id))


def latest_social_needs(child: Child) -> SocialNeedsSummary | None:
    """The social-needs part of the child's social complexity: the engine's summary of the
    latest AHC HRSN screening in effect (positive and incomplete domains), or None when the
    child has not been screened. For the stratification; the caller has checked access."""
    row = (Assessment.objects.filter(child=child, instrument_id=AHC_HRSN,
                                     corrections__isnull=True)
           .order_by("-administered_on", "-pk").only("instrument_id", "result").first())
    return None if row is None else social_needs(row.instrument_id, row.result)
