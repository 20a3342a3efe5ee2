"""The outline of a report as a reader sees it.

A heading is a numbered line of any family (第一部分, 一、, 【…】, （一）, 1., （1）, ①), a line the
container shows as a heading (Word heading style or rendered automatic numbering, HTML <h2>, a
bold or centred short line, a PDF line in a larger font), a short unnumbered line that stands
above body text, or a 一是… lead. Levels come from the family, ranked as official documents
nest them, and then made dense: a report whose top level is （一） has its （一） at level 1.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from checker.document.numbers import CN_DIGITS as CN
from checker.document.numbers import DATE

# Numbering families, each with its conventional rank (outermost first).
FAMILIES: tuple[tuple[str, float, re.Pattern[str]], ...] = (
    ("part", 0.0, re.compile(rf"^第[{CN}]{{1,3}}(?:部分|章|篇)")),
    ("cn", 1.0, re.compile(rf"^[{CN}]{{1,3}}\s*(?:、|\.(?!\d))")),
    ("bracket", 1.5, re.compile(r"^【[^】]{2,30}】")),
    ("cn-paren", 2.0, re.compile(rf"^\([{CN}]{{1,3}}\)")),
    ("arabic", 3.0, re.compile(r"^\d{1,2}\s*[、.](?![\d%])")),
    ("arabic-paren", 4.0, re.compile(r"^\(\d{1,2}\)")),
    ("circled", 5.0, re.compile(r"^[\u2460-\u2473\u2776-\u277f]")),
)
# One anchored search for all of them: the first family that matches names its group.
NUMBERING = re.compile("|".join(f"(?P<{name.replace('-', '_')}>{pattern.pattern[1:]})" for name, _, pattern in FAMILIES))
FAMILY_OF_GROUP = {name.replace("-", "_"): (name, rank) for name, rank, _ in FAMILIES}
# A number standing alone on its line, its name on the next: 第一部分 / 一、 / (一).
BARE_NUMBER = re.compile(rf"第[{CN}]{{1,3}}(?:部分|章|篇)|[{CN}]{{1,3}}\s*、|\([{CN}]{{1,3}}\)")
STYLE_RANKS = {f"h{n}": float(n) for n in range(1, 7)}
EMPHASIS_RANK = 1.7
PLAIN_RANK = 1.8
LEAD_LEVEL = 99
# 一是… 二是…: the lead clause of each point reads as a sub-heading, where a line or a clause
# starts. A lead is read from the line's start, then after each clause mark, which the second
# pattern opens with: a pattern opening with (?:^|(?<=…)) would be tried at every position.
POINT_LEAD_BODY = rf"\s*[{CN}]{{1,2}}是\s*([^。;,:]{{2,40}})"
POINT_LEAD_AT_START = re.compile(POINT_LEAD_BODY)
POINT_LEAD_AFTER_MARK = re.compile(rf"[。;:,]{POINT_LEAD_BODY}")
LEAD_END = re.compile(r"[。;]")
CLOSING_PUNCTUATION = "。;:!?,、"
PLAIN_HEADING_MAX = 30
THREE_CHINESE = re.compile(r"[\u4e00-\u9fff]{3}")
BODY_AFTER_PLAIN = 30


@dataclass(frozen=True, slots=True)
class Heading:
    line: int
    """0-based line index."""
    level: int
    """1 for the outermost family the report uses, 2 for the next …; LEAD_LEVEL for a 一是 lead."""
    start: int
    end: int
    family: str
    document_text: str = field(repr=False, compare=False)
    """The text of the document it heads: its own is a slice of it, made when asked, as a long
    report's hundred thousand headings would otherwise hold copies (and keep their lines)."""

    @property
    def text(self) -> str:
        return self.document_text[self.start:self.end]

    @property
    def is_lead(self) -> bool:
        return self.level == LEAD_LEVEL


