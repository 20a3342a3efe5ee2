"""One audited report as a printable, self-contained HTML page (`fzcheck audit FILE --format html`),
and what the single-report formats share: the review's title, the metadata rows, the items to fix
first, and the look of fzcheck's pages (the batch page in html_format.py builds on it).

No network, no external assets, no script: the styles are inline and the page prints on A4.
Every piece of text from a report or a rule file goes through `escape`; control characters were
already made visible by `shown_result` before any format sees the result.
"""
from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from checker.gate import Fix, blocking_mark, rank_fixes
from checker.models import AuditResult, RuleResult, RuleSetRef, Status
from checker.output.labels import WAIVED_LABEL, kind_label, quote, source_label, verdict_label, waiver_text
from checker.scoring import GRADES, counted

if TYPE_CHECKING:  # only with --baseline
    from checker.baseline import Comparison

STATUS_CLASSES = {Status.PASS: "pass", Status.PARTIAL: "partial", Status.FAIL: "fail", Status.NOT_APPLICABLE: "na"}
WAIVED_CLASS = "waived"
# Best grade first, as checker.scoring lists them; zip(strict) fails at import if a grade is added.
GRADE_COLOURS = dict(zip((label for _, label in GRADES), ("#1b5e20", "#3d6b21", "#9a6700", "#c62828"), strict=True))
GRADE_CLASSES = {label: f"grade-{index}" for index, label in enumerate(GRADE_COLOURS)}
REVIEW_SUFFIX = "审查意见"
GENERIC_TITLE = "法治政府建设年度报告"
INPUT_HASH_LABEL = "文件 SHA-256"
"""Of the bytes read, in a report's facts: the file a score was computed from can be checked later."""

PAGE_STYLE = """
:root { --ink:#1d2733; --muted:#5f6b7a; --line:#dde3ea; --paper:#f4f6f9; --brand:#1f3a5f;
  --pass:#2e7d32; --partial:#9a6700; --fail:#c62828; --na:#b8c2cc; --waived:#3f51b5; }
* { box-sizing:border-box; }
body { margin:0; background:var(--paper); color:var(--ink); font-size:14px; line-height:1.6;
  font-family:"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","Source Han Sans SC",
  "WenQuanYi Micro Hei",system-ui,-apple-system,"Segoe UI",sans-serif; }
header { background:var(--brand); color:#fff; padding:28px 40px 24px; }
header h1 { margin:0 0 6px; font-size:24px; font-weight:600; letter-spacing:1px; }
header p { margin:0; color:#c9d6e8; font-size:13px; }
main { max-width:1320px; margin:0 auto; padding:24px 40px 48px; }
section { background:#fff; border:1px solid var(--line); border-radius:8px; padding:20px 24px; margin:0 0 20px; }
h2 { margin:0 0 14px; font-size:17px; font-weight:600; border-left:4px solid var(--brand); padding-left:10px; }
.cards { display:grid; grid-template-columns:repeat(auto-fit, minmax(120px, 1fr)); gap:14px; margin:0 0 20px; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:14px 18px; }
.card b { display:block; font-size:26px; font-weight:600; font-variant-numeric:tabular-nums; }
.card span { color:var(--muted); font-size:13px; }
.card.alert b { color:var(--fail); }
.card[class*="grade-"] { background:#fff; border-top:4px solid var(--g); }
.card[class*="grade-"] b { color:var(--g); }
.charts { display:grid; grid-template-columns:3fr 2fr; gap:20px; }
.charts section { margin:0; }
table { border-collapse:collapse; width:100%; }
th, td { text-align:left; padding:8px 10px; border-bottom:1px solid var(--line); vertical-align:top; }
th { background:#eef2f7; font-weight:600; color:#34404e; white-space:nowrap; }
td.num, th.num { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
tr:hover td { background:#fafbfd; }
a { color:var(--brand); }
.dim { color:var(--muted); font-size:12px; }
.badge { display:inline-block; padding:1px 8px; border-radius:10px; font-size:12px; font-weight:600; white-space:nowrap; color:#fff; }
.badge.pass { background:var(--pass); } .badge.partial { background:var(--partial); }
.badge.fail { background:var(--fail); } .badge.na { background:var(--na); color:#34404e; }
.badge.waived { background:var(--waived); } .waiver { color:var(--waived); }
.badge.error { background:#6d1b1b; }
code.hash { font-family:ui-monospace,"SFMono-Regular",Consolas,"Liberation Mono",monospace; font-size:11px; overflow-wrap:anywhere; }
footer { text-align:center; color:var(--muted); font-size:12px; padding:0 24px 32px; line-height:1.8; }
@media print {
  * { -webkit-print-color-adjust:exact; print-color-adjust:exact; }
  body { background:#fff; font-size:10.5pt; }
  header { background:none; color:var(--ink); padding:0 0 8px; border-bottom:2px solid var(--brand); }
  header p { color:var(--muted); }
  main { max-width:none; padding:8px 0 0; }
  section { border:none; border-radius:0; padding:0; margin:0 0 12px; }
  .cards { gap:6px; } .card { padding:6px 10px; break-inside:avoid; } .card b { font-size:18px; }
  thead { display:table-header-group; } tr { break-inside:avoid; }
  tr:hover td { background:none; }
  h2 { break-after:avoid; }
  footer { padding:8px 0 0; }
}
@media (max-width:700px) {
  header { padding:18px 16px 16px; } header h1 { font-size:20px; }
  main { padding:12px 10px 32px; }
  section { padding:14px 12px; overflow-x:auto; }
  .card b { font-size:22px; }
}
"""
"""The look every fzcheck page shares: colours, header, sections, cards, tables, badges, the
footer's version stamps; on paper, colours kept and no screen chrome; on a phone, narrow margins
and a section too wide for the screen scrolling inside itself, never the page."""

