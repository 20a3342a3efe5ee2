"""A batch as one self-contained HTML page, to mail or put on a shared drive.

No network, no external assets: styles are inline, the charts are inline SVG and CSS, and the
only script opens a report's section when a link points at it, and every section for printing.
Every piece of text from a report or a rule file goes through `escape`, since a report is a
document someone else wrote.

It reads on three media: a wide screen; a phone, where the ranking keeps 排名, 文件, 得分 and 等级
and the wide tables scroll inside their section; and A4 landscape paper, where the heat-map fits
the page width and each report starts a page with its section open.

The worker that scored a report renders its pieces of the page (`HtmlParts`) but for its rank
and its place in the ranking, which are known only at the end; the page is then written piece
by piece in rank order, never held whole.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from html import escape
from typing import TYPE_CHECKING

from checker import __version__
from checker.baseline import Change, Comparison
from checker.batch import STATUSES, WAIVED, BatchReport, FileError, Outcome, Ranked, RuleTally, Summary, scored
from checker.models import AuditResult, RuleResult, Status
from checker.output.changes import ARROWS, change_label, delta_label, headline
from checker.output.report_html import (GRADE_CLASSES, GRADE_COLOURS, INPUT_HASH_LABEL, PAGE_STYLE, STATUS_CLASSES,
                                        WAIVED_CLASS, grade_badge as _grade_badge, grade_style as _grade_style, hash_text,
                                        score_text, stamps, verdict_badge, waiver_note)
from checker.output.labels import (ERROR_LABEL, NOT_REPORTS_TITLE, WAIVED_LABEL, failed_titles, kind_label,
                                   quote, ranking_label, ranking_title, source_label)
from checker.output.safe_text import shown
from checker.scoring import GRADES, grade

if TYPE_CHECKING:  # the rule set is only read, for its rules' short labels
    from checker.ruleset import RuleSet

PAGE_TITLE = "法治政府建设年度报告批量检查"
STATUS_GLYPHS = {Status.PASS: "✓", Status.PARTIAL: "半", Status.FAIL: "✗", Status.NOT_APPLICABLE: "–"}
CELLS = [*((STATUS_CLASSES[status], status.label, STATUS_GLYPHS[status]) for status in STATUSES),
         (WAIVED_CLASS, WAIVED_LABEL, "免")]
"""A heat-map cell's class, tooltip label and glyph, by its code in `Scored.statuses` (WAIVED last)."""
HISTOGRAM_BINS = 10
DIRECTION_CLASSES = {1: "up", -1: "down", 0: "same"}

