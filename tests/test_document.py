"""The document model: normalised lines, headings, the parts of a report, sentences, quantities and
metadata. Every text here is a short report written for the test."""
from __future__ import annotations

from datetime import date

import pytest

from checker.document.outline import LEAD_LEVEL

REPORT = """首页 > 政务公开 > 法治政府建设
【字体：大 中 小】
临溪县司法局2024年法治政府建设工作报告
发布日期：2025-03-15
2024年，临溪县司法局坚持以习近平法治思想为指导，扎实推进法治政府建设。
一、主要举措和成效
（一）健全依法决策机制。全年审核规范性文件２１件。
1.加强学习培训。一是组织会前学法12次；二是举办法治专题讲座3场。
（1）细化执法程序。
下一步，我们将继续深化执法改革。
二、主要负责人履行推进法治建设第一责任人职责情况
局长主持研究法治工作4次。
三、存在问题和下一步打算
执法人员力量偏弱。
究其原因，主要是编制不足。
明年，我们将重点抓好三项工作。
加强队伍建设。
版权所有：临溪县人民政府  滇ICP备12345678号
"""


def line_index(document, startswith: str) -> int:
    return next(i for i, line in enumerate(document.lines) if line.startswith(startswith))


def parts_of_line(document, startswith: str) -> set[str]:
    start = document.line_starts[line_index(document, startswith)]
    return {name for name, spans in document.scopes.items() if start in spans}


@pytest.fixture(scope="module")
def report(make_document):
    return make_document(REPORT)


# ---------------------------------------------------------------- normalisation

@pytest.mark.parametrize(("raw", "normalised"), [
    pytest.param("审核规范性文件２１件，占１００％。", "审核规范性文件21件,占100%。", id="full-width-digits-and-comma"),
    pytest.param("（一）健全制度", "(一)健全制度", id="full-width-parentheses"),
    pytest.param("发布日期：2025-03-15", "发布日期:2025-03-15", id="full-width-colon"),
    pytest.param("   前后空白   ", "前后空白", id="stripped"),
    pytest.param("Ａｂｃ", "Abc", id="full-width-latin"),
])
def test_normalisation(make_document, raw: str, normalised: str) -> None:
    assert make_document(raw).lines[0] == normalised


def test_the_document_keeps_its_source_without_the_text(report) -> None:
    # The document's own text and originals stand for it: a long report's text is not held twice.
    source = report.source
    assert (source.path, source.format, source.text, source.line_styles) == ("t.txt", "txt", "", None)


def test_positions_index_the_normalised_text(report) -> None:
    assert report.text == "\n".join(report.lines)
    for index, start in enumerate(report.line_starts):
        assert report.text[start:start + len(report.lines[index])] == report.lines[index]
        assert report.line_of(start) == index


# ---------------------------------------------------------------- headings

def test_headings_by_level(report) -> None:
    assert [(heading.level, heading.text) for heading in report.headings] == [
        (1, "一、主要举措和成效"),
        (2, "(一)健全依法决策机制。"),
        (3, "1.加强学习培训。"),
        (LEAD_LEVEL, "组织会前学法12次"),
        (LEAD_LEVEL, "举办法治专题讲座3场"),
        (4, "(1)细化执法程序。"),
        (1, "二、主要负责人履行推进法治建设第一责任人职责情况"),
        (1, "三、存在问题和下一步打算"),
    ]


def test_heading_positions_point_at_their_text(report) -> None:
    for heading in report.headings:
        assert report.text[heading.start:heading.end] == heading.text


@pytest.mark.parametrize("line", [
    pytest.param("1.5万元用于普法宣传。", id="decimal-number"),
    pytest.param("2024年,我局开展执法检查。", id="year"),
    pytest.param("一是", id="bare-point-marker"),
])
def test_not_a_heading(make_document, line: str) -> None:
    document = make_document(f"正文。\n{line}\n")
    assert [heading for heading in document.headings if not heading.is_lead] == []


# ---------------------------------------------------------------- parts of the report

