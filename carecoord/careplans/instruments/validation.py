"""Check that an instrument definition hangs together before anything is scored with it.

Every problem names the item, domain/subscale or field at fault, and all problems are reported
at once, so whoever edits a data file (or a center's licensed item file) can fix them in one go.
"""

from collections import Counter

from .definitions import (
    DomainScreenRules,
    Instrument,
    Item,
    ItemType,
    MissingRule,
    SequenceRules,
    SubscaleMeanRules,
)
from .errors import DefinitionError

ALLOWED_MISSING_RULES = {
    DomainScreenRules: {MissingRule.DOMAIN_INCOMPLETE},
    SequenceRules: {MissingRule.UNDETERMINED},
    SubscaleMeanRules: {MissingRule.SUBSCALE_NULL, MissingRule.MEAN_OF_ANSWERED},
}


def validate(instrument: Instrument) -> Instrument:
    """Return the instrument unchanged, or raise ``DefinitionError`` listing every problem."""
    problems = [
        *_structure_problems(instrument),
        *(problem for item in instrument.items for problem in _item_problems(instrument, item)),
        *_spanish_problems(instrument),
        *_rule_problems(instrument),
    ]
    if problems:
        raise DefinitionError(instrument.source, problems)
    return instrument


def _group_word(instrument: Instrument) -> str:
    return "subscale" if isinstance(instrument.rules, SubscaleMeanRules) else "domain"


def _numeric(item: Item) -> bool:
    return all(isinstance(option.value, int) for option in item.answers)


def _structure_problems(instrument: Instrument) -> list[str]:
    word = _group_word(instrument)
    problems = [f"item {item_id}: id used more than once" for item_id, count
                in Counter(item.id for item in instrument.items).items() if count > 1]
    problems += [f"{word} {group_id}: id used more than once" for group_id, count
                 in Counter(group.id for group in instrument.groups).items() if count > 1]
    listed = Counter(item_id for group in instrument.groups for item_id in group.item_ids)
    for group in instrument.groups:
        if not group.item_ids:
            problems.append(f"{word} {group.id}: lists no items")
        if group.n_items is not None and group.n_items != len(group.item_ids):
            problems.append(f"{word} {group.id}: n_items is {group.n_items} but "
                            f"{len(group.item_ids)} items are listed")
        problems += [f"{word} {group.id} lists item {item_id}, which does not exist"
                     for item_id in group.item_ids if not instrument.has_item(item_id)]
    for item in instrument.items:
        if not instrument.has_group(item.group_id):
            problems.append(f"item {item.id}: {word} {item.group_id} is not declared")
        elif item.id not in instrument.group(item.group_id).item_ids:
            problems.append(f"item {item.id}: not listed in {word} {item.group_id}'s items")
        if listed[item.id] > 1:
            problems.append(f"item {item.id}: listed in more than one {word}")
    return problems


def _item_problems(instrument: Instrument, item: Item) -> list[str]:
    where = f"item {item.id}"
    if not item.answers:
        return [f"{where}: has no answers"]
    codes = [option.code for option in item.answers]
    problems = [f"{where}: answer code {code!r} used more than once"
                for code, count in Counter(codes).items() if count > 1]
    problems += [f"{where}: answer value {option.value!r} is also another answer's code"
                 for option in item.answers
                 if option.value in codes and option.value != option.code]
    if item.type is ItemType.SINGLE_CHOICE:
        problems += [f"{where}: answer {option.code} is 'exclusive' but the item is single choice"
                     for option in item.answers if option.exclusive]
    if item.reverse_scored and not _numeric(item):
        problems.append(f"{where}: reverse_scored needs numeric answer values")
    if item.ask_if is not None:
        problems += _condition_problems(instrument, item)
    return problems


def _condition_problems(instrument: Instrument, item: Item) -> list[str]:
    condition = item.ask_if
    order = [candidate.id for candidate in instrument.items]
    if not instrument.has_item(condition.item_id):
        return [f"item {item.id}: ask_if names item {condition.item_id}, which does not exist"]
    if order.index(condition.item_id) >= order.index(item.id):
        return [f"item {item.id}: ask_if names item {condition.item_id}, which is not asked "
                f"before it"]
    if instrument.item(condition.item_id).option(condition.value) is None:
        return [f"item {item.id}: ask_if value {condition.value!r} is not an answer of item "
                f"{condition.item_id}"]
    return []


