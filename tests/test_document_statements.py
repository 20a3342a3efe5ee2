"""checker/document/statements.py: what each clause of a report does. A clause promises
(下一步…将…), admits a shortfall (有待提高), negates (尚未建立), tells others to act (督促各乡镇…),
or reports an achievement; only achievements count as work done. Every text is a short report
written for the test."""
from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings, strategies as st

from checker.document.statements import StatementCues, read_statements
from checker.document.text import normalise
from checker.screen import FirstCharacterSearch, first_characters, quick
from checker.vocabulary import default_vocabulary

WORK = "一、主要工作\n"


def kind_of(document, phrase: str) -> str:
    """What the clause holding `phrase` does, checked at its first and last character."""
    start = document.text.find(phrase)
    assert start != -1, f"{phrase!r} not in {document.lines}"
    first, last = document.statement_of(start), document.statement_of(start + len(phrase) - 1)
    assert first == last, f"{phrase!r} is {first} at its start and {last} at its end"
    return first


@pytest.fixture(scope="module")
def cues() -> StatementCues:
    return StatementCues(default_vocabulary())


# ---------------------------------------------------------------- what each clause does

@pytest.mark.parametrize(("paragraph", "phrase", "kind"), [
    # promises
    pytest.param("下一步，我局将继续深化行政执法体制改革。", "深化行政执法体制改革", "promise", id="promise-next-step-will"),
    pytest.param("全年出庭应诉案件12件，负责人出庭率100%。今后，本局将力争负责人出庭率保持100%。", "负责人出庭率保持100%",
                 "promise", id="promise-henceforth-inside-a-work-paragraph"),
    pytest.param("全年出庭应诉案件12件。确保行政机关负责人出庭应诉率达到100%。", "出庭应诉率达到100%", "promise",
                 id="promise-ensure-reaches"),
    pytest.param("明年，我们将重点推进执法监督平台建设。", "推进执法监督平台建设", "promise", id="promise-next-year"),
    pytest.param("新的一年，我们将坚持依法行政。", "坚持依法行政", "promise", id="promise-new-year"),
    pytest.param("2025年，我局将加快推进执法队伍建设。", "推进执法队伍建设", "promise", id="promise-named-year-will-speed-up"),
    pytest.param("力争年内完成执法监督平台建设。", "完成执法监督平台建设", "promise", id="promise-strive"),
    pytest.param("计划于6月底前完成规章清理。", "完成规章清理", "promise", id="promise-planned-for"),
    # admissions
    pytest.param("全年办理复议案件12件，行政机关负责人出庭应诉率有待提高。", "出庭应诉率有待提高", "admission",
                 id="admission-yet-to-improve"),
    pytest.param("执法公示制度执行还不够规范。", "执法公示制度执行还不够规范", "admission", id="admission-not-standard-enough"),
    pytest.param("我们深刻认识到，法治建设仍存在薄弱环节。", "仍存在薄弱环节", "admission", id="admission-weak-links"),
    pytest.param("基层执法人员业务能力不强。", "业务能力不强", "admission", id="admission-not-strong"),
    # negations
    pytest.param("部分乡镇尚未建立合法性审查机制。", "尚未建立合法性审查机制", "negation", id="negation-not-yet-built"),
    pytest.param("个别部门未聘请法律顾问。", "未聘请法律顾问", "negation", id="negation-not-hired"),
    pytest.param("执法人员没有落实持证上岗制度。", "没有落实持证上岗制度", "negation", id="negation-not-carried-out"),
    # directives
    pytest.param("督促各乡镇落实重大行政决策程序规定。", "落实重大行政决策程序规定", "directive", id="directive-urge-townships"),
    pytest.param("指导各乡镇开展法治宣传活动。", "开展法治宣传活动", "directive", id="directive-guide-townships"),
    pytest.param("指导督促全县各单位开展自查。", "开展自查", "directive", id="directive-guide-and-urge"),
    pytest.param("督促各乡镇落实重大行政决策程序规定，年底前报送目录。", "年底前报送目录", "directive",
                 id="directive-rest-of-its-sentence"),
    # achievements
    pytest.param("将法治建设纳入绩效考核，考核权重达到10%。", "将法治建设纳入绩效考核", "achievement",
                 id="achievement-jiang-as-ba"),
    pytest.param("我县将法治建设纳入年度绩效考核。", "法治建设纳入年度绩效考核", "achievement", id="achievement-we-jiang-as-ba"),
    pytest.param("本局将法治建设成效作为干部考核的重要内容。", "干部考核的重要内容", "achievement", id="achievement-jiang-as"),
    pytest.param("全年未发生行政败诉案件。", "未发生行政败诉案件", "achievement", id="achievement-no-lost-case"),
    pytest.param("全年行政诉讼案件无一败诉。", "无一败诉", "achievement", id="achievement-none-lost"),
    pytest.param("全县执法人员全部持证上岗，无一人未持证执法。", "无一人未持证执法", "achievement",
                 id="achievement-nobody-without-licence"),
    pytest.param("全面推行行政执法三项制度，实现执法信息公示全覆盖。", "实现执法信息公示全覆盖", "achievement",
                 id="achievement-realised-full-coverage"),
    pytest.param("持续加大普法力度，全年开展宣传活动50场。", "开展宣传活动50场", "achievement", id="achievement-continued-effort"),
    pytest.param("积极化解行政争议，解决群众反映的突出问题23个。", "解决群众反映的突出问题23个", "achievement",
                 id="achievement-problems-solved"),
    pytest.param("对轻微违法行为依法不予处罚23件。", "不予处罚23件", "achievement", id="achievement-no-penalty-cases"),
    pytest.param("要求全体执法人员持证上岗，持证率达到100%。", "持证率达到100%", "achievement", id="achievement-rate-reached"),
])
def test_what_a_clause_does(make_document, paragraph: str, phrase: str, kind: str) -> None:
    assert kind_of(make_document(WORK + paragraph), phrase) == kind


