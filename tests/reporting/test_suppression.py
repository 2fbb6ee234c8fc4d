"""Small-cell suppression, checked by an attacker: every way of filling the hidden counts that
agrees with what is shown (whole numbers, zero or more, every row and column adding up) is
enumerated, and no hidden small count may come out as one value."""

import itertools
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from carecoord.reporting.suppression import (
    COMPLEMENTARY,
    PRIMARY,
    THRESHOLD,
    suppress,
    suppress_counts,
)


def published(table):
    """The shown table as a grid with its margins: rows + the totals row, columns + totals."""
    grid = [row + [total] for row, total in zip(table.cells, table.row_totals, strict=True)]
    return grid + [table.column_totals + [table.total]]


def possible_values(table, limit):
    """For each hidden position of the grid, every value it can take given what is shown:
    the line sums solved for the hidden counts (exact fractions), then every choice of the
    free ones from 0 to `limit` that leaves all counts whole and zero or more."""
    grid = published(table)
    rows, columns = len(grid) - 1, len(grid[0]) - 1
    hidden = [(r, c) for r in range(rows + 1) for c in range(columns + 1) if grid[r][c] is None]
    index = {key: i for i, key in enumerate(hidden)}
    equations = []  # coefficients of the hidden counts, and the constant they add up to
    lines = [[(r, c) for c in range(columns)] + [(r, columns)] for r in range(rows + 1)]
    lines += [[(r, c) for r in range(rows)] + [(rows, c)] for c in range(columns + 1)]
    for line in lines:
        row, constant = [Fraction(0)] * len(hidden), Fraction(0)
        for sign, key in [(1, key) for key in line[:-1]] + [(-1, line[-1])]:
            if key in index:
                row[index[key]] += sign
            else:
                constant -= sign * grid[key[0]][key[1]]
        equations.append(row + [constant])
    pivots = _reduce(equations, len(hidden))
    free = [i for i in range(len(hidden)) if i not in pivots]
    found = {key: set() for key in hidden}
    if (limit + 1) ** len(free) > 20_000:
        # Too many to try: report only what the sums alone pin down (a weaker attacker).
        for key, i in index.items():
            row = pivots.get(i)
            pinned = row is not None and not any(row[f] for f in free)
            found[key] = {int(row[-1])} if pinned else {0, 1}
        return found
    for guess in itertools.product(range(limit + 1), repeat=len(free)):
        values = dict(zip(free, map(Fraction, guess), strict=True))
        for var, row in pivots.items():
            values[var] = row[-1] - sum(row[f] * values[f] for f in free)
        if all(v.denominator == 1 and 0 <= v <= limit for v in values.values()):
            for key, i in index.items():
                found[key].add(int(values[i]))
    return found


def _reduce(equations, unknowns):
    """Gauss-Jordan elimination in place; {pivot unknown: its row}."""
    pivots, row = {}, 0
    for column in range(unknowns):
        source = next((r for r in range(row, len(equations)) if equations[r][column]), None)
        if source is None:
            continue
        equations[row], equations[source] = equations[source], equations[row]
        lead = equations[row][column]
        equations[row] = [v / lead for v in equations[row]]
        for r in range(len(equations)):
            if r != row and equations[r][column]:
                factor = equations[r][column]
                equations[r] = [a - factor * b for a, b in zip(equations[r], equations[row],
                                                               strict=True)]
        pivots[column] = row
        row += 1
    return {column: equations[r] for column, r in pivots.items()}


def assert_safe(cells, table):
    """No hidden count from 1 to 10 can be worked out from the rest."""
    limit = sum(map(sum, cells))
    values = possible_values(table, limit)
    for r, row in enumerate(cells):
        for c, v in enumerate(row):
            if 0 < v < THRESHOLD:
                assert table.cells[r][c] is None, (r, c)
                assert len(values[(r, c)]) > 1, f"cell {(r, c)} = {v} can be worked out"


def test_a_lone_small_count_beside_a_total_is_not_enough():
    # Naive suppression hides the 5 and shows 55: 55 - 20 - 30 gives it back.
    shown, total = suppress_counts({"Hartford": 5, "New Britain": 20, "Bristol": 30})
    assert shown["Hartford"] is None
    assert shown["New Britain"] is None  # the smallest other count, hidden with it
    assert shown["Bristol"] == 30 and total == 55


def test_two_small_counts_that_add_up_small_need_a_third():
    # Hiding 3 and 4 alone tells an analyst both are at most 7.
    shown, total = suppress_counts({"a": 3, "b": 4, "c": 40, "d": 25})
    assert shown == {"a": None, "b": None, "c": 40, "d": None} and total == 72


def test_a_zero_is_shown_and_never_used_as_the_complement():
    shown, total = suppress_counts({"a": 0, "b": 6, "c": 30, "d": 12})
    assert shown == {"a": 0, "b": None, "c": 30, "d": None}


def test_a_small_total_is_hidden_with_everything_in_it():
    shown, total = suppress_counts({"a": 2, "b": 3})
    assert shown == {"a": None, "b": None} and total is None


def test_nothing_is_hidden_when_every_count_is_large_enough():
    table = suppress([[12, 40], [11, 0]])
    assert table.hidden == 0 and table.total == 63


def test_a_two_way_table_where_naive_suppression_leaks():
    # Rows: towns; columns: tiers. Naive suppression hides only the 4 and the 7; the 7 is
    # alone in its column, so its column total gives it back, and then the 4.
    cells = [[4, 30, 25],
             [15, 7, 40],
             [22, 18, 12]]
    naive = suppress(cells, threshold=THRESHOLD)
    assert {key for key, why in naive.reasons.items() if why == PRIMARY} == {(0, 0), (1, 1)}
    assert COMPLEMENTARY in naive.reasons.values()
    assert_safe(cells, naive)


def test_naive_suppression_is_shown_to_leak_by_the_attacker():
    """The attacker used below does find a leak when only the primary cells are hidden."""
    cells = [[4, 30], [15, 40]]
    table = suppress(cells)
    leaky = type(table)(cells=[[None, 30], [15, 40]], row_totals=[34, 55],
                        column_totals=[19, 70], total=89, reasons={(0, 0): PRIMARY})
    assert possible_values(leaky, 89)[(0, 0)] == {4}
    assert_safe(cells, table)


@pytest.mark.parametrize("cells", [
    [[1, 1, 1], [1, 1, 1]],
    [[10, 0, 50], [0, 10, 50]],
    [[3, 12], [12, 3]],
    [[0, 0, 9], [20, 20, 20], [5, 30, 1]],
    # Every line safe on its own, yet the margins pinned the middle 1 (found by Hypothesis).
    [[0, 1, 0], [0, 11, 0], [1, 1, 11]],
])
def test_hard_tables_stay_safe(cells):
    assert_safe(cells, suppress(cells))


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 3).flatmap(lambda rows: st.integers(2, 3).flatmap(
    lambda columns: st.lists(st.lists(st.sampled_from([0, 1, 2, 5, 9, 11, 14, 25]),
                                      min_size=columns, max_size=columns),
                             min_size=rows, max_size=rows))))
def test_random_small_tables_never_give_a_small_count_back(cells):
    assert_safe(cells, suppress(cells))


def test_without_margins_only_small_counts_are_hidden():
    table = suppress([[4, 30, 25]], margins=False)
    assert table.cells == [[None, 30, 25]] and table.total is None


def test_bad_tables_are_refused():
    with pytest.raises(ValueError, match="same number of columns"):
        suppress([[1, 2], [3]])
    with pytest.raises(ValueError, match="zero or more"):
        suppress([[1, -2]])
