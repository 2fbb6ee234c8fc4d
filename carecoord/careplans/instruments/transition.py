"""Which of Got Transition's Six Core Elements are due for a youth, by age.

Got Transition publishes ages, not an algorithm (policy from 12, tracking, readiness and
planning from 14, transfer between 18 and 22, completion 3-6 months after the last pediatric
visit). The due rules in ``data/got-transition-six-core-elements.yaml`` (``due_rules``) are the
reference file's project reading of those ages, written out so the contacts app can remind
coordinators without code changes when the reading changes.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from .errors import DefinitionError
from .loader import DATA_DIR, read_yaml

TRANSITION_FILE = DATA_DIR / "got-transition-six-core-elements.yaml"
FLAGS = ("policy_shared", "transferred")


@dataclass(frozen=True)
class TransitionStatus:
    age: int  # whole years
    policy_shared: bool
    transferred: bool
    months_since_last_pediatric_visit: int | None = None


@dataclass(frozen=True)
class DueRule:
    """Due from ``from_age`` until ``until`` is true; or, with ``after``, once ``after`` is true
    and the months since the last pediatric visit fall within ``months_window``."""

    element_id: str
    from_age: int | None = None
    until: str | None = None
    after: str | None = None
    months_window: tuple[int, int] | None = None
    overdue_from_age: int | None = None

    def is_due(self, status: TransitionStatus) -> bool:
        if self.after is not None:
            months = status.months_since_last_pediatric_visit
            low, high = self.months_window
            return getattr(status, self.after) and months is not None and low <= months <= high
        return status.age >= self.from_age and not getattr(status, self.until)


@dataclass(frozen=True)
class TransitionDue:
    due: tuple[str, ...]  # element ids, in the order of due_rules (the elements' order)
    overdue: tuple[str, ...]

    @property
    def transfer_overdue(self) -> bool:
        return "transfer_of_care" in self.overdue


@cache
def load_due_rules() -> tuple[DueRule, ...]:
    data = read_yaml(TRANSITION_FILE)
    elements = [element["id"] for element in data["elements"]]
    rules = tuple(_rule(entry) for entry in data["due_rules"])
    problems = [problem for index, rule in enumerate(rules)
                for problem in _rule_problems(index, rule, elements)]
    if problems:
        raise DefinitionError(str(TRANSITION_FILE), problems)
    return rules


def _rule(entry: Mapping[str, Any]) -> DueRule:
    window = entry.get("months_since_last_pediatric_visit")
    return DueRule(element_id=entry.get("element"), from_age=entry.get("from_age"),
                   until=entry.get("until"), after=entry.get("after"),
                   months_window=tuple(window) if window else None,
                   overdue_from_age=entry.get("overdue_from_age"))


def _rule_problems(index: int, rule: DueRule, elements: list[str]) -> list[str]:
    where = f"due_rules[{index}] ({rule.element_id})"
    problems = [] if rule.element_id in elements else [f"{where}: not one of the elements"]
    by_age = rule.from_age is not None and rule.until in FLAGS
    after_transfer = rule.after in FLAGS and rule.months_window is not None
    if by_age == after_transfer:
        problems.append(f"{where}: give from_age and until, or after and "
                        f"months_since_last_pediatric_visit (flags: {', '.join(FLAGS)})")
    return problems


def transition_elements_due(status: TransitionStatus) -> TransitionDue:
    due = [rule for rule in load_due_rules() if rule.is_due(status)]
    return TransitionDue(
        due=tuple(rule.element_id for rule in due),
        overdue=tuple(rule.element_id for rule in due
                      if rule.overdue_from_age is not None and status.age >= rule.overdue_from_age),
    )
