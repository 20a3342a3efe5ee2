"""Every condition function on small documents, built the way `fzcheck audit` builds them.

Each case is (id, condition, report text, expected truth); a function that returns a number or a
date is tested through a comparison, as rules use it.
"""
from __future__ import annotations

from datetime import date

import pytest

from checker.condition.functions import FUNCTIONS

# A small report with every part the scopes know about. Written for these tests.
REPORT = """临溪县人民政府2024年法治政府建设情况报告
2024年，临溪县人民政府坚持以习近平法治思想为指导，全面推进依法行政。
一、2024年主要举措和成效
（一）深入学习习近平法治思想。组织专题学习6次。
（二）规范行政执法。全面推行行政执法“三项制度”，公示执法信息1200条。
（三）依法化解矛盾纠纷。人民调解组织调解矛盾纠纷860件。
（四）加强行政执法监督。开展行政执法案卷评查，将进一步规范执法程序。行政机关负责人出庭应诉率有待提高。部分乡镇尚未建立执法协调机制。督促各乡镇落实执法责任制。
二、主要负责人履行推进法治建设第一责任人职责情况
县长主持召开常务会议专题研究法治政府建设4次。
三、存在的不足和原因
部分执法人员法治意识不强。究其原因，主要是培训不够系统。
四、2025年工作安排
深化行政复议体制改革，健全法律顾问制度。
"""

