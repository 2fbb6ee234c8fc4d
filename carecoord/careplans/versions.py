"""Comparing two agreed versions of a care plan, side by side. Pure Python over the snapshots
the versions store, so the comparison reads the same in a page, a PDF or an export."""

import calendar
import datetime
from dataclasses import dataclass, field

SECTIONS = ("priorities", "strengths", "needs", "goals", "actions")
# What each section shows as the item's name in a comparison.
TITLE_FIELD = {"priorities": "text", "strengths": "text", "needs": "description",
               "goals": "statement", "actions": "description"}


@dataclass
class FieldChange:
    field: str
    before: object
    after: object


@dataclass
class ItemDiff:
    kind: str  # "added", "removed", "changed" or "same"
    before: dict | None
    after: dict | None
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def title(self) -> str:
        item = self.after or self.before
        return str(item.get("title", ""))


@dataclass
class SectionDiff:
    section: str
    items: list[ItemDiff]

    @property
    def changed(self) -> bool:
        return any(item.kind != "same" for item in self.items)


def compare(before: dict, after: dict) -> list[SectionDiff]:
    """Section by section, item by item (matched by id): what was added, removed or changed,
    and which fields changed, from `before` to `after`."""
    result = []
    for section in SECTIONS:
        old = {item["id"]: item for item in before.get(section, [])}
        new = {item["id"]: item for item in after.get(section, [])}
        items = []
        for item_id in sorted(old.keys() | new.keys()):
            a, b = old.get(item_id), new.get(item_id)
            if a is None:
                items.append(ItemDiff("added", None, _titled(section, b)))
            elif b is None:
                items.append(ItemDiff("removed", _titled(section, a), None))
            else:
                changes = [FieldChange(name, a.get(name), b.get(name))
                           for name in sorted(a.keys() | b.keys())
                           if name != "id" and a.get(name) != b.get(name)]
                items.append(ItemDiff("changed" if changes else "same", _titled(section, a),
                                      _titled(section, b), changes))
        result.append(SectionDiff(section, items))
    return result


def _titled(section: str, item: dict) -> dict:
    return {**item, "title": item.get(TITLE_FIELD[section], "")}


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the last day of the month when it has fewer days): when the
    next review of a plan agreed on 31 August is due in February, it is the 28th or 29th."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
