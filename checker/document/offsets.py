"""Offsets a document holds one of per line, sentence or quantity, kept as compactly as the
report's length calls for."""
from __future__ import annotations

from array import array
from collections.abc import Sequence

COMPACT_FROM = 1 << 12
"""Items from which a list of offsets is kept as an array."""


def compact(values: list[int]) -> Sequence[int]:
    """The list itself for a report of ordinary length: its items are read as they are, where an
    array makes an int object at every read (and each bisection reads a score of them). A long
    report's as array("i"): 4 bytes an offset where a list holds an int object of 32 and a
    pointer (a 50 MB report has 400,000 sentences)."""
    return array("i", values) if len(values) >= COMPACT_FROM else values