@pytest.mark.parametrize(("startswith", "parts"), [
    pytest.param("临溪县司法局", {"all"}, id="title"),
    pytest.param("2024年", {"all", "work", "opening"}, id="opening-paragraph"),
    pytest.param("一、主要举措", {"all", "work", "headings"}, id="work-heading"),
    pytest.param("1.加强学习", {"all", "work", "headings"}, id="work-numbered-paragraph"),
    pytest.param("下一步", {"all", "plans", "promises"}, id="next-step-paragraph-in-work-section"),
    pytest.param("二、主要负责人", {"all", "work", "first_responsibility", "headings"}, id="first-responsibility-heading"),
    pytest.param("局长主持", {"all", "work", "first_responsibility"}, id="first-responsibility-paragraph"),
    pytest.param("三、存在问题", {"all", "shortcomings", "admissions", "headings"}, id="combined-heading"),
    pytest.param("究其原因", {"all", "shortcomings", "admissions"}, id="combined-section-before-plans"),
    pytest.param("明年", {"all", "plans", "promises"}, id="combined-section-first-plan-paragraph"),
    pytest.param("加强队伍建设", {"all", "plans"}, id="combined-section-after-first-plan-paragraph"),
])
def test_parts_of_the_report(report, startswith: str, parts: set[str]) -> None:
    assert parts_of_line(report, startswith) == parts


@pytest.mark.parametrize("startswith", [
    pytest.param("首页 >", id="breadcrumb"),
    pytest.param("【字体", id="font-size-switch"),
    pytest.param("发布日期", id="page-field"),
    pytest.param("版权所有", id="copyright-and-icp"),
])
def test_page_chrome_is_in_no_scope(report, startswith: str) -> None:
    assert parts_of_line(report, startswith) == set()


@pytest.mark.parametrize("chrome", ["字体:大 中 小", "【大 中 小】", "滇ICP备12345678号-1", "版权所有 © 临溪县人民政府"])
def test_chrome_lines(make_document, chrome: str) -> None:
    document = make_document(f"一、主要工作\n开展执法检查20次。\n{chrome}\n")
    assert parts_of_line(document, chrome[:2]) == set()


def test_section_names_are_the_top_heading(report) -> None:
    assert report.place_of(report.text.index("局长"))[1] == "二、主要负责人履行推进法治建设第一责任人职责情况"
    assert report.place_of(report.text.index("审核规范性文件"))[1] == "一、主要举措和成效"
    assert report.place_of(report.text.index("版权所有"))[1] is None


def test_separate_shortcomings_and_plans_sections(make_document) -> None:
    document = make_document(
        "一、2024年工作情况\n开展执法检查20次。\n二、存在的不足\n执法力量薄弱。\n三、2025年工作安排\n加强队伍建设。\n"
    )
    assert parts_of_line(document, "执法力量") == {"all", "shortcomings", "admissions"}
    assert parts_of_line(document, "加强队伍") == {"all", "plans"}
    kinds = {heading.text: kinds for heading, kinds in document.section_kinds}
    assert kinds["二、存在的不足"] == {"shortcomings"}
    assert kinds["三、2025年工作安排"] == {"plans"}


def test_a_heading_naming_the_next_year_is_a_plan(make_document) -> None:
    document = make_document("临溪县2024年法治政府建设情况报告\n一、2024年主要工作\n开展执法检查20次。\n二、2025年重点\n加强队伍建设。\n")
    assert parts_of_line(document, "加强队伍") == {"all", "plans"}


def test_sub_headings_take_the_part_of_their_section(make_document) -> None:
    document = make_document("一、下一步工作打算\n(一)加强执法监督。\n严格执法。\n二、主要工作\n开展执法检查20次。\n")
    assert parts_of_line(document, "(一)加强") == {"all", "plans", "headings"}
    assert parts_of_line(document, "严格执法") == {"all", "plans"}
    assert parts_of_line(document, "开展执法检查") == {"all", "work"}