def _spanish_problems(instrument: Instrument) -> list[str]:
    texts = [(f"item {item.id}", item.text_es) for item in instrument.items]
    texts += [(f"item {item.id} answer {option.code}", option.text_es)
              for item in instrument.items for option in item.answers]
    if instrument.es_status is None:
        return [f"{where}: has text_es but languages.es_status is not set"
                for where, text in texts if text is not None]
    return [f"{where}: text_es missing (languages.es_status is {instrument.es_status.value})"
            for where, text in texts if text is None]


def _rule_problems(instrument: Instrument) -> list[str]:
    rules = instrument.rules
    problems = []
    if instrument.missing_rule is not None:
        if instrument.missing_rule not in ALLOWED_MISSING_RULES[type(rules)]:
            problems.append(f"scoring.engine.missing_items: {instrument.missing_rule.value} does "
                            f"not apply to this scoring method")
    match rules:
        case DomainScreenRules():
            problems += _domain_screen_problems(instrument, rules)
        case SequenceRules():
            problems += [f"item {item.id}: met_value {rules.met_value!r} is not one of its answers"
                         for item in instrument.items if item.option(rules.met_value) is None]
        case SubscaleMeanRules():
            problems += _subscale_problems(instrument, rules)
    return problems


def _domain_screen_problems(instrument: Instrument, rules: DomainScreenRules) -> list[str]:
    problems = [f"scoring.engine.domains: domain {domain_id} is not declared"
                for domain_id in rules.domain_rules if not instrument.has_group(domain_id)]
    for group in instrument.groups:
        rule = rules.domain_rules.get(group.id)
        items = [instrument.item(i) for i in group.item_ids if instrument.has_item(i)]
        if rule is None:
            problems.append(f"domain {group.id}: no rule in scoring.engine.domains")
        elif rule.positive_if == "any_positive_answer":
            if not any(option.positive for item in items for option in item.answers):
                problems.append(f"domain {group.id}: no answer is marked positive")
        elif rule.positive_if == "total_at_least":
            problems += [f"domain {group.id}: item {item.id} needs numeric single-choice answers"
                         for item in items
                         if item.type is not ItemType.SINGLE_CHOICE or not _numeric(item)]
            if rule.threshold is None or rule.total_id is None:
                problems.append(f"domain {group.id}: total_at_least needs threshold and total_id")
        else:
            problems.append(f"domain {group.id}: unknown positive_if {rule.positive_if!r}")
    return problems


def _subscale_problems(instrument: Instrument, rules: SubscaleMeanRules) -> list[str]:
    problems = [f"item {item.id}: subscale items need numeric answer values"
                for item in instrument.items if not _numeric(item)]
    problems += [f"scoring.engine.exclude_from_lowest: subscale {group_id} is not declared"
                 for group_id in rules.exclude_from_lowest if not instrument.has_group(group_id)]
    wants_minimum = instrument.missing_rule is MissingRule.MEAN_OF_ANSWERED
    if wants_minimum != (rules.min_answered is not None):
        problems.append("scoring.engine.min_answered: give it with missing_items "
                        "mean_of_answered, and only then")
    for group in instrument.groups:
        if wants_minimum and rules.min_answered is not None and not (
                1 <= rules.min_answered <= len(group.item_ids)):
            problems.append(f"subscale {group.id}: min_answered {rules.min_answered} is not "
                            f"between 1 and its {len(group.item_ids)} items")
        items = [instrument.item(i) for i in group.item_ids if instrument.has_item(i)]
        if group.low_below is not None and items and all(_numeric(item) for item in items):
            low, high = items[0].value_range
            if not low < group.low_below <= high:
                problems.append(f"subscale {group.id}: low_below {group.low_below} is outside "
                                f"the answer values {low}-{high}")
    return problems