@pytest.mark.parametrize(("paragraph", "phrase"), [
    pytest.param("我县将全面依法治县工作纳入年度绩效考核。", "纳入年度绩效考核", id="jiang-as-ba-before-quanmian"),
    pytest.param("将严格规范公正文明执法要求贯穿执法全过程。", "贯穿执法全过程", id="jiang-as-ba-before-yange"),
])
def test_jiang_as_ba_before_an_adverb_is_an_achievement(make_document, paragraph: str, phrase: str) -> None:
    assert kind_of(make_document(WORK + paragraph), phrase) == "achievement"


@pytest.mark.parametrize(("paragraph", "phrase"), [
    pytest.param("补齐基层执法短板，新增执法人员8名。", "补齐基层执法短板", id="remedy-shortboard"),
    pytest.param("通过购买服务弥补执法力量不足的问题，新增协管员20名。", "弥补执法力量不足的问题", id="remedy-shortage"),
    pytest.param("针对执法不规范问题开展专项整治，整改问题15个。", "针对执法不规范问题开展专项整治", id="remedy-campaign"),
])
def test_a_clause_remedying_a_weakness_is_an_achievement(make_document, paragraph: str, phrase: str) -> None:
    assert kind_of(make_document(WORK + paragraph), phrase) == "achievement"


@pytest.mark.parametrize(("paragraph", "phrase", "reason"), [
    pytest.param("行政复议纠错率不足1%，办案质量稳步提升。", "纠错率不足1%",
                 "不足 before a number means 'less than', not a shortfall", id="less-than-a-number"),
    pytest.param("争取到上级专项资金200万元用于执法装备购置。", "争取到上级专项资金200万元",
                 "争取到 + object is funding obtained, read as the promise cue 争取到", id="funding-obtained"),
    pytest.param("努力实现了复议案件零积压。", "实现了复议案件零积压",
                 "努力…实现了 is done (了), read as the promise cue 努力…实现", id="strove-and-achieved"),
    pytest.param("全年未按期办结的案件为零。", "未按期办结的案件为零",
                 "'cases not closed on time: zero' is an achievement, read as the negation cue 未按", id="none-overdue"),
])
def test_an_achievement_worded_like_a_cue(make_document, paragraph: str, phrase: str, reason: str) -> None:
    """`reason`: how a cue word misleads here."""
    assert kind_of(make_document(WORK + paragraph), phrase) == "achievement"


# ---------------------------------------------------------------- how far a statement reaches

def test_a_promise_reaches_to_its_sentence_end_only(make_document) -> None:
    document = make_document(WORK + "今后，本局将力争负责人出庭率保持100%。全年办理复议案件12件。")
    assert kind_of(document, "负责人出庭率保持100%") == "promise"
    assert kind_of(document, "全年办理复议案件12件") == "achievement"


def test_an_admission_is_its_clause_only(make_document) -> None:
    document = make_document(WORK + "全年办理复议案件12件，行政机关负责人出庭应诉率有待提高。")
    assert kind_of(document, "全年办理复议案件12件") == "achievement"
    assert kind_of(document, "出庭应诉率有待提高") == "admission"


def test_a_promise_in_a_work_paragraph_is_a_plan_not_work(make_document) -> None:
    document = make_document(WORK + "全年办理复议案件12件。今后，本局将力争负责人出庭率保持100%。")
    promise, achievement = document.text.index("负责人出庭率保持"), document.text.index("全年办理")
    assert promise in document.scopes["plans"] and promise not in document.scopes["work"]
    assert achievement in document.scopes["work"] and achievement not in document.scopes["plans"]


@pytest.mark.parametrize(("phrase", "scope"), [
    pytest.param("尚未建立合法性审查机制", "negations", id="negation"),
    pytest.param("出庭应诉率有待提高", "admissions", id="admission"),
    pytest.param("落实决策程序规定", "directives", id="directive"),
])
def test_what_is_not_achieved_is_not_work(make_document, phrase: str, scope: str) -> None:
    document = make_document(WORK + "全年办理复议案件12件。部分乡镇尚未建立合法性审查机制。"
                             "行政机关负责人出庭应诉率有待提高。督促各乡镇落实决策程序规定。")
    position = document.text.index(phrase)
    assert position in document.scopes[scope]
    assert position not in document.scopes["work"]
    assert document.text.index("全年办理") in document.scopes["work"]


