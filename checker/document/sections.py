"""The parts of a report: the year's work, its shortcomings, its plans, the principal leader's
duty and the opening, found from the outline and from how paragraphs open.

A line takes the kind of the outermost enclosing heading that names shortcomings or plans; a
section headed as both (存在问题和下一步打算) is split where its plans start. Without a heading,
a paragraph that opens by admitting problems (对照上级要求，我们的工作还存在…) starts a
shortcomings passage, and one that opens with 下一步 / 明年 is a plan. A work heading that sets
out to mend a weakness (补齐执法短板) is work.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import groupby

from checker.document.numbers import first_named_year
from checker.document.outline import Heading
from checker.scopes import Intervals
from checker.vocabulary import Vocabulary, listed

HEADING_CLASSIFY_LENGTH = 40
# A numbered line that is a whole sentence ("②全年行政诉讼案件10件，…，今后将确保…") is named by
# its first clause; what it goes on to say is content, not the name of a section.
FIRST_CLAUSE = re.compile(r"[,;:]")
WEAK_PLANS_HEADING = 20
POINTS = re.compile(r"(?:^|[。;\n])\s*(?:[一二三四五六七八九十]是|\(?[一二三四五六七八九十\d]{1,2}[)、.]|[\u2460-\u2473])")
ADMISSION_REACH = 100
# A paragraph opening with a later year's intentions: "2024年，我局将…".
YEAR_PLAN_OPENING = re.compile(r"((?:19|20)\d{2})\s*年\s*,?\s*(?:[\u4e00-\u9fff]{1,4})?\s*(?:将|要|拟|计划)")
SECTION_KINDS = ("content", "opening", "work", "shortcomings", "plans", "first_responsibility")
NO_KINDS, CONTENT, WORK = frozenset(), frozenset({"content"}), frozenset({"work"})
SHORTCOMINGS, PLANS, OPENING_WORK = frozenset({"shortcomings"}), frozenset({"plans"}), frozenset({"opening", "work"})
SHORTCOMINGS_AND_PLANS = frozenset({"shortcomings", "plans"})
_KIND_SETS: dict[frozenset[str], frozenset[str]] = {}
_WITH_CONTENT: dict[frozenset[str], frozenset[str]] = {}


def _kind_set(kinds: frozenset[str]) -> frozenset[str]:
    """The one frozenset of these kinds: every line and heading of a report has a set of kinds,
    and a long report's hundred thousand equal sets would each cost 216 bytes."""
    return _KIND_SETS.setdefault(kinds, kinds)


def _with_content(kinds: frozenset[str]) -> frozenset[str]:
    """`_kind_set(kinds | CONTENT)`, found by `kinds`: a line's kinds are one of a few sets, and
    looking one up is cheaper than making the union for every line."""
    known = _WITH_CONTENT.get(kinds)
    if known is None:
        known = _WITH_CONTENT[kinds] = _kind_set(kinds | CONTENT)
    return known


