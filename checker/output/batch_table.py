"""A batch as people read it in a terminal: the ranking, a one-line summary, the per-rule counts."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from checker.batch import BatchReport, Ranked, Summary
from checker.models import AuditResult, Status
from checker.output.changes import change_text, delta_label
from checker.output.table import KIND_LABELS, STATUS_STYLES, not_a_report_warning
from checker.scoring import GRADES

ERROR_LABEL = "错误"
ERROR_STYLE = "bold red"
NOT_A_REPORT_MARK = "⚠ "
NO_BASELINE = "无基线"
# Best grade first, as checker.scoring lists them; zip(strict) fails at import if a grade is added.
GRADE_STYLES = dict(zip((label for _, label in GRADES), ("bold green", "green", "bold yellow", "bold red"), strict=True))


def render_batch(report: BatchReport, console: Console, by_rule: bool = False) -> None:
    console.print(ranking_table(report))
    console.print(summary_text(report.summary))
    if by_rule:
        console.print(by_rule_table(report.summary))


FAILED_SHOWN = 3  # a terminal row names the first few; the HTML page and the exports have them all


def failed_titles(result: AuditResult) -> list[str]:
    return [item.title for item in result.results if item.status is Status.FAIL]


def failed_summary(result: AuditResult) -> str:
    titles = failed_titles(result)
    if len(titles) <= FAILED_SHOWN:
        return "、".join(titles) or "—"
    return f"{'、'.join(titles[:FAILED_SHOWN])} 等 {len(titles)} 项"


def kind_label(result: AuditResult) -> str:
    return KIND_LABELS.get(result.report.kind or "", "未知")


def ranking_table(report: BatchReport) -> Table:
    baseline = report.baseline is not None
    table = Table(title=f"批量检查结果（规则集 {report.ruleset.id} {report.ruleset.version}）", expand=True)
    table.add_column("排名", justify="right", no_wrap=True)
    table.add_column("文件", ratio=3, overflow="fold")
    table.add_column("主体", ratio=2, overflow="fold")
    table.add_column("年度", no_wrap=True)
    table.add_column("类型", no_wrap=True)
    table.add_column("得分", justify="right", no_wrap=True)
    table.add_column("等级", no_wrap=True)
    table.add_column("未达标项", ratio=4, overflow="fold")
    if baseline:
        table.add_column("变化", ratio=3, overflow="fold")
    for item in report.ranked:
        table.add_row(*_report_cells(item), *([_change_cell(item)] if baseline else []))
    for error in report.errors:
        table.add_row("—", Text(error.file), "", "", "", "", Text(ERROR_LABEL, style=ERROR_STYLE),
                      Text(error.error, style="red"), *([""] if baseline else []))
    return table


def _report_cells(item: Ranked) -> list[str | Text]:
    # Text, not str, for whatever comes from a file or a report: rich would take "[...]" in a
    # file name for markup.
    result = item.result
    mark = NOT_A_REPORT_MARK if not_a_report_warning(result) else ""
    return [
        str(item.rank),
        Text(mark + result.file),
        Text(result.report.issuer or "未识别"),
        str(result.report.year or "—"),
        kind_label(result),
        f"{result.score:g}",
        Text(result.grade, style=GRADE_STYLES.get(result.grade, "")),
        Text(failed_summary(result)),
    ]


def _change_cell(item: Ranked) -> Text:
    if item.comparison is None:
        return Text(NO_BASELINE, style="dim")
    cell = Text(f"{delta_label(item.comparison.delta)} 分", style="bold")
    for change in item.comparison.changes:
        cell.append("\n").append_text(change_text(change)).append(f" {change.id}", style="dim")
    return cell


def summary_text(summary: Summary) -> Text:
    text = Text(f"共 {summary.reports} 份报告", style="bold")
    if summary.mean_score is not None:
        text.append(f"，平均 {summary.mean_score:g} 分；")
        text.append("、".join(f"{grade} {count}" for grade, count in summary.grades.items()))
    if summary.compared:
        text.append(f"；与基线比对 {summary.compared} 份，平均 {delta_label(summary.mean_delta or 0)} 分")
    if summary.errors:
        text.append(f"；{summary.errors} 个文件无法检查", style=ERROR_STYLE)
    return text


def by_rule_table(summary: Summary) -> Table:
    table = Table(title=f"各检查项达标情况（{summary.reports} 份报告，未达标最多的在前）", title_justify="left")
    table.add_column("检查项", overflow="fold")
    for status in Status:
        table.add_column(status.label, justify="right", style=STATUS_STYLES[status], no_wrap=True)
    for rule in summary.by_rule:
        table.add_row(Text(rule.title).append(f" {rule.id}", style="dim"), *(str(rule.counts[status]) for status in Status))
    return table