@pytest.mark.parametrize("breadcrumb", ["首页 > 政务公开 > 法治政府建设年度报告", "首页 » 政务公开 » 法治政府建设年度报告"])
def test_a_breadcrumb_is_not_the_title(make_document, breadcrumb: str) -> None:
    document = make_document(f"{breadcrumb}\n临溪县2023年法治政府建设情况报告\n一、主要工作\n开展执法检查20次。\n")
    assert document.meta.title == "临溪县2023年法治政府建设情况报告"
    assert "all" not in parts_of_line(document, "首页")


def test_combined_part_splits_at_its_plan_sub_heading(make_document) -> None:
    document = make_document(
        "一、主要工作\n开展执法检查20次。\n二、存在问题和下一步打算\n(一)存在的问题\n执法力量薄弱。\n"
        "(二)下一步打算\n加强队伍建设。\n(三)强化监督\n开展专项督查。\n"
    )
    assert "shortcomings" in parts_of_line(document, "执法力量")
    assert "plans" in parts_of_line(document, "加强队伍")
    assert "plans" in parts_of_line(document, "开展专项督查")  # a later sub-heading stays in the plans
    kinds = {heading.text: kinds for heading, kinds in document.section_kinds}
    assert kinds["二、存在问题和下一步打算"] == {"shortcomings", "plans"}


def test_a_paragraph_admitting_problems_is_not_work(make_document) -> None:
    document = make_document(
        "一、主要工作\n开展执法检查20次，对发现存在问题的单位责令整改。\n"
        "在取得成绩的同时，我们也清醒地看到，工作中还存在一些不足。\n一是执法人员偏少。\n"
        "下一步，我们将加强执法。\n二、其他工作\n完成普法宣传。\n"
    )
    assert "work" in parts_of_line(document, "开展执法检查")  # 存在问题 in passing is still work
    assert "shortcomings" in parts_of_line(document, "在取得成绩")
    assert "shortcomings" in parts_of_line(document, "一是执法人员")  # the admission runs on
    assert "plans" in parts_of_line(document, "下一步")
    assert "work" in parts_of_line(document, "完成普法")  # until the next heading


# ---------------------------------------------------------------- sentences and quantities

def test_sentences_split_at_full_stop(make_document) -> None:
    document = make_document("开展执法检查。完成培训。")
    assert document.sentence_index(0) != document.sentence_index(document.text.index("完成"))


@pytest.mark.parametrize("text", [
    pytest.param("一是开展执法检查,二是完成培训。", id="er-shi-after-comma"),
    pytest.param("一是开展执法检查二是完成培训", id="er-shi-without-punctuation"),
    pytest.param("开展执法检查;完成培训", id="semicolon"),
    pytest.param("开展执法检查\n完成培训", id="line-break"),
])
def test_sentences_split(make_document, text: str) -> None:
    document = make_document(text)
    first, second = document.text.index("开展"), document.text.index("完成")
    assert document.sentence_index(first) != document.sentence_index(second)


def test_sentence_holds_its_clauses(make_document) -> None:
    document = make_document("全年开展执法检查20次,完成培训300人次。")
    start, end = document.sentence_span(document.text.index("完成"))
    assert document.text[start:end] == "全年开展执法检查20次,完成培训300人次。"


def test_quantities(make_document) -> None:
    document = make_document("2024年3月,办理案件23件,培训300余人次,出庭应诉率95%,投入1.5万元。")
    found = [document.text[position:position + 3] for position in document.quantities]
    assert found == ["23件", "300", "95%", "1.5"]


# ---------------------------------------------------------------- metadata

def test_metadata_from_title_and_page_fields(report) -> None:
    meta = report.meta
    assert (meta.title, meta.title_source) == ("临溪县司法局2024年法治政府建设工作报告", "text")
    assert (meta.issuer, meta.issuer_source) == ("临溪县司法局", "title")
    assert (meta.kind, meta.kind_source) == ("department", "issuer")
    assert (meta.year, meta.year_source) == (2024, "title")
    assert (meta.published, meta.published_source) == (date(2025, 3, 15), "text")


