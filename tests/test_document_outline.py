"""checker/document/outline.py: the outline a reader sees. Numbering families, levels from the
families the report uses, headings shown by the container (Word heading styles, HTML <h2>, bold
lines), short unnumbered lines standing above body text, 一是 leads; and lines that only look
like headings. Every text is a short report written for the test."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from checker.document import build_document
from checker.document.numbers import CN_DIGITS
from checker.document.outline import FAMILIES, LEAD_LEVEL, find_headings, point_leads
from checker.readers import Source

BODY = "全年组织执法人员开展业务培训六场，累计参训人员达到三百余人次，执法能力明显增强。"


def styled(text: str, styles: tuple[str, ...]):
    """A document from a container that shows some lines as headings (Word, HTML, PDF)."""
    return build_document(Source(path="t.docx", text=text, format="docx", line_styles=styles))


def outline(document) -> list[tuple[int, str]]:
    return [(heading.level, heading.text) for heading in document.headings if not heading.is_lead]


def heading_lines(document) -> list[str]:
    return [document.lines[heading.line] for heading in document.headings if not heading.is_lead]


# ---------------------------------------------------------------- numbering families

@pytest.mark.parametrize(("line", "family", "text"), [
    pytest.param("第一部分 年度工作", "part", "第一部分 年度工作", id="part"),
    pytest.param("第二章 依法决策", "part", "第二章 依法决策", id="chapter"),
    pytest.param("一、健全制度", "cn", "一、健全制度", id="cn-comma"),
    pytest.param("十二、其他工作", "cn", "十二、其他工作", id="cn-twelve"),
    pytest.param("二．规范执法", "cn", "二.规范执法", id="cn-full-width-stop"),
    pytest.param("【依法决策】全年审核决策事项8件。", "bracket", "【依法决策】", id="bracket-text-is-the-bracket"),
    pytest.param("（一）规范审查", "cn-paren", "(一)规范审查", id="cn-paren"),
    pytest.param("1.加强学习", "arabic", "1.加强学习", id="arabic-stop"),
    pytest.param("2、加强培训", "arabic", "2、加强培训", id="arabic-comma"),
    pytest.param("10.规范执法", "arabic", "10.规范执法", id="arabic-ten"),
    pytest.param("（1）细化程序", "arabic-paren", "(1)细化程序", id="arabic-paren"),
    pytest.param("⑴细化程序", "arabic-paren", "(1)细化程序", id="parenthesised-digit"),
    pytest.param("①明确标准", "circled", "①明确标准", id="circled"),
    pytest.param("（一）健全依法决策机制。全年审核规范性文件21件。", "cn-paren", "(一)健全依法决策机制。",
                 id="heading-text-ends-at-its-full-stop"),
])
def test_numbering_family(make_document, line: str, family: str, text: str) -> None:
    document = make_document(line + "\n" + BODY)
    assert [(heading.family, heading.text) for heading in document.headings] == [(family, text)]


def test_every_family_nests_in_official_order(make_document) -> None:
    lines = ["第一部分 年度工作", "一、健全制度", "【依法决策】", "（一）规范审查", "1.加强学习", "（1）细化程序", "①明确标准"]
    document = make_document("\n".join(f"{line}\n{BODY}" for line in lines))
    assert [(heading.level, heading.family) for heading in document.headings] == [
        (1, "part"), (2, "cn"), (3, "bracket"), (4, "cn-paren"), (5, "arabic"), (6, "arabic-paren"), (7, "circled")]


@pytest.mark.parametrize(("report", "levels"), [
    pytest.param(f"（一）健全制度\n{BODY}\n1.加强学习\n{BODY}\n（二）规范执法\n{BODY}",
                 [(1, "(一)健全制度"), (2, "1.加强学习"), (1, "(二)规范执法")], id="top-level-cn-paren-is-level-1"),
    pytest.param(f"一、主要工作\n{BODY}\n1.加强学习\n{BODY}\n2.规范执法\n{BODY}",
                 [(1, "一、主要工作"), (2, "1.加强学习"), (2, "2.规范执法")], id="skipped-family-levels-stay-dense"),
    pytest.param(f"1.加强学习\n{BODY}\n（1）细化程序\n{BODY}",
                 [(1, "1.加强学习"), (2, "(1)细化程序")], id="arabic-top-level"),
])
def test_levels_come_from_the_families_the_report_uses(make_document, report: str, levels) -> None:
    assert outline(make_document(report)) == levels


def test_heading_positions_point_at_the_heading(make_document) -> None:
    document = make_document(f"临溪县2024年法治政府建设年度报告\n一、主要工作\n（一）健全机制。全年审核文件21件。\n{BODY}")
    for heading in document.headings:
        assert document.text[heading.start:heading.end] == heading.text
        assert document.line_of(heading.start) == heading.line


def test_body_after_a_heading_on_its_line_is_not_heading(make_document) -> None:
    document = make_document("一、主要工作\n（一）健全机制。全年审核文件21件。")
    body = document.text.index("全年审核")
    assert body not in document.scopes["headings"]
    assert document.statement_of(body) == "achievement"
    assert document.statement_of(document.text.index("健全机制")) == "heading"


@pytest.mark.parametrize("line", [
    pytest.param("1.5万元专项经费全部用于执法装备购置", id="decimal-amount"),
    pytest.param("12.3%的案件通过调解结案", id="decimal-percent"),
    pytest.param("3.5亿元", id="decimal-sum"),
])
def test_decimal_numbers_are_not_arabic_numbering(line: str) -> None:
    assert not any(pattern.match(line) for _, _, pattern in FAMILIES)


# ---------------------------------------------------------------- container styles

def test_container_heading_styles_rank_as_their_level() -> None:
    document = styled(f"临溪县2024年法治政府建设年度报告\n工作成效\n{BODY}\n依法决策\n{BODY}", ("c", "h1", "", "h3", ""))
    assert outline(document) == [(1, "工作成效"), (2, "依法决策")]
    assert [heading.family for heading in document.headings] == ["h1", "h3"]


@pytest.mark.parametrize("style", [pytest.param("b", id="bold"), pytest.param("c", id="centred"),
                                   pytest.param("bc", id="bold-centred")])
def test_an_emphasised_short_line_is_a_heading(style: str) -> None:
    document = styled(f"依法决策\n{BODY}", (style, ""))
    assert [(heading.family, heading.text) for heading in document.headings] == [("emphasis", "依法决策")]


def test_a_bold_sentence_is_not_a_heading() -> None:
    document = styled(f"一、主要工作\n全年审核规范性文件21件。\n{BODY}", ("", "b", ""))
    assert heading_lines(document) == ["一、主要工作"]


def test_numbering_decides_over_style() -> None:
    document = styled(f"一、主要工作\n{BODY}\n（一）健全制度\n{BODY}", ("b", "", "h1", ""))
    assert outline(document) == [(1, "一、主要工作"), (2, "(一)健全制度")]


def test_the_title_is_not_a_heading() -> None:
    document = styled(f"临溪县2024年法治政府建设年度报告\n一、主要工作\n{BODY}", ("c", "", ""))
    assert outline(document) == [(1, "一、主要工作")]


def test_a_bold_line_under_an_h2_heading_is_its_sub_heading() -> None:
    document = styled(f"工作成效\n{BODY}\n依法决策\n{BODY}", ("h2", "", "b", ""))
    assert outline(document) == [(1, "工作成效"), (2, "依法决策")]


# ---------------------------------------------------------------- unnumbered headings

@pytest.mark.parametrize("line", [
    pytest.param("执法规范化建设", id="topic-line"),
    pytest.param("强化行政复议监督", id="verb-phrase"),
])
def test_a_short_line_above_body_text_is_a_heading(make_document, line: str) -> None:
    document = make_document(f"一、主要工作\n{BODY}\n{line}\n{BODY}")
    assert [(heading.family, heading.text) for heading in document.headings][-1] == ("plain", line)


def test_a_short_line_above_another_short_line_is_not_a_heading(make_document) -> None:
    document = make_document(f"一、主要工作\n{BODY}\n执法规范化建设\n加强学习\n")
    assert heading_lines(document) == ["一、主要工作"]


# ---------------------------------------------------------------- lines that are not headings

@pytest.mark.parametrize("line", [
    pytest.param("2025年3月20日", id="date-line"),
    pytest.param("二〇二五年三月二十日", id="chinese-date-line"),
    pytest.param("1.5万元专项经费全部用于执法装备购置。", id="amount-sentence"),
    pytest.param("全年办理复议案件12件。", id="short-sentence-with-full-stop"),
    pytest.param("主要做法如下：", id="line-ending-with-colon"),
    pytest.param("具体情况报告如下，", id="line-ending-with-comma"),
])
def test_not_a_heading_above_body_text(make_document, line: str) -> None:
    document = make_document(f"一、主要工作\n{BODY}\n{line}\n{BODY}")
    assert heading_lines(document) == ["一、主要工作"]


@pytest.mark.parametrize("ending", [
    pytest.param("临溪县司法局\n2025年3月20日", id="signature-and-date"),
    pytest.param("临溪县司法局\n二〇二五年三月二十日", id="signature-and-chinese-date"),
])
def test_the_signature_is_not_a_heading(make_document, ending: str) -> None:
    document = make_document(f"一、主要工作\n{BODY}\n{ending}")
    assert heading_lines(document) == ["一、主要工作"]


def test_the_signature_above_a_page_footer_is_not_a_heading(make_document) -> None:
    document = make_document(f"一、主要工作\n{BODY}\n临溪县司法局\n"
                             "版权所有：临溪县人民政府办公室  滇ICP备12345678号-1  网站标识码1234567890")
    assert heading_lines(document) == ["一、主要工作"]


# ---------------------------------------------------------------- 一是 leads

def test_point_leads(make_document) -> None:
    document = make_document("一、主要工作\n主要做法：一是健全制度，出台办法三项；二是规范执法，评查案卷40卷。三是强化监督。")
    leads = [heading for heading in document.headings if heading.is_lead]
    assert [(heading.level, heading.family, heading.text) for heading in leads] == [
        (LEAD_LEVEL, "lead", "健全制度"), (LEAD_LEVEL, "lead", "规范执法"), (LEAD_LEVEL, "lead", "强化监督")]
    for heading in leads:
        assert document.text[heading.start:heading.end] == heading.text


def test_leads_do_not_change_the_levels_of_numbered_headings(make_document) -> None:
    document = make_document(f"（一）健全制度\n一是出台办法三项；二是清理文件12件。\n（二）规范执法\n{BODY}")
    assert outline(document) == [(1, "(一)健全制度"), (1, "(二)规范执法")]


def test_find_headings_skips_the_lines_it_is_told_to() -> None:
    lines = ["一、主要工作", BODY, "二、存在的问题", BODY]
    starts = [sum(len(line) + 1 for line in lines[:index]) for index in range(len(lines))]
    headings = find_headings(lines, starts, [""] * len(lines), skip={0}, document_text="\n".join(lines))
    assert [(heading.line, heading.level, heading.text) for heading in headings] == [(2, 1, "二、存在的问题")]


def test_a_bare_part_number_is_named_by_the_next_line(make_document) -> None:
    document = make_document(
        "第一部分\n主要举措和成效\n一、规范执法。全年查处案件31件,办结复议案件7件。\n"
        "第二部分\n2025年工作安排\n一、推进执法规范化建设;\n二、健全纠纷调解机制。\n")
    tops = [heading for heading in document.headings if heading.level == 1]
    assert [heading.text for heading in tops] == ["第一部分\n主要举措和成效", "第二部分\n2025年工作安排"]
    assert document.text.index("健全纠纷") in document.scopes["plans"]
    assert document.place_of(document.text.index("健全纠纷"))[1] == "第二部分 2025年工作安排"


# One search with the lead's two starts as alternatives: the definition `point_leads` keeps.
ONE_SEARCH_POINT_LEAD = re.compile(rf"(?:^|(?<=[。;:,]))\s*[{CN_DIGITS}]{{1,2}}是\s*([^。;,:]{{2,40}})")
LEAD_PIECES = st.sampled_from(["一是", "二是", "十一是", "是", "一", "。", ";", ":", ",", " ", "加强", "执法", "监督工作"])


@settings(max_examples=500, deadline=None)
@given(st.lists(LEAD_PIECES, max_size=30).map("".join))
def test_point_leads_are_those_one_search_finds(line: str) -> None:
    assert point_leads(line) == [match.span(1) for match in ONE_SEARCH_POINT_LEAD.finditer(line)]