CASES = [
    # ------------------------------------------------------------ has, has_all, count, matches
    ("has", 'has("行政复议")', "全年办理行政复议案件35件。", True),
    ("has-absent", 'has("行政复议")', "全年开展执法检查20次。", False),
    ("has-any-of-several", 'has("行政诉讼", "行政复议")', "办理行政复议案件35件。", True),
    ("has-list-and-string", 'has(["甲", "乙"], "复议")', "办理行政复议案件35件。", True),
    ("has-full-width-text", 'has("100%")', "出庭应诉率为１００％。", True),
    ("has-full-width-term", 'has("１００％")', "出庭应诉率为100%。", True),
    ("has-all", 'has_all("执法公示", "全过程记录", "法制审核")', "落实执法公示、全过程记录和法制审核制度。", True),
    ("has-all-one-missing", 'has_all("执法公示", "全过程记录", "法制审核")', "落实执法公示和法制审核制度。", False),
    ("count", 'count("公众参与", "专家论证", "风险评估") == 2', "履行公众参与、专家论证程序。", True),
    ("count-distinct-terms-not-occurrences", 'count("公众参与", "专家论证") == 1', "公众参与。再次公众参与。", True),
    ("count-none", 'count("公众参与", "专家论证") == 0', "开展执法检查。", True),
    ("matches", 'matches("出庭应诉率.{0,4}100%")', "出庭应诉率达到100%。", True),
    ("matches-not", 'matches("出庭应诉率.{0,4}100%")', "出庭应诉率为98%,调解成功率100%。", False),
    ("matches-normalised-pattern", 'matches("应诉率：\\\\d+")', "出庭应诉率:95%。", True),
    # ------------------------------------------------------------ together, count_together, near
    ("together-same-sentence", 'together(["出庭应诉"], ["有待提高"])', "负责人出庭应诉率有待提高。", True),
    ("together-different-sentences", 'together(["出庭应诉"], ["有待提高"])', "负责人出庭应诉。执法水平有待提高。", False),
    ("together-split-at-er-shi", 'together(["出庭应诉"], ["有待提高"])', "一是坚持出庭应诉,二是执法水平有待提高。", False),
    ("together-split-at-semicolon", 'together(["出庭应诉"], ["有待提高"])', "坚持出庭应诉;执法水平有待提高。", False),
    ("together-three-groups", 'together(["规范性文件"], ["审核"], ["备案"])', "规范性文件全部审核并备案。", True),
    ("count-together-two", 'count_together(["规范性文件"], ["审核", "审查"], ["备案"], ["清理"]) == 2',
     "审查规范性文件21件,报备规范性文件21件。", False),
    ("count-together-per-sentence", 'count_together(["规范性文件"], ["审核", "审查"], ["备案"], ["清理"]) == 2',
     "审查规范性文件21件,备案规范性文件21件。", True),
    ("count-together-outside-the-sentence", 'count_together(["规范性文件"], ["审核"], ["清理"]) == 1',
     "审核规范性文件21件。清理合同5件。", True),
    ("near", 'near("重大行政决策", "合法性审查", 10)', "重大行政决策全部经过合法性审查。", True),
    ("near-too-far", 'near("重大行政决策", "合法性审查", 5)', "重大行政决策全部经过合法性审查。", False),
    ("near-across-sentences", 'near("出庭应诉", "有待", 12)', "坚持出庭应诉。有待加强。", True),
    ("count-in-passage-same-sentence", 'count_in_passage(["重大行政决策"], ["公众参与"], ["专家论证"], ["风险评估"]) == 2',
     "重大行政决策均经公众参与和专家论证。", True),
    ("count-in-passage-next-sentence", 'count_in_passage(["重大行政决策"], ["公众参与"], ["专家论证"], ["风险评估"]) == 3',
     "完善重大行政决策程序,广泛开展公众参与。每项决策均组织专家论证和风险评估。", True),
    ("count-in-passage-not-two-sentences-on", 'count_in_passage(["重大行政决策"], ["公众参与"], ["专家论证"], ["风险评估"]) == 1',
     "完善重大行政决策程序,广泛开展公众参与。全年召开会议3次。组织专家论证和风险评估。", True),
    ("count-in-passage-best-passage", 'count_in_passage(["重大行政决策"], ["公众参与"], ["专家论证"]) == 2',
     "重大行政决策开展公众参与。全年召开会议3次。重大行政决策组织专家论证。再次公众参与。", True),
    ("count-in-passage-no-anchor", 'count_in_passage(["重大行政决策"], ["公众参与"], ["专家论证"]) == 0',
     "开展公众参与和专家论证。", True),
    # ------------------------------------------------------------ rate
    ("rate-decimal", 'rate("出庭应诉率") == 98.13', "全市出庭应诉率达98.13%。", True),
    ("rate-below-threshold", 'rate("出庭应诉率") >= 100', "全市出庭应诉率达98.13%。", False),
    ("rate-percentage-literal", 'rate("出庭应诉率") >= 98.13%', "全市出庭应诉率达98.13%。", True),
    ("rate-bai-fen-zhi-bai", 'rate("出庭应诉率") == 100', "出庭应诉率达到百分之百。", True),
    ("rate-full-width-digits", 'rate("出庭应诉率") == 100', "出庭应诉率为１００％。", True),
    ("rate-quan-fu-gai", 'rate("出庭应诉率") == 100', "出庭应诉率实现全覆盖。", True),
    ("rate-figure-reached", 'rate("出庭应诉率") == 100', "出庭应诉率由85%提高到100%。", True),
    ("rate-lowest-of-several", 'rate("出庭应诉率") == 95', "一季度出庭应诉率100%。全年出庭应诉率95%。", True),
    ("rate-lowest-of-several-terms", 'rate("出庭应诉率", "出庭率") == 90', "出庭应诉率100%,某局出庭率90%。", True),
    ("rate-not-from-the-next-clause", 'known(rate("出庭应诉率"))', "提高出庭应诉率,调解成功率97%。", False),
    ("rate-not-before-the-term", 'known(rate("出庭应诉率"))', "调解成功率97%,出庭应诉率稳步提高。", False),
    ("rate-unknown", 'known(rate("出庭应诉率"))', "负责人带头出庭应诉。", False),
    ("rate-unknown-satisfies-no-comparison", 'rate("出庭应诉率") >= 100 or rate("出庭应诉率") < 100',
     "负责人带头出庭应诉。", False),
    ("rate-unknown-not-equal", 'rate("出庭应诉率") != 100', "负责人带头出庭应诉。", False),
    ("rate-after-a-link-clause", 'rate("出庭应诉率") == 100', "全县行政机关负责人出庭应诉率,达到100%。", True),
    ("rate-after-a-colon", 'rate("出庭应诉率") == 100', "行政机关负责人出庭应诉率:100%。", True),
    ("rate-not-after-a-long-clause", 'known(rate("出庭应诉率"))', "出庭应诉率在全市年度考核中名列前茅,达到100%。", False),
    ("rate-next-clause-with-another-rate", 'known(rate("出庭应诉率"))', "负责人出庭应诉率,行政复议纠错率为3.1%。", False),
    ("rate-not-past-the-sentence", 'known(rate("出庭应诉率"))', "出庭应诉率稳步提升。全年调解成功率97%。", False),
    ("rate-respectively-first", 'rate("出庭率") == 100', "行政诉讼出庭率、纠错率分别为100%和3.1%。", True),
    ("rate-respectively-second", 'rate("纠错率") == 3.1', "行政诉讼出庭率、纠错率分别为100%和3.1%。", True),
    ("rate-chinese-numerals", 'rate("出庭应诉率") == 97.2', "出庭应诉率达百分之九十七点二。", True),
    # ------------------------------------------------------------ count_rate
    ("count-rate-equal-counts", 'count_rate(["应出庭"], ["负责人出庭"]) == 100', "全年应出庭12件、负责人出庭12件。", True),
    ("count-rate-chinese-numerals", 'count_rate(["应出庭"], ["负责人出庭"]) == 100', "应出庭案件十二件,负责人出庭十二件。", True),
    ("count-rate-below", 'count_rate(["应出庭"], ["负责人出庭"]) > 86.6 and count_rate(["应出庭"], ["负责人出庭"]) < 86.7',
     "全年应出庭案件15件,负责人出庭13件。", True),
    ("count-rate-different-sentences", 'known(count_rate(["应出庭"], ["负责人出庭"]))',
     "全年应出庭案件15件。负责人出庭13件。", False),
    ("count-rate-no-counts", 'known(count_rate(["应出庭"], ["负责人出庭"]))', "应出庭案件均由负责人出庭。", False),
    ("count-rate-listed-counts-add-up", 'count_rate(["诉讼案件"], ["负责人出庭"]) == 100',
     "全年行政诉讼案件15件,主要负责人出庭2件、分管负责人出庭13件。", True),
    ("count-rate-listed-counts-short", 'count_rate(["诉讼案件"], ["负责人出庭"]) == 90',
     "全年行政诉讼案件20件,主要负责人出庭3件和分管负责人出庭15件。", True),
    ("count-rate-another-clause-is-not-added", 'count_rate(["应出庭"], ["负责人出庭"]) == 50',
     "应出庭案件4件,负责人出庭2件,负责人出庭旁听庭审2次。", True),
    ("count-rate-a-part-is-no-done-count", 'known(count_rate(["诉讼案件"], ["出庭"]))',
     "行政诉讼案件4件,均由负责人出庭应诉,其中主要负责人出庭1件。", False),
    # ------------------------------------------------------------ quantities
    ("quantities", "quantities() == 3", "办理案件23件,培训干部300人次,出庭应诉率95%。", True),
    ("quantities-years-and-dates-are-not-facts", "quantities() == 0", "2024年3月1日起施行。", True),
    ("quantities-approximate", "quantities() == 2", "培训1200余人次,发放资料3万份。", True),
    ("quantities-chinese-numerals-from-ten", "quantities() == 3", "办结二十七件,培训五百余人次,受理十件。", True),
    ("quantities-small-chinese-numerals-are-words", "quantities() == 0", "落实三项制度,推出一批举措。", True),
    ("quantities-a-number-once-from-its-first-digit", "quantities() == 1", "办理案件123件。", True),
    ("quantities-a-numeral-once-from-its-first-digit", "quantities() == 1", "办理案件一百二十三件。", True),
    # ------------------------------------------------------------ values
    ("known-year", "known(year)", "临溪县2024年法治政府建设情况报告", True),
    ("unknown-year", "not known(year)", "开展执法检查20次。", True),
    ("unknown-comparison-is-false", "year > 2000", "开展执法检查20次。", False),
    ("not-of-unknown-comparison-is-true", "not year > 2000", "开展执法检查20次。", True),
    ("unknown-equality-is-false", "year == 2024 or year != 2024", "开展执法检查20次。", False),
    ("arithmetic-with-unknown-is-unknown", "not known(year + 1)", "开展执法检查20次。", True),
    ("contains", 'contains(title, "法治政府建设")', "临溪县2024年法治政府建设情况报告", True),
    ("contains-any-term", 'contains(title, "依法行政", "法治建设")', "临溪县2024年法治建设情况报告", True),
    ("contains-not", 'contains(title, "法治政府")', "临溪县人民政府2025年政府工作报告", False),
    ("contains-unknown-title", 'contains(title, "报告")', "开展执法检查20次。", False),
]


