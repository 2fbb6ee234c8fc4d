"""An instrument as data: items, answer options, groups (domains or subscales) and the scoring
rules, as frozen dataclasses built from the YAML files by ``parsing``.

The vocabulary follows ``shared/reference/instruments/README.md`` (file format): an item has
``answers`` with a ``code`` and a ``value``; a group is a domain (screenings) or a subscale
(assessments); ``reverse_scored`` is ``None`` when the publisher's rule is unknown.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

AnswerValue = str | int


class ItemType(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"


class SpanishStatus(StrEnum):
    """How far the Spanish text of an instrument can be trusted (shown to staff as such)."""

    OFFICIAL = "official"
    AWAITING_REVIEW = "machine_or_staff_translation_awaiting_review"


class MissingRule(StrEnum):
    """What an instrument's own data says to do with unanswered items.

    An instrument whose data names no rule refuses unanswered items (``AnswerError``).
    """

    DOMAIN_INCOMPLETE = "domain_incomplete"  # a domain without enough answers is "incomplete"
    UNDETERMINED = "undetermined"  # a sequence stopped on an unanswered part: qualifies = None
    SUBSCALE_NULL = "subscale_null"  # a subscale with any unanswered item has no score
    MEAN_OF_ANSWERED = "mean_of_answered"  # mean of the answered items, if at least min_answered


@dataclass(frozen=True)
class AnswerOption:
    code: str
    value: AnswerValue
    text: str
    text_es: str | None = None
    positive: bool = False  # this answer may signal a need (AHC HRSN underlined answers)
    exclusive: bool = False  # "None of the above"


@dataclass(frozen=True)
class Condition:
    """Skip logic (``ask_if: <item> == <value>``): ask an item only after that answer."""

    item_id: str
    value: AnswerValue


@dataclass(frozen=True)
class Item:
    id: str
    number: str
    group_id: str
    text: str
    type: ItemType
    answers: tuple[AnswerOption, ...]
    reverse_scored: bool | None = False
    text_es: str | None = None
    ask_if: Condition | None = None
    loinc: str | None = None

    def option(self, given: AnswerValue) -> AnswerOption | None:
        """The answer option whose code is ``given`` or, failing that, whose value is."""
        for option in self.answers:
            if option.code == given:
                return option
        for option in self.answers:
            if option.value == given and type(option.value) is type(given):
                return option
        return None

    @property
    def value_range(self) -> tuple[int, int]:
        """Lowest and highest numeric answer value (for reverse scoring and thresholds)."""
        values = [option.value for option in self.answers if isinstance(option.value, int)]
        return min(values), max(values)

    def scored_value(self, value: int) -> int:
        """The value after reverse scoring: ``low + high - value`` for a reverse-scored item."""
        if not self.reverse_scored:
            return value
        low, high = self.value_range
        return low + high - value


@dataclass(frozen=True)
class Goal:
    """A care plan goal suggested when a protective factor is low."""

    text: str
    text_es: str | None = None


@dataclass(frozen=True)
class Group:
    """A domain (screening) or subscale (assessment): an ordered set of item ids."""

    id: str
    title: str
    item_ids: tuple[str, ...]
    title_es: str | None = None
    n_items: int | None = None  # the count the publisher states, checked against item_ids
    protective_factor: str | None = None  # a Strengthening Families factor id
    low_below: Fraction | None = None  # a subscale score below this is "low"
    suggested_goal: Goal | None = None


@dataclass(frozen=True)
class DomainRule:
    """When one screening domain is positive.

    ``any_positive_answer``: any chosen answer flagged ``positive``. ``total_at_least``: the sum
    of the domain's answer values (reported as ``total_id``) reaches ``threshold``.
    """

    positive_if: str
    threshold: int | None = None
    total_id: str | None = None


@dataclass(frozen=True)
class DomainScreenRules:
    """Each domain judged on its own; the result is the list of positive domains."""

    domain_rules: Mapping[str, DomainRule]


@dataclass(frozen=True)
class SequenceRules:
    """A domain is met when every part of its question sequence has ``met_value``."""

    met_value: AnswerValue


@dataclass(frozen=True)
class SubscaleMeanRules:
    """A subscale score is the mean of its items' values after reverse scoring."""

    min_answered: int | None = None  # for MissingRule.MEAN_OF_ANSWERED
    exclude_from_lowest: tuple[str, ...] = ()


ScoringRules = DomainScreenRules | SequenceRules | SubscaleMeanRules


@dataclass(frozen=True)
class Instrument:
    id: str
    title: str
    kind: str
    status: str
    groups: tuple[Group, ...]
    items: tuple[Item, ...]
    rules: ScoringRules
    source: str
    missing_rule: MissingRule | None = None
    es_status: SpanishStatus | None = None
    label: str | None = None  # e.g. "CareCoord's own conversation guide — not the PFS-2 ..."
    label_es: str | None = None
    licensed_text_placeholder: str | None = None  # item text standing in for licensed wording
    _items_by_id: Mapping[str, Item] = field(init=False, repr=False, compare=False)
    _groups_by_id: Mapping[str, Group] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        items = MappingProxyType({item.id: item for item in self.items})
        groups = MappingProxyType({group.id: group for group in self.groups})
        object.__setattr__(self, "_items_by_id", items)
        object.__setattr__(self, "_groups_by_id", groups)

    def item(self, item_id: str) -> Item:
        return self._items_by_id[item_id]

    def has_item(self, item_id: str) -> bool:
        return item_id in self._items_by_id

    def group(self, group_id: str) -> Group:
        return self._groups_by_id[group_id]

    def has_group(self, group_id: str) -> bool:
        return group_id in self._groups_by_id

    @property
    def spanish_awaiting_review(self) -> bool:
        """True when the Spanish text must be shown to staff as a translation awaiting review."""
        return self.es_status is SpanishStatus.AWAITING_REVIEW

    @property
    def awaiting_licensed_items(self) -> bool:
        """True while item text is still the placeholder for licensed wording (PFS-2)."""
        placeholder = self.licensed_text_placeholder
        return placeholder is not None and any(item.text == placeholder for item in self.items)