@pytest.mark.parametrize(("field", "published"), [
    pytest.param("发布日期:2025-03-20", date(2025, 3, 20), id="fa-bu-ri-qi"),
    pytest.param("发布时间:2025-03-21 09:30", date(2025, 3, 21), id="fa-bu-shi-jian"),
    pytest.param("更新时间:2025/03/22", date(2025, 3, 22), id="geng-xin-shi-jian"),
    pytest.param("日期:2025年3月23日", date(2025, 3, 23), id="ri-qi"),
    pytest.param("生成日期:2025-01-05  发布日期:2025-03-24", date(2025, 3, 24), id="fa-bu-ri-qi-beats-sheng-cheng-ri-qi"),
    pytest.param("生成日期:2025-01-05", None, id="not-sheng-cheng-ri-qi"),
    pytest.param("成文日期:2025-01-06", None, id="not-cheng-wen-ri-qi"),
])
def test_publication_date_fields(make_document, field: str, published: date | None) -> None:
    body = "\n".join(f"({n})开展第{n}项工作。" for n in range(1, 9))
    document = make_document(f"临溪县司法局2024年法治政府建设工作报告\n{field}\n一、主要工作\n{body}\n")
    assert document.meta.published == published
    assert document.meta.published_source == ("text" if published else None)


def test_sheng_cheng_ri_qi_in_a_page_footer_is_not_a_signature(make_document) -> None:
    document = make_document("临溪县司法局2024年法治政府建设工作报告\n一、主要工作\n开展执法检查20次。\n生成日期:2025-01-05\n")
    assert document.meta.published is None


@pytest.mark.parametrize("signature_date", ["2025年3月24日", "二〇二五年三月二十四日", "2025-03-24"])
def test_signature_date_fallback(make_document, signature_date: str) -> None:
    document = make_document(f"临溪县司法局2024年法治政府建设工作报告\n开展执法检查20次。\n临溪县司法局\n{signature_date}\n")
    assert (document.meta.published, document.meta.published_source) == (date(2025, 3, 24), "signature")


def test_page_field_beats_signature_date(make_document) -> None:
    document = make_document("临溪县司法局2024年法治政府建设工作报告\n发布日期:2025-03-30\n正文。\n临溪县司法局\n2025年3月24日\n")
    assert (document.meta.published, document.meta.published_source) == (date(2025, 3, 30), "text")


def test_issuer_from_the_opening_sentence_without_a_title(make_document) -> None:
    document = make_document("2024年,临溪县交通运输局坚持以习近平法治思想为指导,扎实推进法治政府建设。\n一、主要举措\n开展执法检查20次。\n")
    meta = document.meta
    assert meta.title is None
    assert (meta.issuer, meta.issuer_source) == ("临溪县交通运输局", "text")
    assert meta.kind == "department"
    assert (meta.year, meta.year_source) == (2024, "body")


def test_issuer_from_the_publishing_body_field(make_document) -> None:
    document = make_document("2024年法治政府建设年度报告\n发布机构:临溪县水务局\n正文。\n")
    assert (document.meta.issuer, document.meta.issuer_source) == ("临溪县水务局", "text")


@pytest.mark.parametrize(("title", "kind"), [
    ("临溪县人民政府2024年法治政府建设情况报告", "government"),
    ("临溪县2024年法治政府建设情况报告", "government"),
    ("临溪县市场监督管理局2024年法治政府建设情况报告", "department"),
])
def test_kind_from_issuer(make_document, title: str, kind: str) -> None:
    assert make_document(f"{title}\n正文。\n").meta.kind == kind


def test_title_year_and_body_year(make_document) -> None:
    document = make_document("临溪县2024年法治政府建设情况报告\n一、2023年主要举措\n二、2023年工作成效\n三、2025年工作安排\n")
    assert (document.meta.title_year, document.meta.body_year, document.meta.year) == (2024, 2023, 2024)


def test_year_ignores_the_outline_title(make_document) -> None:
    document = make_document("2024年,临溪县人民政府认真落实《法治政府建设实施纲要(2021—2025年)》,推进依法行政工作。\n")
    assert document.meta.year == 2024


