"""The program measures: their definitions (data/measures.yaml, loaded and checked here) and
the published tables, computed by selectors.py for a period and a set of centers, with small
counts suppressed (suppression.py) wherever the reader is outside the center that holds the
children.

Suppression, column by column: the reader's own center's figures (a center's staff reading
their center, by center or by coordinator) are shown as they are. Every other column (another
center's, or every center's for the Title V analyst) forms one table, with its margins, that
goes through suppression.suppress; the network total of a row is the reader's own figure plus
that table's row total, so it is hidden when that row total is. A percent is published as its
two counts (met, not met) for the suppression table, and shown only when both are; a median
and a ratio as their count of records."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings

from . import selectors
from .suppression import suppress

DATA = Path(__file__).resolve().parent / "data" / "measures.yaml"

COUNT, PERCENT, MEDIAN_DAYS, RATIO = "count", "percent", "median days", "ratio"
UNITS = (COUNT, PERCENT, MEDIAN_DAYS, RATIO)
REQUIRED = ("id", "name", "definition", "numerator", "denominator", "exclusions", "unit",
            "source", "compute", "rows")
SUPPRESSED = "<11"
SUPPRESSION_NOTE = (
    "<11: hidden. Counts from 1 to 10 of another center (or, for the state, of any center) are "
    "not published, and neither is any count, total or rate from which one could be worked "
    "out; every hidden cell reads <11, whatever its size.")
TOTAL = "total"


class MeasureDefinitionError(ValueError):
    pass


@dataclass(frozen=True)
class Measure:
    id: str
    name: str
    definition: str
    numerator: str
    denominator: str
    exclusions: str
    unit: str
    source: str
    compute: str
    rows: str
    child_filters: bool = True


def _check(entry, position: int, seen: set) -> Measure:
    if not isinstance(entry, dict):
        raise MeasureDefinitionError(f"measure #{position}: expected a mapping of fields")
    name = entry.get("id") or f"#{position}"
    for key in REQUIRED:
        value = entry.get(key)
        if not isinstance(value, str) or not value.strip():
            raise MeasureDefinitionError(f"measure {name}: field '{key}' is missing or empty")
    unknown = set(entry) - set(REQUIRED) - {"child_filters"}
    if unknown:
        raise MeasureDefinitionError(
            f"measure {name}: unknown field '{sorted(unknown)[0]}'")
    if entry["unit"] not in UNITS:
        raise MeasureDefinitionError(
            f"measure {name}: field 'unit' is '{entry['unit']}', not one of {', '.join(UNITS)}")
    if not callable(getattr(selectors, entry["compute"], None)):
        raise MeasureDefinitionError(
            f"measure {name}: field 'compute' names '{entry['compute']}', which selectors.py "
            "does not define")
    if not isinstance(entry.get("child_filters", True), bool):
        raise MeasureDefinitionError(f"measure {name}: field 'child_filters' is true or false")
    if entry["id"] in seen:
        raise MeasureDefinitionError(f"measure {name}: field 'id' is used twice")
    seen.add(entry["id"])
    return Measure(**{k: " ".join(v.split()) if isinstance(v, str) else v
                      for k, v in entry.items()})


def parse(text: str) -> tuple[Measure, ...]:
    """The measures of a YAML document, checked; a MeasureDefinitionError names the measure
    and the field."""
    document = yaml.safe_load(text)
    if not isinstance(document, dict) or not isinstance(document.get("measures"), list):
        raise MeasureDefinitionError("measures.yaml: expected a top-level 'measures' list")
    seen: set = set()
    return tuple(_check(entry, i, seen) for i, entry in enumerate(document["measures"], 1))


@cache
def definitions() -> tuple[Measure, ...]:
    return parse(DATA.read_text(encoding="utf-8"))


def by_id() -> dict[str, Measure]:
    return {m.id: m for m in definitions()}


# ---------------------------------------------------------------- published tables


@dataclass
class Cell:
    """One published figure: `text` as the page shows it, `value` as the downloads write it,
    and the counts behind it ("<11" when suppressed)."""

    text: str
    value: object = ""
    numerator: object = ""
    denominator: object = ""
    suppressed: bool = False


@dataclass
class Row:
    key: str
    label: str
    cells: list[Cell]


@dataclass
class Table:
    measure: Measure
    columns: list[tuple[object, str]]
    rows: list[Row]
    suppressed: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Columns:
    """The groups side by side: (key, label), which of them are the reader's own (shown as
    they are), and whether a total column is added."""

    groups: list[tuple[object, str]]
    own: frozenset
    total_label: str = ""


HIDDEN = Cell(SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED, suppressed=True)


def _percent(met: int, total: int) -> Cell:
    if not total:
        return Cell("—", "", met, total)
    share = round(100 * met / total, 1)
    return Cell(f"{share:.1f}% ({met} of {total})", share, met, total)


def _count(n: int) -> Cell:
    return Cell(str(n), n)


def _median(values: list[int]) -> Cell:
    middle = selectors.median(values)
    if middle is None:
        return Cell("—", "", "", 0)
    shown = int(middle) if float(middle).is_integer() else round(float(middle), 1)
    return Cell(f"{shown} days (n={len(values)})", shown, "", len(values))


def _ratio(n: int, fte: Decimal) -> Cell:
    if not fte:
        return Cell(f"— ({n} children, no FTE)" if n else "—", "", n, 0)
    ratio = round(n / float(fte), 1)
    return Cell(f"{ratio:.1f} ({n} / {float(fte):g} FTE)", ratio, n, float(fte))


class _Hider:
    """Suppression of the foreign columns of a table of counts, with its margins."""

    def __init__(self, matrix: list[list[int]], active: bool):
        self.active = active and bool(matrix) and bool(matrix[0])
        self.table = suppress(matrix) if self.active else None

    def cell(self, r: int, c: int) -> bool:
        return self.active and self.table.cells[r][c] is None

    def row_total(self, r: int) -> bool:
        return self.active and self.table.row_totals[r] is None

    def column_total(self, c: int) -> bool:
        return self.active and self.table.column_totals[c] is None

    def total(self) -> bool:
        return self.active and self.table.total is None

    @property
    def hidden(self) -> int:
        return self.table.hidden if self.active else 0


def publish(measure: Measure, raw: selectors.Raw, columns: Columns) -> Table:
    groups = [key for key, _ in columns.groups]
    foreign = [g for g in groups if g not in columns.own]
    rows = raw.rows
    n = [[raw.counts.get((r, g), 0) for g in groups] for r, _ in rows]
    f_index = {g: i for i, g in enumerate(foreign)}
    with_total = bool(columns.total_label)
    headers = list(columns.groups) + ([(TOTAL, columns.total_label)] if with_total else [])

    if measure.unit == PERCENT:
        met = [[raw.met.get((r, g), 0) for g in groups] for r, _ in rows]
        matrix = []
        for ri in range(len(rows)):
            matrix.append([met[ri][groups.index(g)] for g in foreign])
            matrix.append([n[ri][groups.index(g)] - met[ri][groups.index(g)] for g in foreign])
        hider = _Hider(matrix, bool(foreign))
        out = []
        for ri, (key, label) in enumerate(rows):
            cells = []
            for gi, g in enumerate(groups):
                fi = f_index.get(g)
                hidden = fi is not None and (hider.cell(2 * ri, fi) or hider.cell(2 * ri + 1, fi))
                cells.append(HIDDEN if hidden else _percent(met[ri][gi], n[ri][gi]))
            if with_total:
                hidden = hider.row_total(2 * ri) or hider.row_total(2 * ri + 1)
                cells.append(HIDDEN if hidden else _percent(sum(met[ri]), sum(n[ri])))
            out.append(Row(key, label, cells))
        return _table(measure, headers, out, hider)

    hider = _Hider([[n[ri][groups.index(g)] for g in foreign] for ri in range(len(rows))],
                   bool(foreign))
    out = []
    for ri, (key, label) in enumerate(rows):
        cells = []
        for gi, g in enumerate(groups):
            fi = f_index.get(g)
            if fi is not None and hider.cell(ri, fi):
                cells.append(HIDDEN)
            else:
                cells.append(_figure(measure, raw, [(key, g)], n[ri][gi]))
        if with_total:
            cells.append(HIDDEN if hider.row_total(ri) else
                         _figure(measure, raw, [(key, g) for g in groups], sum(n[ri])))
        out.append(Row(key, label, cells))
    if measure.unit == COUNT and len(rows) > 1:
        cells = []
        for gi, g in enumerate(groups):
            fi = f_index.get(g)
            column = sum(n[ri][gi] for ri in range(len(rows)))
            cells.append(HIDDEN if fi is not None and hider.column_total(fi) else _count(column))
        if with_total:
            cells.append(HIDDEN if hider.total() else _count(sum(map(sum, n))))
        out.append(Row(TOTAL, "Total", cells))
    return _table(measure, headers, out, hider)


def _figure(measure: Measure, raw: selectors.Raw, keys, n: int) -> Cell:
    if measure.unit == MEDIAN_DAYS:
        return _median([d for key in keys for d in raw.values.get(key, [])])
    if measure.unit == RATIO:
        return _ratio(n, sum((raw.fte.get(key, Decimal(0)) for key in keys), Decimal(0)))
    return _count(n)


def _table(measure, headers, rows, hider) -> Table:
    hidden = sum(cell.suppressed for row in rows for cell in row.cells)
    table = Table(measure, headers, rows, suppressed=hidden)
    if hidden:
        table.notes.append(SUPPRESSION_NOTE)
    return table


# ---------------------------------------------------------------- the report


@dataclass
class Report:
    start: datetime.date
    end: datetime.date
    by: str
    tables: list[Table]

    @property
    def suppressed(self) -> int:
        return sum(t.suppressed for t in self.tables)


def compute(scope: selectors.Scope, columns: Columns,
            measures: tuple[Measure, ...] | None = None) -> Report:
    """Every measure (or those given) for the scope, published for the columns."""
    scope_with_months = selectors.Scope(**{**scope.__dict__,
                                           "review_months": settings.CAREPLAN_REVIEW_MONTHS})
    tables = []
    for measure in measures or definitions():
        raw = getattr(selectors, measure.compute)(scope_with_months)
        tables.append(publish(measure, raw, columns))
    return Report(scope.start, scope.end, scope.by, tables)


def flat_rows(report: Report) -> list[list]:
    """The report as download rows (the CSV and the XLSX write the same ones)."""
    rows = []
    for table in report.tables:
        m = table.measure
        for row in table.rows:
            for (_, column), cell in zip(table.columns, row.cells, strict=True):
                rows.append([m.id, m.name, m.unit, row.label, column, cell.value,
                             cell.numerator, cell.denominator,
                             "suppressed" if cell.suppressed else ""])
    return rows


HEADER = ["measure_id", "measure", "unit", "row", "column", "value", "numerator",
          "denominator", "note"]
