"""Word .docx: the text in reading order, tables where they stand.

Reports often carry a table of figures (cases, reviews, trainings) between two paragraphs;
reading all paragraphs first and all tables after would tear the sentence before a table from
the numbers it introduces, so the body is walked element by element.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import docx
from docx.document import Document
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from checker.readers import ReadError, Source
from checker.readers.text import tidy_lines

CELL_SEPARATOR = " | "
# A soft line break between two Chinese characters is layout, not a word boundary.
_SOFT_BREAK_CJK = re.compile(r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])\n(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])")


def read(path: Path) -> Source:
    try:
        document = docx.Document(str(path))
        lines = list(_body_lines(document.element.body, document))
        title = (document.core_properties.title or "").strip() or None
    except OSError:
        raise
    except Exception as exc:  # a damaged package fails deep inside zipfile, lxml or python-docx
        raise ReadError(str(path), f"Word 文件已损坏或不是 .docx（{type(exc).__name__}）") from exc
    return Source(path=str(path), text="\n".join(tidy_lines(lines)), format="docx", title=title)


def _body_lines(container: BaseOxmlElement, parent: Document) -> Iterator[str]:
    """Yield lines for paragraphs, tables and content controls (w:sdt) in document order."""
    for element in container.iterchildren():
        if element.tag == qn("w:p"):
            yield _paragraph_line(Paragraph(element, parent))
        elif element.tag == qn("w:tbl"):
            yield from _table_lines(Table(element, parent))
        elif element.tag == qn("w:sdt"):
            content = element.find(qn("w:sdtContent"))
            if content is not None:
                yield from _body_lines(content, parent)


def _paragraph_line(paragraph: Paragraph) -> str:
    """One paragraph is one line: a manual line break (Shift+Enter) inside it shapes the layout
    of a title or a long sentence, it does not start a new item."""
    text = _SOFT_BREAK_CJK.sub("", paragraph.text)
    return " ".join(part.strip() for part in text.split("\n") if part.strip())


def _table_lines(table: Table) -> Iterator[str]:
    for row in table.rows:
        cells = _distinct_cells(row)
        if len(cells) == 1:
            # A one-cell row is a frame around ordinary paragraphs (some templates put the
            # whole report in a bordered box): keep its paragraphs as lines.
            yield from (_paragraph_line(p) for p in cells[0].paragraphs)
        else:
            texts = (" ".join(_paragraph_line(p) for p in cell.paragraphs).strip() for cell in cells)
            yield CELL_SEPARATOR.join(text for text in texts if text)


def _distinct_cells(row: _Row) -> list[_Cell]:
    """Cells of a row, a horizontally merged cell once (python-docx repeats it per grid column)."""
    cells: list[_Cell] = []
    for cell in row.cells:
        if not cells or cell._tc is not cells[-1]._tc:
            cells.append(cell)
    return cells
