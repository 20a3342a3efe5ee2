"""Word .docx: the text in reading order, tables where they stand, numbers as Word shows them.

Reports often carry a table of figures (cases, reviews, trainings) between two paragraphs;
reading all paragraphs first and all tables after would tear the sentence before a table from
the numbers it introduces, so the body is walked element by element.

What the layout says of a paragraph is kept as its line style: a heading style or outline level
("h1".."h6"), bold throughout ("b"), centred ("c"). Headings numbered by Word's automatic
numbering ("一、", "（二）" that the author never typed) get the number written into the text,
as Word displays it, so the typed and the automatic kind read alike.
"""
from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.styles.style import BaseStyle
from docx.table import Table, _Cell, _Row
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from checker.readers import ReadError, ReadLimits, Source, over_limit
from checker.readers.text import tidy_styled_lines

CELL_SEPARATOR = " | "
# A soft line break between two Chinese characters is layout, not a word boundary.
_SOFT_BREAK_CJK = re.compile(r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])\n(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])")
_HEADING_STYLE = re.compile(r"(?:heading|标题)\s*([1-9])", re.IGNORECASE)
_TITLE_STYLES = ("title", "标题")
_DEEPEST_HEADING = 6
"""Word has nine outline levels, `Source.line_styles` six: levels 7 to 9 are kept as "h6"."""


def read(path: Path, limits: ReadLimits = ReadLimits()) -> Source:
    name = str(path)
    check_time = limits.deadline(name)
    with path.open("rb") as handle:  # an OSError from here on is damage, not the file system
        try:
            _check_unpacked_size(handle, name, limits)
            document = docx.Document(handle)
            body = document.element.body
            if sum(1 for _ in body.iter(qn("w:p"))) > limits.max_paragraphs:
                raise over_limit(name, "Word 文件", limits.max_paragraphs, "段", "paragraphs")
            numbering = Numbering(_numbering_element(document))
            lines = tidy_styled_lines(_body_lines(body, document, numbering, check_time))
            title = (document.core_properties.title or "").strip() or None
        except ReadError:
            raise
        except Exception as exc:  # a damaged package fails deep inside zipfile, lxml or python-docx
            raise ReadError(name, f"Word 文件已损坏或不是 .docx（{type(exc).__name__}） / damaged .docx") from exc
    return Source(
        path=name,
        text="\n".join(line for line, _ in lines),
        format="docx",
        title=title,
        line_styles=tuple(style for _, style in lines),
    )


def _check_unpacked_size(handle, name: str, limits: ReadLimits) -> None:
    """Refuse a zip bomb from the sizes the zip directory states, before anything is unpacked
    (zipfile never unpacks a member past its stated size)."""
    with zipfile.ZipFile(handle) as package:
        unpacked = sum(info.file_size for info in package.infolist())
    stored = handle.seek(0, 2)
    handle.seek(0)
    if unpacked > stored + limits.max_unzipped:
        raise over_limit(name, "解压后内容", round((stored + limits.max_unzipped) / 1e6, 1), "MB ", "MB unpacked")


def _numbering_element(document: Document) -> BaseOxmlElement | None:
    """The <w:numbering> root, or None: `part.numbering_part` would try to create a missing one."""
    try:
        return document.part.part_related_by(RELATIONSHIP_TYPE.NUMBERING).element
    except KeyError:
        return None


def _body_lines(container: BaseOxmlElement, parent: Document, numbering: Numbering,
                check_time: Callable[[], None]) -> Iterator[tuple[str, str]]:
    """Yield (line, style) for paragraphs, tables and content controls (w:sdt) in document order."""
    for element in container.iterchildren():
        check_time()
        if element.tag == qn("w:p"):
            paragraph = Paragraph(element, parent)
            yield _paragraph_line(paragraph, numbering), paragraph_style(paragraph)
        elif element.tag == qn("w:tbl"):
            yield from _table_lines(Table(element, parent), numbering)
        elif element.tag == qn("w:sdt"):
            content = element.find(qn("w:sdtContent"))
            if content is not None:
                yield from _body_lines(content, parent, numbering, check_time)


def _paragraph_line(paragraph: Paragraph, numbering: Numbering) -> str:
    """One paragraph is one line: a manual line break (Shift+Enter) inside it shapes the layout
    of a title or a long sentence, it does not start a new item. An automatic number comes first."""
    text = _SOFT_BREAK_CJK.sub("", paragraph.text)
    line = " ".join(part.strip() for part in text.split("\n") if part.strip())
    list_level = _list_level(paragraph)
    return (numbering.label(*list_level) if list_level else "") + line


def _table_lines(table: Table, numbering: Numbering) -> Iterator[tuple[str, str]]:
    for row in table.rows:
        cells = _distinct_cells(row)
        if len(cells) == 1:
            # A one-cell row is a frame around ordinary paragraphs (some templates put the
            # whole report in a bordered box): keep its paragraphs as lines.
            yield from ((_paragraph_line(p, numbering), paragraph_style(p)) for p in cells[0].paragraphs)
        else:
            texts = (" ".join(_paragraph_line(p, numbering) for p in cell.paragraphs).strip() for cell in cells)
            yield CELL_SEPARATOR.join(text for text in texts if text), ""


