"""Where a youth stands on each of the Six Core Elements: done (and when), due, overdue, or
not yet due, from their age and what has been recorded. Pure Python: the page, the reminder
rules and the tests all ask this one function."""

import datetime
from dataclasses import dataclass
from functools import cache

from carecoord.careplans.instruments.loader import read_yaml
from carecoord.careplans.instruments.transition import (
    TRANSITION_FILE,
    TransitionStatus,
    load_due_rules,
    transition_elements_due,
)
from carecoord.careplans.versions import add_months

# Readiness is assessed "regularly (yearly)" until the transfer: a year after the last one it
# is due again.
REPEATS_AFTER_MONTHS = {"transition_readiness": 12}
POLICY, TRANSFER = "transition_policy", "transfer_of_care"


@dataclass(frozen=True)
class Element:
    id: str
    number: int
    name: str
    what: str
    window: str
    start_age: int | None


@dataclass(frozen=True)
class ElementState:
    element: Element
    state: str  # done, due, due_again, overdue, upcoming, waiting, not_recorded
    done_on: datetime.date | None
    due_from: datetime.date | None  # when it became (or becomes) due

    @property
    def needs_doing(self) -> bool:
        return self.state in ("due", "due_again", "overdue")


@cache
def elements() -> tuple[Element, ...]:
    data = read_yaml(TRANSITION_FILE)
    return tuple(Element(e["id"], e["number"], e["name"], e["what"], e["window"],
                         e.get("start_age")) for e in data["elements"])


def element_ids() -> tuple[str, ...]:
    return tuple(e.id for e in elements())


def age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def birthday(born: datetime.date, age: int) -> datetime.date:
    try:
        return born.replace(year=born.year + age)
    except ValueError:  # born on 29 February
        return datetime.date(born.year + age, 3, 1)


def months_between(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)


def progress(born: datetime.date, today: datetime.date, done: dict[str, datetime.date],
             last_pediatric_visit: datetime.date | None = None) -> list[ElementState]:
    """Each element's state; `done` maps element id → the latest date it was done."""
    transferred_on = done.get(TRANSFER)
    visit = last_pediatric_visit or transferred_on
    status = TransitionStatus(
        age=age_on(born, today), policy_shared=POLICY in done,
        transferred=transferred_on is not None,
        months_since_last_pediatric_visit=months_between(visit, today) if visit else None,
    )
    due = transition_elements_due(status)
    rules = {rule.element_id: rule for rule in load_due_rules()}
    states = []
    for element in elements():
        rule = rules.get(element.id)
        due_from = _due_from(element, rule, born, visit)
        done_on = done.get(element.id)
        repeat = REPEATS_AFTER_MONTHS.get(element.id)
        if element.id in due.overdue and done_on is None:
            state = "overdue"
        elif done_on is not None:
            again = (repeat and element.id in due.due
                     and add_months(done_on, repeat) <= today)
            state = "due_again" if again else "done"
            if again:
                due_from = add_months(done_on, repeat)
        elif element.id in due.due:
            state = "due"
        elif element.id == "transfer_completion" and transferred_on is not None:
            state = "waiting"  # not yet 3 months after the last pediatric visit
        elif element.start_age is not None and status.age >= element.start_age:
            state = "not_recorded"  # its window passed (the youth transferred) without a record
        else:
            state = "upcoming"
        states.append(ElementState(element, state, done_on, due_from))
    return states


def _due_from(element, rule, born, visit):
    if rule is None:
        return None
    if rule.after is not None:
        return add_months(visit, rule.months_window[0]) if visit else None
    return birthday(born, rule.from_age)