def test_overrides_win_with_source_user(report, make_document) -> None:
    document = make_document(REPORT, year=2023, published=date(2024, 3, 1), kind="government",
                             title="临溪县2023年法治政府建设情况报告")
    meta = document.meta
    assert (meta.year, meta.year_source) == (2023, "user")
    assert (meta.published, meta.published_source) == (date(2024, 3, 1), "user")
    assert (meta.kind, meta.kind_source) == ("government", "user")
    assert (meta.title, meta.title_source) == ("临溪县2023年法治政府建设情况报告", "user")


def test_nothing_known(make_document) -> None:
    meta = make_document("开展执法检查20次。").meta
    assert (meta.title, meta.issuer, meta.kind, meta.year, meta.published) == (None, None, None, None, None)


# ---------------------------------------------------------------- documents that are not reports

def test_a_plans_tasks_are_plans_not_work(make_document) -> None:
    document = make_document(
        "云溪县2023年法治政府建设工作要点\n为深入推进法治政府建设，制定本工作要点。\n"
        "一、深化行政执法改革\n全面落实行政执法三项制度，开展执法案卷评查。\n")
    assert document.meta.document_type == "工作要点"
    assert not document.scopes["work"]
    assert document.text.index("全面落实") in document.scopes["plans"]
    assert all(kinds == {"plans"} for _, kinds in document.section_kinds)


def test_a_notice_says_what_others_should_do(make_document) -> None:
    document = make_document(
        "关于报送2022年度法治政府建设情况报告的通知\n各乡镇、县直各部门：\n"
        "现将有关事项通知如下。一、报告应写明行政复议、行政执法三项制度落实情况。\n请于3月31日前报送。\n")
    assert document.meta.document_type == "通知"
    assert not document.scopes["work"] and not document.scopes["plans"]
    assert document.text.index("行政复议") in document.scopes["directives"]
    assert document.section_kinds == []


NEWS_ABOUT_A_REPORT = [
    pytest.param("青岚县晒出2023年法治政府建设成绩单\n本报讯（记者 周某 通讯员 吴某）3月26日，青岚县政府公布年度法治政府建设情况报告。"
                 "报告显示，全县行政机关负责人出庭应诉率达100%，全年办理行政复议案件58件。\n"
                 "报告提出，2024年将继续深化行政执法三项制度。\n", id="headline-and-byline"),
    pytest.param("近日，石渡区公开发布2022年度法治政府建设年度报告\n据了解，报告分为主要举措和成效、存在的不足、下一年度安排三部分。"
                 "去年该区聘请法律顾问31名，出具法律意见书140份。\n记者注意到，报告对存在的问题着墨较多。\n", id="no-byline"),
    pytest.param("枫桥镇发布法治政府建设年度报告\n日前，枫桥镇人民政府在门户网站发布了2023年法治政府建设情况报告。据悉，"
                 "该镇全年调解矛盾纠纷420件，组织领导干部会前学法10次。\n", id="short-item"),
]


@pytest.mark.parametrize("text", NEWS_ABOUT_A_REPORT)
def test_a_news_article_about_a_report_is_told_apart(make_document, text) -> None:
    """Its headline, byline or 据悉 tell it, however much of the report it quotes."""
    assert make_document(text).meta.document_type == "新闻报道"


def test_a_passing_word_decides_no_type(make_document) -> None:
    document = make_document("将法治建设纳入各乡镇年度绩效考核。")
    assert document.meta.document_type == "未能确定"
    assert document.text.index("纳入") in document.scopes["work"]


@pytest.mark.parametrize("plans_heading", ["四、2024年工作计划", "四、2024年工作安排", "四、2024年重点任务", "四、2024年工作打算"])
def test_a_plans_heading_does_not_give_the_body_year(make_document, plans_heading: str) -> None:
    document = make_document(f"东江市统计局2023年度法治政府建设情况报告\n一、主要举措和成效\n开展执法检查20次。\n{plans_heading}\n深化执法改革。\n")
    assert document.meta.body_year != 2024


def test_a_heading_that_is_a_sentence_is_a_statement(make_document) -> None:
    document = make_document("一、主要工作\n③落实负责人出庭应诉制度,做好应诉工作。今后,本局将力争出庭率保持100%。\n(二)其他工作\n开展培训3次。\n")
    assert document.text.index("出庭应诉制度") in document.scopes["work"]