REPORT_STYLE = """
main { max-width:1100px; }
dl.facts { display:grid; grid-template-columns:max-content 1fr; gap:4px 18px; margin:0; }
dl.facts dt { color:var(--muted); } dl.facts dd { margin:0; word-break:break-all; }
.cards { grid-template-columns:repeat(6, 1fr); } .cards.waived { grid-template-columns:repeat(7, 1fr); }
.card.total b { font-size:32px; }
ol.fixes { margin:0; padding-left:22px; } ol.fixes li { margin:4px 0; }
ol.fixes .gain { display:inline-block; min-width:52px; font-weight:600; color:var(--fail); font-variant-numeric:tabular-nums; }
table.items th, table.items td { font-size:13px; }
table.items td.title { width:16%; } table.items td.status { width:7%; white-space:nowrap; }
table.items td.evidence { width:34%; } table.items td.hint { width:22%; } table.items td.basis { width:15%; }
table.items tr.fail td:first-child { box-shadow:inset 4px 0 var(--fail); }
table.items tr.partial td:first-child { box-shadow:inset 4px 0 var(--partial); }
.evidence ul { margin:4px 0 0; padding-left:18px; } .evidence li { margin:2px 0; }
.message { color:var(--muted); }
@page { size:A4; margin:15mm 12mm; }
@media print {
  .card.total b { font-size:22px; }
  table.items th, table.items td { font-size:9pt; padding:4px 6px; }
}
@media (max-width:700px) { .cards { grid-template-columns:repeat(3, 1fr); }
  table.items td.basis, table.items th.basis { display:none; } }
"""


# ---------------------------------------------------------------- shared by the single-report formats

def grade_style() -> str:
    return "".join(f".{GRADE_CLASSES[label]} {{ --g:{colour}; background:var(--g); }}\n"
                   for label, colour in GRADE_COLOURS.items())


def status_badge(status: Status) -> str:
    return f'<span class="badge {STATUS_CLASSES[status]}">{status.label}</span>'


def verdict_class(item: RuleResult) -> str:
    return WAIVED_CLASS if item.waiver else STATUS_CLASSES[item.status]