def _distinct_cells(row: _Row) -> list[_Cell]:
    """Cells of a row, a horizontally merged cell once (python-docx repeats it per grid column)."""
    cells: list[_Cell] = []
    for cell in row.cells:
        if not cells or cell._tc is not cells[-1]._tc:
            cells.append(cell)
    return cells


# --- what the layout shows -----------------------------------------------------------------


def paragraph_style(paragraph: Paragraph) -> str:
    """The paragraph's line style: "hN" for a heading, else "b" / "c" / "bc" / ""."""
    level = _heading_level(paragraph)
    if level:
        return f"h{min(level, _DEEPEST_HEADING)}"
    return ("b" if _bold_throughout(paragraph) else "") + ("c" if _centred(paragraph) else "")


def _style_chain(style: BaseStyle | None) -> Iterator[BaseStyle]:
    """The style and the styles it is based on, nearest first (a loop in a damaged file ends it)."""
    seen: set[int] = set()
    while style is not None and id(style.element) not in seen:
        seen.add(id(style.element))
        yield style
        style = style.base_style


def _heading_level(paragraph: Paragraph) -> int | None:
    """1-based outline level: the paragraph's own w:outlineLvl, else the nearest style in its
    chain that is a heading by name ("Heading 2", "标题 2", "Title") or by w:outlineLvl."""
    own = _outline_level(paragraph._p.pPr)
    if own is not None:
        return own or None
    for style in _style_chain(paragraph.style):
        name = (style.name or "").strip()
        if match := _HEADING_STYLE.fullmatch(name):
            return int(match.group(1))
        if name.lower() in _TITLE_STYLES:
            return 1
        level = _outline_level(style.element.pPr)
        if level is not None:
            return level or None
    return None


def _outline_level(pPr: BaseOxmlElement | None) -> int | None:
    """1-9 for w:outlineLvl 0-8, 0 for level 9 (stated body text), None when not stated."""
    element = pPr.find(qn("w:outlineLvl")) if pPr is not None else None
    if element is None:
        return None
    value = int(element.get(qn("w:val"), "9"))
    return value + 1 if 0 <= value < 9 else 0


def _runs(paragraph: Paragraph) -> Iterator[Run]:
    for item in paragraph.iter_inner_content():
        yield from item.runs if isinstance(item, Hyperlink) else (item,)


def _bold_throughout(paragraph: Paragraph) -> bool:
    runs = [run for run in _runs(paragraph) if run.text.strip()]
    return bool(runs) and all(_run_bold(run, paragraph) for run in runs)


def _run_bold(run: Run, paragraph: Paragraph) -> bool:
    """Direct formatting, then the run's character style, then the paragraph style decide."""
    if run.bold is not None:
        return run.bold
    for style in (*_style_chain(run.style), *_style_chain(paragraph.style)):
        if style.font.bold is not None:
            return style.font.bold
    return False


def _centred(paragraph: Paragraph) -> bool:
    for alignment in (paragraph.paragraph_format.alignment,
                      *(style.paragraph_format.alignment for style in _style_chain(paragraph.style))):
        if alignment is not None:
            return alignment == WD_ALIGN_PARAGRAPH.CENTER
    return False


# --- automatic numbering -------------------------------------------------------------------


def _list_level(paragraph: Paragraph) -> tuple[int, int] | None:
    """(numId, ilvl) of the list the paragraph is in, from its own w:numPr or its style chain;
    None outside a list (numId 0 takes a paragraph out of its style's list)."""
    num_id: int | None = None
    ilvl: int | None = None
    properties = [paragraph._p.pPr, *(style.element.pPr for style in _style_chain(paragraph.style))]
    for pPr in properties:
        num_pr = pPr.find(qn("w:numPr")) if pPr is not None else None
        if num_pr is None:
            continue
        if num_id is None and (element := num_pr.find(qn("w:numId"))) is not None:
            num_id = int(element.get(qn("w:val")))
        if ilvl is None and (element := num_pr.find(qn("w:ilvl"))) is not None:
            ilvl = int(element.get(qn("w:val")))
    return (num_id, ilvl or 0) if num_id else None


@dataclass(frozen=True)
class _Level:
    format: str
    """w:numFmt: decimal, chineseCounting, decimalEnclosedCircle, bullet ..."""
    text: str
    """w:lvlText: "%1、" at level 0, "（%2）" at level 1, "%1.%2": %N stands for level N's number (1-based)."""
    start: int


