"""checker/document/sections.py: the parts of a report. Work, shortcomings, plans, the principal
leader's duty and the opening, from the headings and from how paragraphs open. Every text is a
short report written for the test."""
from __future__ import annotations

import pytest

from checker.document import build_document
from checker.document.sections import SectionWords
from checker.document.text import normalise
from checker.readers import Source
from checker.vocabulary import default_vocabulary

PARTS = ("opening", "work", "shortcomings", "plans", "first_responsibility")
TITLE = "临溪县2024年法治政府建设年度报告\n"
BODY = "全年组织执法人员开展业务培训六场，累计参训人员达到三百余人次。"


@pytest.fixture(scope="module")
def words() -> SectionWords:
    return SectionWords(default_vocabulary())


def parts_of(document, startswith: str) -> set[str]:
    """The parts of the report the line starting with `startswith` is in (at its first character)."""
    index = next((i for i, line in enumerate(document.lines) if line.startswith(startswith)), None)
    assert index is not None, f"no line starts with {startswith!r}: {document.lines}"
    start = document.line_starts[index]
    return {name for name in PARTS if start in document.scopes[name]}


def kinds_of(document, heading_text: str) -> frozenset[str]:
    return next(kinds for heading, kinds in document.section_kinds if heading.text == heading_text)


# ---------------------------------------------------------------- what a heading names

@pytest.mark.parametrize(("heading", "level", "kinds"), [
    pytest.param("二、存在的问题", 1, {"shortcomings"}, id="problems"),
    pytest.param("三、法治政府建设存在的困难", 1, {"shortcomings"}, id="difficulties"),
    pytest.param("二、工作中的不足", 1, {"shortcomings"}, id="shortfalls"),
    pytest.param("（三）存在的差距", 2, {"shortcomings"}, id="sub-heading-gaps"),
    pytest.param("（三）补齐基层执法短板，提升执法质效", 2, set(), id="work-mending-a-weakness-sub"),
    pytest.param("三、补齐基层执法短板，提升执法质效", 1, set(), id="work-mending-a-weakness-top"),
    pytest.param("二、着力解决群众反映强烈的突出问题", 1, set(), id="work-solving-problems"),
    pytest.param("（二）强化府院联动，减少行政诉讼案件", 2, set(), id="plain-work"),
    pytest.param("一、2024年法治政府建设情况", 1, set(), id="report-year-is-work"),
    pytest.param("三、下一步工作打算", 1, {"plans"}, id="next-step"),
    pytest.param("三、今后工作思路", 1, {"plans"}, id="from-now-on"),
    pytest.param("三、2025年工作安排", 1, {"plans"}, id="arrangements-for-next-year"),
    pytest.param("四、2025年重点推进事项", 1, {"plans"}, id="future-year-alone"),
    pytest.param("二、存在问题和下一步打算", 1, {"shortcomings", "plans"}, id="combined"),
    pytest.param("二、主要负责人履行推进法治建设第一责任人职责情况", 1, {"first_responsibility"}, id="first-responsibility"),
    pytest.param("（一）县长带头履行法治建设职责", 2, {"first_responsibility"}, id="county-head-leads"),
])
def test_heading_kinds(words: SectionWords, heading: str, level: int, kinds: set[str]) -> None:
    assert words.heading_kinds(normalise(heading), level, 2024) == kinds


def test_problem_oriented_work_heading_is_work(words: SectionWords) -> None:
    assert words.heading_kinds("一、坚持问题导向,深化执法改革", 1, 2024) == set()


@pytest.mark.parametrize(("line", "year", "opens"), [
    pytest.param("下一步,我们将加强执法培训。", 2024, True, id="next-step"),
    pytest.param("明年,我们将推进执法平台建设。", 2024, True, id="next-year"),
    pytest.param("针对上述问题,我们将加强培训。", 2024, True, id="about-these-problems"),
    pytest.param("2025年,我县将继续深化执法改革。", 2024, True, id="future-year-will"),
    pytest.param("2024年,我县将法治建设纳入考核。", 2024, False, id="report-year-is-not-a-plan"),
    pytest.param("2025年,我县将继续深化执法改革。", None, False, id="future-unknown-without-report-year"),
    pytest.param("全年办理复议案件12件。", 2024, False, id="work"),
])
def test_opens_plan(words: SectionWords, line: str, year: int | None, opens: bool) -> None:
    assert words.opens_plan(line, year) is opens


@pytest.mark.parametrize(("line", "opens"), [
    pytest.param("对照上级要求,我们的工作还存在一些差距,主要是基层执法人员业务能力不强。", True, id="measured-against-requirements"),
    pytest.param("但也要清醒看到,我县法治建设仍存在薄弱环节。", True, id="but-we-see-clearly"),
    pytest.param("对照上级要求,我县全面完成各项任务。", False, id="measured-and-completed"),
    pytest.param("全年办理复议案件12件。", False, id="work"),
])
def test_opens_admission(words: SectionWords, line: str, opens: bool) -> None:
    assert words.opens_admission(line) is opens