STYLE = PAGE_STYLE + """
.scorebar { display:inline-block; width:90px; height:8px; background:#e6ebf1; border-radius:4px; margin-right:8px; vertical-align:middle; }
.scorebar i { display:block; height:100%; border-radius:4px; }
.warn { color:var(--fail); font-weight:600; }
.charts .dim { white-space:nowrap; }
td.file { word-break:break-all; min-width:200px; } td.issuer { white-space:nowrap; }
.up { color:var(--pass); } .down { color:var(--fail); } .same { color:var(--muted); }
.up, .down, .same { white-space:nowrap; }
.legend { display:flex; gap:18px; margin:0 0 12px; color:var(--muted); font-size:13px; }
.legend span::before { content:""; display:inline-block; width:14px; height:14px; border-radius:3px; margin-right:6px; vertical-align:-2px; background:var(--c); }
.heat { overflow-x:auto; }
.heat table { width:auto; }
.heat th.rule { padding:4px 2px; font-weight:500; font-size:12px; line-height:1.3; text-align:center; vertical-align:bottom;
  white-space:normal; text-wrap:balance; background:#fff; border-bottom:2px solid var(--line); cursor:help; }
.heat th.corner { background:#fff; }
.heat td { padding:2px; border:none; }
.heat td.name { padding:2px 12px 2px 0; white-space:nowrap; max-width:300px; overflow:hidden; text-overflow:ellipsis;
  position:sticky; left:0; background:#fff; }
.cell { display:block; width:3em; height:22px; border-radius:3px; text-align:center; color:#fff; font-size:12px; line-height:22px; }
.cell.pass { background:var(--pass); } .cell.partial { background:var(--partial); }
.cell.fail { background:var(--fail); } .cell.na { background:var(--na); color:#5f6b7a; }
.cell.waived { background:var(--waived); }
dl.key { display:grid; grid-template-columns:repeat(auto-fill, minmax(250px, 1fr)); gap:2px 18px; margin:12px 0 0; font-size:12px; }
dl.key div { display:flex; gap:8px; } dl.key dt { flex:none; min-width:5em; font-weight:600; } dl.key dd { margin:0; color:var(--muted); }
.stack { display:flex; height:14px; min-width:260px; border-radius:3px; overflow:hidden; background:#eef2f7; }
.stack i.pass { background:var(--pass); } .stack i.partial { background:var(--partial); }
.stack i.fail { background:var(--fail); } .stack i.na { background:var(--na); } .stack i.waived { background:var(--waived); }
svg text { font-family:inherit; fill:#34404e; font-size:12px; }
details { border:1px solid var(--line); border-radius:6px; margin:0 0 10px; background:#fff; }
details > summary { cursor:pointer; padding:10px 14px; font-weight:600; list-style-position:inside; }
details[open] > summary { border-bottom:1px solid var(--line); background:#f7f9fc; }
details .body { padding:12px 16px 16px; }
details dl { display:grid; grid-template-columns:max-content 1fr; gap:2px 16px; margin:0 0 12px; }
details dt { color:var(--muted); } details dd { margin:0; min-width:0; }
.evidence { margin:4px 0 0; padding-left:18px; color:#34404e; }
.evidence li { margin:2px 0; }
.toolbar { float:right; }
.toolbar button { font:inherit; font-size:12px; border:1px solid var(--line); background:#fff; border-radius:4px; padding:2px 10px; cursor:pointer; }
@page { size:A4 landscape; margin:12mm 10mm; }
@media print {
  .toolbar { display:none; }
  a { color:inherit; text-decoration:none; }
  .charts section { break-inside:avoid; }
  .heat { overflow:visible; }
  .heat th.rule, .cell { font-size:8pt; }
  .cell { height:13pt; line-height:13pt; }
  .heat td.name { max-width:60mm; padding-right:6px; }
  .heat tr, dl.key div { break-inside:avoid; }
  .ranking th, .ranking td { padding:3px 6px; font-size:9pt; line-height:1.45; }
  .scorebar { display:none; }
  td.file { min-width:45mm; }
  #reports { break-before:page; border:none; padding:0; }
  #reports details + details { break-before:page; }
  details { border:none; margin:0; }
  details > summary { list-style:none; padding:0 0 4px; border-bottom:2px solid var(--brand); background:none; break-after:avoid; }
  details > summary::-webkit-details-marker { display:none; }
  details[open] > summary { background:none; border-bottom:2px solid var(--brand); }
  details .body { padding:6px 0 0; }
}
@media (max-width:700px) {
  .charts { grid-template-columns:1fr; }
  .ranking .wide, .scorebar { display:none; }
  .stack { min-width:60px; }
  td.file { min-width:8em; }
  .heat td.name { max-width:40vw; }
  .toolbar { float:none; display:block; margin-top:6px; }
}
"""

# Opens the report section a link or the address bar points at; for printing, every closed one
# (CSS cannot open a <details>), closed again afterwards.
SCRIPT = """
function openTarget() { var t = document.getElementById(location.hash.slice(1)); if (t && t.tagName === "DETAILS") t.open = true; }
function setAll(open) { document.querySelectorAll("details").forEach(function (d) { d.open = open; }); }
var closedForPrint = [];
window.addEventListener("beforeprint", function () {
  closedForPrint = Array.prototype.slice.call(document.querySelectorAll("details:not([open])"));
  closedForPrint.forEach(function (d) { d.open = true; });
});
window.addEventListener("afterprint", function () { closedForPrint.forEach(function (d) { d.open = false; }); closedForPrint = []; });
window.addEventListener("hashchange", openTarget); openTarget();
"""
NARROW_COLUMNS = ("排名", "文件", "得分", "等级")
"""The ranking's columns a phone shows; the others (class `wide`) are in each report's section too."""