def verdict_badge(item: RuleResult) -> str:
    """The item's status badge, or for a waived item 豁免 with its status (`verdict_label`)."""
    return f'<span class="badge {verdict_class(item)}">{escape(verdict_label(item))}</span>'


def waiver_note(item: RuleResult) -> str:
    """The waiver that excuses the item, as a paragraph; nothing for an item not waived."""
    return f'<p class="waiver">{escape(waiver_text(item.waiver))}</p>' if item.waiver else ""


def grade_badge(label: str) -> str:
    return f'<span class="badge {GRADE_CLASSES.get(label, "")}">{escape(label)}</span>'


def hash_text(digest: str | None) -> str:
    """A SHA-256 in full: paper has no hover, and a score is reproduced by comparing it whole."""
    return f'<code class="hash">{escape(digest)}</code>' if digest else "—"


def stamps(ruleset: RuleSetRef, fzcheck: str) -> str:
    """The footer line that ties a page to what made it: fzcheck's version and the rule set's
    id, version and content hash."""
    return (f"由 fzcheck {escape(fzcheck)} 生成 · 规则集 {escape(ruleset.id)} {escape(ruleset.version)}"
            f" · 规则集 SHA-256 {hash_text(ruleset.sha256)}")


def review_title(result: AuditResult) -> str:
    """《云溪县人民政府2024年法治政府建设情况报告》审查意见, or from the issuer and year when the
    document's title was not found."""
    report = result.report
    if report.title:
        return f"《{report.title.strip('《》')}》{REVIEW_SUFFIX}"
    year = f"{report.year}年" if report.year else ""
    return f"{report.issuer or ''}{year}{GENERIC_TITLE}{REVIEW_SUFFIX}"


def metadata(result: AuditResult) -> list[tuple[str, str, str | None]]:
    """(label, value, where it came from) for the report's metadata, as the table shows it."""
    report = result.report

    def value(item: object) -> str:
        return "未识别" if item is None else str(item)

    def source(field: str, item: object, origin: str | None) -> str | None:
        return source_label(field, origin) if item is not None else None

    kind = kind_label(report.kind) if report.kind else None
    return [
        ("报告主体", value(report.issuer), source("issuer", report.issuer, report.issuer_source)),
        ("类型", value(kind), source("kind", kind, report.kind_source)),
        ("年度", value(report.year), source("year", report.year, report.year_source)),
        ("发布日期", value(report.published), source("published", report.published, report.published_source)),
        ("报告标题", value(report.title), None),
        ("文件", result.file, None),
        ("规则集", f"{result.ruleset.id} {result.ruleset.version}", None),
    ]


def score_text(item: RuleResult) -> str:
    return f"{item.score:g}/{item.weight:g}" if counted(item) else "—"


def counts_text(result: AuditResult) -> str:
    counts = result.counts
    waived = f"　{WAIVED_LABEL} {counts.waived} 项" if counts.waived else ""
    return (f"达标 {counts.pass_} 项　部分达标 {counts.partial} 项　未达标 {counts.fail} 项　"
            f"不适用 {counts.not_applicable} 项{waived}")


def fixes(result: AuditResult) -> tuple[Fix, ...]:
    """Every item short of a pass, the one that recovers the most points first (as precheck ranks them)."""
    return rank_fixes(result.results)


def nothing_to_fix(result: AuditResult) -> str:
    return "各项均已达标、不适用或豁免。" if result.counts.waived else "各项均已达标或不适用。"


def fix_label(fix: Fix) -> str:
    return f"{fix.rule.title}{blocking_mark(fix.rule)}"


def hint_of(item: RuleResult) -> str:
    """What to add, for an item short of a pass (and not waived) only."""
    return item.hint or "" if item.falls_short else ""


# ---------------------------------------------------------------- the page

