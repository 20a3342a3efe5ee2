"""PDF: the text layer, with the layout's line wrapping undone and each line's page kept.

pdfplumber (on pdfminer.six) rather than pypdf: it maps CJK fonts through their ToUnicode
tables reliably and gives every line its position on the page. The position is what tells a
line that the layout wrapped (it runs to the right margin) from a short heading or a signature
line that merely lacks a full stop; plain extracted text cannot tell them apart.

The characters' font sizes and names are kept as each line's style: a line set clearly larger
than the body text is a heading, ranked by size ("h1" the largest), one in a bold face
throughout is "b". The OFD reader lays its pages out by the same rules (`join_wrapped`,
`with_styles`, `without_furniture`), so a report reads the same from either.
"""
from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from checker.readers import ReadError, ReadLimits, Source, over_limit

_SCANNED = "PDF 没有文字层（扫描件？），无法检查 / scanned PDF without a text layer"
_ENCRYPTED = "PDF 已加密，无法读取 / encrypted PDF"
_UNMAPPED = "PDF 的文字无法解码（字体缺少 ToUnicode 映射），无法检查 / PDF text cannot be decoded"

# Closing quotes and brackets may follow the full stop: "……为准。”" still ends a sentence.
_CLOSERS = "”’」』》〉）)]】\"'"
_SENTENCE_END = tuple("。；！？：;!?:")
# The start of a new heading or numbered item: 一、 （一） (一) 1. 1、 （1） 一是 ① 第三条 ...
# "1." must not be a decimal ("1.5亿元" can start a wrapped line) and 第X needs a unit word
# ("第三方评估" is not an item).
_ITEM_START = re.compile(
    r"(?:[一二三四五六七八九十]+、"
    r"|[（(][一二三四五六七八九十]+[）)]"
    r"|\d+[.．、](?!\d)"
    r"|[（(]\d+[）)]"
    r"|[一二三四五六七八九十]+是"
    r"|[①-⑳]"
    r"|第[一二三四五六七八九十百零〇\d]+[章节条部分篇款项])"
)
_PAGE_NUMBER = re.compile(
    r"[-—–－~\s]*\d{1,4}[-—–－~\s]*"
    r"|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?"
    r"|\d+\s*/\s*\d+"
    r"|[Pp]age\s*\d+(?:\s*of\s*\d+)?"
)
_CID = re.compile(r"\(cid:\d+\)")
_LATIN_END = re.compile(r"[A-Za-z,;]$")
_LATIN_START = re.compile(r"^[A-Za-z0-9]")
# A vertical step this many times the usual line pitch is an empty line in the layout.
_GAP_FACTOR = 1.8
# A line ending within this many character widths of the text's right edge was wrapped.
_FULL_SLACK = 1.5
# Most lines of a report's prose run to the right margin; this share of line ends lies at or
# left of it.
_EDGE_PERCENTILE = 0.9
# A line whose usual character size is at least this many times the body's is a heading:
# Chinese report headings step up by a type size (四号 14pt over 小四 12pt is 1.17).
_HEADING_RATIO = 1.1
# Sizes are compared in steps of this many points, so that rounding in the PDF does not rank
# two lines of one type size apart.
_SIZE_STEP = 0.5
_DEEPEST_HEADING = 6
# Font names of a bold face ("ABCDEF+SimHei", "SourceHanSansCN-Heavy", "TimesNewRoman,Bold").
BOLD_FONT = re.compile(r"bold|heavy|black|黑体|simhei|heiti", re.IGNORECASE)


@dataclass
class Line:
    """A layout line and the facts the joining rule needs about it."""

    text: str
    page: int
    full: bool = False
    """It runs to the right edge of the text, i.e. the layout wrapped it."""
    gap_before: bool = False
    """An empty line's worth of space separates it from the line before."""
    size: float | None = None
    """The font size most of its characters have, when one size covers most of them."""
    bold: bool = False
    """Every character is in a bold face."""
    style: str = ""
    """What the fonts show of it: "" body, "h1".."h6" a heading by size, "b" bold throughout."""


def read(path: Path, limits: ReadLimits = ReadLimits()) -> Source:
    raw = _extract(path, limits)
    lines = join_wrapped(raw)
    text = "\n".join(line.text for line in lines)
    if sum(len(cid) for cid in _CID.findall(text)) > len(text) / 2:
        raise ReadError(str(path), _UNMAPPED)
    return Source(
        path=str(path),
        text=text,
        format="pdf",
        line_pages=tuple(line.page for line in lines),
        line_styles=tuple(line.style for line in lines),
    )


def _extract(path: Path, limits: ReadLimits) -> list[Line]:
    import pdfplumber  # 0.1 s: only when a PDF is read

    check_time = limits.deadline(str(path))
    try:
        with pdfplumber.open(path) as pdf:
            if len(pdf.pages) > limits.max_pages:  # the page tree only: no page is parsed yet
                raise over_limit(str(path), "PDF ", limits.max_pages, "页", "pages")
            pages = []
            for page in pdf.pages:
                check_time()
                pages.append((page.extract_text_lines(layout=False, strip=True, return_chars=True), page.chars))
    except (OSError, ReadError):
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on damaged files
        raise ReadError(str(path), _describe_failure(exc)) from exc
    visible = [char for _, chars in pages for char in chars if char["text"].strip()]
    if not visible:
        raise ReadError(str(path), _SCANNED)
    widths = [char["x1"] - char["x0"] for char in visible]
    lines = _measure(without_furniture([lines for lines, _ in pages]), statistics.median(widths))
    body_size = statistics.median(_size(char) for char in visible)
    return with_styles(lines, body_size)


