"""Rows for the assessment pages, from stored results (``Assessment.result``) and the engine's
comparisons: the templates only lay them out."""

from dataclasses import dataclass
from decimal import Decimal

from .assessment_results import DOMAIN_SCREEN, SEQUENCE_ALL_MET, SUBSCALE_MEAN
from .instruments.comparison import Comparison, Direction
from .instruments.definitions import Instrument
from .instruments.subscales import round_half_up
from .models import Assessment

STATUS_LABELS = {
    "positive": "Positive: possible unmet need",
    "negative": "Negative",
    "incomplete": "Incomplete: not every question answered",
    "met": "Met",
    "not_met": "Not met",
}
DIRECTION_LABELS = {
    Direction.IMPROVED: "improved",
    Direction.WORSENED: "worsened",
    Direction.UNCHANGED: "unchanged",
    Direction.NOT_COMPARABLE: "not comparable (no score at one of the two times)",
}


@dataclass
class Scale:
    """The answer scale of a subscale instrument, for meters."""

    low: int
    high: int


def scale(instrument: Instrument) -> Scale:
    low, high = instrument.items[0].value_range
    return Scale(low, high)


@dataclass
class SubscaleRow:
    id: str
    title: str
    display: str | None
    low: bool
    low_below: str | None
    answered: int
    n_items: int
    lowest: bool


@dataclass
class DomainRow:
    id: str
    title: str
    status: str
    label: str


def subscale_rows(data: dict) -> list[SubscaleRow]:
    return [SubscaleRow(
        id=i, title=data["titles"].get(i, i), display=data["subscale_scores"][i],
        low=i in data["low_subscales"], low_below=data["low_below"].get(i),
        answered=data["answered"][i][0], n_items=data["answered"][i][1],
        lowest=i in data["lowest_subscales"]) for i in data["order"]]


def domain_rows(data: dict) -> list[DomainRow]:
    return [DomainRow(i, data["titles"].get(i, i), data["domain_results"][i],
                      STATUS_LABELS.get(data["domain_results"][i], data["domain_results"][i]))
            for i in data["order"]]


@dataclass
class ChangeRow:
    id: str
    title: str
    before: Decimal | None
    after: Decimal | None
    change: str | None  # signed, 2 decimals
    direction: str
    label: str


def _signed(value: Decimal | None) -> str | None:
    if value is None:
        return None
    return f"+{value}" if value > 0 else str(value)


def change_rows(comparison: Comparison, titles: dict[str, str]) -> list[ChangeRow]:
    def shown(value):
        return None if value is None else round_half_up(value)

    return [ChangeRow(c.subscale_id, titles.get(c.subscale_id, c.subscale_id), shown(c.before),
                      shown(c.after), _signed(c.display), str(c.direction),
                      DIRECTION_LABELS[c.direction]) for c in comparison.changes]


def by_direction(rows: list[ChangeRow]) -> list[tuple[str, str]]:
    """("improved", "Social connections, Concrete support"), … for a one-line summary."""
    order = [str(d) for d in (Direction.IMPROVED, Direction.WORSENED, Direction.UNCHANGED)]
    return [(direction, ", ".join(row.title for row in rows if row.direction == direction))
            for direction in order if any(row.direction == direction for row in rows)]


@dataclass
class OverTime:
    """A subscale instrument's scores at every administration, oldest first."""

    administrations: list[Assessment]
    rows: list[tuple[str, list[SubscaleRow]]]  # (title, one cell per administration)


def over_time(rows: list[Assessment]) -> OverTime:
    oldest_first = list(reversed(rows))
    if not oldest_first:
        return OverTime([], [])
    first = oldest_first[0].result
    cells = {i: [] for i in first["order"]}
    for row in oldest_first:
        by_id = {cell.id: cell for cell in subscale_rows(row.result)}
        for i in cells:
            cells[i].append(by_id.get(i))
    return OverTime(oldest_first, [(first["titles"].get(i, i), cells[i]) for i in cells])


def answer_rows(instrument: Instrument, assessment: Assessment) -> list[tuple[str, str, str]]:
    """(number, question, answer) as given, in English; questions not asked are left out."""
    rows = []
    for item in instrument.items:
        if item.id not in assessment.answers:
            continue
        given = assessment.answers[item.id]
        if given is None:
            answer = "Not answered (declined or skipped)"
        else:
            codes = given if isinstance(given, list) else [given]
            answer = "; ".join((item.option(code).text if item.option(code) else code)
                               for code in codes)
        rows.append((item.number, item.text, answer))
    return rows


def is_subscale(data: dict) -> bool:
    return data.get("method") == SUBSCALE_MEAN


def is_domain_screen(data: dict) -> bool:
    return data.get("method") == DOMAIN_SCREEN


def is_sequence(data: dict) -> bool:
    return data.get("method") == SEQUENCE_ALL_MET
