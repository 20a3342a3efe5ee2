"""How a change against a baseline reads, in every format: "↑ 未达标→达标", "较基线 +7.5 分"."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from checker.baseline import Change, Comparison
from checker.models import AuditResult
from checker.output.labels import STATUS_STYLES

ARROWS = {1: "↑", -1: "↓", 0: "·"}
ARROW_STYLES = {1: "bold green", -1: "bold red", 0: "dim"}
NEW_RULE = "新增"


def change_label(change: Change) -> str:
    before = change.before.label if change.before else NEW_RULE
    return f"{ARROWS[change.direction]} {before}→{change.after.label}"


def delta_label(delta: float) -> str:
    return f"{delta:+g}" if delta else "±0"


def headline(comparison: Comparison) -> str:
    return f"较基线 {delta_label(comparison.delta)} 分（基线 {comparison.score:g} 分，{comparison.file}）"


def change_text(change: Change) -> Text:
    return Text(change_label(change), style=ARROW_STYLES[change.direction])


def render_comparison(result: AuditResult, comparison: Comparison | None, console: Console) -> None:
    """Printed under the audit table: the score change, then only the items whose status moved."""
    if comparison is None:
        console.print(Text("基线中没有与本报告对应的记录（按文件名、主体和类型匹配）", style="yellow"))
        return
    console.print(Text(headline(comparison), style="bold"))
    if not comparison.changes:
        console.print(Text("各检查项结果与基线相同", style="dim"))
        return
    titles = {item.id: item.title for item in result.results}
    table = Table(title="与基线相比有变化的检查项", title_justify="left")
    table.add_column("检查项", overflow="fold")
    table.add_column("基线", no_wrap=True)
    table.add_column("本次", no_wrap=True)
    table.add_column("变化", no_wrap=True)
    for change in comparison.changes:
        before = Text(change.before.label, style=STATUS_STYLES[change.before]) if change.before else Text(NEW_RULE)
        table.add_row(Text(titles[change.id]).append(f"\n{change.id}", style="dim"), before,
                      Text(change.after.label, style=STATUS_STYLES[change.after]), change_text(change))
    console.print(table)