@pytest.mark.parametrize(("condition", "text", "expected"), [
    pytest.param(condition, text, expected, id=name) for name, condition, text, expected in CASES
])
def test_condition_on_text(evaluate, condition: str, text: str, expected: bool) -> None:
    assert evaluate(condition, text) is expected


# ---------------------------------------------------------------- scopes and structure

REPORT_CASES = [
    ("has-section-work", "has_section(work)", True),
    ("has-section-shortcomings", "has_section(shortcomings)", True),
    ("has-section-plans", "has_section(plans)", True),
    ("has-section-first-responsibility", "has_section(first_responsibility)", True),
    ("heading-year", "heading_year() == 2024", True),
    ("heading-year-of-plans", "within(plans, heading_year()) == 2025", True),
    ("heading-year-of-plans-not-before-report-year", "within(plans, heading_year()) <= year", False),
    ("heading-year-unknown-in-a-scope-without-years", "not known(within(shortcomings, heading_year()))", True),
    ("within-work", 'within(work, has("三项制度"))', True),
    ("within-work-excludes-plans", 'within(work, has("行政复议"))', False),
    ("within-plans", 'within(plans, has("行政复议"))', True),
    ("within-shortcomings", 'within(shortcomings, has("究其原因"))', True),
    ("within-work-excludes-shortcomings", 'within(work, has("究其原因"))', False),
    ("within-opening", 'within(opening, has("习近平法治思想"))', True),
    ("opening-is-part-of-work", 'within(work, has("全面推进依法行政"))', True),
    ("within-first-responsibility", 'within(first_responsibility, has("县长"))', True),
    ("within-headings", 'within(headings, has("第一责任人"))', True),
    ("headings-are-not-the-paragraphs", 'within(headings, has("县长"))', False),
    ("nested-within-intersects", 'within(work, within(plans, has("行政复议")))', False),
    ("nested-within-same-part", 'within(work, within(first_responsibility, has("县长")))', True),
    ("outside-opening", 'within(work, outside(opening, has("习近平法治思想")))', True),
    ("outside-removes", 'outside(plans, has("法律顾问"))', False),
    ("outside-keeps-the-rest", 'outside(plans, has("三项制度"))', True),
    ("within-all-is-everything", 'within(all, has("法律顾问"))', True),
    ("within-returns-a-number", "within(work, quantities()) == 4", True),
    ("quantities-in-plans", "within(plans, quantities()) == 0", True),
    ("title-year", "title_year == 2024 and body_year == 2024 and year == 2024", True),
    ("kind-from-issuer", 'kind == "government"', True),
    ("issuer", 'issuer == "临溪县人民政府"', True),
    # ------------------------------------------------------------ what a clause does
    ("achievement-clause-is-work", 'within(work, has("案卷评查"))', True),
    ("promise-in-a-work-paragraph-is-a-promise", 'within(promises, has("规范执法程序"))', True),
    ("promise-in-a-work-paragraph-is-in-plans", 'within(plans, has("规范执法程序"))', True),
    ("promise-in-a-work-paragraph-is-not-work", 'within(work, has("规范执法程序"))', False),
    ("achievement-is-not-a-promise", 'within(promises, has("案卷评查"))', False),
    ("plans-section-is-in-plans-not-in-work", 'within(plans, has("法律顾问")) and not within(work, has("法律顾问"))', True),
    ("admission-clause-is-an-admission", 'within(admissions, has("出庭应诉率"))', True),
    ("admission-clause-is-not-work", 'within(work, has("出庭应诉"))', False),
    ("shortcomings-section-is-in-admissions", 'within(admissions, has("究其原因"))', True),
    ("negation-clause", 'within(negations, has("协调机制"))', True),
    ("negation-clause-is-not-work", 'within(work, has("协调机制"))', False),
    ("directive-clause", 'within(directives, has("执法责任制"))', True),
    ("directive-clause-is-not-work", 'within(work, has("执法责任制"))', False),
    ("statement-scopes-are-apart", 'within(directives, has("出庭应诉")) or within(admissions, has("执法责任制"))', False),
]


