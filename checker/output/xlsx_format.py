"""A batch as an Excel workbook, for officers who sort, filter, pivot and forward spreadsheets.

Four sheets: 汇总 (one row per report, ranking after ranking — 政府, 部门, kind unknown, each in
rank order —, then the documents that are not rule-of-law reports with the reason, then the files
that could not be read), 明细 (one row per report and item, in the same order), 规则 (the rule
set's items) and 版本 (the fzcheck version and the rule set's id, version and sha256, which with each
report's SHA-256 in 汇总 is what reproducing a score needs). A sheet that reaches Excel's
1,048,576 rows goes on in 汇总2, 明细2 …, each with its header. Headers
are Chinese, the header row is frozen and filtered, columns are as wide as their Chinese text
(long texts wrap), and each verdict is coloured: 达标 green, 部分达标 amber, 未达标 red, 不适用 grey,
a waived item (豁免, with its status and its waiver in a column of its own) blue.

Like the other ranked formats, the worker that scored a report encodes its rows (`XlsxParts`)
and the parent keeps them in the batch's `Spill` until the ranking is known; the workbook is then
written with openpyxl's write-only mode, which streams each sheet to a temporary file, so memory
stays flat whatever the corpus. Every text cell is written as text, never as a formula: a report
is a document someone else wrote.
"""
from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO

from checker import __version__
from checker.baseline import Comparison
from checker.batch import BatchReport, FileError, Outcome
from checker.models import AuditResult, RuleResult, Status
from checker.output.safe_text import shown
from checker.output.labels import ERROR_LABEL, failed_titles, kind_label, quote, verdict_label, waived_titles, waiver_text
from checker.ruleset import RuleSet
from checker.scoring import GRADES

SUMMARY_SHEET, DETAIL_SHEET, RULES_SHEET, STAMP_SHEET = "汇总", "明细", "规则", "版本"
SUMMARY_HEADERS = ("排名", "文件", "报告主体", "类型", "年度", "得分", "等级", "未达标项", "说明", "SHA-256", "豁免项")
"""说明: why a document is listed apart (not a rule-of-law report), or why a file could not be read;
豁免项: the items a waiver excused, out of the score and of 未达标项."""
NOT_RANKED = "另列"
"""The 排名 of a document that is not a rule-of-law report."""
DETAIL_HEADERS = ("排名", "文件", "报告主体", "检查项编号", "检查项", "结果", "得分", "权重", "说明", "证据", "建议", "依据",
                  "豁免")
RULE_HEADERS = ("编号", "名称", "分组", "权重", "必备项", "依据")
STAMP_HEADERS = ("项目", "值")

WRAPPED = frozenset({"未达标项", "说明", "证据", "建议", "依据", "名称", "豁免项", "豁免"})
"""Columns of long text: capped in width and wrapped."""
MIN_WIDTH, MAX_WIDTH, WRAPPED_WIDTH = 6, 60, 50
"""Column widths in Excel's units (a Latin character; a Chinese one takes two)."""
MAX_CELL = 32767
"""Excel's limit on the characters of a cell."""
MAX_ROWS = 1_048_576
"""Excel's limit on the rows of a sheet, its header row included."""

# Excel's own "Good", "Neutral" and "Bad" cell styles, and a grey for what does not apply.
STATUS_COLOURS = {
    Status.PASS: ("C6EFCE", "006100"),
    Status.PARTIAL: ("FFEB9C", "9C5700"),
    Status.FAIL: ("FFC7CE", "9C0006"),
    Status.NOT_APPLICABLE: ("E7E6E6", "595959"),
}
WAIVED_COLOURS = ("DDE3F5", "3F51B5")
"""A waived item's 结果, whatever its status: the excuse is what the reader must see."""
WAIVED = "waived"
"""The colour key of a waived item's 明细 row (the others' is their status value)."""
ERROR_COLOURS = ("9C0006", "FFFFFF")
HEADER_COLOURS = ("1F3A5F", "FFFFFF")
# Best grade first, as checker.scoring lists them; zip(strict) fails at import if a grade is added.
GRADE_STATUSES = dict(zip((label for _, label in GRADES),
                          (Status.PASS, Status.PASS, Status.PARTIAL, Status.FAIL), strict=True))


def display_width(text: str) -> int:
    """The widest line of `text` in columns: two for a wide (Chinese) character, one otherwise."""
    return max((sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)
                for line in text.split("\n")), default=0)


def _width(value: object) -> int:
    return 0 if value is None else min(255, display_width(str(value)))


# ---------------------------------------------------------------- what a worker renders

