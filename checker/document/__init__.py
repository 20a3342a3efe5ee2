"""A report as the rules see it, built once from a Source in the order a reader reads:

text      normalised lines in simplified characters, long joined lines cut again (text.py)
chrome    the page around the report, as spans (checker/chrome.py)
metadata  title, issuer, kind, year, publication date (metadata.py)
outline   headings of every family and container style (outline.py)
sections  work, shortcomings, plans, first responsibility, opening (sections.py)
statements what each clause does: promise, admission, negation, directive (statements.py)

Positions are character offsets into `Document.text` (the lines joined by "\\n"); every line
knows the line of the user's file it came from, so evidence points at the file. What it holds
one of per line, sentence or quantity is a list, or for a long report an array (offsets.py).
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from itertools import accumulate

from checker.chrome import ChromeFinder
from checker.document.metadata import IssuerWords, Overrides, ReportMeta, page_fields, read_metadata, title_line
from checker.document.numbers import first_named_year, quantity_pattern
from checker.document.offsets import compact
from checker.document.outline import Heading, find_headings
from checker.document.doctype import DoctypeWords, judge_document_type
from checker.document.sections import NO_KINDS, PLANS, Sections, SectionWords, next_at_or_above, find_sections
from checker.document.statements import STATEMENT_KINDS, StatementCues, read_statements
from checker.document.text import prepare_lines
from checker.readers import Source
from checker.scopes import Intervals
from checker.vocabulary import Vocabulary, default_vocabulary

__all__ = ["Document", "Heading", "Overrides", "ReportMeta", "build_document", "first_named_year"]

NOT_ACHIEVED = STATEMENT_KINDS
CLAUSE_MARK = re.compile(r"[,;]")
# A passage: a full sentence (to 。, not ;) and the one after it, or a heading's text up to a reach.
# ([…][…]*, not […]+: a pattern that opens with a repeat gets no first-character skip.)
FULL_SENTENCE_END = re.compile(r"[。!?\n][。!?\n]*")
PASSAGE_SENTENCES = 2
PASSAGE_REACH = 300
# Fewer achieved characters than this under a heading, and the heading reports nothing done.
MIN_ACHIEVED_BODY = 6
STATEMENT_NAMES = {"promises": "promise", "admissions": "admission", "negations": "negation", "directives": "directive"}


@dataclass
class Document:
    source: Source
    """The report as read, without its text and line styles: `text` and `originals` stand for
    them, so a long report's text is not held twice."""
    text: str
    line_starts: Sequence[int]
    headings: list[Heading]
    scopes: dict[str, Intervals]
    sentence_starts: Sequence[int]
    quantities: Sequence[int]
    meta: ReportMeta
    line_numbers: Sequence[int] = field(repr=False)
    """For each line, the 1-based line of the user's file it came from."""
    originals: list[str] | None = field(repr=False)
    """The lines as written, where they were converted from traditional characters."""
    line_sections: list[str | None] = field(repr=False)
    section_kinds: list[tuple[Heading, frozenset[str]]] = field(repr=False)
    """Every heading with the kinds of the section it opens (an outer plans or shortcomings
    heading decides for the headings under it)."""
    passages: list[tuple[int, str]] = field(repr=False)
    """Where an unheaded passage of a kind starts (对照上级要求，我们的工作还存在…)."""
    section_bodies: list[tuple[int, int, int, int]] = field(repr=False)
    """(heading start, heading end, body start, body end) of every heading but 一是 leads."""
    _restrictions: dict[tuple[int, str, str], tuple[Intervals, Intervals]] = field(default_factory=dict, repr=False)

    @property
    def lines(self) -> list[str]:
        """The lines of `text` (made when asked: a long report does not keep them twice)."""
        return self.text.split("\n")

    def line_end(self, index: int) -> int:
        """Where the line `index` ends (before its line break)."""
        starts = self.line_starts
        return starts[index + 1] - 1 if index + 1 < len(starts) else len(self.text)

    # ------------------------------------------------------------ position helpers
    def line_of(self, position: int) -> int:
        """0-based index of the line holding `position`."""
        return bisect_right(self.line_starts, position) - 1

    def sentence_span(self, position: int) -> tuple[int, int]:
        index = bisect_right(self.sentence_starts, position) - 1
        start = self.sentence_starts[index]
        end = self.sentence_starts[index + 1] if index + 1 < len(self.sentence_starts) else len(self.text)
        return start, end

    def sentence_index(self, position: int) -> int:
        return bisect_right(self.sentence_starts, position) - 1

    def quote(self, start: int, end: int) -> str:
        """The text between two positions as the report wrote it (its own script)."""
        if self.originals is None:
            return self.text[start:end]
        first, last = self.line_of(start), self.line_of(max(start, end - 1))
        parts = []
        for index in range(first, last + 1):
            line_start = self.line_starts[index]
            original = self.originals[index]
            line_end = self.line_end(index)
            if len(original) != line_end - line_start:
                original = self.text[line_start:line_end]
            parts.append(original[max(0, start - line_start):max(0, end - line_start)])
        return "\n".join(parts)

    def body_under(self, position: int) -> tuple[int, int] | None:
        """The body of the section whose topic heading holds `position`. A heading that is a
        sentence of its own ("③落实出庭应诉制度，积极做好应诉工作。") is a statement, not a topic."""
        index = bisect_right(self._heading_starts, position) - 1
        if index < 0 or position >= self.section_bodies[index][1]:
            return None
        heading_start, heading_end, body_start, body_end = self.section_bodies[index]
        return (body_start, body_end) if _is_topic(self.text, heading_start, heading_end) else None

    @cached_property
    def _heading_starts(self) -> list[int]:
        return [start for start, *_ in self.section_bodies]

    @cached_property
    def topic_headings(self) -> Intervals:
        """The headings `body_under` may find a body for (every heading but 一是 leads)."""
        return Intervals.of([(start, end) for start, end, *_ in self.section_bodies])

    def passage_of(self, position: int) -> tuple[int, int]:
        """What is said about the thing at `position`: its full sentence (。) and the one after it;
        for a topic heading, the text under it (at most PASSAGE_REACH characters)."""
        if body := self.body_under(position):
            return self.line_starts[self.line_of(position)], min(body[1], body[0] + PASSAGE_REACH)
        starts = self._full_sentence_starts
        index = bisect_right(starts, position) - 1
        return starts[index], starts[index + PASSAGE_SENTENCES] if index + PASSAGE_SENTENCES < len(starts) else len(self.text)

    @cached_property
    def _full_sentence_starts(self) -> Sequence[int]:
        starts = [match.end() for match in FULL_SENTENCE_END.finditer(self.text)]
        starts.insert(0, 0)
        return compact(starts)

    def restricted(self, current: Intervals, operation: str, scope: str) -> Intervals:
        """`current` within (or outside) one of the document's scopes. Every rule asks the same few
        (all ∩ work, work ∩ headings …), so each is worked out once per document."""
        key = (id(current), operation, scope)
        known = self._restrictions.get(key)
        if known is None:
            named = self.scopes[scope]
            # `current` is kept with the result, so its id cannot be reused while the entry lives.
            known = self._restrictions[key] = (current, current & named if operation == "within" else current - named)
        return known[1]

    def statement_of(self, position: int) -> str:
        """What the text at `position` does: a heading, or a clause that promises, admits (also
        anything in the shortcomings part), negates, directs others, or reports an achievement."""
        scopes = self.scopes
        if position in scopes["headings"]:
            return "heading"
        for kind in NOT_ACHIEVED:
            if position in scopes[kind]:
                return STATEMENT_NAMES[kind]
        return "achievement"

    def place_of(self, position: int) -> tuple[int, str | None, int | None]:
        """Where `position` is, as its quotation says: the 1-based line of the user's file, the
        top-level section it stands under and its page (for a paged input), from one bisection."""
        index = self.line_of(position)
        line = self.line_numbers[index]
        pages = self.source.line_pages
        return line, self.line_sections[index], pages[line - 1] if pages and line - 1 < len(pages) else None


