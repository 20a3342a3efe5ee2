"""checker/document/text.py: the lines every rule reads. Normalised (NFKC, circled numbers kept),
simplified with the report's own script kept for quotation, a page saved as one line cut into
the lines a reader sees, markdown marks removed. Every text is a short report written for the test."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, strategies as st

from checker.document.text import JOINED_LINE_LENGTH, normalise, prepare_lines, to_simplified

BODY = "全年组织执法人员开展业务培训六场，累计参训人员达到三百余人次，执法能力明显增强。"


def phrase_at(document, phrase: str) -> int:
    position = document.text.find(phrase)
    assert position != -1, f"{phrase!r} not in {document.lines}"
    return position


# ---------------------------------------------------------------- NFKC, circled numbers kept

@pytest.mark.parametrize(("raw", "normalised"), [
    pytest.param("办理案件１２件，占１００％", "办理案件12件,占100%", id="full-width-digits-percent-comma"),
    pytest.param("（一）健全制度；规范执法：", "(一)健全制度;规范执法:", id="full-width-brackets-semicolon-colon"),
    pytest.param("是否落实？已落实！", "是否落实?已落实!", id="full-width-question-exclamation"),
    pytest.param("ＩＣＰ备", "ICP备", id="full-width-latin"),
    pytest.param("依法\u3000行政", "依法 行政", id="ideographic-space"),
    pytest.param("⑴细化程序", "(1)细化程序", id="parenthesised-digit-becomes-paren"),
    pytest.param("⒈加强学习", "1.加强学习", id="digit-full-stop-becomes-arabic"),
    pytest.param("㈠健全机制", "(一)健全机制", id="parenthesised-ideograph"),
    pytest.param("①规范执法", "①规范执法", id="circled-one-kept"),
    pytest.param("❶规范执法", "❶规范执法", id="negative-circled-kept"),
    pytest.param("⑳第二十项", "⑳第二十项", id="circled-twenty-kept"),
    pytest.param("①全年办结１２件", "①全年办结12件", id="circled-kept-beside-full-width"),
])
def test_normalise(raw: str, normalised: str) -> None:
    assert normalise(raw) == normalised


# Text made of what reports hold: CJK, ASCII, full-width forms, spaces of every width, compatibility
# characters (⑴ ⒈ ㈠ …) and combining marks that could compose with what a replacement leaves.
REPORT_CHARACTERS = st.text(st.one_of(
    st.sampled_from("依法行政出庭应诉率达到，；（）：！？％\xa0\u3000 .,()1２３ＡａＩ…⑴⒈㈠\u0301\u0308e"),
    st.characters(min_codepoint=0x20, max_codepoint=0xFFFF, blacklist_categories=("Cs",)),
), max_size=60)


@given(REPORT_CHARACTERS.filter(lambda text: not any("\u2460" <= c <= "\u2473" or "\u2776" <= c <= "\u277f" for c in text)))
def test_normalise_is_nfkc_whatever_the_shortcut(text: str) -> None:
    assert normalise(text) == unicodedata.normalize("NFKC", text)


def test_document_lines_are_normalised_and_stripped(make_document) -> None:
    document = make_document("  一、主要工作  \n全年审核规范性文件２１件，合格率１００％。")
    assert document.lines == ["一、主要工作", "全年审核规范性文件21件,合格率100%。"]
    assert document.text == "\n".join(document.lines)


def test_circled_number_stays_a_numbered_point(make_document) -> None:
    document = make_document("一、主要工作\n①规范执法程序\n" + BODY)
    assert "①规范执法程序" in document.lines
    assert [heading.family for heading in document.headings] == ["cn", "circled"]


# ---------------------------------------------------------------- traditional characters

@pytest.mark.parametrize(("traditional", "simplified"), [
    pytest.param("法治政府建設年度報告", "法治政府建设年度报告", id="report-title-words"),
    pytest.param("行政復議", "行政复议", id="reconsideration"),
    pytest.param("執法人員培訓", "执法人员培训", id="law-enforcement-training"),
    pytest.param("依法行政", "依法行政", id="already-simplified-unchanged"),
])
def test_to_simplified(traditional: str, simplified: str) -> None:
    assert to_simplified(traditional) == simplified


TRADITIONAL = "臨溪縣2024年法治政府建設年度報告\n一、主要工作\n全年辦理行政復議案件１２件，組織執法人員培訓３場。"


def test_traditional_report_is_read_in_simplified(make_document) -> None:
    document = make_document(TRADITIONAL)
    assert document.lines[2] == "全年办理行政复议案件12件,组织执法人员培训3场。"
    assert document.meta.title == "临溪县2024年法治政府建设年度报告"


def test_quote_gives_the_traditional_text_and_file_line_its_line(make_document) -> None:
    document = make_document(TRADITIONAL)
    start = phrase_at(document, "行政复议案件")
    assert document.quote(start, start + len("行政复议案件")) == "行政復議案件"
    assert document.place_of(start)[0] == 3


def test_quote_across_lines_keeps_each_lines_script(make_document) -> None:
    document = make_document(TRADITIONAL)
    start, end = phrase_at(document, "主要工作"), phrase_at(document, "全年办理") + len("全年办理")
    assert document.quote(start, end) == "主要工作\n全年辦理"


def test_simplified_report_keeps_no_originals(make_document) -> None:
    document = make_document("一、主要工作\n全年办理行政复议案件12件。")
    assert document.originals is None
    start = phrase_at(document, "行政复议")
    assert document.quote(start, start + 4) == "行政复议"


# ---------------------------------------------------------------- a page saved as one line

ONE_LINE_PAGE = " ".join([
    "首页 > 政务公开 > 法治政府建设",
    "临溪县2024年法治政府建设年度报告",
    "发布机构：临溪县人民政府 发布日期：2025-03-20 10:30",
    "字体：大 中 小 打印 分享",
    "2024年，临溪县坚持以习近平法治思想为指导，全面推进法治政府建设，各项工作取得明显成效。现将有关情况报告如下。",
    "一、主要工作",
    "（一）健全依法决策机制。全年审核重大行政决策事项８件，合法性审查覆盖率达到百分之百。",
    "（二）规范行政执法行为。组织执法案卷评查两次，发现并整改问题一十五个。",
    "二、存在的问题",
    "基层执法力量仍然薄弱，执法人员业务水平有待提高。",
    "三、下一步工作打算",
    "下一步，我们将继续加强执法队伍建设，提升执法规范化水平。",
]) + "\n临溪县人民政府\n2025年3月20日"


@pytest.fixture(scope="module")
def one_line_page(make_document):
    assert len(ONE_LINE_PAGE.split("\n")[0]) >= JOINED_LINE_LENGTH
    return make_document(ONE_LINE_PAGE)


@pytest.mark.parametrize("line", [
    pytest.param("首页 > 政务公开 > 法治政府建设", id="breadcrumb"),
    pytest.param("临溪县2024年法治政府建设年度报告", id="title"),
    pytest.param("发布机构:临溪县人民政府", id="field-issuer"),
    pytest.param("一、主要工作", id="inline-heading-cn"),
    pytest.param("二、存在的问题", id="inline-heading-problems"),
    pytest.param("三、下一步工作打算", id="inline-heading-plans"),
    pytest.param("基层执法力量仍然薄弱,执法人员业务水平有待提高。", id="paragraph"),
])
def test_one_line_page_is_cut_into_its_lines(one_line_page, line: str) -> None:
    assert line in one_line_page.lines


@pytest.mark.parametrize("start", [
    pytest.param("(一)健全依法决策机制。", id="cn-paren-heading-opens-its-line"),
    pytest.param("(二)规范行政执法行为。", id="second-cn-paren-heading"),
    pytest.param("2024年,临溪县坚持", id="opening-paragraph-after-toolbar"),
    pytest.param("发布日期:2025-03-20", id="date-field-own-line"),
])
def test_one_line_page_lines_start_where_the_reader_sees_them(one_line_page, start: str) -> None:
    assert any(line.startswith(start) for line in one_line_page.lines), one_line_page.lines


def test_one_line_page_cut_lines_point_at_file_line_one(one_line_page) -> None:
    first_file_line = [index for index, number in enumerate(one_line_page.line_numbers) if number == 1]
    assert len(first_file_line) >= 10
    for phrase in ("法治政府建设年度报告", "主要工作", "合法性审查", "有待提高", "执法队伍建设"):
        assert one_line_page.place_of(phrase_at(one_line_page, phrase))[0] == 1, phrase
    assert one_line_page.place_of(one_line_page.text.rfind("临溪县人民政府"))[0] == 2
    assert one_line_page.place_of(phrase_at(one_line_page, "2025年3月20日"))[0] == 3


def test_one_line_page_toolbar_is_not_report_text(one_line_page) -> None:
    for word in ("字体", "打印", "分享"):
        position = phrase_at(one_line_page, word)
        assert position not in one_line_page.scopes["all"], word
    assert phrase_at(one_line_page, "合法性审查") in one_line_page.scopes["all"]


def test_one_line_page_headings_are_found(one_line_page) -> None:
    assert [(heading.level, heading.text) for heading in one_line_page.headings if not heading.is_lead] == [
        (1, "一、主要工作"),
        (2, "(一)健全依法决策机制。"),
        (2, "(二)规范行政执法行为。"),
        (1, "二、存在的问题"),
        (1, "三、下一步工作打算"),
    ]


def test_traditional_one_line_page_quotes_its_own_script(make_document) -> None:
    page = ("首頁 > 政務公開 > 法治政府建設 臨溪縣2024年法治政府建設年度報告 "
            "2024年，臨溪縣堅持以習近平法治思想為指導，全面推進法治政府建設，各項工作取得明顯成效。 "
            "一、主要工作 （一）健全依法決策機制。全年審核重大行政決策事項８件，合法性審查覆蓋率達到百分之百。 "
            "二、存在的問題 基層執法力量仍然薄弱，執法人員業務水平有待提高，執法裝備保障不足。 "
            "三、下一步工作打算 下一步，我們將繼續加強執法隊伍建設，提升執法規範化水平。")
    assert len(page) >= JOINED_LINE_LENGTH
    document = make_document(page)
    assert "二、存在的问题" in document.lines
    start = phrase_at(document, "合法性审查")
    assert document.quote(start, start + 5) == "合法性審查"
    assert document.place_of(start)[0] == 1


@pytest.mark.parametrize("paragraph", [
    pytest.param("全县深入推进“双随机、一公开”监管，全年确定抽查主体 12 个，抽查事项 36 项，检查对象 450 户，发现问题 17 个并全部整改到位。"
                 "截至 2024 年底，全县行政执法人员持证率达到百分之百，执法案卷合格率稳步提升，群众满意度持续提高，"
                 "行政执法“三项制度”全面落实，执法信息公示平台运行良好，重大执法决定法制审核做到应审尽审，"
                 "有力促进了严格规范公正文明执法，为优化营商环境提供了坚实的法治保障，得到上级部门和社会各界的充分肯定。",
                 id="spaces-around-numbers"),
    pytest.param("全年共办理行政复议案件 23 件，其中维持 15 件、撤销 3 件、确认违法 2 件、驳回 3 件，复议决定全部依法按期送达。"
                 "全年行政应诉案件 31 件，行政机关负责人出庭应诉 31 人次，出庭应诉率保持百分之百，败诉率较上年明显下降。"
                 "县政府常务会议专题听取行政复议和应诉工作汇报，研究解决复议机构人员编制、办案经费和场所保障等具体问题，"
                 "复议委员会吸收律师、专家学者参与重大疑难案件审议，行政复议化解行政争议的主渠道作用进一步发挥。",
                 id="case-counts-with-spaces"),
])
def test_a_long_paragraph_with_stray_spaces_is_not_cut(make_document, paragraph: str) -> None:
    assert len(paragraph) >= JOINED_LINE_LENGTH
    document = make_document("一、主要工作\n" + paragraph)
    assert len(document.lines) == 2
    assert document.lines[1] == normalise(paragraph)


def test_a_short_line_with_spaces_is_not_cut(make_document) -> None:
    document = make_document("首页 > 政务公开 临溪县报告 全年办理复议案件12件。 二、存在的问题 执法力量薄弱。")
    assert len(document.lines) == 1


def test_a_long_line_is_cut_at_an_inline_heading_after_a_sentence_end(make_document) -> None:
    paragraph = BODY * 5 + "二、存在的问题" + "基层执法力量仍然薄弱。"
    document = make_document(paragraph)
    assert [line[:7] for line in document.lines] == [BODY.replace("，", ",")[:7], "二、存在的问题"]
    assert document.line_numbers == [1, 1]


def test_cut_lines_keep_the_container_style_on_the_first_piece_only() -> None:
    line = BODY * 5 + "二、存在的问题基层执法力量仍然薄弱。"
    prepared = prepare_lines(line + "\n下一行", ("b", ""))
    assert prepared.numbers == [1, 1, 2]
    assert prepared.styles == ["b", "", ""]


# ---------------------------------------------------------------- markdown

@pytest.mark.parametrize(("raw", "line", "style"), [
    pytest.param("## 一、主要工作", "一、主要工作", "h2", id="h2-numbered"),
    pytest.param("### 工作成效", "工作成效", "h3", id="h3-unnumbered"),
    pytest.param("# 临溪县2024年法治政府建设年度报告", "临溪县2024年法治政府建设年度报告", "h1", id="h1-title"),
    pytest.param("**全年**办理案件12件。", "全年办理案件12件。", "", id="bold-emphasis-removed"),
    pytest.param("__加强__学习", "加强学习", "", id="underscore-emphasis-removed"),
    pytest.param("#法治宣传#话题阅读量12万", "#法治宣传#话题阅读量12万", "", id="hash-tag-is-not-a-heading"),
])
def test_markdown_marks(raw: str, line: str, style: str) -> None:
    prepared = prepare_lines(raw)
    assert prepared.lines == [line]
    assert prepared.styles == [style]


def test_markdown_headings_become_headings(make_document) -> None:
    document = make_document("## 一、主要工作\n### 工作成效\n**全年**组织执法人员开展业务培训六场，累计参训三百余人次，执法能力明显增强。")
    assert [heading.text for heading in document.headings] == ["一、主要工作", "工作成效"]
    assert document.lines[2].startswith("全年组织")


def test_blank_lines_keep_file_line_numbers() -> None:
    prepared = prepare_lines("甲\n\n乙")
    assert prepared.lines == ["甲", "", "乙"]
    assert prepared.numbers == [1, 2, 3]


def test_a_date_field_glued_to_the_title_on_a_joined_page_is_cut_off(make_document) -> None:
    body = " ".join(["全年开展执法检查20次,办理复议案件12件。"] * 12)
    document = make_document(f"首页 > 政务公开 云溪县人社局2018年法治政府建设情况报告发布时间:2019-02-20 09:00 {body}")
    assert "发布时间:2019-02-20 09:00" in document.lines
    assert str(document.meta.published) == "2019-02-20"


def test_a_long_text_is_converted_in_pieces_as_a_whole(monkeypatch) -> None:
    import checker.document.text as text_module
    lines = ["法治政府建設年度報告", "負責人出庭應訴率達到100%", "", "規範性文件備案審查"] * 40
    whole = to_simplified("\n".join(lines))
    monkeypatch.setattr(text_module, "CONVERSION_CHUNK", 25)
    assert to_simplified("\n".join(lines)) == whole
    assert whole.split("\n")[1] == "负责人出庭应诉率达到100%"
