"""A batch as people read it in a terminal: the ranking, a one-line summary, the per-rule counts.

A ranking of 100,000 reports is not one rich table in memory: each worker makes its reports' rows
(less the rank) and how wide each cell wants to be; the column widths rich would give the whole
table are worked out from the widest cells alone, and the rows are printed a chunk at a time
with those widths, which gives the very lines the whole table would.
"""
from __future__ import annotations

import io
import pickle
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import islice

from rich.console import Console, RenderableType
from rich.measure import Measurement
from rich.segment import Segments
from rich.table import Column, Table
from rich.text import Text

from checker.baseline import Comparison
from checker.batch import TOGETHER, BatchReport, FileError, Outcome, Summary
from checker.models import AuditResult, Status
from checker.output.changes import change_text, delta_label
from checker.output.labels import (ERROR_LABEL, NOT_REPORTS_TITLE, STATUS_STYLES, WAIVED_LABEL, WAIVED_STYLE, failed_titles,
                                   kind_label, ranking_title)
from checker.scoring import GRADES

ERROR_STYLE = "bold red"
FAILED_HEADER, REASON_HEADER, ERROR_HEADER = "未达标项", "原因", "错误"
NO_BASELINE = "无基线"
# Best grade first, as checker.scoring lists them; zip(strict) fails at import if a grade is added.
GRADE_STYLES = dict(zip((label for _, label in GRADES), ("bold green", "green", "bold yellow", "bold red"), strict=True))


TABLE_CHUNK = 500
"""Rows rendered at a time: a rich table keeps every rendered segment until it is printed."""


def render_batch(report: BatchReport, console: Console, by_rule: bool = False) -> None:
    _print_ranking(report, console)
    console.print(summary_text(report.summary))
    if by_rule:
        console.print(by_rule_table(report.summary))


FAILED_SHOWN = 3  # a terminal row names the first few; the HTML page and the exports have them all


def failed_summary(result: AuditResult) -> str:
    """The items failed, and how many a waiver excused (its reasons are in the report's audit)."""
    titles = failed_titles(result)
    if len(titles) <= FAILED_SHOWN:
        failed = "、".join(titles) or "—"
    else:
        failed = f"{'、'.join(titles[:FAILED_SHOWN])} 等 {len(titles)} 项"
    return f"{failed}（{WAIVED_LABEL} {result.counts.waived} 项）" if result.counts.waived else failed


@dataclass(frozen=True)
class TableRows:
    """A report's row of the ranking less its rank (known only once every report is scored),
    pickled, and each cell's measure as rich takes it (its longest word, its longest line), from
    which the column widths are worked out."""

    baseline: bool = False

    def __call__(self, outcome: Outcome, comparison: Comparison | None = None) -> tuple[bytes, bytes] | None:
        if isinstance(outcome, FileError):
            return None
        cells = _report_cells(outcome) + ([_change_cell(comparison)] if self.baseline else [])
        return pickle.dumps(cells, protocol=pickle.HIGHEST_PROTOCOL), _measures(cells).tobytes()


def _measures(cells: list[RenderableType]) -> array:
    console = _measuring_console()
    options = console.options
    return array("q", [width for cell in cells for width in Measurement.get(console, options, cell)])


@cache
def _measuring_console() -> Console:
    return Console(file=io.StringIO(), width=1_000_000)


def ranking_table(report: BatchReport, widths: list[int] | None = None, title: str | None = None,
                  last: str = FAILED_HEADER) -> Table:
    """The ranking's columns. With `widths` (see `_column_widths`) every column has its width
    fixed, for a chunk of a table; `title` (a chunk that starts a table) brings the header."""
    baseline = report.baseline is not None
    columns = [
        Column("排名", justify="right", no_wrap=True),
        Column("文件", ratio=3, overflow="fold"),
        Column("主体", ratio=2, overflow="fold"),
        Column("年度", no_wrap=True),
        *([Column("类型", no_wrap=True)] if _shows_kind(report) else []),
        Column("得分", justify="right", no_wrap=True),
        Column("等级", no_wrap=True),
        Column(last, ratio=4, overflow="fold"),
        *([Column("变化", ratio=3, overflow="fold")] if baseline else []),
    ]
    if widths is None:
        return Table(*columns, expand=True)
    for column, width in zip(columns, widths, strict=True):
        column.width, column.ratio = width, None
    return Table(*columns, title=title, title_justify="left", show_header=title is not None)


def _print_ranking(report: BatchReport, console: Console) -> None:
    """A table per ranking (政府, 部门, kind unknown; or all of them), the documents that are not
    reports, the files that could not be checked, all with the same column widths."""
    console.print(Text(f"批量检查结果（规则集 {report.ruleset.id} {report.ruleset.version}）", style="bold"))
    widths = _column_widths(report, console)
    for ranking in report.rankings:
        title = ranking_title(ranking.kind, len(ranking.ranked), report.summary.mean_of(ranking.kind))
        _print_table(report, console, widths, title,
                     ([str(item.rank), *_cells(report, item.index)] for item in ranking.ranked))
    if report.not_reports:
        _print_table(report, console, widths, f"{NOT_REPORTS_TITLE}：{len(report.not_reports)} 份",
                     (["—", *_cells(report, index)] for index in report.not_reports), REASON_HEADER)
    if report.errors:
        _print_table(report, console, widths, f"无法检查的文件：{len(report.errors)} 个", iter(_error_rows(report)),
                     ERROR_HEADER)


