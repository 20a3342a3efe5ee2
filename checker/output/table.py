"""The audit as people read it in a terminal: a header, the items, the totals.

Every piece of text is cut into lines here, by checker.output.cjk_wrap, before rich sees it: rich
breaks Chinese between any two characters, so it starts lines with ，。、） and splits rule ids
and 〔2019〕28号; given lines that already fit, it prints them as they are.
"""
from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from checker.models import AuditResult, RuleResult, Status
from checker.output.cjk_wrap import continues, line_spans
from checker.output.labels import (STATUS_STYLES, WAIVED_LABEL, WAIVED_STYLE, kind_label, quote, source_label,
                                   verdict_label, verdict_mark, waiver_text)
from checker.scoring import counted

TABLE_MIN_WIDTH = 140
"""Narrower than this, the six-column table leaves the evidence under 40 cells, 20 characters, a
line, and takes twice the lines of the stacked layout (at 120 columns, 194 lines against 100 for
one sample), so each item is stacked instead: one line with its verdict, then its message,
evidence, basis and hint indented below it."""


ITEM_INDENT = 4
"""Where an item's message, evidence, basis and hint start, under its title."""

QUOTE_HANGING = 2
"""How much further the lines that continue one quotation are indented, so the next quotation's
第N行 stands out."""

NOTHING = "—"
"""Where an item has no score (不适用, 豁免) or the table's evidence cell no quotation."""

PANEL_FRAME = 4
"""Cells a Panel takes from the width: a border and a space of padding on each side."""

HEADER_GAP = 2

TABLE_FRAME = 19
"""Cells the six-column table takes from the width: seven borders, a space of padding either side
of each of six cells."""

TABLE_RATIOS = {"title": 3, "basis": 3, "evidence": 6, "hint": 4}
"""How the text columns share the width; the title column takes more if a rule id needs it."""


def _style(item: RuleResult) -> str:
    return WAIVED_STYLE if item.waiver else STATUS_STYLES[item.status]


def render_audit(result: AuditResult, console: Console, only_failed: bool = False) -> None:
    """`only_failed`: list only the items short of passing (未达标, 部分达标) that no waiver
    excuses; the header says how many were left out, the totals still count them all."""
    shown = [item for item in result.results if item.falls_short] if only_failed else result.results
    width = console.width
    console.print(_header(result, width, len(result.results) - len(shown) if only_failed else None))
    if result.not_a_report:
        warning = wrapped(Text(result.not_a_report, style="bold red"), width - PANEL_FRAME)
        console.print(Panel(warning, title="⚠ 文件类型", border_style="red"))
    if not shown:
        console.print(Text("没有未达标或部分达标的检查项" if only_failed else "规则集没有检查项", style="bold"))
    elif width >= TABLE_MIN_WIDTH:
        console.print(_results_table(shown, width))
    else:
        console.print(Text("\n").join(line for item in shown for line in _stacked(item, width)))
        console.print()  # the totals are not read as the last item's evidence
    console.print(_totals(result, width))


def _header(result: AuditResult, width: int, hidden: int | None) -> Panel:
    report = result.report

    def with_source(field: str, value, source) -> str:
        if value is None:
            return "未知"
        return f"{value}（{source_label(field, source)}）" if source else str(value)

    rows = [("文件", result.file), ("标题", report.title or "未识别"),
            ("主体", with_source("issuer", report.issuer, report.issuer_source)),
            ("类型", with_source("kind", kind_label(report.kind) if report.kind else None, report.kind_source)),
            ("年度", with_source("year", report.year, report.year_source)),
            ("发布日期", with_source("published", report.published, report.published_source)),
            ("规则集", f"{result.ruleset.id} {result.ruleset.version}")]
    if hidden is not None:
        others = "达标、不适用或豁免" if result.counts.waived else "达标或不适用"
        rows.append(("显示", f"只列出未达标和部分达标的 {len(result.results) - hidden} 项，"
                             f"另有 {hidden} 项{others}未列出"))
    label_width = max(cell_len(label) for label, _ in rows)
    grid = Table.grid(padding=(0, HEADER_GAP))
    grid.add_column(style="bold", width=label_width)
    grid.add_column(overflow="fold")
    for label, value in rows:  # a value as Text: rich would read "[...]" in a file name as markup
        grid.add_row(label, wrapped(Text(value), width - PANEL_FRAME - label_width - HEADER_GAP))
    return Panel(grid, title="法治政府建设年度报告检查", border_style="cyan")


