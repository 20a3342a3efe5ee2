"""The web page around a report, found as spans of a line, never as whole lines by a keyword.
Shared by the HTML reader, which drops lines that are nothing but furniture, and the document,
which keeps a text dump's lines for their numbers but leaves chrome out of every part.

A saved page puts the breadcrumb, the font-size bar and the footer on lines of their own, or all
on the one line that also holds the report. So chrome is what a pattern covers: a breadcrumb
from its start through its crumbs, a footer from 版权所有 to the end of its line, a run of
toolbar words; "推进无障碍环境建设" or "分享经验" in a sentence stays report text.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property


from checker.screen import FirstCharacterSearch, WordFinder, may_match, quick, required_literals
from checker.vocabulary import Vocabulary, default_vocabulary

WHOLE_TOOLBAR_LINE = 80
CRUMB_MARKS = (">", "»", "›", "→", "/", "位置")
CRUMB_MARK = re.compile("|".join(map(re.escape, CRUMB_MARKS)))
CRUMB = r"(?:\s*[>»›→/]\s*[^\s>»›→/|]{1,40})"
SEPARATORS = r"[\s|｜/\\·•:：,，\[\]【】()（）]*"
# What a line may hold, as `marked_lines` finds it: a breadcrumb mark, a literal a footer needs,
# a literal a strong toolbar word needs. A line without one of these holds none of that chrome.
CRUMB_MARKED, FOOTER_MARKED, STRONG_MARKED = 1, 2, 4
EVERY_MARK = CRUMB_MARKED | FOOTER_MARKED | STRONG_MARKED


@dataclass(frozen=True)
class ChromeFinder:
    vocabulary: Vocabulary

    @cached_property
    def _breadcrumb(self) -> re.Pattern[str]:
        # A crumb trail after 您当前的位置 may start with any crumb; after 首页 it needs a "> …".
        start = self.vocabulary.alternation("breadcrumb_starts")
        return re.compile(rf"^\s*{start}\s*(?:[^\s>»›→/|]{{1,20}})?{CRUMB}*")

    @cached_property
    def _toolbar_run(self) -> re.Pattern[str]:
        strong = self.vocabulary.alternation("toolbar_strong")
        weak = self.vocabulary.alternation("toolbar_weak")
        token = f"(?:{strong}|{weak})"
        return re.compile(rf"{SEPARATORS}{token}(?:{SEPARATORS}{token})*{SEPARATORS}")

    @cached_property
    def _strong(self) -> re.Pattern[str] | FirstCharacterSearch:
        return quick(re.compile(self.vocabulary.alternation("toolbar_strong")))

    @cached_property
    def _strong_needs(self) -> tuple[str, ...] | None:
        return required_literals(self.vocabulary.alternation("toolbar_strong"))

    @cached_property
    def _footer_needs(self) -> tuple[str, ...] | None:
        return required_literals(self._footer.pattern)

    @cached_property
    def _footer(self) -> re.Pattern[str]:
        starts = self.vocabulary.alternation("footer_starts")
        registrations = self.vocabulary.alternation("footer_registrations")
        return re.compile(f"(?:{starts}|{registrations}).*$")

    @cached_property
    def _whole_line(self) -> re.Pattern[str]:
        return self.vocabulary.pattern("chrome_lines", r"^\s*{}\s*$")

    @cached_property
    def fields(self) -> re.Pattern[str]:
        """One "key: value" field of a page's information table (索引号, 发布机构, 发布日期 …)."""
        names = self.vocabulary.alternation("field_names")
        return re.compile(rf"({names})\s*:\s*\|?\s*([^|]*?)\s*(?=\||\s{{2,}}|$|\s(?:{names})\s*:|(?:{names})\s*:)")

    def spans(self, line: str, marks: int = EVERY_MARK) -> list[tuple[int, int]]:
        """The chrome spans of one line, in order; the whole line when it is all furniture.
        `marks`: what the line is known to hold (see `marked_lines`); a breadcrumb, a footer or a
        strong toolbar word is looked for only where its mark is, and no line without a mark needs
        a screen of its own (the marks are the literals the screens look for)."""
        if not line:
            return []
        if self._whole_line.match(line) or ":" in line and self.is_field_line(line):
            return [(0, len(line))]
        spans = []
        if marks & CRUMB_MARKED and (crumbs := self._breadcrumb.match(line)) and crumbs.end() > 0:
            spans.append((0, crumbs.end()))
        if marks & FOOTER_MARKED and (footer := self._footer.search(line)):
            registrations = self.vocabulary.words["footer_registrations"]
            spans.append((_with_abbreviation(line, footer.start(), registrations), len(line)))
        # Weak words (大, 中, 打印) are everywhere in Chinese text: a run of them is chrome only as a
        # line of its own, or around a strong word; so most lines need no run search at all.
        if len(line) <= WHOLE_TOOLBAR_LINE and self._toolbar_run.fullmatch(line):
            spans.append((0, len(line)))
        elif marks & STRONG_MARKED and self._strong.search(line):
            spans.extend(run.span() for run in self._toolbar_run.finditer(line) if self._strong.search(run.group()))
        return _merged(spans, len(line))

    def line_marks(self, line: str) -> int:
        """What `spans` needs to know of a line on its own: the marks it holds."""
        return ((CRUMB_MARKED if CRUMB_MARK.search(line) else 0) | (FOOTER_MARKED if may_match(self._footer_needs, line) else 0)
                | (STRONG_MARKED if may_match(self._strong_needs, line) else 0))

    def marked_lines(self, text: str, line_starts: Sequence[int]) -> dict[int, int] | None:
        """The marks (CRUMB_MARKED …) each line of `text` holds, for the lines that hold any,
        found in one pass; None when the literals a footer or a strong toolbar word needs are
        not known."""
        if self._marks is None:
            return None
        marked: dict[int, int] = {}
        kinds = self._mark_kinds
        for word, start, _ in self._marks.occurrences(text):
            line = bisect_right(line_starts, start) - 1
            marked[line] = marked.get(line, 0) | kinds[word]
        return marked

    @cached_property
    def _marks(self) -> WordFinder | None:
        if self._footer_needs is None or self._strong_needs is None:
            return None
        return WordFinder([*CRUMB_MARKS, *self._footer_needs, *self._strong_needs])

    @cached_property
    def _mark_kinds(self) -> tuple[int, ...]:
        """For each of the `_marks` words, in its order, the marks it stands for."""
        assert self._footer_needs is not None and self._strong_needs is not None
        return tuple((CRUMB_MARKED if word in CRUMB_MARKS else 0) | (FOOTER_MARKED if word in self._footer_needs else 0)
                     | (STRONG_MARKED if word in self._strong_needs else 0) for word in self._marks.words)

    def covers(self, line: str, spans: list[tuple[int, int]] | None = None) -> bool:
        """Whether the line is nothing but furniture (its chrome spans, when already found)."""
        found = self.spans(line, self.line_marks(line)) if spans is None else spans
        return bool(found) and sum(end - start for start, end in found) >= len(line.strip())

    def is_field_line(self, line: str) -> bool:
        """A line made of page-information fields only (日期: 2021-03-17, 索引号: | … |)."""
        if len(line) > 120:
            return False
        found = list(self.fields.finditer(line))
        if not found or found[0].start() > 2:
            return False
        covered = sum(match.end() - match.start() for match in found)
        return covered >= len(line.strip()) * 0.6


def _with_abbreviation(line: str, start: int, registrations: tuple[str, ...]) -> int:
    """Where a footer starts: a registration number (ICP备…) takes along the one or two Chinese
    characters of the province's abbreviation right before it (蜀ICP备). The word is searched
    alone, which is fast; a pattern opening with a character class would be tried everywhere."""
    if not line.startswith(registrations, start):
        return start
    reach = start
    while reach > max(0, start - 2) and "\u4e00" <= line[reach - 1] <= "\u9fff":
        reach -= 1
    return reach


def _merged(spans: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged if end > start and end <= length]


@cache
def default_chrome() -> ChromeFinder:
    return ChromeFinder(default_vocabulary())


def is_chrome_line(line: str) -> bool:
    """For readers, whose text is not normalised yet: the line is page furniture as a whole.
    Field lines (日期: 2021-03-17, 来源: …) are kept: the document reads the date and issuer there."""
    finder, normalised = default_chrome(), unicodedata.normalize("NFKC", line).strip()
    return finder.covers(normalised) and not finder.is_field_line(normalised)