@dataclass(frozen=True)
class XlsxParts:
    """A report's pieces, UTF-8 JSON: its 汇总 row but for the rank; its 明细 rows but for the
    rank, file and subject, each followed by the colour key of its 结果; and the display width of
    each of its 汇总 and 明细 columns (one byte each, so the widths of every report read as one
    block before any row is written)."""

    baseline: bool = False
    """Accepted as every renderer accepts it; the workbook has no baseline columns."""

    def __call__(self, outcome: Outcome, comparison: Comparison | None = None) -> tuple[bytes, bytes, bytes] | None:
        if isinstance(outcome, FileError):
            return None
        summary = summary_cells(outcome)
        details = [[*detail_cells(item), WAIVED if item.waiver else item.status.value] for item in outcome.results]
        widths = [0, *map(_width, summary)]
        detail_widths = [0, widths[1], widths[2]] + [max((_width(row[column]) for row in details), default=0)
                                                   for column in range(len(DETAIL_HEADERS) - 3)]
        return _encode(summary), _encode(details), bytes(widths + detail_widths)


def summary_cells(result: AuditResult) -> list[object]:
    """文件 … SHA-256 of a report's 汇总 row."""
    report = result.report
    return [result.file, report.issuer, kind_label(result.report.kind), report.year, result.score, result.grade,
            "、".join(failed_titles(result)), result.not_a_report, report.source.sha256,
            "、".join(waived_titles(result)) or None]


def detail_cells(item: RuleResult) -> list[object]:
    """检查项编号 … 豁免 of a 明细 row."""
    evidence = "\n".join(quote(piece) for piece in item.evidence)
    hint = item.hint if item.falls_short else None
    return [item.id, item.title, verdict_label(item), item.score, item.weight, item.message,
            evidence or None, hint, item.basis, waiver_text(item.waiver) if item.waiver else None]


