"""Chinese line breaking for the terminal: lines cut by display width that obey the usual kinsoku
rules (no closing punctuation at the start of a line, no opening punctuation at its end) and keep
whole what a reader takes as one token: rule ids, URLs, numbers with their unit (28号, 第3行,
2024年), a document number such as 厅字〔2019〕28号, a —— or …… pair.

Hand-written rather than taken from uniseg (the maintained UAX #14 implementation on PyPI): the
standard allows breaks inside every one of those tokens (after a hyphen or a slash, between 〕 and
a digit, between a digit and 号), so its breaks would need overriding anyway, and it costs about
35 ms to import and 60 µs a character: 0.16 s for the 2,700 characters of one sample's audit,
which this module lays out, with rich printing it, in 20 ms. Widths come from rich, so what is
measured here is what rich prints.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from rich.cells import split_graphemes

CLOSING = frozenset("，。、；：？！．…‥·・％‰℃,.;:!?%")
"""Marks that may not start a line, besides every closing bracket and closing quote (Unicode
categories Pe and Pf)."""

INSEPARABLE = frozenset("—…")
"""破折号 —— and 省略号 …… are one mark in two halves."""

DOCUMENT_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,4}〔\d{4}〕\d+号")
"""A 发文字号 (GB/T 9704): the issuer's prefix, the year in 〔〕, the number. The prefix has no
delimiter, so up to four ideographs before 〔 stay with it: one more than needed costs a slightly
earlier break, one less leaves 厅 on one line and 字〔2019〕28号 on the next."""


def wrap(text: str, width: int, indent: int = 0) -> list[str]:
    """`text` as lines at most `width` cells wide. A newline in `text` always ends a line; the lines
    that continue a paragraph are indented by `indent` spaces, within `width`."""
    return [(" " * indent if continues(text, start) else "") + text[start:end]
            for start, end in line_spans(text, width, indent)]


def line_spans(text: str, width: int, indent: int = 0) -> list[tuple[int, int]]:
    """(start, end) offsets of each line of `text`, so that a caller holding styled text (rich's
    Text) can cut it at the same places. A line that continues a paragraph (`continues`) is
    `width - indent` cells wide; spaces at the end of a line are left out of its span. A token
    wider than a whole line is cut where it must, even then not before closing punctuation where
    the token allows; a single character wider than the line gets a line of its own."""
    spans: list[tuple[int, int]] = []
    offset = 0
    for paragraph in text.split("\n"):
        lines = _paragraph_spans(paragraph, width, max(width - indent, 1))
        spans += [(offset + start, offset + end) for start, end in lines]
        offset += len(paragraph) + 1
    return spans


def continues(text: str, start: int) -> bool:
    """Whether the line starting at `start` goes on from the line before (rather than starting a
    paragraph): the lines to indent."""
    return start > 0 and text[start - 1] != "\n"


def _paragraph_spans(text: str, width: int, rest_width: int) -> list[tuple[int, int]]:
    graphemes, _ = split_graphemes(text)
    spans: list[tuple[int, int]] = []
    line_start = used = 0  # used: cells on the current line, spaces included

    def limit() -> int:
        return rest_width if spans else width

    def close(end: int) -> None:
        nonlocal line_start, used
        spans.append((line_start, _without_trailing_spaces(text, line_start, end)))
        line_start, used = end, 0

    for unit in _units(text, graphemes):
        start = unit[0][0]
        cells = sum(cell for _, _, cell in unit)
        visible = cells - _trailing_space_cells(text, unit)  # what the line holds if it ends here
        if used + visible <= limit():
            used += cells
            continue
        if text[line_start:start].strip():
            close(start)
        else:
            line_start = start  # only the paragraph's leading spaces so far: dropped
        if visible <= limit():
            used = cells
        else:
            used = _fold(text, unit, limit, close)
    close(len(text))
    return spans


def _units(text: str, graphemes: list[tuple[int, int, int]]) -> list[list[tuple[int, int, int]]]:
    """The graphemes grouped into pieces that no line break may enter."""
    if not graphemes:
        return []
    kept = _protected(text)
    units = [[graphemes[0]]]
    written = " "  # the last character before the boundary that is not a space (none yet)
    for previous, grapheme in zip(graphemes, graphemes[1:]):
        if not text[previous[0]].isspace():
            written = text[previous[1] - 1]
        boundary = grapheme[0]
        if boundary not in kept and _may_break(text[boundary - 1], text[boundary], written):
            units.append([grapheme])
        else:
            units[-1].append(grapheme)
    return units


def _protected(text: str) -> set[int]:
    """Offsets inside a document number, where no break goes."""
    return {offset for match in DOCUMENT_NUMBER.finditer(text) for offset in range(match.start() + 1, match.end())}


def _may_break(before: str, after: str, written: str) -> bool:
    """Whether a line may end after `before` when `after` follows it; `written` is the last
    character before the boundary that is not a space, which a line would end with."""
    if after.isspace() or _closing(after) or _opening(written):
        return False  # spaces stay at the end of a line, where they are dropped
    if before.isspace():
        return True
    if _ascii_word(before) and _ascii_word(after):
        return False  # a rule id, a URL, an English word, a number
    if _ascii_digit(before) or _ascii_digit(after):
        return False  # a number stays with what it counts or follows: 28号, 第3行
    return not (before == after and before in INSEPARABLE)


def _closing(char: str) -> bool:
    return char in CLOSING or unicodedata.category(char) in ("Pe", "Pf")


def _opening(char: str) -> bool:
    return unicodedata.category(char) in ("Ps", "Pi")


def _ascii_word(char: str) -> bool:
    return "!" <= char <= "~"


def _ascii_digit(char: str) -> bool:
    return "0" <= char <= "9"


def _fold(text: str, unit: list[tuple[int, int, int]], limit: Callable[[], int], close: Callable[[int], None]) -> int:
    """Cut a piece wider than a line into lines; returns the cells on the last line, left open.
    Each cut goes at the last place on the line where it does least harm, from least to most:
    between two characters (厅字 | 〔2019〕28号), beside a number (〔2019〕 | 28号), inside an ASCII
    run (a URL), against closing or opening punctuation or before a space (only when nothing else
    is left)."""

    def harm(cut: int) -> int:
        before, after = text[unit[cut - 1][1] - 1], text[unit[cut][0]]
        last = cut - 1  # the line would end with the last character that is not a space
        while last > 0 and text[unit[last][0]].isspace():
            last -= 1
        if after.isspace() or _closing(after) or _opening(text[unit[last][1] - 1]):
            return 3
        if _ascii_word(before) and _ascii_word(after):
            return 2
        return 1 if _ascii_digit(before) or _ascii_digit(after) else 0

    first = 0
    while True:
        used, full = 0, first
        while full < len(unit) and used + unit[full][2] <= limit():
            used += unit[full][2]
            full += 1
        if full == len(unit):
            return used
        if full == first:  # one character wider than the line: it gets the line alone
            cut = first + 1
            if cut == len(unit):
                return unit[first][2]
        else:
            cut = min(range(full, first, -1), key=harm)  # min keeps the first, latest, of equals
        close(unit[cut][0])
        first = cut


def _trailing_space_cells(text: str, unit: list[tuple[int, int, int]]) -> int:
    cells = 0
    for start, end, cell in reversed(unit):
        if not text[start:end].isspace():
            break
        cells += cell
    return cells


def _without_trailing_spaces(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
