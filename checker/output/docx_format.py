"""One audited report as a Word document (`fzcheck audit FILE --format docx -o 审查意见.docx`): the
review an officer sends back to the department that wrote the report.

A4 portrait, East Asian fonts set where Word looks for them (w:eastAsia: 宋体 for the body and the
table, 黑体 for the title and headings; Times New Roman for Latin text), a table of the items whose
header row repeats on every page, each verdict shaded and spelled out (readable in black and
white), and the items to fix first. The content is what the table and the HTML page show
(checker/output/report_html.py holds what they share). python-docx is imported only here, and
this module only when the format is chosen.
"""
from __future__ import annotations

import io
from typing import TYPE_CHECKING

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from checker.models import AuditResult, RuleResult, Status
from checker.output.report_html import (counts_text, fix_label, fixes, hint_of, metadata, nothing_to_fix,
                                        review_title, score_text)
from checker.output.labels import quote, verdict_label, verdict_mark, waiver_text

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.table import _Cell

    from checker.baseline import Comparison

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
BODY_SIZE = Pt(10.5)   # 五号
TABLE_SIZE = Pt(9)     # 小五
TITLE_SIZE = Pt(18)    # 小二
HEADING_SIZE = Pt(14)  # 四号
A4 = (Cm(21), Cm(29.7))
MARGINS = (Cm(2.2), Cm(2.0))  # top/bottom, left/right: 17 cm of text width
COLUMNS = (("检查项", 2.7), ("结果", 1.9), ("得分", 1.1), ("证据", 5.1), ("建议", 3.5), ("依据", 2.7))
"""The items table's columns and their widths in cm (17 in all)."""
SHADES = {Status.PASS: "E2F0D9", Status.PARTIAL: "FFF2CC", Status.FAIL: "F8D7DA", Status.NOT_APPLICABLE: "EDEDED"}
INKS = {Status.PASS: RGBColor(0x2E, 0x7D, 0x32), Status.PARTIAL: RGBColor(0x9C, 0x65, 0x00),
        Status.FAIL: RGBColor(0xC6, 0x28, 0x28), Status.NOT_APPLICABLE: RGBColor(0x59, 0x59, 0x59)}
WAIVED_SHADE, WAIVED_INK = "DDE3F5", RGBColor(0x3F, 0x51, 0xB5)
"""A waived item's shading and ink, whatever its status: the excuse is what the reader must see."""
HEADER_SHADE = "D9E2F3"
MUTED = RGBColor(0x59, 0x59, 0x59)


def audit_docx(result: AuditResult, comparison: Comparison | None = None) -> bytes:
    document = Document()
    _page(document)
    _styles(document)
    title = review_title(result)
    document.core_properties.title = title
    document.core_properties.author = "fzcheck"
    document.core_properties.comments = f"规则集 {result.ruleset.id} {result.ruleset.version}"

    heading = document.add_paragraph(title, style="Title")
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER

    document.add_heading("一、报告基本信息", level=1)
    _metadata(document, result)
    warning = result.not_a_report
    if warning:
        run = document.add_paragraph().add_run(f"⚠ 可能不是法治政府建设年度报告：{warning}")
        run.bold = True
        run.font.color.rgb = INKS[Status.FAIL]

    document.add_heading("二、总体评价", level=1)
    score = document.add_paragraph()
    score.add_run("总分：").bold = True
    score.add_run(f"{result.score:g} 分（满分 100 分）　")
    score.add_run("等级：").bold = True
    score.add_run(result.grade)
    document.add_paragraph(counts_text(result))
    if comparison is not None:
        from checker.output.changes import headline

        document.add_paragraph(headline(comparison))

    document.add_heading("三、优先整改事项", level=1)
    found = fixes(result)
    if not found:
        document.add_paragraph(nothing_to_fix(result))
    for number, fix in enumerate(found, start=1):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(0.74)
        paragraph.paragraph_format.first_line_indent = Cm(-0.74)
        paragraph.add_run(f"{number}. ")
        paragraph.add_run(fix_label(fix)).bold = True
        gain = paragraph.add_run(f"（{fix.rule.status.label}，可挽回 {fix.points:g} 分）")
        gain.font.color.rgb = INKS[fix.rule.status]
        if fix.rule.hint:
            paragraph.add_run(f"：{fix.rule.hint}")

    document.add_heading("四、逐项检查结果", level=1)
    _items(document, result.results)

    _footer(document, result)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------- page and styles

def _page(document: DocumentObject) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = A4
    section.top_margin = section.bottom_margin = MARGINS[0]
    section.left_margin = section.right_margin = MARGINS[1]