def _stacked(item: RuleResult, width: int) -> list[Text]:
    """✗ 标题  未达标  0/8  rule-id, then the message, the waiver that excuses it, the quotations
    and, for an item short of passing, what the rule is based on and what to do."""
    style = _style(item)
    mark = verdict_mark(item)
    head = Text.assemble((mark, style), " ", (item.title, "bold"), "  ", (verdict_label(item), style),
                         "  ", _score(item), "  ", (item.id, "dim"))
    lines = _lines(head, width, hanging=cell_len(mark) + 1)
    lines += _lines(Text(item.message, style="italic"), width, ITEM_INDENT)
    if item.waiver:
        lines += _lines(Text(waiver_text(item.waiver), style=WAIVED_STYLE), width, ITEM_INDENT, cell_len(f"{WAIVED_LABEL}："))
    for evidence in item.evidence:
        lines += _lines(Text(quote(evidence)), width, ITEM_INDENT, QUOTE_HANGING)
    if item.falls_short:
        for label, text in (("依据：", item.basis), ("建议：", item.hint)):
            if text:
                lines += _lines(Text.assemble((label, "dim"), text), width, ITEM_INDENT, cell_len(label))
    return lines


def _results_table(results: Sequence[RuleResult], width: int) -> Table:
    """The six columns of a wide terminal, each as wide as computed here, so that the cells can be
    cut into lines before rich lays them out."""
    scores = [_score(item) for item in results]
    status_width = max(*(cell_len(status.label) for status in Status), *(cell_len(verdict_label(item)) for item in results))
    score_width = max(cell_len("得分"), *map(cell_len, scores))
    free = width - TABLE_FRAME - status_width - score_width
    longest_id = max(cell_len(item.id) for item in results)
    title_width = max(free * TABLE_RATIOS["title"] // sum(TABLE_RATIOS.values()), min(longest_id, free // 3))
    rest = free - title_width
    shares = {column: ratio for column, ratio in TABLE_RATIOS.items() if column != "title"}
    widths = {column: rest * ratio // sum(shares.values()) for column, ratio in shares.items()}
    widths["evidence"] += rest - sum(widths.values())

    table = Table(show_lines=True)
    table.add_column("检查项", width=title_width, overflow="fold")
    table.add_column("结果", width=status_width, no_wrap=True)
    table.add_column("得分", width=score_width, justify="right", no_wrap=True)
    table.add_column("依据", width=widths["basis"], overflow="fold")
    table.add_column("证据", width=widths["evidence"], overflow="fold")
    table.add_column("建议", width=widths["hint"], overflow="fold")
    for item, score in zip(results, scores):
        evidence = [Text(item.message, style="italic")]
        evidence += [Text(waiver_text(item.waiver), style=WAIVED_STYLE)] if item.waiver else []
        evidence += [Text(quote(part)) for part in item.evidence]
        table.add_row(
            _cell([Text(item.title), Text(item.id, style="dim")], title_width),
            Text(verdict_label(item), style=_style(item)),
            score,
            _cell([Text(item.basis)], widths["basis"]),
            _cell(evidence if item.evidence else [*evidence, Text(NOTHING)], widths["evidence"]),
            _cell([Text((item.hint or "") if item.falls_short else "")], widths["hint"]),
        )
    return table


def _cell(paragraphs: list[Text], width: int) -> Text:
    return Text("\n").join(wrapped(paragraph, width) for paragraph in paragraphs)


def _score(item: RuleResult) -> str:
    return f"{item.score:g}/{item.weight:g}" if counted(item) else NOTHING


def wrapped(text: str | Text, width: int, indent: int = 0, hanging: int = 0) -> Text:
    """`text` in lines that fit `width` (see `_lines`), for rich to print as they are: what
    precheck prints around the audit is cut the same way."""
    return Text("\n").join(_lines(Text(text) if isinstance(text, str) else text, width, indent, hanging))


def _lines(text: Text, width: int, indent: int = 0, hanging: int = 0) -> list[Text]:
    """`text` cut into lines of at most `width` cells (cjk_wrap), each indented `indent` cells and
    the lines that continue a paragraph `hanging` cells more; styles are kept across the cuts."""
    plain = text.plain
    lines = []
    for start, end in line_spans(plain, width - indent, hanging):
        margin = indent + (hanging if continues(plain, start) else 0)
        lines.append(Text(" " * margin) + text[start:end] if margin else text[start:end])
    return lines


def _totals(result: AuditResult, width: int) -> Text:
    counts = result.counts
    line = Text.assemble(
        ("总分 ", "bold"), (f"{result.score:g}", "bold cyan"), " / 100    ",
        ("等级 ", "bold"), (result.grade, "bold cyan"), "    ",
        (f"达标 {counts.pass_}", STATUS_STYLES[Status.PASS]), "  ",
        (f"部分达标 {counts.partial}", STATUS_STYLES[Status.PARTIAL]), "  ",
        (f"未达标 {counts.fail}", STATUS_STYLES[Status.FAIL]), "  ",
        (f"不适用 {counts.not_applicable}", STATUS_STYLES[Status.NOT_APPLICABLE]),
    )
    if counts.waived:
        line.append("  ").append(f"{WAIVED_LABEL} {counts.waived}", WAIVED_STYLE)
    return wrapped(line, width)