RANKING_ROW, HEAT_FILE, HEAT_NAME, STATUS_CODES, DETAILS = range(5)
"""The pieces of a report `HtmlParts` renders, in this order."""


@dataclass(frozen=True)
class HtmlParts:
    """A report's pieces of the page, UTF-8: its ranking row and its section, each from just
    after its rank or its place in the ranking; its file name and its name in the heat-map;
    its statuses (one byte per rule, in rule-set order) for the heat-map cells."""

    baseline: bool = False
    """With it, the ranking's baseline column (also on reports no baseline report matched)."""

    def __call__(self, outcome: Outcome, comparison: Comparison | None = None) -> tuple[bytes, ...] | None:
        if isinstance(outcome, FileError):
            return None
        report = outcome.report
        return (_ranking_row(outcome, comparison, self.baseline).encode(), escape(outcome.file).encode(),
                escape(f"{report.issuer or outcome.file} {report.year or ''}").encode(),
                scored(outcome).statuses, _report(outcome, comparison).encode())


def batch_html(report: BatchReport, ruleset: RuleSet, generated: datetime, title: str | None = None) -> Iterator[str]:
    """`ruleset`: the set the reports were scored with, for its rules' short labels; `title`: the
    page's heading (`batch --title`), instead of PAGE_TITLE."""
    heading = escape(title or PAGE_TITLE)
    yield ('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
           '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
           f'<meta name="generator" content="fzcheck {__version__}">\n<title>{heading}</title>\n'
           f"<style>{STYLE}{_grade_style()}</style>\n</head>\n<body>\n")
    yield from (_header(report, generated, heading), "<main>", _cards(report.summary),
                '<div class="charts">', _histogram(report.ranked), _grades(report.summary), "</div>")
    places = _places(report)
    yield from _ranking(report, places)
    yield from _heatmap(report, places, {rule.spec.id: shown(rule.spec.label) for rule in ruleset.rules if rule.spec.label})
    yield from (_by_rule(report.summary), _errors(report.errors))
    yield from _reports(report, places)
    yield f"</main><footer>{escape(report.ruleset_title)}<br>{stamps(report.ruleset, __version__)}</footer>"
    yield f"\n<script>{SCRIPT}</script>\n</body>\n</html>\n"


# ---------------------------------------------------------------- page head and overview

def _header(report: BatchReport, generated: datetime, heading: str) -> str:
    facts = [f"规则集：{report.ruleset_title}（{report.ruleset.id} {report.ruleset.version}）",
             f"生成时间：{generated:%Y-%m-%d %H:%M}"]
    if report.baseline:
        facts.append(f"基线：{report.baseline}")
    return f"<header><h1>{heading}</h1><p>{escape('　·　'.join(facts))}</p></header>"


def _cards(summary: Summary) -> str:
    cards = [(str(summary.reports), "份报告", ""),
             ("—" if summary.mean_score is None else f"{summary.mean_score:g}", "平均分", "")]
    if summary.compared:
        cards.append((delta_label(summary.mean_delta or 0), f"较基线平均变化（{summary.compared} 份）", ""))
    cards += [(str(count), label, f" {GRADE_CLASSES[label]}") for label, count in summary.grades.items()]
    if summary.waived:
        cards.append((str(summary.waived), "项豁免（不计入得分）", ""))
    if summary.not_reports:
        cards.append((str(summary.not_reports), "份不是年度报告（另列）", ""))
    cards.append((str(summary.errors), "个文件无法检查", " alert" if summary.errors else ""))
    items = "".join(f'<div class="card{extra}"><b>{escape(value)}</b><span>{escape(label)}</span></div>'
                    for value, label, extra in cards)
    return f'<div class="cards">{items}</div>'