@dataclass(frozen=True)
class Reading:
    """Everything compiled from a vocabulary, made once per process and vocabulary."""

    chrome: ChromeFinder
    issuers: IssuerWords
    sections: SectionWords
    statements: StatementCues
    quantity: re.Pattern[str]


@cache
def _reading(vocabulary: Vocabulary) -> Reading:
    issuers = IssuerWords(vocabulary)
    return Reading(ChromeFinder(vocabulary), issuers, issuers.sections, StatementCues(vocabulary), quantity_pattern(vocabulary))


def build_document(source: Source, overrides: Overrides | None = None, vocabulary: Vocabulary | None = None,
                   defaults: Overrides | None = None) -> Document:
    """`overrides` beat what the report states, `defaults` fill in what it does not (see `read_metadata`)."""
    reading = _reading(vocabulary or default_vocabulary())
    # The file's text is let go once its lines are made, before they are joined into the
    # document's (when no caller holds the source: checker/pipeline.py hands it over).
    written, styles = source.text, source.line_styles
    source = replace(source, text="", line_styles=None)
    prepared = prepare_lines(written, styles)
    del written, styles
    lines, numbers, originals = prepared.lines, prepared.numbers, prepared.originals
    text = "\n".join(lines)
    line_starts = _line_starts(lines)
    chrome_spans, chrome_lines = _chrome(text, lines, line_starts, reading.chrome)
    title_index = title_line(lines, chrome_lines)
    meta = read_metadata(source, lines, page_fields(lines, reading.chrome), title_index, overrides or Overrides(),
                         reading.issuers, chrome_lines, defaults or Overrides())
    skip = chrome_lines | set(range(title_index + 1 if title_index is not None else 0))
    headings = find_headings(lines, line_starts, prepared.styles, skip, text)
    sections = find_sections(lines, line_starts, chrome_lines, title_index, headings, meta.year, reading.sections)
    meta = _with_document_type(meta, lines, chrome_lines, title_index, sections, reading.issuers.doctype)
    del prepared, lines  # the rest reads the text: a long report's lines are not kept beside it
    statements = read_statements(text, reading.statements)
    bodies = _section_bodies(headings, len(text))
    scopes = _scopes(sections.scopes, statements.scopes, chrome_spans, headings, bodies, text)
    sections = _read_as(meta.document_type, scopes, sections, vocabulary or default_vocabulary())
    return Document(
        source=source,
        text=text,
        line_starts=line_starts,
        headings=headings,
        scopes=scopes,
        sentence_starts=statements.sentence_starts,
        quantities=compact([match.start() for match in reading.quantity.finditer(text)]),
        meta=meta,
        line_numbers=numbers,
        originals=originals,
        line_sections=sections.line_sections,
        section_kinds=sections.section_kinds,
        passages=sections.passages,
        section_bodies=bodies,
    )


