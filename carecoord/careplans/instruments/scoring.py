"""One entry point: check a set of answers and score them by the instrument's own method."""

from collections.abc import Mapping

from .answers import GivenAnswer, check_answers
from .definitions import DomainScreenRules, Instrument, SequenceRules, SubscaleMeanRules
from .screening import (
    DomainScreenResult,
    SequenceScreenResult,
    score_domain_screen,
    score_sequences,
)
from .subscales import SubscaleResult, score_subscales

ScoreResult = DomainScreenResult | SequenceScreenResult | SubscaleResult


def score(instrument: Instrument, answers: Mapping[str, GivenAnswer]) -> ScoreResult:
    """Score one administration; raises ``AnswerError`` naming any item at fault.

    AHC HRSN gives a ``DomainScreenResult``, the CSHCN Screener a ``SequenceScreenResult``,
    PFS-2 and the protective-factors check-in a ``SubscaleResult``.
    """
    checked = check_answers(instrument, answers)
    match instrument.rules:
        case DomainScreenRules():
            return score_domain_screen(instrument, checked)
        case SequenceRules():
            return score_sequences(instrument, checked)
        case SubscaleMeanRules():
            return score_subscales(instrument, checked)
