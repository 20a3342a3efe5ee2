"""The audit as people read it in a terminal: a header, the scored table, the totals."""
from __future__ import annotations

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from checker.models import AuditResult, RuleResult, Status
from checker.output.labels import SOURCE_LABELS, STATUS_STYLES, kind_label, quote

def status_text(status: Status) -> Text:
    return Text(status.label, style=STATUS_STYLES[status])


def render_audit(result: AuditResult, console: Console) -> None:
    console.print(_header(result))
    if result.not_a_report:
        console.print(Panel(Text(result.not_a_report, style="bold red"), title="⚠ 文件类型", border_style="red"))
    console.print(_results_table(result.results))
    console.print(_totals(result))


def _header(result: AuditResult) -> Panel:
    report = result.report

    def with_source(value, source) -> str:
        if value is None:
            return "未知"
        return f"{value}（{SOURCE_LABELS.get(source, source)}）" if source else str(value)

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    # Text, not str, for what comes from the file: rich would read "[...]" in it as markup.
    grid.add_row("文件", Text(result.file))
    grid.add_row("标题", Text(report.title or "未识别"))
    grid.add_row("主体", Text(with_source(report.issuer, report.issuer_source)))
    grid.add_row("类型", with_source(kind_label(report.kind) if report.kind else None, report.kind_source))
    grid.add_row("年度", with_source(report.year, report.year_source))
    grid.add_row("发布日期", with_source(report.published, report.published_source))
    grid.add_row("规则集", f"{result.ruleset.id} {result.ruleset.version}")
    return Panel(grid, title="法治政府建设年度报告检查", border_style="cyan")


def _results_table(results: list[RuleResult]) -> Table:
    # Chinese has no spaces to wrap at: "fold" breaks long cells between characters instead of
    # cutting them off with an ellipsis.
    table = Table(show_lines=True, expand=True)
    table.add_column("检查项", ratio=3, overflow="fold")
    table.add_column("结果", no_wrap=True)
    table.add_column("得分", justify="right", no_wrap=True)
    table.add_column("依据", ratio=3, overflow="fold")
    table.add_column("证据", ratio=6, overflow="fold")
    table.add_column("建议", ratio=4, overflow="fold")
    for result in results:
        evidence = "\n".join(quote(item) for item in result.evidence) or "—"
        table.add_row(
            Text.assemble(result.title, "\n", (result.id, "dim")),
            status_text(result.status),
            "—" if result.status is Status.NOT_APPLICABLE else f"{result.score:g}/{result.weight:g}",
            Text(result.basis),
            Text(f"{result.message}\n", style="italic") + Text(evidence),
            Text(result.hint or ""),
        )
    return table


def _totals(result: AuditResult) -> Group:
    counts = result.counts
    line = Text.assemble(
        ("总分 ", "bold"), (f"{result.score:g}", "bold cyan"), " / 100    ",
        ("等级 ", "bold"), (result.grade, "bold cyan"), "    ",
        (f"达标 {counts.pass_}", STATUS_STYLES[Status.PASS]), "  ",
        (f"部分达标 {counts.partial}", STATUS_STYLES[Status.PARTIAL]), "  ",
        (f"未达标 {counts.fail}", STATUS_STYLES[Status.FAIL]), "  ",
        (f"不适用 {counts.not_applicable}", STATUS_STYLES[Status.NOT_APPLICABLE]),
    )
    return Group(line)