@dataclass(frozen=True)
class SectionWords:
    vocabulary: Vocabulary

    _shortcomings_part = listed("shortcomings_part")
    _shortcomings_heading = listed("shortcomings_heading")
    _non_problem_phrases = listed("non_problem_phrases")
    _plans_heading_strong = listed("plans_heading_strong")
    _plans_heading_weak = listed("plans_heading_weak")
    _work_heading = listed("work_heading")
    _first_responsibility_heading = listed("first_responsibility_heading")
    _admission_openings = listed("admission_openings")
    _admission_cues = listed("admission_cues")
    _vague_admissions = listed("vague_admissions")
    _plan_opening = listed("plan_openings", "^{}")

    @cached_property
    def remedy_then_problem(self) -> re.Pattern[str]:
        problems = self.vocabulary.alternation("shortcomings_part")
        return re.compile(self.vocabulary.alternation("remedy_verbs") + rf"[^,;。]{{0,12}}{problems}")

    def names_shortcomings(self, text: str, top_level: bool) -> bool:
        words = self._shortcomings_part if top_level else self._shortcomings_heading
        text = self._non_problem_phrases.sub("", text)  # 坚持问题导向 names a way of working
        if not words.search(text):
            return False
        # 补齐执法短板 / 解决群众反映的突出问题: the problem word is the object of a remedy.
        return not (self.remedy_then_problem.search(text) and not self._shortcomings_heading.search(
            self.remedy_then_problem.sub("", text)))

    def names_plans(self, text: str) -> bool:
        # 重点任务 names a plans section as a short heading ("2025年重点任务"), not inside a
        # statement ("局长亲自研究部署重点任务").
        return bool(self._plans_heading_strong.search(text) or (
            len(text) <= WEAK_PLANS_HEADING and self._plans_heading_weak.search(text)
            and not self._work_heading.search(text)))

    def names_first_responsibility(self, text: str) -> bool:
        return bool(self._first_responsibility_heading.search(text))

    def opens_admission(self, line: str) -> bool:
        """The admission comes after its opening: "虽然个别部门水平还不高，但优良率提高了" concedes
        a weakness to report a result, "虽然取得一定成效，但仍存在差距" admits one."""
        head = line[:ADMISSION_REACH]
        opening = self._admission_openings.search(head)
        if opening is None:
            return False
        after = head[opening.end():]
        return bool(self._shortcomings_part.search(after) or self._admission_cues.search(after))

    def names_concrete_problems(self, body: str) -> bool:
        """Whether a shortcomings section names any problem beyond stock phrases (还存在一些不足，
        离群众期待尚有距离，今后将加以改进 names none)."""
        rest = self._vague_admissions.sub("", body)
        listed = len(POINTS.findall(rest)) >= 2  # 一是…二是…: problems set out one by one
        return listed or bool(self._admission_cues.search(rest) or self._shortcomings_part.search(rest))

    def opens_plan(self, line: str, report_year: int | None) -> bool:
        if self._plan_opening.match(line):
            return True
        match = YEAR_PLAN_OPENING.match(line)
        return bool(match) and report_year is not None and int(match.group(1)) > report_year

    def heading_kinds(self, text: str, level: int, report_year: int | None) -> frozenset[str]:
        kinds = set()
        if self.names_shortcomings(text, top_level=level == 1):
            kinds.add("shortcomings")
        heading_year = first_named_year(text)
        future = report_year is not None and heading_year is not None and heading_year > report_year
        if self.names_plans(text) or future:
            kinds.add("plans")
        if not kinds and self.names_first_responsibility(text):
            kinds.add("first_responsibility")
        return _kind_set(frozenset(kinds))


@dataclass(frozen=True)
class Sections:
    scopes: dict[str, Intervals]
    line_sections: list[str | None]
    """The top-level heading each line stands under."""
    section_kinds: list[tuple[Heading, frozenset[str]]]
    """Every heading (not 一是 leads) with the kinds of the section it opens."""
    passages: list[tuple[int, str]]
    """Where an unheaded passage of a kind starts (a paragraph that opens by admitting problems)."""