@pytest.mark.parametrize(("condition", "expected"), [
    pytest.param(condition, expected, id=name) for name, condition, expected in REPORT_CASES
])
def test_condition_on_report(evaluate, condition: str, expected: bool) -> None:
    assert evaluate(condition, REPORT) is expected


def test_opening_only_mention_is_not_in_work_outside_opening(evaluate) -> None:
    text = REPORT.replace("（一）深入学习习近平法治思想。组织专题学习6次。\n", "")
    assert evaluate('has("习近平法治思想")', text)
    assert not evaluate('within(work, outside(opening, has("习近平法治思想")))', text)


def test_has_section_is_false_without_that_section(evaluate) -> None:
    text = "一、主要工作\n开展执法检查20次。\n"
    assert evaluate("has_section(work)", text)
    assert not evaluate("has_section(shortcomings)", text)
    assert not evaluate("has_section(plans)", text)


def test_default_scope_of_a_rule(evaluate) -> None:
    assert evaluate('has("行政复议")', REPORT)
    assert not evaluate('has("行政复议")', REPORT, scope="work")
    assert not evaluate('within(all, has("行政复议"))', REPORT, scope="work"), "within narrows, never widens"


def test_lexicon_and_params(evaluate) -> None:
    lexicon = {"court_rate": ["出庭应诉率", "出庭率"], "shortfall": ["有待提高", "偏低"]}
    text = "行政机关负责人出庭应诉率达98%。"
    condition = "rate(@court_rate) >= $threshold and not together(@court_rate, @shortfall)"
    assert evaluate(condition, text, params={"threshold": 98}, lexicon=lexicon)
    assert not evaluate(condition, text, params={"threshold": 100}, lexicon=lexicon)
    assert not evaluate(condition, "出庭应诉率达100%,但出庭率偏低。", params={"threshold": 98}, lexicon=lexicon)


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize(("published", "expected"), [
    pytest.param(date(2025, 3, 31), True, id="on-the-deadline"),
    pytest.param(date(2025, 1, 20), True, id="early"),
    pytest.param(date(2025, 4, 1), False, id="one-day-late"),
])
def test_date(evaluate, published: date, expected: bool) -> None:
    condition = "published <= date(year + 1, 3, 31)"
    assert evaluate(condition, "开展执法检查20次。", year=2024, published=published) is expected


def test_date_literal(evaluate) -> None:
    assert evaluate("published < 2025-04-01", "正文。", published=date(2025, 3, 31))
    assert not evaluate("published < 2025-04-01", "正文。", published=date(2025, 4, 1))


def test_date_with_an_unknown_part_is_unknown(evaluate) -> None:
    condition = "published <= date(year + 1, 3, 31)"
    assert not evaluate(condition, "正文。", published=date(2025, 3, 1)), "no year, so no deadline"
    assert not evaluate(condition, "正文。", year=2024), "no publication date"
    assert evaluate(f"not ({condition})", "正文。", year=2024)
    assert evaluate("not known(date(year, 1, 1))", "正文。")


def test_published_source(evaluate) -> None:
    assert evaluate('published_source == "user"', "正文。", published=date(2025, 3, 1))
    assert evaluate('not known(published_source)', "正文。")


# ---------------------------------------------------------------- every function is exercised here

def test_every_function_has_a_case() -> None:
    conditions = " ".join(condition for _, condition, _, _ in CASES) + " ".join(
        condition for _, condition, _ in REPORT_CASES) + " date( "
    missing = [name for name in FUNCTIONS if f"{name}(" not in conditions]
    assert not missing, f"functions without an evaluation test: {missing}"