class Numbering:
    """Word's automatic numbering as Word displays it.

    Each list (w:num, pointing to an abstract definition in numbering.xml) counts per level:
    a paragraph at a level takes the next number there (w:start first, or the list's
    w:startOverride) and restarts every deeper level. Numbering styles linked through
    w:numStyleLink are not followed; such a list shows no number.
    """

    def __init__(self, root: BaseOxmlElement | None) -> None:
        self._lists: dict[int, dict[int, _Level]] = {}
        self._counters: dict[int, dict[int, int]] = {}
        if root is None:
            return
        abstract = {element.get(qn("w:abstractNumId")): _levels(element) for element in root.iterchildren(qn("w:abstractNum"))}
        for num in root.iterchildren(qn("w:num")):
            reference = num.find(qn("w:abstractNumId"))
            levels = dict(abstract.get(reference.get(qn("w:val")) if reference is not None else None, {}))
            for override in num.iterchildren(qn("w:lvlOverride")):
                ilvl = int(override.get(qn("w:ilvl"), "0"))
                if (lvl := override.find(qn("w:lvl"))) is not None:
                    levels[ilvl] = _level(lvl)
                if (start := override.find(qn("w:startOverride"))) is not None and ilvl in levels:
                    levels[ilvl] = replace(levels[ilvl], start=int(start.get(qn("w:val"), "1")))
            self._lists[int(num.get(qn("w:numId")))] = levels

    def label(self, num_id: int, ilvl: int) -> str:
        """Count one paragraph at `ilvl` of list `num_id` and return the number it shows."""
        levels = self._lists.get(num_id, {})
        if ilvl not in levels:
            return ""
        counters = self._counters.setdefault(num_id, {})
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else levels[ilvl].start
        for deeper in [level for level in counters if level > ilvl]:
            del counters[deeper]
        if levels[ilvl].format == "bullet":
            return ""  # a bullet glyph (often a Symbol-font private-use character) is no number

        def number(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            if level not in levels:
                return ""
            return format_number(counters.get(level, levels[level].start), levels[level].format)

        return re.sub(r"%([1-9])", number, levels[ilvl].text)


def _levels(abstract_num: BaseOxmlElement) -> dict[int, _Level]:
    return {int(lvl.get(qn("w:ilvl"), "0")): _level(lvl) for lvl in abstract_num.iterchildren(qn("w:lvl"))}


def _level(lvl: BaseOxmlElement) -> _Level:
    def value(tag: str, default: str) -> str:
        element = lvl.find(qn(tag))
        return element.get(qn("w:val"), default) if element is not None else default

    return _Level(format=value("w:numFmt", "decimal"), text=value("w:lvlText", ""), start=int(value("w:start", "1")))


_CHINESE_DIGITS = "〇一二三四五六七八九"
_CHINESE_UNITS = ((1000, "千"), (100, "百"), (10, "十"), (1, ""))
_LEGAL_DIGITS = str.maketrans("〇一二三四五六七八九十百千", "零壹贰叁肆伍陆柒捌玖拾佰仟")
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
          (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def chinese_counting(value: int) -> str:
    """一 二 … 十 十一 … 二十 … 一百〇五: how Word's chineseCounting formats shows 1-9999."""
    if not 0 < value < 10000:
        return str(value)
    parts: list[str] = []
    zero = False
    for unit_value, unit in _CHINESE_UNITS:
        digit = value // unit_value % 10
        if digit:
            parts.append(("〇" if zero else "") + _CHINESE_DIGITS[digit] + unit)
            zero = False
        elif parts:
            zero = True
    text = "".join(parts)
    return text[1:] if 10 <= value < 20 else text  # 十一, not 一十一


def _letters(value: int) -> str:
    """a … z, aa … zz, aaa …: Word repeats the letter rather than counting in base 26."""
    return chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1) if value > 0 else str(value)


def _roman(value: int) -> str:
    out = ""
    for unit_value, letters in _ROMAN:
        count, value = divmod(value, unit_value)
        out += letters * count
    return out


def _circled(value: int) -> str:
    return chr(0x2460 + value - 1) if 1 <= value <= 20 else str(value)


_FORMATS = {
    "decimal": str,
    "decimalZero": lambda value: f"{value:02d}",
    "decimalFullWidth": lambda value: str(value).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    "decimalEnclosedCircle": _circled,
    "decimalEnclosedCircleChinese": _circled,
    "decimalEnclosedParen": lambda value: chr(0x2474 + value - 1) if 1 <= value <= 20 else f"({value})",
    "decimalEnclosedFullstop": lambda value: chr(0x2488 + value - 1) if 1 <= value <= 20 else f"{value}.",
    "chineseCounting": chinese_counting,
    "chineseCountingThousand": chinese_counting,
    "japaneseCounting": chinese_counting,
    "chineseLegalSimplified": lambda value: chinese_counting(value).translate(_LEGAL_DIGITS),
    "ideographTraditional": lambda value: _HEAVENLY_STEMS[(value - 1) % 10],
    "lowerLetter": _letters,
    "upperLetter": lambda value: _letters(value).upper(),
    "lowerRoman": _roman,
    "upperRoman": lambda value: _roman(value).upper(),
    "none": lambda value: "",
}


def format_number(value: int, number_format: str) -> str:
    """One counter in a w:numFmt; a format not listed here shows as a decimal."""
    return _FORMATS.get(number_format, str)(value)
