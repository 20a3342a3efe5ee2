"""The words and marks every output shows for the result's values, declared once: a status's
terminal style, a kind's and a statement's Chinese name, where a report field was read from, and
how a piece of evidence is quoted. Plain data, no rendering library: the JSON, CSV, Word and
Excel writers import it without loading rich."""
from __future__ import annotations

from checker.models import AuditResult, Evidence, RuleResult, Status, Waiver

STATUS_STYLES = {
    Status.PASS: "bold green",
    Status.PARTIAL: "bold yellow",
    Status.FAIL: "bold red",
    Status.NOT_APPLICABLE: "dim",
}
"""rich styles of the terminal outputs (the audit table, the batch table, the comparison)."""

STATUS_MARKS = {Status.PASS: "✓", Status.PARTIAL: "◐", Status.FAIL: "✗", Status.NOT_APPLICABLE: "–"}
"""One mark per status, for the terminal's stacked layout and the Word report."""

WAIVED_LABEL = "豁免"
WAIVED_STYLE = "bold blue"
WAIVED_MARK = "○"
"""A waived item's word, terminal style and mark, shown where its status's would be (the status
itself follows, see `verdict_label`)."""

KIND_LABELS = {"government": "政府", "department": "部门"}
UNKNOWN = "未知"
ERROR_LABEL = "错误"
"""The status shown for a file that could not be read or checked."""

SOURCE_LABELS = {"meta": "网页元数据", "text": "页面文字", "signature": "落款", "user": "用户指定",
                 "title": "标题", "body": "正文", "issuer": "依主体名称判断"}
"""Where a report field (issuer, kind, year, date) was read from, by its `*_source` value."""
DATE_FROM_SIGNATURE = "落款日期（推定，非发布日期）"
"""A publication date read under the signature is when the report was signed, which it says."""


def source_label(field: str, source: str | None) -> str | None:
    """Where the report's `field` (issuer, kind, year, published) was read from, in words."""
    if source is None:
        return None
    if field == "published" and source == "signature":
        return DATE_FROM_SIGNATURE
    return SOURCE_LABELS.get(source, source)

STATEMENT_LABELS = {"achievement": "成效", "promise": "承诺", "admission": "不足", "negation": "否定",
                    "directive": "要求他人", "heading": "标题"}
"""What a quoted statement does, which is why it counted or not."""


RANKING_LABELS = {**KIND_LABELS, None: "类型未识别", "all": "全部报告"}
"""Each ranking of a batch by its kind (checker.batch.RANKED_KINDS, and TOGETHER)."""
NOT_REPORTS_TITLE = "不是法治政府建设年度报告（另列，不参与排名和平均分）"


def kind_label(kind: str | None) -> str:
    return KIND_LABELS.get(kind or "", UNKNOWN)


def ranking_label(kind: str | None) -> str:
    return RANKING_LABELS.get(kind, UNKNOWN)


def ranking_title(kind: str | None, reports: int, mean_score: float | None) -> str:
    """政府：12 份，平均 78.5 分 — what a ranking of a batch ranks."""
    mean = "" if mean_score is None else f"，平均 {mean_score:g} 分"
    return f"{ranking_label(kind)}：{reports} 份{mean}"


def quote(evidence: Evidence) -> str:
    """第3行〔承诺〕：… — where the quotation stands and what the statement does."""
    where = f"第{evidence.page}页 " if evidence.page else ""
    label = f"〔{STATEMENT_LABELS[evidence.statement]}〕" if evidence.statement else ""
    return f"{where}第{evidence.line}行{label}：{evidence.text}"


def failed_titles(result: AuditResult) -> list[str]:
    """The items a report fails and no waiver excuses, in rule-set order: the 未达标项 of every ranking."""
    return [item.title for item in result.results if item.status is Status.FAIL and item.waiver is None]


def waived_titles(result: AuditResult) -> list[str]:
    """The items a waiver excuses, in rule-set order."""
    return [item.title for item in result.results if item.waiver is not None]


def verdict_label(item: RuleResult) -> str:
    """达标, 未达标 …; for a waived item 豁免（未达标）: the excuse, and what the rules found."""
    return f"{WAIVED_LABEL}（{item.status.label}）" if item.waiver else item.status.label


def verdict_mark(item: RuleResult) -> str:
    return WAIVED_MARK if item.waiver else STATUS_MARKS[item.status]


def waiver_text(waiver: Waiver) -> str:
    """豁免：reason（批准：…；有效期至 …；file:line） — everything a reader needs to check a waiver."""
    return f"{WAIVED_LABEL}：{waiver.reason}（批准：{waiver.approved_by}；有效期至 {waiver.until.isoformat()}；{waiver.source}）"
