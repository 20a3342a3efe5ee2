"""The text every later step reads: normalised, in simplified characters, cut into the lines a
reader sees.

Three things a user's file does that a reader does not notice and a regex does:
- full-width forms (，：（１）) — NFKC makes them ASCII, so one pattern serves both;
- traditional characters — converted to simplified for matching, while the original lines are
  kept so that evidence quotes what the report says;
- lost line breaks — a page saved as one long line, its paragraphs joined by spaces, is cut
  again at its inline headings and paragraph joins, so that headings, page chrome and sections
  are seen as in the page. Each cut line remembers the line of the file it came from.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from checker.document.numbers import CN_DIGITS
from checker.document.offsets import compact


# Markdown drafts: "## 一、…" and "**…**" are headings and emphasis, not report text.
MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")
MARKDOWN_EMPHASIS = re.compile(r"\*\*|__")

CIRCLED = re.compile("([\u2460-\u2473\u2776-\u277f])")

# A line this long with paragraph joins in it is a page whose line breaks were lost.
JOINED_LINE_LENGTH = 200
MIN_JOINS = 3
_CJK = "\u3400-\u9fff"
# Where a lost line break stood: a space after a sentence end or between two Chinese characters
# (Chinese text has no spaces; "抽查主体 12 个" keeps its spaces, digits are not cut from words),
# or after the time of a page's date field (发布日期:2021-02-26 11:10 正文…).
# (The space is searched first and what stands before it checked after: a lookbehind at every
# character of every long line costs more than the rest of the cutting.)
JOIN_SPACES = " \t\u3000"
PARAGRAPH_JOIN = re.compile(rf"[{JOIN_SPACES}]+(?=[{_CJK}“「(（【]|\d{{4}}\s*年)")
BEFORE_JOIN = re.compile(rf"(?:[。!?;:”」』)）{_CJK}]|\d:\d\d)$")
# A numbered heading standing inside a line after a sentence end: "…成效明显。二、存在的问题".
# A page field inside a joined line: " 发布机构: …", "| 发布日期: …", "…情况报告发布时间: …".
INLINE_FIELD = re.compile(rf"(?<=\s)(?=[{_CJK}]{{2,6}}\s*:)|(?<=[{_CJK}])(?=(?:发布时间|发布日期|信息来源|来源|发布机构|浏览次数)\s*:)")
INLINE_HEADING = re.compile(
    rf"[。!?;](?=\s*(?:[{CN_DIGITS}]{{1,3}}、|\([{CN_DIGITS}]{{1,3}}\)|第[{CN_DIGITS}]{{1,3}}部分|【[^】]{{2,30}}】))"
)


@dataclass(frozen=True)
class Lines:
    lines: list[str]
    """Normalised, simplified lines: what every rule reads."""
    originals: list[str] | None
    """The same lines as written, where conversion changed the script (else None)."""
    numbers: Sequence[int]
    """For each line, the 1-based line of the file it came from."""
    styles: list[str]
    """For each line, what the container showed of it ("", "h2", "b", "c" …)."""


def prepare_lines(text: str, styles: tuple[str, ...] | None = None) -> Lines:
    count = text.count("\n") + 1
    line_styles = list(styles) if styles and len(styles) == count else [""] * count
    markdown = "#" in text or "**" in text or "__" in text
    lines: list[str] = []
    originals: list[str] = []
    numbers: list[int] = []
    kept_styles: list[str] = []
    converted_any = False
    # A long text goes through in pieces cut at line ends, so that no whole-text copy (normalised,
    # simplified) and no list of all its lines is held besides the lines kept: normalisation and
    # conversion never reach across a line break, so pieces give the same lines as the whole.
    start, first = 0, 1
    while start <= len(text):
        cut = text.find("\n", start + PREPARE_CHUNK) if len(text) - start > PREPARE_CHUNK else -1
        end = len(text) if cut == -1 else cut
        chunk = text[start:end]
        before = len(lines)
        changed = _prepare_chunk(chunk, first, line_styles, markdown, lines, originals, numbers, kept_styles)
        if changed and not converted_any:
            originals[0:0] = lines[:before]  # the pieces before were left alone: their lines as written
        elif converted_any and not changed:
            originals.extend(lines[before:])
        converted_any |= changed
        if cut == -1:
            break
        first += chunk.count("\n") + 1
        del chunk
        start = end + 1
    return Lines(lines, originals if converted_any else None, compact(numbers), kept_styles)


PREPARE_CHUNK = 1 << 20
"""Characters of a long text prepared at a time."""


def _prepare_chunk(text: str, first: int, line_styles: list[str], markdown: bool, lines: list[str],
                   originals: list[str], numbers: list[int], kept_styles: list[str]) -> bool:
    """Append the lines of `text`, whose first line is line `first` of the file; True when
    conversion changed the script (then `originals` is filled, else left alone)."""
    # The whole text is normalised and converted at once (one call each, not one per line).
    normalised = normalise(text)
    simplified = to_simplified(normalised)
    converted = simplified.split("\n")
    plain = normalised.split("\n") if simplified != normalised else converted
    del normalised, simplified  # a long report's copies are not kept while its lines are cut
    if len(converted) != len(plain):
        converted = [to_simplified(line) for line in plain]
    changed = plain is not converted
    raw = text.split("\n") if markdown else None  # the file's own lines matter only for markdown
    for number, (style, written, read) in enumerate(zip(line_styles[first - 1:first - 1 + len(plain)], plain, converted), start=first):
        if raw is not None:
            line = raw[number - first]
            if not style and MARKDOWN_HEADING.match(line):
                style = "h" + str(min(len(line) - len(line.lstrip("#")), 6))
            written, read = _without_markdown(written), _without_markdown(read)
        else:
            written, read = written.strip(), read.strip()
        for start, end in _cuts(read):
            kept = read[start:end].strip()
            lines.append(kept)
            if changed:
                # Conversion keeps lengths (one character for one); where a phrase changed length,
                # the converted text is quoted instead. A line conversion left alone is kept once.
                piece = (written[start:end] if len(written) == len(read) else read[start:end]).strip()
                originals.append(kept if piece == kept else piece)
            numbers.append(number)
            kept_styles.append(style if start == 0 else "")
    return changed


def _without_markdown(line: str) -> str:
    return MARKDOWN_EMPHASIS.sub("", MARKDOWN_HEADING.sub("", line)).strip()


def normalise(text: str) -> str:
    """NFKC, except that circled numbers (①, ❶) stay: NFKC would make ① a bare "1", and a
    reader sees a numbered point."""
    text = _common_wide_replaced(text)
    if unicodedata.is_normalized("NFKC", text):  # then it holds no circled number either
        return text
    if CIRCLED.search(text):
        return "".join(part if CIRCLED.fullmatch(part) else unicodedata.normalize("NFKC", part)
                       for part in CIRCLED.split(text))
    return unicodedata.normalize("NFKC", text)


# What makes most reports' text not NFKC already: a no-break space and full-width punctuation.
# Replacing these first (str.replace is a memory scan) leaves most texts normalised, which
# is_normalized sees in one quick pass, so the full NFKC (40× slower) runs only where needed.
COMMON_WIDE = [(wide, unicodedata.normalize("NFKC", wide)) for wide in "\xa0，；（）：\u3000！？％"]


def _common_wide_replaced(text: str) -> str:
    for wide, narrow in COMMON_WIDE:
        if wide in text:
            text = text.replace(wide, narrow)
    return text


def _spaced(line: str) -> bool:
    """Whether a line has the spaces a paragraph join needs: most paragraphs of Chinese text have
    none, and `in` finds that faster than PARAGRAPH_JOIN, which tries every character."""
    return any(space in line for space in JOIN_SPACES)


def _cuts(line: str) -> list[tuple[int, int]]:
    """Where a long line of joined paragraphs is cut into the lines a reader sees."""
    if len(line) < JOINED_LINE_LENGTH:
        return [(0, len(line))]
    joins = [match.start() for match in PARAGRAPH_JOIN.finditer(line)
             if BEFORE_JOIN.search(line, max(0, match.start() - 5), match.start())] if _spaced(line) else []
    points = {match.end() for match in INLINE_HEADING.finditer(line)}
    if len(joins) >= MIN_JOINS:
        points.update(joins)
        points.update(match.start() for match in INLINE_FIELD.finditer(line))
    points.discard(0)
    if not points:  # most long lines: a paragraph, cut nowhere
        return [(0, len(line))]
    bounds = [0, *sorted(points), len(line)]
    return [(start, end) for start, end in zip(bounds, bounds[1:]) if line[start:end].strip()] or [(0, len(line))]


@cache
def _converter():
    try:
        import opencc
    except ImportError:  # the dependency is declared; a broken install should still read simplified text
        return None
    return opencc.OpenCC("t2s")


CONVERSION_CHUNK = 1 << 20
"""Characters converted per call: OpenCC holds two UTF-8 copies of what it converts, and no
phrase it converts spans a line break, so a long text goes through in pieces cut at lines."""


def to_simplified(text: str) -> str:
    converter = _converter()
    if not converter or not text:
        return text
    if len(text) <= CONVERSION_CHUNK:
        return converter.convert(text)
    pieces, start = [], 0
    while start < len(text):
        cut = text.find("\n", start + CONVERSION_CHUNK)
        end = len(text) if cut == -1 else cut + 1
        pieces.append(converter.convert(text[start:end]))
        start = end
    return "".join(pieces)
