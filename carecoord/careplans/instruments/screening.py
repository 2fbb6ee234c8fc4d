"""Screenings: per-domain positive screens (CMS AHC HRSN) and question-sequence qualification
(CAHMI CSHCN Screener).

AHC HRSN (CMS 2018 tool, as reproduced with LOINC codes by the NYS SHIN-NY FHIR IG v1.4.5): each
domain is judged on its own; a domain is positive when an answer CMS underlines is chosen, and
interpersonal safety when the four HITS answers (1-5) add up to 11 or more. No overall score.

CSHCN Screener (Bethell et al. 2002; NSCH 2019 items SC_K2Q10-SC_K2Q23): a consequence is met
when every part of its sequence is "Yes"; a child meets the MCHB definition of a child with
special health care needs when at least one of the five consequences is met.

The missing-answer rules (``incomplete`` domains, ``qualifies = None``) are the project
conventions written in the data files, except that NYS requires all four safety answers for a
safety total.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .answers import CheckedAnswers
from .definitions import DomainRule, DomainScreenRules, Group, Instrument, SequenceRules


class DomainStatus(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    INCOMPLETE = "incomplete"


class SequenceStatus(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    INCOMPLETE = "incomplete"


@dataclass(frozen=True)
class DomainScreenResult:
    instrument_id: str
    domain_results: Mapping[str, DomainStatus]  # in the instrument's domain order
    totals: Mapping[str, int | None]  # e.g. safety_total; None when an item is unanswered

    @property
    def positive_domains(self) -> tuple[str, ...]:
        return tuple(d for d, status in self.domain_results.items()
                     if status is DomainStatus.POSITIVE)

    @property
    def incomplete_domains(self) -> tuple[str, ...]:
        return tuple(d for d, status in self.domain_results.items()
                     if status is DomainStatus.INCOMPLETE)

    def as_output(self) -> dict[str, Any]:
        """The result in the shape the data file's ``scoring.output`` describes."""
        return {**self.totals, "positive_domains": list(self.positive_domains),
                "domain_results": dict(self.domain_results)}


@dataclass(frozen=True)
class SequenceScreenResult:
    instrument_id: str
    domain_results: Mapping[str, SequenceStatus]
    qualifies: bool | None  # None: undetermined, a sequence stopped on an unanswered part

    @property
    def qualifying_domains(self) -> tuple[str, ...]:
        return tuple(d for d, status in self.domain_results.items()
                     if status is SequenceStatus.MET)

    def as_output(self) -> dict[str, Any]:
        return {"qualifies": self.qualifies, "qualifying_domains": list(self.qualifying_domains)}


def score_domain_screen(instrument: Instrument, answers: CheckedAnswers) -> DomainScreenResult:
    rules: DomainScreenRules = instrument.rules
    results: dict[str, DomainStatus] = {}
    totals: dict[str, int | None] = {}
    for group in instrument.groups:
        rule = rules.domain_rules[group.id]
        if rule.positive_if == "total_at_least":
            total = _total(group, answers)
            totals[rule.total_id] = total
            results[group.id] = _total_status(rule, total)
        else:
            results[group.id] = _any_positive_status(group, answers)
    return DomainScreenResult(instrument.id, results, totals)


def _any_positive_status(group: Group, answers: CheckedAnswers) -> DomainStatus:
    given = [answers.options(item_id) for item_id in group.item_ids]
    if any(option.positive for options in given if options for option in options):
        return DomainStatus.POSITIVE
    if all(options is not None for options in given):
        return DomainStatus.NEGATIVE
    return DomainStatus.INCOMPLETE


def _total(group: Group, answers: CheckedAnswers) -> int | None:
    given = [answers.options(item_id) for item_id in group.item_ids]
    if any(options is None for options in given):
        return None
    return sum(options[0].value for options in given)


def _total_status(rule: DomainRule, total: int | None) -> DomainStatus:
    if total is None:
        return DomainStatus.INCOMPLETE
    return DomainStatus.POSITIVE if total >= rule.threshold else DomainStatus.NEGATIVE


def score_sequences(instrument: Instrument, answers: CheckedAnswers) -> SequenceScreenResult:
    rules: SequenceRules = instrument.rules
    results = {group.id: _sequence_status(instrument, group, rules, answers)
               for group in instrument.groups}
    statuses = set(results.values())
    if SequenceStatus.MET in statuses:
        qualifies = True
    elif SequenceStatus.INCOMPLETE in statuses:
        qualifies = None
    else:
        qualifies = False
    return SequenceScreenResult(instrument.id, results, qualifies)


def _sequence_status(instrument: Instrument, group: Group, rules: SequenceRules,
                     answers: CheckedAnswers) -> SequenceStatus:
    """Walk the parts in order: the first part not answered "Yes" ends the sequence."""
    for item_id in group.item_ids:
        if item_id in answers.skipped:
            return SequenceStatus.NOT_MET  # a skipped follow-up: the sequence is not met
        options = answers.options(item_id)
        if options is None:
            return SequenceStatus.INCOMPLETE
        if options[0] != instrument.item(item_id).option(rules.met_value):
            return SequenceStatus.NOT_MET
    return SequenceStatus.MET