# ---------------------------------------------------------------- parts of a whole report

REPORT = (TITLE + "2024年，我县扎实推进法治政府建设，各项工作取得新成效。\n"
          "一、主要工作\n（一）健全决策机制\n" + BODY + "\n"
          "（二）补齐基层执法短板，提升执法质效\n新增执法人员8名，实现乡镇执法力量全覆盖。\n"
          "二、主要负责人履行推进法治建设第一责任人职责情况\n县长主持召开常务会议专题研究法治工作4次。\n"
          "三、存在的问题\n执法人员力量偏弱，案卷质量参差不齐。\n"
          "四、2025年工作安排\n继续深化执法改革，提升执法质效。\n")


@pytest.fixture(scope="module")
def report(make_document):
    return make_document(REPORT)


@pytest.mark.parametrize(("startswith", "parts"), [
    pytest.param("2024年,我县扎实推进", {"opening", "work"}, id="opening-before-first-heading"),
    pytest.param("全年组织执法人员", {"work"}, id="work-body"),
    pytest.param("新增执法人员8名", {"work"}, id="body-under-work-heading-with-shortboard"),
    pytest.param("县长主持召开", {"work", "first_responsibility"}, id="first-responsibility-body"),
    pytest.param("三、存在的问题", {"shortcomings"}, id="shortcomings-heading"),
    pytest.param("执法人员力量偏弱", {"shortcomings"}, id="shortcomings-body"),
    pytest.param("四、2025年工作安排", {"plans"}, id="plans-heading-with-future-year"),
    pytest.param("继续深化执法改革", {"plans"}, id="plans-body"),
])
def test_parts_of_the_report(report, startswith: str, parts: set[str]) -> None:
    assert parts_of(report, startswith) == parts


def test_work_heading_with_shortboard_opens_a_work_section(report) -> None:
    assert kinds_of(report, "(二)补齐基层执法短板,提升执法质效") == {"work"}
    assert "shortcomings" not in parts_of(report, "(二)补齐基层执法短板")


def test_the_title_is_in_no_part(report) -> None:
    assert parts_of(report, "临溪县2024年") == set()


def test_line_sections_name_the_top_heading(report) -> None:
    lines = report.lines
    assert report.line_sections[lines.index("执法人员力量偏弱,案卷质量参差不齐。")] == "三、存在的问题"
    assert report.line_sections[lines.index("新增执法人员8名,实现乡镇执法力量全覆盖。")] == "一、主要工作"
    assert report.line_sections[0] is None


def test_an_unheaded_admission_paragraph_starts_the_shortcomings(make_document) -> None:
    document = make_document(TITLE + "一、主要工作\n" + BODY + "\n"
                             "对照上级要求，我们的工作还存在一些差距，主要是基层执法人员业务能力不强。\n"
                             "部分单位法律顾问作用发挥不够。\n"
                             "二、下一步打算\n加强队伍建设。")
    assert parts_of(document, "全年组织") == {"work"}
    assert parts_of(document, "对照上级要求") == {"shortcomings"}
    assert parts_of(document, "部分单位法律顾问") == {"shortcomings"}
    assert parts_of(document, "加强队伍建设") == {"plans"}


def test_a_concession_before_an_achievement_is_work(make_document) -> None:
    document = make_document(TITLE + "一、主要工作\n虽然编制不足，我局仍克服困难，全年办结案件120件。\n" + BODY
                             + "\n二、下一步打算\n加强队伍建设。")
    assert parts_of(document, "全年组织") == {"work"}


@pytest.mark.parametrize(("startswith", "parts"), [
    pytest.param("二、存在问题和下一步打算", {"shortcomings"}, id="combined-heading"),
    pytest.param("执法力量偏弱", {"shortcomings"}, id="problems-first"),
    pytest.param("究其原因", {"shortcomings"}, id="causes"),
    pytest.param("下一步,我们将加强执法培训", {"plans"}, id="first-plan-paragraph-starts-the-plans"),
    pytest.param("组织执法案卷评查", {"plans"}, id="plans-continue"),
])
def test_combined_section_splits_at_its_first_plan_paragraph(make_document, startswith: str, parts: set[str]) -> None:
    document = make_document(TITLE + "一、主要工作\n" + BODY + "\n二、存在问题和下一步打算\n"
                             "执法力量偏弱，案卷质量参差不齐。\n究其原因，主要是培训不足。\n"
                             "下一步，我们将加强执法培训。\n组织执法案卷评查。")
    assert parts_of(document, startswith) == parts


@pytest.mark.parametrize(("startswith", "parts"), [
    pytest.param("(一)存在的问题", {"shortcomings"}, id="problems-sub-heading"),
    pytest.param("执法力量偏弱", {"shortcomings"}, id="problems"),
    pytest.param("(二)下一步工作打算", {"plans"}, id="plans-sub-heading"),
    pytest.param("加强执法培训", {"plans"}, id="plans"),
])
def test_combined_section_splits_at_its_plan_sub_heading(make_document, startswith: str, parts: set[str]) -> None:
    document = make_document(TITLE + "一、主要工作\n" + BODY + "\n二、存在问题及下一步工作打算\n"
                             "（一）存在的问题\n执法力量偏弱，案卷质量参差不齐。\n（二）下一步工作打算\n加强执法培训。")
    assert parts_of(document, startswith) == parts
    assert kinds_of(document, "二、存在问题及下一步工作打算") == {"shortcomings", "plans"}


