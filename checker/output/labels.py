"""The words and marks every output shows for the result's values, declared once: a status's
terminal style, a kind's and a statement's Chinese name, where a report field was read from, and
how a piece of evidence is quoted. Plain data, no rendering library: the JSON, CSV, Word and
Excel writers import it without loading rich."""
from __future__ import annotations

from checker.models import AuditResult, Evidence, Status

STATUS_STYLES = {
    Status.PASS: "bold green",
    Status.PARTIAL: "bold yellow",
    Status.FAIL: "bold red",
    Status.NOT_APPLICABLE: "dim",
}
"""rich styles of the terminal outputs (the audit table, the batch table, the comparison)."""

KIND_LABELS = {"government": "政府", "department": "部门"}
UNKNOWN = "未知"
ERROR_LABEL = "错误"
"""The status shown for a file that could not be read or checked."""

SOURCE_LABELS = {"meta": "网页元数据", "text": "页面文字", "signature": "落款日期（推定，非发布日期）", "user": "用户指定",
                 "title": "标题", "body": "正文", "issuer": "依主体名称判断"}
"""Where a report field (issuer, kind, year, date) was read from, by its `*_source` value."""

STATEMENT_LABELS = {"achievement": "成效", "promise": "承诺", "admission": "不足", "negation": "否定",
                    "directive": "要求他人", "heading": "标题"}
"""What a quoted statement does, which is why it counted or not."""


def kind_label(kind: str | None) -> str:
    return KIND_LABELS.get(kind or "", UNKNOWN)


def quote(evidence: Evidence) -> str:
    """第3行〔承诺〕：… — where the quotation stands and what the statement does."""
    where = f"第{evidence.page}页 " if evidence.page else ""
    label = f"〔{STATEMENT_LABELS[evidence.statement]}〕" if evidence.statement else ""
    return f"{where}第{evidence.line}行{label}：{evidence.text}"


def failed_titles(result: AuditResult) -> list[str]:
    """The items a report fails, in rule-set order: the 未达标项 of every ranking."""
    return [item.title for item in result.results if item.status is Status.FAIL]