def find_headings(lines: list[str], line_starts: Sequence[int], styles: list[str], skip: set[int],
                  document_text: str) -> list[Heading]:
    """`skip`: lines that are chrome or title, never headings; `document_text`: the lines joined."""
    found: list[tuple[int, float, str, str]] = []  # line, rank, family, text
    leads: list[Heading] = []
    named_by_next: int | None = None
    for index, line in enumerate(lines):
        if index in skip or not line or index == named_by_next:
            continue
        family, rank = _family(line, styles[index], lines, index, skip)
        if family:
            text = _heading_text(line, family)
            if (name := _name_on_next_line(lines, index, skip)) is not None:
                # "第四部分" over "2022年工作安排": one heading, numbered on one line, named on the next.
                named_by_next = name
                text = "\n".join(lines[index:name + 1])
            found.append((index, rank, family, text))
        for start, end in point_leads(line) if "是" in line else ():
            leads.append(Heading(index, LEAD_LEVEL, line_starts[index] + start, line_starts[index] + end, "lead",
                                 document_text))
    # A bold or centred line ranks below the heading styles the container uses (a bold line under
    # an <h2> is its sub-heading); without styles, between 一、 and （一）.
    styled = [rank for _, rank, family, _ in found if family in STYLE_RANKS]
    if styled:
        found = [(index, max(styled) + 0.5 if family == "emphasis" else rank, family, text)
                 for index, rank, family, text in found]
    ranks = {rank: level for level, rank in enumerate(sorted({rank for _, rank, _, _ in found}), start=1)}
    headings = [Heading(index, ranks[rank], line_starts[index], line_starts[index] + len(text), family, document_text)
                for index, rank, family, text in found]
    return sorted(headings + leads, key=lambda heading: heading.start)


def point_leads(line: str) -> list[tuple[int, int]]:
    """The spans of the 一是… lead clauses of a line. A lead never holds a clause mark, so the
    mark a later lead opens with is never inside an earlier one: searching on from where one
    ends finds the leads a search for either start would."""
    at_start = POINT_LEAD_AT_START.match(line)
    leads = [at_start.span(1)] if at_start else []
    leads.extend(match.span(1) for match in POINT_LEAD_AFTER_MARK.finditer(line, at_start.end() if at_start else 0))
    return leads


def _name_on_next_line(lines: list[str], index: int, skip: set[int]) -> int | None:
    """The index of the line that names a bare number ("第四部分", "一、"), if the next line is a
    short unpunctuated name."""
    if not BARE_NUMBER.fullmatch(lines[index]) or index + 1 >= len(lines) or index + 1 in skip:
        return None
    name = lines[index + 1]
    fits = 2 <= len(name) <= PLAIN_HEADING_MAX and not name.endswith(tuple(CLOSING_PUNCTUATION))
    return index + 1 if fits and not numbering_family(name) else None


def numbering_family(line: str) -> tuple[str, float] | None:
    """The numbering family a line opens with (一、 → "cn"), with its conventional rank."""
    numbered = NUMBERING.match(line)
    return FAMILY_OF_GROUP[numbered.lastgroup] if numbered else None


def _family(line: str, style: str, lines: list[str], index: int, skip: set[int]) -> tuple[str | None, float]:
    if numbered := numbering_family(line):
        return numbered
    if style in STYLE_RANKS:
        return style, STYLE_RANKS[style]
    if style and len(line) <= PLAIN_HEADING_MAX * 1.5 and not line.endswith(tuple(CLOSING_PUNCTUATION)):
        return "emphasis", EMPHASIS_RANK
    if _stands_above_body(line, lines, index, skip):
        return "plain", PLAIN_RANK
    return None, 0.0


def _stands_above_body(line: str, lines: list[str], index: int, skip: set[int]) -> bool:
    """A short line without closing punctuation, with a paragraph of body text after it (page
    chrome is no body text: the signature above a page's footer is no heading)."""
    if not 4 <= len(line) <= PLAIN_HEADING_MAX or line.endswith(tuple(CLOSING_PUNCTUATION)):
        return False
    if DATE.search(line) or line.endswith("日") or not THREE_CHINESE.search(line):
        return False
    after = next((later for later in range(index + 1, min(index + 3, len(lines))) if lines[later]), None)
    if after is None or after in skip:
        return False
    return len(lines[after]) >= BODY_AFTER_PLAIN and len(lines[after]) > 2 * len(line)


def _heading_text(line: str, family: str) -> str:
    if family == "bracket":
        return line[:line.index("】") + 1]
    # To its first full stop or semicolon, which it keeps.
    end = LEAD_END.search(line)
    return line[:end.end()] if end else line