def report_html(result: AuditResult, comparison: Comparison | None = None, title: str | None = None) -> str:
    """`title`: the page's heading (`audit --title`), instead of the review title of the report."""
    title = escape(title or review_title(result))
    parts = ['<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
             '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
             f'<meta name="generator" content="fzcheck {escape(result.fzcheck)}">\n<title>{title}</title>\n'
             f"<style>{PAGE_STYLE}{REPORT_STYLE}{grade_style()}</style>\n</head>\n<body>\n",
             f"<header><h1>{title}</h1><p>{escape(result.file)}</p></header>\n<main>\n",
             _cards(result)]
    warning = result.not_a_report
    if warning:
        parts.append(f'<section><p class="warn">⚠ 可能不是法治政府建设年度报告：{escape(warning)}</p></section>\n')
    if comparison is not None:
        from checker.output.changes import headline

        parts.append(f"<section><p><b>{escape(headline(comparison))}</b></p></section>\n")
    parts += [_facts(result), _fixes(result), _items(result.results),
              f"</main>\n<footer>{stamps(result.ruleset, result.fzcheck)}</footer>\n</body>\n</html>\n"]
    return "".join(parts)


def _cards(result: AuditResult) -> str:
    counts = result.counts
    cards = [(f"{result.score:g}", "总分（满分 100）", " total"), (result.grade, "等级", f" {GRADE_CLASSES.get(result.grade, '')}"),
             (str(counts.pass_), "达标", ""), (str(counts.partial), "部分达标", ""),
             (str(counts.fail), "未达标", " alert" if counts.fail else ""), (str(counts.not_applicable), "不适用", "")]
    cards += [(str(counts.waived), WAIVED_LABEL, "")] if counts.waived else []
    items = "".join(f'<div class="card{extra}"><b>{escape(value)}</b><span>{label}</span></div>'
                    for value, label, extra in cards)
    return f'<div class="cards{" waived" if counts.waived else ""}">{items}</div>\n'


def _facts(result: AuditResult) -> str:
    rows = "".join(f"<dt>{label}</dt><dd>{escape(value)}"
                   + (f' <span class="dim">（{escape(source)}）</span>' if source else "") + "</dd>"
                   for label, value, source in metadata(result))
    rows += f"<dt>{INPUT_HASH_LABEL}</dt><dd>{hash_text(result.report.source.sha256)}</dd>"
    return f'<section><h2>报告信息</h2><dl class="facts">{rows}</dl></section>\n'


def _fixes(result: AuditResult) -> str:
    found = fixes(result)
    if not found:
        return f'<section><h2>优先整改事项</h2><p>{nothing_to_fix(result)}</p></section>\n'
    items = "".join(f'<li><span class="gain">+{fix.points:g} 分</span><b>{escape(fix_label(fix))}</b>'
                    f"　{status_badge(fix.rule.status)}<br>{escape(fix.rule.hint or '')}</li>" for fix in found)
    return (f'<section><h2>优先整改事项 <span class="dim">按可挽回的分数排序</span></h2>'
            f'<ol class="fixes">{items}</ol></section>\n')


def _items(results: list[RuleResult]) -> str:
    rows = []
    for item in results:
        evidence = "".join(f"<li>{escape(quote(found))}</li>" for found in item.evidence)
        rows.append(
            f'<tr class="{verdict_class(item)}">'
            f'<td class="title">{escape(item.title)}<br><span class="dim">{escape(item.id)}</span></td>'
            f'<td class="status">{verdict_badge(item)}</td>'
            f'<td class="num">{score_text(item)}</td>'
            f'<td class="evidence"><span class="message">{escape(item.message)}</span>{waiver_note(item)}'
            f'{f"<ul>{evidence}</ul>" if evidence else ""}</td>'
            f'<td class="hint">{escape(hint_of(item))}</td>'
            f'<td class="basis">{escape(item.basis)}</td></tr>\n')
    return ('<section><h2>逐项检查结果</h2><table class="items"><thead><tr><th>检查项</th><th>结果</th>'
            '<th class="num">得分</th><th>说明与证据</th><th>建议</th><th class="basis">依据</th></tr></thead>'
            f"<tbody>\n{''.join(rows)}</tbody></table></section>\n")
