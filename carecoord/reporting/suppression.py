"""Small-cell suppression for counts shown outside the center that holds the children: to a
Title V analyst and to the other centers. Pure Python.

A count from 1 to 10 (below THRESHOLD) is hidden: that is primary suppression (the CMS cell
size suppression policy; a zero is shown: it describes no child). Hiding it is not enough when
a total is shown: the total minus the other cells gives it back. So the table is treated as
lines, each a set of counts and the total they add up to (every row with its row total, every
column with its column total, and the margins with the grand total), and each line is made
safe in turn until none changes:

- a line never hides exactly one of its entries (its sum would give it back), and
- what a line hides adds up to THRESHOLD or more, so the hidden cells together cannot be read
  as "all small" (two hidden cells of 3 and 0 would otherwise say the 3 is at most 3).

To make a line safe the smallest count it still shows (not zero, cells before totals) is
hidden too: complementary suppression. When the line has nothing left to hide but its total,
the total is hidden. A hidden total is itself a count of its margin line, so the rules reach
it there. Lines made safe one by one can still give a count back together (two row totals
whose sum the grand total shows), so the whole table is then solved for its hidden counts,
exactly, and one more entry is hidden beside any small count that comes out, until none does.

This protects each published table on its own. Two tables that share a total (by town and by
region of the same children) are only as safe as the report that publishes them together
makes them: the reports publish each count once, with the margins of one table.
"""

from dataclasses import dataclass
from fractions import Fraction

THRESHOLD = 11

# Where a hidden count came from, for the footnote under the table.
PRIMARY, COMPLEMENTARY = "primary", "complementary"


@dataclass
class SuppressedTable:
    """A rows × columns table with its margins, some counts hidden (None)."""

    cells: list[list[int | None]]
    row_totals: list[int | None]
    column_totals: list[int | None]
    total: int | None
    # (row, column) → PRIMARY or COMPLEMENTARY; a row total is (row, "total"), a column
    # total ("total", column), the grand total ("total", "total").
    reasons: dict

    @property
    def hidden(self) -> int:
        return len(self.reasons)


def suppress(cells: list[list[int]], *, threshold: int = THRESHOLD,
             margins: bool = True) -> SuppressedTable:
    """Hide what must be hidden in `cells` (a list of rows of counts), margins computed.

    `margins=False` for a table published without totals (then only primary suppression is
    needed: nothing can be subtracted)."""
    rows = len(cells)
    columns = len(cells[0]) if rows else 0
    if any(len(row) != columns for row in cells):
        raise ValueError("every row needs the same number of columns")
    if any(not isinstance(v, int) or v < 0 for row in cells for v in row):
        raise ValueError("counts are whole numbers, zero or more")
    T = "total"
    value = {(r, c): cells[r][c] for r in range(rows) for c in range(columns)}
    if margins:
        for r in range(rows):
            value[(r, T)] = sum(cells[r])
        for c in range(columns):
            value[(T, c)] = sum(cells[r][c] for r in range(rows))
        value[(T, T)] = sum(value[(r, T)] for r in range(rows))
    reasons = {key: PRIMARY for key, v in value.items() if 0 < v < threshold}

    lines = []
    if margins:
        for r in [*range(rows), T]:
            lines.append(([(r, c) for c in range(columns)], (r, T)))
        for c in [*range(columns), T]:
            lines.append(([(r, c) for r in range(rows)], (T, c)))

    while True:
        changed = bool(lines)
        while changed:
            changed = False
            for members, total in lines:
                while _exposed(members, total, reasons, value, threshold):
                    pick = _complement(members, total, reasons, value)
                    if pick is None:
                        break
                    reasons[pick] = COMPLEMENTARY
                    changed = True
        # Line by line is not always enough: the margins together can still pin a hidden
        # count (two row totals whose sum the grand total gives). Solve what is published
        # for the hidden counts and hide one more entry near any small count it pins.
        pinned = _pinned(lines, reasons, value) if lines else []
        if not pinned:
            break
        pick = _widen(pinned[0], lines, reasons, value)
        if pick is None:
            break
        reasons[pick] = COMPLEMENTARY

    def shown(key):
        return None if key in reasons else value[key]

    return SuppressedTable(
        cells=[[shown((r, c)) for c in range(columns)] for r in range(rows)],
        row_totals=[shown((r, T)) for r in range(rows)] if margins else [],
        column_totals=[shown((T, c)) for c in range(columns)] if margins else [],
        total=shown((T, T)) if margins else None,
        reasons=reasons)


def suppress_counts(counts: dict, *, threshold: int = THRESHOLD) -> tuple[dict, int | None]:
    """One line: {label: count} and its total, as shown ({label: count or None}, total)."""
    labels = list(counts)
    table = suppress([[counts[label] for label in labels]], threshold=threshold)
    return dict(zip(labels, table.cells[0], strict=True)), table.total


def _exposed(members, total, reasons, value, threshold) -> bool:
    hidden = [key for key in (*members, total) if key in reasons]
    if not hidden:
        return False
    if len(hidden) == 1:
        return True  # the line's sum gives it back, whether it is a cell or the total
    # With the total shown, the hidden cells add up to a known sum.
    return total not in reasons and sum(value[key] for key in hidden) < threshold


def _pinned(lines, reasons, value) -> list:
    """The hidden small counts (primary) whose value follows from the shown entries by the
    lines' sums alone (Gauss-Jordan elimination over fractions)."""
    hidden = sorted(reasons, key=str)
    index = {key: i for i, key in enumerate(hidden)}
    rows = []
    for members, total in lines:
        row, constant = [Fraction(0)] * len(hidden), Fraction(0)
        for sign, key in [(1, m) for m in members] + [(-1, total)]:
            if key in index:
                row[index[key]] += sign
            else:
                constant -= sign * value[key]
        rows.append(row + [constant])
    pivots, r = {}, 0
    for column in range(len(hidden)):
        source = next((i for i in range(r, len(rows)) if rows[i][column]), None)
        if source is None:
            continue
        rows[r], rows[source] = rows[source], rows[r]
        lead = rows[r][column]
        rows[r] = [v / lead for v in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][column]:
                factor = rows[i][column]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivots[column] = r
        r += 1
    free = [c for c in range(len(hidden)) if c not in pivots]
    return [hidden[c] for c, i in pivots.items()
            if reasons[hidden[c]] == PRIMARY and not any(rows[i][f] for f in free)]


def _widen(key, lines, reasons, value):
    """One more entry to hide for a pinned count: the smallest shown non-zero entry of its
    lines, else of the whole table."""
    near = [entry for members, total in lines if key in (*members, total)
            for entry in (*members, total)]
    everything = [entry for members, total in lines for entry in (*members, total)]
    for entries in (near, everything):
        shown = [e for e in entries if e not in reasons and value[e] > 0]
        if shown:
            return min(shown, key=lambda e: (value[e], str(e)))
    return None


def _complement(members, total, reasons, value):
    """The count to hide next in a line: its smallest shown non-zero cell, else its total."""
    candidates = [key for key in members if key not in reasons and value[key] > 0]
    if candidates:
        return min(candidates, key=lambda key: (value[key], members.index(key)))
    if total not in reasons:
        return total
    return None