def set_fonts(style_or_run, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Latin and East Asian font of a style or a run: Word takes Chinese text's font from
    w:eastAsia, which python-docx's `font.name` does not set; theme fonts would override both."""
    style_or_run.font.name = latin
    fonts = style_or_run.element.get_or_add_rPr().get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:cs"), latin)


def _plain_heading(style, size):
    """A heading style in 黑体, black and not bold: how official documents set their headings."""
    set_fonts(style, HEADING_FONT)
    style.font.size = size
    style.font.bold = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    return style


def _styles(document: DocumentObject) -> None:
    styles = document.styles
    normal = styles["Normal"]
    set_fonts(normal, BODY_FONT)
    normal.font.size = BODY_SIZE
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.25
    title = _plain_heading(styles["Title"], TITLE_SIZE)
    title.paragraph_format.space_after = Pt(12)
    border = title.element.find(qn("w:pPr"))
    if border is not None:  # the default template underlines the title
        for item in border.findall(qn("w:pBdr")):
            border.remove(item)
    heading = _plain_heading(styles["Heading 1"], HEADING_SIZE)
    heading.paragraph_format.space_before = Pt(12)
    heading.paragraph_format.space_after = Pt(6)


# ---------------------------------------------------------------- metadata and items

def _metadata(document: DocumentObject, result: AuditResult) -> None:
    rows = metadata(result)
    table = document.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths = (Cm(3), Cm(14))
    _grid(table, widths)
    for row, (label, value, source) in zip(table.rows, rows):
        _width(row.cells[0], widths[0])
        _width(row.cells[1], widths[1])
        _shade(row.cells[0], HEADER_SHADE)
        _text(row.cells[0], label, bold=True, size=BODY_SIZE)
        paragraph = _text(row.cells[1], value, size=BODY_SIZE)
        if source:
            run = paragraph.add_run(f"（来源：{source}）")
            run.font.size = TABLE_SIZE
            run.font.color.rgb = MUTED


def _items(document: DocumentObject, results: list[RuleResult]) -> None:
    table = document.add_table(rows=1 + len(results), cols=len(COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header = table.rows[0]
    _repeat_as_header(header)
    for cell, (label, _) in zip(header.cells, COLUMNS):
        _shade(cell, HEADER_SHADE)
        _text(cell, label, bold=True, east_asian=HEADING_FONT).alignment = WD_ALIGN_PARAGRAPH.CENTER
    for row, item in zip(table.rows[1:], results):
        cells = row.cells
        title = _text(cells[0], item.title)
        _muted(title.add_run(f"\n{item.id}"))
        _shade(cells[1], WAIVED_SHADE if item.waiver else SHADES[item.status])
        status = _text(cells[1], f"{verdict_mark(item)} {verdict_label(item)}", bold=True)
        status.runs[0].font.color.rgb = WAIVED_INK if item.waiver else INKS[item.status]
        _text(cells[2], score_text(item)).alignment = WD_ALIGN_PARAGRAPH.CENTER
        message = _text(cells[3], item.message)
        message.runs[0].italic = True
        if item.waiver:
            excuse = cells[3].add_paragraph(waiver_text(item.waiver)).runs[0]
            excuse.font.size = TABLE_SIZE
            excuse.font.color.rgb = WAIVED_INK
        for found in item.evidence:
            cells[3].add_paragraph(quote(found)).runs[0].font.size = TABLE_SIZE
        _text(cells[4], hint_of(item))
        _text(cells[5], item.basis)
    widths = [Cm(width) for _, width in COLUMNS]
    _grid(table, widths)
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            _width(cell, width)


def _text(cell: _Cell, text: str, *, bold: bool = False, size: Pt = TABLE_SIZE, east_asian: str | None = None):
    """The cell's (first) paragraph holding `text` in one run."""
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = 1.0
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = size
    if east_asian:
        set_fonts(run, east_asian)
    return paragraph


def _muted(run) -> None:
    run.font.size = Pt(7.5)
    run.font.color.rgb = MUTED


def _width(cell: _Cell, width) -> None:
    cell.width = width


def _grid(table, widths) -> None:
    """The column widths in the table grid too: Word reads each cell's width, LibreOffice and WPS
    the grid."""
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        column.set(qn("w:w"), str(int(width.twips)))


def _shade(cell: _Cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)


def _repeat_as_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _footer(document: DocumentObject, result: AuditResult) -> None:
    """由 fzcheck 生成 · 规则集 … · 第 N 页 (a PAGE field, which Word fills in)."""
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _muted(paragraph.add_run(f"由 fzcheck 生成 · 规则集 {result.ruleset.id} {result.ruleset.version} · 第 "))
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        _muted(run)
        if kind:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._r.append(field)
        elif text == " PAGE ":
            instruction = OxmlElement("w:instrText")
            instruction.set(qn("xml:space"), "preserve")
            instruction.text = text
            run._r.append(instruction)
        else:
            run.text = text
    _muted(paragraph.add_run(" 页"))