def _with_document_type(meta: ReportMeta, lines: list[str], chrome_lines: set[int], title_index: int | None,
                        sections: Sections, words: DoctypeWords) -> ReportMeta:
    """The document type is judged last: it weighs the title, the text and the parts the outline found."""
    content = [line for index, line in enumerate(lines) if line and index not in chrome_lines and index != title_index]
    parts = {"shortcomings" if kind == "shortcomings-unnamed" else kind
             for _, kinds in sections.section_kinds for kind in kinds}
    document_type, reason = judge_document_type(meta.title, content, parts, words)
    return replace(meta, document_type=document_type, document_type_reason=reason)


def _read_as(document_type: str, scopes: dict[str, Intervals], sections: Sections, vocabulary: Vocabulary) -> Sections:
    """A document that is not a unit's own report reports no work of its own: the tasks of a plan
    (工作要点, 实施方案, 解读 of one) are plans; what a notice, a paper, an inspection's feedback
    or an assessment scheme says is for others to do. Changes `scopes` in place; returns the
    sections with their kinds read the same way."""
    planning = document_type in vocabulary.words["planning_documents"]
    for_others = document_type in vocabulary.words["for_others_documents"]
    if not (planning or for_others):
        return sections
    own_work = scopes["work"]
    for name in ("work", "opening", "first_responsibility", "shortcomings", "admissions"):
        scopes[name] = Intervals(())
    if planning:
        scopes["plans"] = Intervals.of([*scopes["plans"].spans, *own_work.spans])
        kinds = [(heading, PLANS if kinds & {"work", "plans"} else NO_KINDS) for heading, kinds in sections.section_kinds]
    else:
        scopes["plans"] = Intervals(())
        scopes["directives"] = scopes["all"]
        kinds = []
    return replace(sections, section_kinds=kinds, passages=[])