def _print_table(report: BatchReport, console: Console, widths: list[int], title: str,
                 rows: Iterator[list[RenderableType]], last: str = FAILED_HEADER) -> None:
    first, bottom = True, []
    while chunk := list(islice(rows, TABLE_CHUNK)):
        table = ranking_table(report, widths, title if first else None, last)
        for row in chunk:
            table.add_row(*row)
        lines = console.render_lines(table, pad=False, new_lines=True)
        # Each chunk's bottom border is printed once, at the end; a chunk after the first has no
        # title and no header, and its top border is not in the whole table.
        *body, bottom = lines if first else lines[1:]
        console.print(Segments(segment for line in body for segment in line))
        first = False
    console.print(Segments(bottom))


def _column_widths(report: BatchReport, console: Console) -> list[int]:
    """The widths rich gives the columns of the whole table. They depend on the largest of each
    column's measures only, so a table of the header, the rows holding those and the error rows
    gets the same; rich has no public way to ask a table for them."""
    table = ranking_table(report)
    for row in [*_widest_rows(report), *_error_rows(report)]:
        table.add_row(*row)
    options = console.options
    widths = table._calculate_column_widths(console, options.update_width(options.max_width - table._extra_width))
    return [width - table._get_padding_width(index) for index, width in enumerate(widths)]


def _widest_rows(report: BatchReport) -> list[list[RenderableType]]:
    """The rows that hold some column's longest word or longest line, with the largest rank (the
    widest rank cell) in place of their own."""
    if not report.scored:
        return []
    measures = array("q", report.reports.part(1))
    slots = len(measures) // report.scored
    columns = [measures[slot::slots] for slot in range(slots)]
    widest = {column.index(max(column)) for column in columns}
    rank = str(max((ranking.ranked[-1].rank for ranking in report.rankings), default=1))
    return [[rank, *_cells(report, index)] for index in sorted(widest)]


KIND_CELL = 3
"""Where 类型 is among a report's cells (文件, 主体, 年度, 类型, …)."""


def _shows_kind(report: BatchReport) -> bool:
    """类型 is a column only when governments and departments are ranked together: otherwise each
    ranking's title says it, and an 80-column table has the room for the file names."""
    return any(ranking.kind == TOGETHER for ranking in report.rankings)


def _cells(report: BatchReport, index: int) -> list[RenderableType]:
    cells = pickle.loads(report.reports.read(index))
    if not _shows_kind(report):
        del cells[KIND_CELL]
    return cells


def _error_rows(report: BatchReport) -> list[list[RenderableType]]:
    baseline = [""] if report.baseline is not None else []
    kind = [""] if _shows_kind(report) else []
    return [["—", Text(error.file), "", "", *kind, "", Text(ERROR_LABEL, style=ERROR_STYLE), Text(error.error, style="red"),
             *baseline] for error in report.errors]


def _report_cells(result: AuditResult) -> list[RenderableType]:
    # Text, not str, for whatever comes from a file or a report: rich would take "[...]" in a
    # file name for markup.
    return [
        Text(result.file),
        Text(result.report.issuer or "未识别"),
        str(result.report.year or "—"),
        kind_label(result.report.kind),
        f"{result.score:g}",
        Text(result.grade, style=GRADE_STYLES.get(result.grade, "")),
        Text(result.not_a_report or failed_summary(result)),  # the reason, in the table of those listed apart
    ]


def _change_cell(comparison: Comparison | None) -> Text:
    if comparison is None:
        return Text(NO_BASELINE, style="dim")
    cell = Text(f"{delta_label(comparison.delta)} 分", style="bold")
    for change in comparison.changes:
        cell.append("\n").append_text(change_text(change)).append(f" {change.id}", style="dim")
    return cell


def summary_text(summary: Summary) -> Text:
    text = Text(f"共 {summary.reports} 份报告", style="bold")
    if summary.mean_score is not None:
        text.append(f"，平均 {summary.mean_score:g} 分")
        if len(summary.by_kind) > 1:
            text.append("（" + "；".join(ranking_title(kind.kind, kind.reports, kind.mean_score)
                                        for kind in summary.by_kind) + "）")
        text.append("；" + "、".join(f"{grade} {count}" for grade, count in summary.grades.items()))
    if summary.waived:
        text.append(f"；{WAIVED_LABEL} {summary.waived} 项（不计入得分）", style=WAIVED_STYLE)
    if summary.not_reports:
        text.append(f"；另有 {summary.not_reports} 份不是法治政府建设年度报告，不计入", style="bold yellow")
    if summary.compared:
        text.append(f"；与基线比对 {summary.compared} 份，平均 {delta_label(summary.mean_delta or 0)} 分")
    if summary.errors:
        text.append(f"；{summary.errors} 个文件无法检查", style=ERROR_STYLE)
    return text


def by_rule_table(summary: Summary) -> Table:
    """A column per status, and one of waived items when the batch has any."""
    table = Table(title=f"各检查项达标情况（{summary.reports} 份报告，未达标最多的在前）", title_justify="left")
    table.add_column("检查项", overflow="fold")
    for status in Status:
        table.add_column(status.label, justify="right", style=STATUS_STYLES[status], no_wrap=True)
    if summary.waived:
        table.add_column(WAIVED_LABEL, justify="right", style=WAIVED_STYLE, no_wrap=True)
    for rule in summary.by_rule:
        waived = [str(rule.waived)] if summary.waived else []
        table.add_row(Text(rule.title).append(f" {rule.id}", style="dim"), *(str(rule.counts[status]) for status in Status),
                      *waived)
    return table
