"""Subscale scores: the mean of a subscale's item values after reverse scoring.

PFS-2 (FRIENDS / KU, Sprague-Jones et al. 2019, 2020): subscale scores only, no total. The mean
(rather than a sum) and the null score for a subscale with a missing item are the reference
file's provisional reading until the PFS-2 User Manual is obtained; ``lowest_subscales`` is a
project convenience. CareCoord's own protective-factors check-in uses the same method with its
own rules: the mean of the answered items when enough are answered, and a "low" flag per factor
(below ``low_below``) that suggests the factor's care plan goal.

Scores are kept exact (``Fraction``); ``display`` rounds to 2 decimals, half up, for showing.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from .answers import CheckedAnswers
from .definitions import Group, Instrument, MissingRule, SubscaleMeanRules
from .errors import AnswerError, DefinitionError

TWO_PLACES = Decimal("0.01")


def round_half_up(value: Fraction) -> Decimal:
    """``value`` to 2 decimals, ties away from zero (the reference files' display rule)."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class SubscaleScore:
    subscale_id: str
    score: Fraction | None  # None: not enough items answered
    answered: int
    n_items: int
    low: bool | None  # None when the subscale has no "low" threshold or no score

    @property
    def display(self) -> Decimal | None:
        return None if self.score is None else round_half_up(self.score)


@dataclass(frozen=True)
class SuggestedGoal:
    """The care plan goal the data suggests for a low subscale (protective factor)."""

    subscale_id: str
    protective_factor: str | None
    text: str
    text_es: str | None


@dataclass(frozen=True)
class SubscaleResult:
    instrument_id: str
    scores: tuple[SubscaleScore, ...]  # in the instrument's subscale order
    lowest_subscales: tuple[str, ...]  # ties all listed; excluded subscales and nulls ignored
    suggested_goals: tuple[SuggestedGoal, ...]

    def score_of(self, subscale_id: str) -> SubscaleScore:
        return next(score for score in self.scores if score.subscale_id == subscale_id)

    @property
    def low_subscales(self) -> tuple[str, ...]:
        return tuple(score.subscale_id for score in self.scores if score.low)

    def as_output(self) -> dict[str, Any]:
        """The result in the shape the data file's ``scoring.output`` describes."""
        return {
            "subscale_scores": {score.subscale_id: score.display for score in self.scores},
            "lowest_subscales": list(self.lowest_subscales),
            "low_subscales": list(self.low_subscales),
            "suggested_goals": [goal.subscale_id for goal in self.suggested_goals],
        }


def score_subscales(instrument: Instrument, answers: CheckedAnswers) -> SubscaleResult:
    """Score checked answers: answer values, reverse scored where the item says so."""
    unknown = [item.id for item in instrument.items if item.reverse_scored is None]
    if unknown:
        raise DefinitionError(instrument.source, [
            f"item {item_id}: reverse_scored is unknown, so answers cannot be scored (load the "
            f"center's licensed item file, which states it)" for item_id in unknown])
    values = {item_id: instrument.item(item_id).scored_value(options[0].value)
              for item_id, options in answers.chosen.items()}
    return score_item_values(instrument, values)


def score_item_values(instrument: Instrument, values: Mapping[str, int | None]) -> SubscaleResult:
    """Score item values that are already reverse scored (as the PFS-2 worked examples give)."""
    _check_values(instrument, values)
    rules: SubscaleMeanRules = instrument.rules
    scores = tuple(_subscale_score(instrument, group, values) for group in instrument.groups)
    ranked = [score for score in scores if score.score is not None
              and score.subscale_id not in rules.exclude_from_lowest]
    minimum = min((score.score for score in ranked), default=None)
    goals = tuple(
        SuggestedGoal(group.id, group.protective_factor, group.suggested_goal.text,
                      group.suggested_goal.text_es)
        for group, score in zip(instrument.groups, scores, strict=True)
        if score.low and group.suggested_goal is not None)
    return SubscaleResult(
        instrument_id=instrument.id,
        scores=scores,
        lowest_subscales=tuple(s.subscale_id for s in ranked if s.score == minimum),
        suggested_goals=goals,
    )


def _check_values(instrument: Instrument, values: Mapping[str, int | None]) -> None:
    problems = [(item_id, f"not an item of {instrument.id}")
                for item_id in values if not instrument.has_item(item_id)]
    for item in instrument.items:
        value = values.get(item.id)
        allowed = [option.value for option in item.answers]
        if value is None and instrument.missing_rule is None:
            problems.append((item.id, f"not answered, and {instrument.id} has no rule for "
                                      f"missing answers"))
        elif value is not None and (type(value) is not int or value not in allowed):
            problems.append((item.id, f"value {value!r} is not one of {allowed}"))
    if problems:
        raise AnswerError(instrument.id, problems)


def _subscale_score(instrument: Instrument, group: Group,
                    values: Mapping[str, int | None]) -> SubscaleScore:
    answered = [values[i] for i in group.item_ids if values.get(i) is not None]
    if instrument.missing_rule is MissingRule.MEAN_OF_ANSWERED:
        scorable = len(answered) >= instrument.rules.min_answered
    else:
        scorable = len(answered) == len(group.item_ids)
    score = Fraction(sum(answered), len(answered)) if scorable else None
    low = None if score is None or group.low_below is None else score < group.low_below
    return SubscaleScore(group.id, score, len(answered), len(group.item_ids), low)
