"""The document builder and the national rules on any text: no exception, bounded time. Texts are
drawn from the characters reports are made of (Chinese, numbering, punctuation, digits, page
chrome) so that the generator reaches the structure code, plus arbitrary Unicode."""
from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.document import build_document
from checker.engine import audit
from checker.readers import Source
from checker.ruleset import load_ruleset

RULESET = load_ruleset()
PIECES = ["一、", "（二）", "3.", "(4)", "①", "第一部分", "【要点】", "一是", "二是", "。", "，", "；", "：", "\n", " ",
          "存在的问题", "下一步", "2024年", "二〇二三年", "工作安排", "出庭应诉率", "100%", "百分之九十", "未", "尚未", "将",
          "督促各乡镇", "有待提高", "重大行政决策", "规范性文件", "审核", "备案", "清理", "首页 > 政务公开 >", "字体:大 中 小",
          "版权所有", "发布时间:2024-03-20 10:15", "现将有关情况报告如下", "法治政府建设情况报告", "局长", "亲自", "第一责任人",
          "應訴", "報告", "|", "12件", "五百余人次"]
TEXTS = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=80).map("".join),
    st.text(max_size=400),
)
SECONDS_PER_TEXT = 2.0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_any_text_builds_and_audits(text: str) -> None:
    started = time.monotonic()
    document = build_document(Source(path="fuzz.txt", text=text, format="txt"), vocabulary=RULESET.vocabulary)
    result = audit(document, RULESET)
    assert len(result.results) == len(RULESET.rules)
    assert 0 <= result.score <= 100
    for item in result.results:
        for evidence in item.evidence:
            assert evidence.line >= 1
    assert time.monotonic() - started < SECONDS_PER_TEXT


LINE_PIECES = [piece for piece in PIECES if piece.strip()]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(LINE_PIECES), st.sampled_from(["", "h1", "h2", "h3", "b", "c"])), min_size=1, max_size=30))
def test_styled_lines_build(lines: list[tuple[str, str]]) -> None:
    text = "\n".join(line.replace("\n", "") for line, _ in lines)
    styles = tuple(style for _, style in lines)
    document = build_document(Source(path="fuzz.docx", text=text, format="docx", line_styles=styles),
                              vocabulary=RULESET.vocabulary)
    assert audit(document, RULESET).score >= 0