def test_sub_headings_of_a_plans_part_are_plans_even_with_shortboard(make_document) -> None:
    document = make_document(TITLE + "一、主要工作\n" + BODY + "\n二、存在的问题\n执法力量偏弱。\n三、下一步工作打算\n"
                             "（一）加强队伍建设\n组织执法培训。\n（二）补齐执法短板\n充实基层执法力量。")
    assert parts_of(document, "(二)补齐执法短板") == {"plans"}
    assert parts_of(document, "充实基层执法力量") == {"plans"}


def test_sub_headings_of_a_shortcomings_part_are_shortcomings(make_document) -> None:
    document = make_document(TITLE + "一、主要工作\n" + BODY + "\n二、存在的差距和不足\n（一）执法队伍建设有待加强\n"
                             "执法力量偏弱。\n（二）基层法治宣传仍需深化\n宣传形式单一。\n三、下一步工作打算\n加强培训。")
    assert parts_of(document, "宣传形式单一") == {"shortcomings"}
    assert parts_of(document, "加强培训") == {"plans"}


@pytest.mark.parametrize(("paragraph", "startswith"), [
    pytest.param("2025年，我县将继续深化执法改革。", "2025年", id="future-year"),
    pytest.param("针对上述问题，我们将加强培训。", "针对上述问题", id="about-these-problems"),
    pytest.param("明年，我们将推进执法平台建设。", "明年", id="next-year"),
])
def test_a_plan_paragraph_in_a_work_section_is_a_plan(make_document, paragraph: str, startswith: str) -> None:
    document = make_document(TITLE + "一、主要工作\n" + BODY + "\n" + paragraph)
    assert parts_of(document, startswith) == {"plans"}
    assert parts_of(document, "全年组织") == {"work"}


def test_first_responsibility_reaches_its_sub_headings(make_document) -> None:
    document = make_document(TITLE + "一、主要工作\n" + BODY + "\n二、党政主要负责人履行推进法治建设第一责任人职责情况\n"
                             "（一）带头学法\n" + BODY + "\n三、存在的问题\n执法力量偏弱。")
    assert parts_of(document, "(一)带头学法") == {"work", "first_responsibility"}
    assert "first_responsibility" not in parts_of(document, "执法力量偏弱")


def test_plans_under_an_h2_heading_with_bold_sub_headings(make_document) -> None:
    text = ("工作成效\n" + BODY + "\n下一步工作打算\n加强队伍建设\n"
            "组织执法人员参加业务培训，覆盖全体在编执法人员，提升队伍整体素质和能力水平。")
    document = build_document(Source(path="t.html", text=text, format="html", line_styles=("h2", "", "h2", "b", "")))
    assert parts_of(document, "组织执法人员参加") == {"plans"}


def test_a_numbered_sentence_is_named_by_its_first_clause(make_document) -> None:
    document = make_document(
        "1.推进执法规范化\n①全年行政诉讼案件10件,局负责人出庭应诉6件,今后将确保负责人出庭应诉率达到100%。\n"
        "②开展案卷评查2次,评查案卷120卷。\n")
    assert document.text.index("10件") in document.scopes["work"]
    assert document.text.index("确保") in document.scopes["plans"]
    assert all("plans" not in kinds for _, kinds in document.section_kinds)


def test_problems_set_out_one_by_one_are_concrete(make_document) -> None:
    document = make_document("一、主要工作\n开展执法检查20次。\n二、存在的问题\n一是执法装备陈旧;二是人员知识更新慢。\n")
    assert any("shortcomings" in kinds for _, kinds in document.section_kinds)


def test_a_weak_plans_word_inside_a_statement_names_no_plans(make_document) -> None:
    document = make_document(
        "一、主要工作\n(1)局党组书记、局长亲自研究部署全区法治政府建设重点任务,主持专题会议6次。\n(2)开展督察1次。\n")
    assert all("plans" not in kinds for _, kinds in document.section_kinds)


@pytest.mark.parametrize(("paragraph", "is_part"), [
    pytest.param("同时也要看到，我们的工作也还存在一些不足，今后将加以改进。", False, id="stock-phrases-only"),
    pytest.param("同时也要看到，我们的工作还存在不足:执法人员偏少，案卷质量不高。", True, id="names-its-problems"),
])
def test_an_unheaded_admission_paragraph_is_a_part_only_if_it_names_problems(make_document, paragraph: str, is_part: bool) -> None:
    document = make_document(f"一、主要工作\n开展执法检查20次。\n{paragraph}\n")
    assert bool(document.passages) is is_part