def find_sections(lines: list[str], line_starts: Sequence[int], skip: set[int], title_line: int | None,
                  headings: list[Heading], report_year: int | None, words: SectionWords) -> Sections:
    """`skip`: lines wholly page chrome."""
    block_headings = {h.line: h for h in headings if not h.is_lead}
    # The opening runs to the first heading; a report without headings opens with one paragraph.
    first_body_line = next((i for i, line in enumerate(lines)
                            if line and i not in skip and (title_line is None or i > title_line)), len(lines))
    first_heading_line = min(block_headings, default=first_body_line + 1)
    # The open headings, each with what it and those around it decide for the lines under it.
    stack: list[tuple[Heading, tuple[Heading, frozenset[str]] | None, bool]] = []
    kinds_per_line: list[frozenset[str]] = []
    section_names: list[str | None] = []
    in_plans_part = in_admission = False
    section_kinds: list[tuple[Heading, frozenset[str]]] = []
    passages: list[tuple[int, str]] = []
    decisive: tuple[Heading, frozenset[str]] | None = None
    top: Heading | None = None
    responsible, section_name = False, None
    for index, line in enumerate(lines):
        if not line and index not in skip and section_names and section_names[-1] is not None:
            # A blank line belongs to the paragraph before it, so a section is one span, not many.
            kinds_per_line.append(kinds_per_line[-1])
            section_names.append(section_names[-1])
            continue
        if index in skip or not line or (title_line is not None and index <= title_line):
            kinds_per_line.append(CONTENT if index == title_line else NO_KINDS)
            section_names.append(None)
            continue
        heading = block_headings.get(index)
        own = NO_KINDS
        if heading:
            while stack and stack[-1][0].level >= heading.level:
                stack.pop()
            own = words.heading_kinds(_naming_part(heading.text), heading.level, report_year)
            in_admission = False
            # What the open headings decide for the lines under them changes only here: the
            # outermost one naming shortcomings or plans decides, and any naming the first
            # responsibility makes its lines the first responsibility's.
            outer_decisive, outer_responsible = stack[-1][1:] if stack else (None, False)
            decisive = outer_decisive or ((heading, own) if own & SHORTCOMINGS_AND_PLANS else None)
            responsible = outer_responsible or "first_responsibility" in own
            stack.append((heading, decisive, responsible))
            if stack[0][0] is not top:  # each line under a top heading shares its name
                top = stack[0][0]
                section_name = top.text.replace("\n", " ")
        opens_plan = not heading and words.opens_plan(line, report_year)
        if decisive is None:
            opens_passage = not heading and not opens_plan and not in_admission and words.opens_admission(line)
            in_admission = not heading and not opens_plan and (in_admission or opens_passage)
            if opens_passage and words.names_concrete_problems(line):
                # A paragraph that admits problems is a shortcomings part only if it names some
                # (也还存在一些不足，今后将加以改进 names none).
                passages.append((line_starts[index], "shortcomings"))
            base = SHORTCOMINGS if in_admission else PLANS if opens_plan else NO_KINDS
        elif decisive[1] == SHORTCOMINGS_AND_PLANS:
            # 存在问题和下一步打算: the problems come first; a plan sub-heading or the first plan
            # paragraph starts the plans.
            if heading is decisive[0]:
                in_plans_part = False
            elif heading:
                in_plans_part = "plans" in own or (in_plans_part and "shortcomings" not in own)
            else:
                in_plans_part = in_plans_part or opens_plan
            base = PLANS if in_plans_part else SHORTCOMINGS
        else:
            base = PLANS if opens_plan else decisive[1]
        if heading:
            combined = decisive is not None and heading is decisive[0]
            section_kinds.append((heading, decisive[1] if combined else base or _kind_set(WORK | own)))
        if not base:
            base = OPENING_WORK if index < first_heading_line else WORK
            if responsible:
                base |= {"first_responsibility"}
        kinds_per_line.append(_with_content(base))
        section_names.append(section_name)
    scopes = _kind_scopes(line_starts, lines, kinds_per_line)
    body_ends: dict[int, int] = {}
    if any("shortcomings" in kinds for _, kinds in section_kinds):
        blocks = list(block_headings.values())  # in line order, as the headings are
        body_ends = dict(zip(block_headings, next_at_or_above(blocks, list(block_headings), len(lines))))
    section_kinds = [(heading, kinds if "shortcomings" not in kinds or words.names_concrete_problems(
        _section_body(lines, heading, body_ends[heading.line]))
        else _kind_set(kinds - {"shortcomings"} | {"shortcomings-unnamed"})) for heading, kinds in section_kinds]
    return Sections(scopes, section_names, section_kinds, passages)


def _kind_scopes(line_starts: Sequence[int], lines: list[str], kinds_per_line: list[frozenset[str]]) -> dict[str, Intervals]:
    """The lines of each kind, with their line breaks, as spans. The lines of a section share one
    set of kinds, so they are taken a run of equal sets at a time: about as many as headings."""
    runs, first = [], 0
    for kinds, same in groupby(kinds_per_line):
        last = first + len(list(same)) - 1
        runs.append((kinds, line_starts[first], line_starts[last] + len(lines[last]) + 1))
        first = last + 1
    return {name: Intervals.of([(start, end) for kinds, start, end in runs if name in kinds]) for name in SECTION_KINDS}


def _naming_part(heading_text: str) -> str:
    return FIRST_CLAUSE.split(heading_text, maxsplit=1)[0][:HEADING_CLASSIFY_LENGTH]


def _section_body(lines: list[str], heading: Heading, end: int) -> str:
    """The text under a heading up to `end`, the line of the next heading of its level or above
    (its own line after the heading text included)."""
    first = lines[heading.line][len(heading.text):]
    return "\n".join([first, *lines[heading.line + 1:end]])


def next_at_or_above(blocks: list[Heading], positions: list[int], end: int) -> list[int]:
    """For each heading of `blocks` (in text order), `positions` of the first later heading of its
    level or above, else `end`: one walk with a stack of the headings still open (a long report
    has thousands of headings)."""
    found = [end] * len(blocks)
    open_headings: list[int] = []
    for index, heading in enumerate(blocks):
        level = heading.level
        while open_headings and blocks[open_headings[-1]].level >= level:
            found[open_headings.pop()] = positions[index]
        open_headings.append(index)
    return found