def _describe_failure(exc: Exception) -> str:
    chain = f"{type(exc).__name__} {exc!r} {exc.__cause__!r}"
    if re.search("password|encrypt", chain, re.IGNORECASE):
        return _ENCRYPTED
    return f"PDF 文件已损坏，无法解析（{type(exc).__name__}） / damaged PDF"


def without_furniture(pages: list[list[dict]]) -> list[list[dict]]:
    """Drop what the printer put on every page: page numbers and a running header or footer.

    Both sit first or last on a page, and left in they would be glued into the sentence that
    runs across the page break.
    """
    pages = [[line for line in lines if line["text"].strip()] for lines in pages]
    running = _running_texts(pages)

    def furniture(text: str) -> bool:
        return bool(_PAGE_NUMBER.fullmatch(text)) or text in running

    return [
        [line for index, line in enumerate(lines) if not (index in (0, len(lines) - 1) and furniture(line["text"].strip()))]
        for lines in pages
    ]


def _running_texts(pages: list[list[dict]]) -> set[str]:
    """Texts that open or close most pages (at least two): a running header or footer."""
    edges = Counter(text for lines in pages if lines for text in {lines[0]["text"].strip(), lines[-1]["text"].strip()})
    return {text for text, count in edges.items() if count >= 2 and count > len(pages) / 2}


def _measure(pages: list[list[dict]], char_width: float) -> list[Line]:
    """Turn pdfplumber's lines into `Line`s, deciding which run full width and which follow a gap.

    Right edge and line pitch are measured over the whole document, not per page: a last page
    with one short paragraph has no full line of its own to measure against. The right edge is
    a high percentile rather than the maximum, so that one wide table row or stray mark does not
    make every ordinary line look short.
    """
    ends = sorted(line["x1"] for lines in pages for line in lines)
    if not ends:
        return []
    right_edge = ends[int(_EDGE_PERCENTILE * (len(ends) - 1))]
    pitch = _usual_pitch(pages)
    out: list[Line] = []
    for number, lines in enumerate(pages, 1):
        for previous, line in zip([None, *lines], lines):
            out.append(
                Line(
                    text=line["text"].strip(),
                    page=number,
                    full=line["x1"] >= right_edge - _FULL_SLACK * char_width,
                    gap_before=previous is not None and line["top"] - previous["top"] > _GAP_FACTOR * pitch,
                    **_fonts(line.get("chars", [])),
                )
            )
    return out


def _size(char: dict) -> float:
    return round(float(char.get("size") or 0) / _SIZE_STEP) * _SIZE_STEP


def _fonts(chars: list[dict]) -> dict[str, float | bool | None]:
    """`Line.size` and `Line.bold` from the line's characters."""
    visible = [char for char in chars if char["text"].strip()]
    if not visible:
        return {}
    size, count = Counter(_size(char) for char in visible).most_common(1)[0]
    return {
        "size": size if 2 * count > len(visible) else None,
        "bold": all(BOLD_FONT.search(str(char.get("fontname") or "")) for char in visible),
    }


def with_styles(lines: list[Line], body_size: float) -> list[Line]:
    """Give each line its style: sizes clearly above the body's are headings, largest first."""
    heading_sizes = sorted({line.size for line in lines if line.size and line.size >= _HEADING_RATIO * body_size}, reverse=True)
    for line in lines:
        if line.size in heading_sizes:
            line.style = f"h{min(heading_sizes.index(line.size) + 1, _DEEPEST_HEADING)}"
        else:
            line.style = "b" if line.bold else ""
    return lines


def _usual_pitch(pages: list[list[dict]]) -> float:
    steps = [b["top"] - a["top"] for lines in pages for a, b in zip(lines, lines[1:]) if b["top"] > a["top"]]
    return statistics.median(steps) if steps else float("inf")


def join_wrapped(lines: list[Line]) -> list[Line]:
    """Glue each wrapped line to its continuation; a remaining gap becomes one empty line.

    A line is glued to the next when it does not end a sentence, runs to the right margin,
    the next line does not open a heading or numbered item, and no empty line lies between.
    The margin test is what keeps a short heading ("一、总体情况"), the title block and the
    signature lines apart although none of them ends with punctuation; a numbered item that
    is long enough to wrap is glued like any paragraph. Lines glued across a page break keep
    the page where they start.
    """
    out: list[Line] = []
    for line in lines:
        if out and _continues(out[-1], line):
            out[-1] = Line(_glue(out[-1].text, line.text), out[-1].page, line.full, style=out[-1].style)
            continue
        if line.gap_before and out:
            out.append(Line("", line.page))
        out.append(Line(line.text, line.page, line.full, style=line.style))
    return out


def _continues(previous: Line, line: Line) -> bool:
    return (
        previous.full
        and not line.gap_before
        and not previous.text.rstrip(_CLOSERS).endswith(_SENTENCE_END)
        and not _ITEM_START.match(line.text)
        and _heading(previous) == _heading(line)  # a heading set in its own size ends where it changes
    )


def _heading(line: Line) -> str:
    return line.style if line.style.startswith("h") else ""


def _glue(head: str, tail: str) -> str:
    """Chinese wraps between characters, Latin text between words that need their space back."""
    space = " " if _LATIN_END.search(head) and _LATIN_START.match(tail) else ""
    return head + space + tail