def _encode(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


# ---------------------------------------------------------------- the workbook

def write_xlsx(report: BatchReport, ruleset: RuleSet, stream: IO[bytes]) -> None:
    """The workbook of a ranked batch, written to a binary stream (seekable or not)."""
    from openpyxl import Workbook  # 0.2 s to import: only when a workbook is written

    workbook = Workbook(write_only=True)
    workbook.properties.creator = "fzcheck"
    workbook.properties.title = shown(report.ruleset_title)
    styles = _Styles()
    widths = _report_widths(report)
    summary_widths, detail_widths = widths[:len(SUMMARY_HEADERS)], widths[len(SUMMARY_HEADERS):]
    for error in report.errors:
        summary_widths[1] = max(summary_widths[1], _width(error.file))
        summary_widths[8] = max(summary_widths[8], _width(error.error))
        detail_widths[1] = max(detail_widths[1], _width(error.file))
        detail_widths[8] = max(detail_widths[8], _width(error.error))

    listed = [(item.rank, item.index) for item in report.ranked] + [(NOT_RANKED, index) for index in report.not_reports]
    sheet = _Sheets(workbook, SUMMARY_SHEET, SUMMARY_HEADERS, summary_widths, styles)
    for rank, index in listed:
        file, issuer, kind, year, score, grade, failed, apart, digest, waived = json.loads(report.reports.read(index, 0))
        sheet.append((rank, file, issuer, kind, year, score, grade, failed or None, apart, digest, waived),
                     {6: styles.status(GRADE_STATUSES.get(grade))})
    for error in report.errors:
        sheet.append((None, error.file, None, None, None, None, ERROR_LABEL, None, error.error, None, None),
                     {6: styles.error})
    sheet.close()

    sheet = _Sheets(workbook, DETAIL_SHEET, DETAIL_HEADERS, detail_widths, styles)
    for rank, index in listed:
        file, issuer = json.loads(report.reports.read(index, 0))[:2]
        for *cells, key in json.loads(report.reports.read(index, 1)):
            colour = styles.waived if key == WAIVED else styles.status(Status(key))
            sheet.append((rank, file, issuer, *cells), {5: colour})
    for error in report.errors:
        sheet.append((None, error.file, None, None, None, ERROR_LABEL, None, None, error.error, None, None, None, None),
                     {5: styles.error})
    sheet.close()

    rules = [(rule.spec.id, shown(rule.spec.title), shown(rule.spec.group), rule.spec.weight,
              "是" if rule.spec.blocking else None, shown(rule.spec.basis)) for rule in ruleset.rules]
    rule_widths = [max((_width(row[column]) for row in rules), default=0) for column in range(len(RULE_HEADERS))]
    sheet = _Sheets(workbook, RULES_SHEET, RULE_HEADERS, rule_widths, styles)
    for row in rules:
        sheet.append(row)
    sheet.close()

    stamp = [("fzcheck 版本", __version__), ("规则集", report.ruleset.id), ("规则集版本", report.ruleset.version),
             ("规则集 SHA-256", report.ruleset.sha256)]
    sheet = _Sheets(workbook, STAMP_SHEET, STAMP_HEADERS, [max(map(_width, column)) for column in zip(*stamp)], styles)
    for row in stamp:
        sheet.append(row)
    sheet.close()
    workbook.save(stream)


def _report_widths(report: BatchReport) -> list[int]:
    """Each 汇总 and 明细 column's widest value over every report, from the spilled widths."""
    count = len(SUMMARY_HEADERS) + len(DETAIL_HEADERS)
    widths = [0] * count
    widths[0] = widths[len(SUMMARY_HEADERS)] = max(_width(report.scored), _width(NOT_RANKED) if report.not_reports else 0)
    if report.scored:
        block = memoryview(report.reports.part(2))
        for start in range(0, len(block), count):
            widths = list(map(max, widths, block[start:start + count]))
    return widths


class _Sheets:
    """One sheet's rows, continued in a sheet of its own ("明细2", "明细3" …) when a sheet is full:
    Excel opens no sheet of more than MAX_ROWS rows, and 100,000 reports have 2.1 million items.
    Each sheet has the column widths, the frozen and filtered header row; what a write-only sheet
    writes before its first row must be set before it."""

    def __init__(self, workbook, title: str, headers: Sequence[str], widths: Sequence[int], styles: _Styles) -> None:
        self._workbook, self._title, self._headers, self._widths, self._styles = workbook, title, headers, widths, styles
        self._count, self._rows = 0, 0
        self._sheet = self._open()

    def append(self, values: Sequence[object], coloured: dict[int, tuple[object, object] | None] | None = None) -> None:
        if self._rows == MAX_ROWS - 1:
            self.close()
            self._sheet = self._open()
        self._sheet.append(self._styles.row(self._sheet, values, self._headers, coloured or {}))
        self._rows += 1

    def close(self) -> None:
        from openpyxl.utils import get_column_letter

        self._sheet.auto_filter.ref = f"A1:{get_column_letter(len(self._headers))}{self._rows + 1}"

    def _open(self):
        from openpyxl.utils import get_column_letter

        self._count += 1
        self._rows = 0
        sheet = self._workbook.create_sheet(self._title if self._count == 1 else f"{self._title}{self._count}")
        sheet.freeze_panes = "A2"
        styles = self._styles
        for column, (header, width) in enumerate(zip(self._headers, self._widths, strict=True), start=1):
            cap = WRAPPED_WIDTH if header in WRAPPED else MAX_WIDTH
            sheet.column_dimensions[get_column_letter(column)].width = max(MIN_WIDTH, min(cap, max(width, _width(header))) + 2)
        sheet.append([styles.cell(sheet, header, styles.header_font, styles.header_fill, styles.centred)
                      for header in self._headers])
        return sheet


class _Styles:
    """The workbook's few styles, made once (openpyxl shares equal styles, but building them per
    cell would cost more than the rows)."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self.header_font = Font(bold=True, color=HEADER_COLOURS[1])
        self.header_fill = PatternFill("solid", fgColor=HEADER_COLOURS[0])
        self.centred = Alignment(horizontal="center", vertical="center")
        self.wrapped = Alignment(wrap_text=True, vertical="top")
        self.top = Alignment(vertical="top")
        self._status = {status: (Font(color=font), PatternFill("solid", fgColor=fill))
                        for status, (fill, font) in STATUS_COLOURS.items()}
        self.error = (Font(bold=True, color=ERROR_COLOURS[1]), PatternFill("solid", fgColor=ERROR_COLOURS[0]))
        self.waived = (Font(color=WAIVED_COLOURS[1]), PatternFill("solid", fgColor=WAIVED_COLOURS[0]))
        self._arrays: dict[tuple[int, int, int], object] = {}
        """The style array of each (font, fill, alignment) used, by the objects' ids (all kept in self)."""

    def status(self, status: Status | None) -> tuple[object, object] | None:
        return self._status.get(status) if status is not None else None

    def row(self, sheet, values: Sequence[object], headers: Sequence[str],
            coloured: dict[int, tuple[object, object] | None]) -> Iterator[object]:
        for column, (value, header) in enumerate(zip(values, headers, strict=True)):
            font, fill = coloured.get(column) or (None, None)
            yield self.cell(sheet, value, font, fill, self.wrapped if header in WRAPPED else self.top)

    def cell(self, sheet, value: object, font=None, fill=None, alignment=None):
        from openpyxl.cell import WriteOnlyCell

        if isinstance(value, str) and len(value) > MAX_CELL:
            value = value[:MAX_CELL - 1] + "…"
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # openpyxl takes "=…" for a formula; report text is never one
        key = (id(font), id(fill), id(alignment))
        style = self._arrays.get(key)
        if style is None:
            # Setting a style registers it with the workbook, which hashes it: most of the time a
            # row takes. A write-only cell is written once and dropped, so cells with the same
            # style share the style array the first of them was given.
            if font is not None:
                cell.font = font
            if fill is not None:
                cell.fill = fill
            if alignment is not None:
                cell.alignment = alignment
            self._arrays[key] = cell._style
        else:
            cell._style = style
        return cell
