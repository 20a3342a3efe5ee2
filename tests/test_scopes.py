"""checker/scopes.py: every operation on Intervals agrees with the same operation on the plain
set of positions the ranges cover."""
from __future__ import annotations

from hypothesis import given, strategies as st

from checker.scopes import Intervals

SPANS = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=12)
POSITIONS = st.lists(st.integers(-2, 65), max_size=40).map(sorted)


def covered(intervals: Intervals) -> set[int]:
    return {position for start, end in intervals.spans for position in range(start, end)}


def plain(spans: list[tuple[int, int]]) -> set[int]:
    return {position for start, end in spans for position in range(start, end)}


def runs(positions: set[int]) -> tuple[tuple[int, int], ...]:
    """The ranges of consecutive positions, none touching the next."""
    return Intervals.of([(position, position + 1) for position in positions]).spans


@given(SPANS)
def test_of_merges_into_sorted_disjoint_ranges(spans) -> None:
    intervals = Intervals.of(spans)
    assert covered(intervals) == plain(spans)
    assert all(end < next_start for (_, end), (next_start, _) in zip(intervals.spans, intervals.spans[1:]))


@given(SPANS, SPANS)
def test_intersection_and_difference(first, second) -> None:
    a, b = Intervals.of(first), Intervals.of(second)
    # The very ranges, not only the positions: a set of positions has one sorted, disjoint form.
    assert (a & b).spans == runs(plain(first) & plain(second)) == (b & a).spans
    assert (a - b).spans == runs(plain(first) - plain(second))


@given(SPANS, POSITIONS)
def test_membership_and_selection(spans, positions) -> None:
    intervals, inside = Intervals.of(spans), plain(spans)
    assert [p in intervals for p in positions] == [p in inside for p in positions]
    assert intervals.select(positions) == [p for p in positions if p in inside]


@given(SPANS, st.integers(0, 65), st.integers(0, 65))
def test_length_within(spans, start, length) -> None:
    intervals, end = Intervals.of(spans), start + length
    assert intervals.length_within(start, end) == len(plain(spans) & set(range(start, end)))