def _line_starts(lines: list[str]) -> Sequence[int]:
    starts = list(accumulate([len(line) + 1 for line in lines], initial=0))
    starts.pop()  # where a line after the last would start
    return compact(starts)


def _chrome(text: str, lines: list[str], line_starts: Sequence[int], finder: ChromeFinder) -> tuple[Intervals, set[int]]:
    """Chrome spans over the whole text, and the lines that are nothing else."""
    spans, whole = [], set()
    marked = finder.marked_lines(text, line_starts)
    for index, line in enumerate(lines):
        found = finder.spans(line, finder.line_marks(line) if marked is None else marked.get(index, 0))
        if not found:
            continue
        if finder.covers(line, found):
            whole.add(index)
        spans.extend((line_starts[index] + start, line_starts[index] + end) for start, end in found)
    return Intervals.of(spans), whole


def _section_bodies(headings: list[Heading], end: int) -> list[tuple[int, int, int, int]]:
    """(heading start, heading end, body start, body end) of every heading but 一是 leads: the body
    runs to the next heading of its level or above."""
    blocks = [heading for heading in headings if not heading.is_lead]
    return [(heading.start, heading.end, heading.end, body_end)
            for heading, body_end in zip(blocks, next_at_or_above(blocks, [heading.start for heading in blocks], end))]


def _is_topic(text: str, start: int, end: int) -> bool:
    """A heading names a topic unless it is a sentence of its own (a clause break inside it)."""
    return not CLAUSE_MARK.search(text, start, end)


def _headings_over_nothing_done(bodies: list[tuple[int, int, int, int]], work: Intervals, content: Intervals,
                                text: str) -> Intervals:
    """Headings whose section says things but reports nothing done: "（二）加强法律顾问工作" over
    尚未聘请… and 督促各所… names a topic, not an achievement. A heading reports what its section
    reports; a numbered line with nothing under it (1.法律顾问覆盖率100%。) is its own statement."""
    empty = []
    for heading_start, heading_end, body_start, body_end in bodies:
        if not _is_topic(text, heading_start, heading_end):
            continue
        said, done = content.length_within(body_start, body_end), work.length_within(body_start, body_end)
        if said >= MIN_ACHIEVED_BODY and done < MIN_ACHIEVED_BODY:
            empty.append((heading_start, heading_end))
    return Intervals.of(empty)


def _scopes(sections: dict[str, Intervals], statements: dict[str, Intervals], chrome: Intervals,
            headings: list[Heading], bodies: list[tuple[int, int, int, int]], text: str) -> dict[str, Intervals]:
    """Section scopes without the chrome; `work` only where a clause reports an achievement;
    `plans` with every promise, wherever it stands."""
    scopes = {name: spans - chrome for name, spans in sections.items()}
    scopes["all"] = scopes.pop("content")
    for kind, spans in statements.items():
        scopes[kind] = spans & scopes["all"]
    not_achieved = Intervals.of([span for kind in NOT_ACHIEVED for span in scopes[kind].spans])
    heading_spans = Intervals.of([(h.start, h.end) for h in headings]) & scopes["all"]
    scopes["work"] = scopes["work"] - not_achieved
    scopes["work"] = scopes["work"] - _headings_over_nothing_done(bodies, scopes["work"], scopes["all"] - heading_spans, text)
    scopes["opening"] = scopes["opening"] - not_achieved
    scopes["plans"] = Intervals.of([*scopes["plans"].spans, *scopes["promises"].spans])
    scopes["admissions"] = Intervals.of([*scopes["admissions"].spans, *scopes["shortcomings"].spans])
    scopes["headings"] = heading_spans
    return scopes
