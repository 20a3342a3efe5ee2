"""Sets of character ranges of a document (the work sections, the plans, the headings …).

A rule restricts a test to a part of the report; nesting restrictions intersects them.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

SLICE_PER_RANGE = 4
"""A range costs about this many positions' bisections: two bisections and a slice."""


class Intervals:
    """Sorted, disjoint, half-open [start, end) ranges. Their starts and ends are kept as lists,
    made once: every membership test of every rule bisects them."""

    __slots__ = ("spans", "_starts", "_ends", "_totals")

    def __init__(self, spans: tuple[tuple[int, int], ...]) -> None:
        self.spans = spans
        self._starts = [start for start, _ in spans]
        self._ends = [end for _, end in spans]
        self._totals: list[int] | None = None

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Intervals) and self.spans == other.spans

    def __hash__(self) -> int:
        return hash(self.spans)

    def __repr__(self) -> str:
        return f"Intervals({self.spans!r})"

    @classmethod
    def of(cls, spans: list[tuple[int, int]]) -> Intervals:
        merged: list[tuple[int, int]] = []
        for start, end in sorted(spans):
            if end <= start:
                continue
            if merged and start <= merged[-1][1]:
                if end > merged[-1][1]:
                    merged[-1] = (merged[-1][0], end)
            else:
                merged.append((start, end))
        return cls(tuple(merged))

    def length_within(self, start: int, end: int) -> int:
        """How many positions of [start, end) the ranges cover, by bisection on running totals."""
        return self._covered_before(end) - self._covered_before(start)

    def _covered_before(self, position: int) -> int:
        index = bisect_right(self._starts, position) - 1
        if index < 0:
            return 0
        span_start, span_end = self.spans[index]
        return self._running_totals()[index] + min(position, span_end) - span_start

    def _running_totals(self) -> list[int]:
        """Covered length before each range."""
        if self._totals is None:
            self._totals, total = [], 0
            for start, end in self.spans:
                self._totals.append(total)
                total += end - start
        return self._totals

    def __contains__(self, position: int) -> bool:
        index = bisect_right(self._starts, position)
        return index > 0 and position < self._ends[index - 1]

    def select(self, positions: list[int]) -> list[int]:
        """The sorted `positions` inside the ranges: a slice per range when the ranges are few
        (a section, the whole text), else a bisection per position."""
        starts, ends = self._starts, self._ends
        if len(starts) * SLICE_PER_RANGE < len(positions):
            selected: list[int] = []
            for start, end in self.spans:
                selected += positions[bisect_left(positions, start):bisect_left(positions, end)]
            return selected
        return [position for position in positions if (index := bisect_right(starts, position)) and position < ends[index - 1]]

    def __and__(self, other: Intervals) -> Intervals:
        """For each range of the one with fewer, the other's ranges it overlaps, found by two
        bisections and taken as a slice: only the first and the last may stick out of it."""
        if not self.spans or not other.spans:
            return EMPTY
        few, many = (self, other) if len(self.spans) <= len(other.spans) else (other, self)
        spans, starts, ends = many.spans, many._starts, many._ends
        result: list[tuple[int, int]] = []
        for start, end in few.spans:
            first, last = bisect_right(ends, start), bisect_left(starts, end)
            if first < last:
                head = len(result)
                result += spans[first:last]
                result[head] = (max(start, result[head][0]), result[head][1])
                result[-1] = (result[-1][0], min(end, result[-1][1]))
        return Intervals(tuple(result))

    def __sub__(self, other: Intervals) -> Intervals:
        """For each range, the gaps between the other's ranges it overlaps, found by two
        bisections: the other's ranges elsewhere (a report's statements give hundreds) are not
        walked."""
        if not self.spans or not other.spans:
            return self
        spans, starts, ends = other.spans, other._starts, other._ends
        result: list[tuple[int, int]] = []
        for start, end in self.spans:
            cursor = start
            for other_start, other_end in spans[bisect_right(ends, start):bisect_left(starts, end)]:
                if other_start > cursor:
                    result.append((cursor, other_start))
                cursor = other_end
            if cursor < end:
                result.append((cursor, end))
        return Intervals(tuple(result))

    def __bool__(self) -> bool:
        return bool(self.spans)


EMPTY = Intervals(())