def _histogram(ranked: list[Ranked]) -> str:
    """Scores in 10-point bins, [0, 10) … [90, 100], as an inline SVG bar chart."""
    counts = [0] * HISTOGRAM_BINS
    for item in ranked:
        counts[min(int(item.score // 10), HISTOGRAM_BINS - 1)] += 1
    width, height, left, bottom, top = 620, 230, 36, 34, 18
    slot = (width - left) / HISTOGRAM_BINS
    peak = max(counts) or 1
    parts = [f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" stroke="#9aa5b1"/>']
    for index, count in enumerate(counts):
        bar = (height - bottom - top) * count / peak
        x = left + index * slot + 6
        colour = GRADE_COLOURS[grade(index * 10)]
        low, high = index * 10, index * 10 + 10
        upto = "≤" if index == HISTOGRAM_BINS - 1 else "<"
        parts.append(f'<rect x="{x:.1f}" y="{height - bottom - bar:.1f}" width="{slot - 12:.1f}" height="{bar:.1f}" '
                     f'rx="3" fill="{colour}"><title>{low} ≤ 得分 {upto} {high}：{count} 份</title></rect>')
        parts.append(f'<text x="{x + (slot - 12) / 2:.1f}" y="{height - bottom + 18}" text-anchor="middle">'
                     f"{low}–{high}</text>")
        if count:
            parts.append(f'<text x="{x + (slot - 12) / 2:.1f}" y="{height - bottom - bar - 5:.1f}" '
                         f'text-anchor="middle">{count}</text>')
    parts.append(f'<text x="4" y="{top - 4}">份数</text>')
    svg = (f'<svg viewBox="0 0 {width} {height}" width="100%" role="img" aria-label="得分分布">'
           f"{''.join(parts)}</svg>")
    return f"<section><h2>得分分布</h2>{svg}</section>"


def _grades(summary: Summary) -> str:
    total = summary.reports or 1
    # GRADES is best first: each grade runs from its floor up to the floor above it.
    ranges = [f"≥ {floor:g} 分" if floor else f"< {GRADES[index - 1][0]:g} 分"
              for index, (floor, _) in enumerate(GRADES)]
    rows = "".join(
        f'<tr><td><span class="badge {GRADE_CLASSES[label]}">{escape(label)}</span> '
        f'<span class="dim">{limits}</span></td><td class="num">{summary.grades[label]}</td>'
        f'<td style="width:55%"><div class="stack"><i class="{GRADE_CLASSES[label]}" '
        f'style="width:{100 * summary.grades[label] / total:.1f}%"></i></div></td></tr>'
        for (_, label), limits in zip(GRADES, ranges)
    )
    return f"<section><h2>等级分布</h2><table>{rows}</table></section>"


# ---------------------------------------------------------------- ranking, heat-map, per rule

def _ranking(report: BatchReport, places: dict[int, int]) -> Iterator[str]:
    """A table per ranking (政府, 部门, kind unknown, or all together), then the documents that
    are not rule-of-law reports with the reason; the files that could not be read close the last."""
    baseline = report.baseline is not None
    head = ["排名", "文件", "主体", "年度", "类型", "得分", "等级", "未达标项"] + (["较基线"] if baseline else [])
    tables = [(f"排名 · {ranking_title(ranking.kind, len(ranking.ranked), report.summary.mean_of(ranking.kind))}",
               head, [(str(item.rank), item.index) for item in ranking.ranked]) for ranking in report.rankings]
    if report.not_reports:
        tables.append((f"{NOT_REPORTS_TITLE}：{len(report.not_reports)} 份", [*head[:-1 - baseline], "原因", *head[len(head) - baseline:]],
                       [("—", index) for index in report.not_reports]))
    if not tables:
        tables.append(("排名", head, []))
    for number, (title, columns, rows) in enumerate(tables, start=1):
        header = "".join(map(_ranking_head, columns))
        yield f'<section class="ranking"><h2>{escape(title)}</h2><table><thead><tr>{header}</tr></thead><tbody>'
        for rank, index in rows:
            yield (f'<tr><td class="num">{rank}</td><td class="file"><a href="#{_anchor(places[index])}">'
                   + report.reports.read(index, RANKING_ROW).decode())
        if number == len(tables):
            yield "".join(f'<tr><td class="num">—</td><td class="file">{escape(error.file)}</td><td class="wide" colspan="3"></td>'
                          f'<td></td><td><span class="badge error">{ERROR_LABEL}</span></td>'
                          f'<td class="wide" colspan="{2 if baseline else 1}">{escape(error.error)}</td></tr>'
                          for error in report.errors)
        yield "</tbody></table></section>"


def _places(report: BatchReport) -> dict[int, int]:
    """Each scored document's place on the page (1, 2 …: its section's anchor), by its spill index:
    the rankings' reports in order, then those listed apart."""
    order = [item.index for item in report.ranked] + report.not_reports
    return {index: place for place, index in enumerate(order, start=1)}


def _ranking_head(label: str) -> str:
    """A ranking column's header: numbers aligned right, the columns a phone hides marked `wide`."""
    classes = " ".join(name for name, wanted in (("num", label in ("排名", "得分")), ("wide", label not in NARROW_COLUMNS))
                       if wanted)
    return f'<th class="{classes}">{label}</th>' if classes else f"<th>{label}</th>"


def _ranking_row(result: AuditResult, comparison: Comparison | None, baseline: bool) -> str:
    """A report's ranking row from its linked file name on (the rank and the link go before); a
    document listed apart has the reason where a report has its missed items."""
    cells = [
        f'{escape(result.file)}</a></td>',
        f'<td class="issuer wide">{escape(result.report.issuer or "未识别")}</td>',
        f'<td class="num wide">{result.report.year or "—"}</td>',
        f'<td class="wide">{escape(kind_label(result.report.kind))}</td>',
        f'<td class="num"><span class="scorebar"><i class="{GRADE_CLASSES[result.grade]}" '
        f'style="width:{result.score:.1f}%"></i></span>{result.score:g}</td>',
        f"<td>{_grade_badge(result.grade)}</td>",
        f'<td class="wide">{escape(result.not_a_report or "、".join(failed_titles(result))) or "—"}{_waived_count(result)}</td>',
    ]
    if baseline:
        cells.append(f'<td class="wide">{_delta(comparison)}</td>')
    return f"{''.join(cells)}</tr>"


def _waived_count(result: AuditResult) -> str:
    return f'<span class="dim">（{WAIVED_LABEL} {result.counts.waived} 项）</span>' if result.counts.waived else ""


def _heatmap(report: BatchReport, places: dict[int, int], labels: dict[str, str]) -> Iterator[str]:
    """Reports (ranked) by rules (most missed first): where a corpus is weak shows as a red band.
    A column is headed by its rule's short label, horizontal (vertical CJK text lost glyphs and
    punctuation), the full title on hover and in the key below, which paper and screen readers use."""
    if not report.ranked:
        return
    rules = report.summary.by_rule
    names = [escape(_column_label(rule, labels)) for rule in rules]
    shown = CELLS if report.summary.waived else CELLS[:WAIVED]
    legend = "".join(f'<span style="--c:var(--{name})">{label}</span>' for name, label, _ in shown)
    header = "".join(f'<th class="rule" scope="col" title="{escape(rule.title)}">{name}</th>'
                     for rule, name in zip(rules, names))
    key = "".join(f"<div><dt>{name}</dt><dd>{escape(rule.title)}</dd></div>"
                  for rule, name in zip(rules, names))
    yield (f'<section><h2>检查项热力图</h2><div class="legend">{legend}</div><div class="heat">'
           f'<table aria-describedby="heat-key"><thead><tr><th class="corner"></th>{header}</tr></thead><tbody>')
    # Each cell is its tooltip's start, the report's file name, and the rest, which depends on the
    # rule and the status only.
    starts = [f'<td><span class="cell {name}" title="' for name, _, _ in CELLS]
    ends = [(rule.index, [f' · {escape(rule.title)}：{label}">{glyph}</span></td>' for _, label, glyph in CELLS])
            for rule in rules]
    several = len(report.rankings) > 1
    for ranking in report.rankings:
        for item in ranking.ranked:
            yield _heat_row(report, item, places[item.index], f"{ranking_label(ranking.kind)} " if several else "",
                            starts, ends)
    yield f'</tbody></table></div><dl class="key" id="heat-key" aria-label="列名说明">{key}</dl></section>'


def _heat_row(report: BatchReport, item: Ranked, place: int, group: str, starts: list[str],
              ends: list[tuple[int, list[str]]]) -> str:
    """One report's row of the heat-map: its rank (with its ranking's name when there are several)
    and a cell per rule."""
    file = report.reports.read(item.index, HEAT_FILE).decode()
    statuses = report.reports.read(item.index, STATUS_CODES)
    cells = "".join(starts[statuses[index]] + file + end[statuses[index]] for index, end in ends)
    name = report.reports.read(item.index, HEAT_NAME).decode()
    return (f'<tr><td class="name"><a href="#{_anchor(place)}" title="{file}">'
            f"{group}{item.rank}. {name}</a></td>{cells}</tr>")


def _column_label(rule: RuleTally, labels: dict[str, str]) -> str:
    """The rule's short label, or its number in the rule set (1, 2 …) when its file gives none."""
    return labels.get(rule.id) or str(rule.index + 1)


def _by_rule(summary: Summary) -> str:
    if not summary.reports:
        return ""
    rows = []
    shown = CELLS if summary.waived else CELLS[:WAIVED]
    for rule in summary.by_rule:
        tallied = [rule.counts[status] for status in STATUSES] + [rule.waived]
        counts = "".join(f'<td class="num">{count}</td>' for count, _ in zip(tallied, shown))
        stack = "".join(f'<i class="{name}" style="width:{100 * count / summary.reports:.1f}%" '
                        f'title="{label} {count}"></i>' for count, (name, label, _) in zip(tallied, shown) if count)
        rows.append(f'<tr><td>{escape(rule.title)} <span class="dim">{escape(rule.id)}</span></td>{counts}'
                    f'<td><div class="stack">{stack}</div></td></tr>')
    header = "".join(f'<th class="num">{label}</th>' for _, label, _ in shown)
    return (f"<section><h2>各检查项达标情况 <span class=\"dim\">未达标最多的在前</span></h2><table>"
            f"<thead><tr><th>检查项</th>{header}<th></th></tr></thead><tbody>{''.join(rows)}</tbody></table></section>")


def _errors(errors: list[FileError]) -> str:
    if not errors:
        return ""
    rows = "".join(f"<tr><td>{escape(error.file)}</td><td>{escape(error.error)}</td></tr>" for error in errors)
    return (f"<section><h2>无法检查的文件（{len(errors)}）</h2><table><thead><tr><th>文件</th><th>原因</th></tr>"
            f"</thead><tbody>{rows}</tbody></table></section>")


# ---------------------------------------------------------------- one section per report

def _reports(report: BatchReport, places: dict[int, int]) -> Iterator[str]:
    """A section per document, in the order of the tables: a report's summary opens with its
    ranking and rank (政府 #1), a document listed apart's with 另列."""
    if not report.scored:
        return
    toolbar = ('<span class="toolbar"><button type="button" onclick="setAll(true)">全部展开</button> '
               '<button type="button" onclick="setAll(false)">全部收起</button></span>')
    yield f'<section id="reports"><h2>逐份报告{toolbar}</h2>'
    several = len(report.rankings) > 1
    listed = [(f"{ranking_label(ranking.kind)} " if several else "") + f"#{item.rank}" for ranking in report.rankings
              for item in ranking.ranked]
    for (index, place), mark in zip(places.items(), [*listed, *["另列"] * len(report.not_reports)]):
        yield f'<details id="{_anchor(place)}"><summary>{escape(mark)}' + report.reports.read(index, DETAILS).decode()
    yield "</section>"


def _report(result: AuditResult, comparison: Comparison | None) -> str:
    """A report's section from just after its rank (its anchor and rank go before)."""
    summary = (f"　{escape(result.report.issuer or '未识别主体')}　"
               f'<span class="dim">{escape(result.file)}</span>　{result.score:g} 分 {_grade_badge(result.grade)}')
    warning = result.not_a_report
    parts = [f'{summary}</summary><div class="body">', _facts(result)]
    if warning:
        parts.append(f'<p class="warn">⚠ {escape(warning)}</p>')
    if comparison is not None:
        parts.append(f"<p><b>{escape(headline(comparison))}</b></p>")
    parts += [_items(result.results, comparison), "</div></details>"]
    return "".join(parts)


def _facts(result: AuditResult) -> str:
    report = result.report

    def fact(value: object, field: str = "", source: str | None = None) -> str:
        if value is None:
            return "未识别"
        origin = f' <span class="dim">（{escape(source_label(field, source))}）</span>' if source else ""
        return escape(str(value)) + origin

    facts = [("标题", fact(report.title)), ("主体", fact(report.issuer, "issuer", report.issuer_source)),
             ("类型", fact(kind_label(result.report.kind), "kind", report.kind_source)),
             ("年度", fact(report.year, "year", report.year_source)),
             ("发布日期", fact(report.published, "published", report.published_source)),
             ("达标 / 部分 / 未达标 / 不适用",
              f"{result.counts.pass_} / {result.counts.partial} / {result.counts.fail} / {result.counts.not_applicable}"),
             *([(WAIVED_LABEL, f"{result.counts.waived} 项（不计入得分）")] if result.counts.waived else []),
             (INPUT_HASH_LABEL, hash_text(report.source.sha256))]
    return "<dl>" + "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in facts) + "</dl>"


def _items(results: list[RuleResult], comparison: Comparison | None) -> str:
    head = ["检查项", "结果", "得分", "说明与证据", "建议"] + (["变化"] if comparison else [])
    rows = []
    for item in results:
        evidence = "".join(f"<li>{escape(quote(found))}</li>" for found in item.evidence)
        cells = [
            f'<td>{escape(item.title)}<br><span class="dim">{escape(item.id)} · {escape(item.basis)}</span></td>',
            f"<td>{verdict_badge(item)}</td>",
            f'<td class="num">{score_text(item)}</td>',
            f'<td>{escape(item.message)}{waiver_note(item)}{f"<ul class=evidence>{evidence}</ul>" if evidence else ""}</td>',
            f"<td>{escape((item.hint or '') if item.falls_short else '')}</td>",
        ]
        if comparison:
            change = comparison.change_of(item.id)
            cells.append(f"<td>{_change(change) if change else ''}</td>")
        rows.append(f"<tr>{''.join(cells)}</tr>")
    header = "".join(f"<th>{label}</th>" for label in head)
    return f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


# ---------------------------------------------------------------- small pieces

def _anchor(position: int) -> str:
    # Ranks repeat on ties and paths hold any character: the position in the ranking is the id.
    return f"report-{position}"


def _delta(comparison: Comparison | None) -> str:
    """The score change, and how many items moved each way; the items are in the report's section."""
    if comparison is None:
        return '<span class="dim">无基线</span>'
    moves = Counter(change.direction for change in comparison.changes)
    counts = " ".join(f'<span class="{DIRECTION_CLASSES[direction]}">{ARROWS[direction]}{moves[direction]}</span>'
                      for direction in (1, -1) if moves[direction])
    listing = escape("\n".join(f"{change.id}：{change_label(change)}" for change in comparison.changes))
    css = DIRECTION_CLASSES[(comparison.delta > 0) - (comparison.delta < 0)]
    return f'<b class="{css}" title="{listing}">{delta_label(comparison.delta)} 分</b> {counts}'


def _change(change: Change) -> str:
    return f'<span class="{DIRECTION_CLASSES[change.direction]}">{escape(change_label(change))}</span>'
