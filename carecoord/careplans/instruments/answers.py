"""Check one administration's answers against an instrument before scoring.

Answers are given by item id: an answer code (or the answer's value, e.g. ``"yes"`` for the
CSHCN Screener's code ``"1"``), a list of codes for a multiple-choice item, or ``None`` / left
out for "not answered". Skip logic (``ask_if``) decides which items were asked at all.
Unanswered items that were asked follow the instrument's own missing-answer rule; an instrument
with no such rule refuses them.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .definitions import AnswerOption, AnswerValue, Instrument, Item, ItemType
from .errors import AnswerError

GivenAnswer = AnswerValue | Sequence[AnswerValue] | None


@dataclass(frozen=True)
class CheckedAnswers:
    """Answers resolved to answer options; items neither chosen nor skipped are unanswered."""

    instrument_id: str
    chosen: Mapping[str, tuple[AnswerOption, ...]]
    skipped: frozenset[str]  # not asked, because of skip logic

    def options(self, item_id: str) -> tuple[AnswerOption, ...] | None:
        """The chosen options, or ``None`` if the item was not answered."""
        return self.chosen.get(item_id)


def check_answers(instrument: Instrument, answers: Mapping[str, GivenAnswer]) -> CheckedAnswers:
    """Resolve ``answers`` or raise ``AnswerError`` naming every item at fault."""
    problems = [(item_id, f"not an item of {instrument.id}")
                for item_id in answers if not instrument.has_item(item_id)]
    chosen: dict[str, tuple[AnswerOption, ...]] = {}
    skipped: set[str] = set()
    for item in instrument.items:
        given = answers.get(item.id)
        options, problem = _resolve(item, given)
        if problem:
            problems.append((item.id, problem))
        elif not _is_asked(instrument, item, chosen):
            skipped.add(item.id)
            if options:
                condition = item.ask_if
                problems.append((item.id, f"answered, but it is asked only if "
                                          f"{condition.item_id} == {condition.value}"))
        elif options:
            chosen[item.id] = options
        elif instrument.missing_rule is None:
            problems.append((item.id, f"not answered, and {instrument.id} has no rule for "
                                      f"missing answers"))
    if problems:
        raise AnswerError(instrument.id, problems)
    return CheckedAnswers(instrument.id, chosen, frozenset(skipped))


def _resolve(item: Item, given: GivenAnswer) -> tuple[tuple[AnswerOption, ...], str | None]:
    if given is None:
        return (), None
    many = isinstance(given, Sequence) and not isinstance(given, str)
    if item.type is ItemType.SINGLE_CHOICE and many:
        return (), "takes one answer, not a list"
    if item.type is ItemType.MULTIPLE_CHOICE and not many:
        return (), "takes a list of answer codes"
    options = []
    for code in given if many else [given]:
        option = item.option(code)
        if option is None:
            known = ", ".join(option.code for option in item.answers)
            return (), f"{code!r} is not one of its answer codes ({known})"
        if option not in options:
            options.append(option)
    return tuple(options), None


def _is_asked(instrument: Instrument, item: Item,
              chosen: Mapping[str, tuple[AnswerOption, ...]]) -> bool:
    condition = item.ask_if
    if condition is None:
        return True
    wanted = instrument.item(condition.item_id).option(condition.value)
    return chosen.get(condition.item_id, ()) == (wanted,)