def test_everything_in_the_shortcomings_part_is_an_admission(make_document) -> None:
    document = make_document("一、主要工作\n全年办理复议案件12件。\n二、存在的问题\n全县执法人员共85名，其中具有法律职业资格的12名，专业人员偏少。")
    assert kind_of(document, "全县执法人员共85名") == "admission"
    assert kind_of(document, "全年办理复议案件12件") == "achievement"


def test_a_heading_is_a_heading(make_document) -> None:
    document = make_document("一、下一步工作打算\n加强执法队伍建设。")
    assert kind_of(document, "下一步工作打算") == "heading"


# ---------------------------------------------------------------- sentences

@pytest.mark.parametrize(("text", "sentences"), [
    pytest.param("全年办结12件。组织培训3场！是否整改？已整改。", ["全年办结12件。", "组织培训3场!", "是否整改?", "已整改。"],
                 id="sentence-ends"),
    pytest.param("出台办法3项；清理文件12件。", ["出台办法3项;", "清理文件12件。"], id="semicolon"),
    pytest.param("一是出台办法3项，二是清理文件12件。", ["一是出台办法3项,", "二是清理文件12件。"], id="point-leads"),
    pytest.param("加强学习\n规范执法", ["加强学习\n", "规范执法"], id="line-break"),
    pytest.param("全年办结12件。\n\n组织培训3场。", ["全年办结12件。\n\n", "组织培训3场。"], id="blank-line-is-no-sentence"),
])
def test_sentences(cues: StatementCues, text: str, sentences: list[str]) -> None:
    text = normalise(text)
    starts = read_statements(text, cues).sentence_starts
    found = [text[start:end] for start, end in zip(starts, [*starts[1:], len(text)])]
    assert [sentence for sentence in found if sentence] == sentences


def test_kinds_of_clauses(cues: StatementCues) -> None:
    text = "全年办结12件。下一步,我们将加强培训。部分乡镇尚未建立审查机制。"
    statements = read_statements(text, cues)

    def kinds_at(phrase: str) -> set[str]:
        return {kind for kind, spans in statements.scopes.items() if text.index(phrase) in spans}
    assert kinds_at("全年") == set()
    assert kinds_at("加强培训") == {"promises"}
    assert kinds_at("建立审查") == {"negations"}


def test_the_issuer_as_subject_ends_a_directive(make_document) -> None:
    document = make_document(WORK + "督促各镇街落实普法责任清单,本局聘请外部法律顾问2名。")
    assert kind_of(document, "落实普法责任清单") == "directive"
    assert kind_of(document, "聘请外部法律顾问2名") == "achievement"


def test_promoting_city_wide_work_is_the_issuers_own(make_document) -> None:
    assert kind_of(make_document(WORK + "推动全市村(社区)法律顾问全覆盖。"), "法律顾问全覆盖") == "achievement"


# ---------------------------------------------------------------- cues found at their first characters

CUE_LISTS = ("promise_openings", "promise_cues", "admission_cues", "negation_cues", "directive_openings")
CUE_WORDS = sorted({word for name in CUE_LISTS for word in default_vocabulary().words[name]})
# The cue lists as read, and each fragment behind a lookahead on its first characters (so that
# all are tried at them), with a lookbehind, a ^ and alternatives that overlap.
CUE_PATTERNS = [getattr(StatementCues(default_vocabulary()), name) for name in CUE_LISTS] + [
    re.compile(f"(?=[{re.escape(first)}])(?:{word})")
    for word in [*CUE_WORDS, r"(?<![0-9])(?:将|要)\d", r"(?m:^各|要)", "将要|要|要求各"]
    if (first := first_characters(word))]
# Texts made of the pieces the cues are written with, so that matches, overlaps and near misses occur.
CUE_PIECES = st.sampled_from(sorted({piece for word in CUE_WORDS for piece in re.findall(r"[\u4e00-\u9fff]{1,3}", word)}))
CUE_TEXTS = st.lists(st.one_of(CUE_PIECES, st.sampled_from(["，", ",", "。", ";", ":", "\n", " ", "2023年", "3"])),
                     max_size=40).map(lambda pieces: normalise("".join(pieces)))


@settings(max_examples=300, deadline=None)
@given(CUE_TEXTS)
@example("下一步将要求各单位将要3")
def test_cues_tried_at_their_first_characters_are_the_matches_finditer_gives(text: str) -> None:
    for pattern in CUE_PATTERNS:
        tried = FirstCharacterSearch(pattern, first_characters(pattern.pattern))
        assert [m.span() for m in tried.finditer(text)] == [m.span() for m in pattern.finditer(text)], pattern.pattern
        assert [m.span() for m in quick(pattern).finditer(text)] == [m.span() for m in pattern.finditer(text)], pattern.pattern
