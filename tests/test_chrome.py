"""checker/chrome.py: the web page around a report, found as spans of a line. Breadcrumbs,
toolbars, footers, archiver lines and page fields are not report text; a report sentence that
happens to say 无障碍, 分享 or 打印 is. Every text is a short report written for the test."""
from __future__ import annotations

import pytest

from checker.chrome import ChromeFinder
from checker.document.text import normalise
from checker.vocabulary import default_vocabulary


@pytest.fixture(scope="module")
def finder() -> ChromeFinder:
    return ChromeFinder(default_vocabulary())


def chrome_of(finder: ChromeFinder, raw: str) -> list[str]:
    """The chrome pieces of one line, as the document model sees the line (normalised)."""
    line = normalise(raw)
    return [line[start:end] for start, end in finder.spans(line)]


def positions(document, phrase: str) -> range:
    start = document.text.find(phrase)
    assert start != -1, f"{phrase!r} not in {document.lines}"
    return range(start, start + len(phrase))


def in_all(document, phrase: str) -> bool:
    """Whether every character of the phrase is report text."""
    return all(position in document.scopes["all"] for position in positions(document, phrase))


def out_of_all(document, phrase: str) -> bool:
    return not any(position in document.scopes["all"] for position in positions(document, phrase))


# ---------------------------------------------------------------- lines that are all chrome

@pytest.mark.parametrize("line", [
    pytest.param("首页 > 政务公开 > 法治政府建设", id="breadcrumb-home-arrows"),
    pytest.param("首页 » 政务公开 » 年度报告", id="breadcrumb-guillemets"),
    pytest.param("您当前的位置：首页 > 政务公开", id="breadcrumb-you-are-here"),
    pytest.param("您现在的位置: 法治政府", id="breadcrumb-you-are-here-one-crumb"),
    pytest.param("当前位置：首页 > 通知公告", id="breadcrumb-current-position"),
    pytest.param("字体：大 中 小", id="toolbar-font-size"),
    pytest.param("【字体：大 中 小】", id="toolbar-font-size-bracketed"),
    pytest.param("字号：[大 中 小]", id="toolbar-font-size-square"),
    pytest.param("大 中 小", id="toolbar-bare-sizes"),
    pytest.param("打印 分享", id="toolbar-print-share-own-line"),
    pytest.param("打印 | 关闭", id="toolbar-print-close"),
    pytest.param("【打印】【关闭】", id="toolbar-bracketed-buttons"),
    pytest.param("分享到：微信 微博", id="toolbar-share-to"),
    pytest.param("打印本页 关闭窗口", id="toolbar-print-page-close-window"),
    pytest.param("版权所有：临溪县人民政府", id="footer-copyright"),
    pytest.param("滇ICP备12345678号-1", id="footer-icp"),
    pytest.param("京公网安备 11010502030000号", id="footer-public-security"),
    pytest.param("主办单位：临溪县人民政府办公室", id="footer-host"),
    pytest.param("联系我们 网站地图", id="footer-links"),
    pytest.param("==== 正文 ====", id="archiver-body-marker"),
    pytest.param("原文链接：http://www.example.gov.cn/a.html", id="archiver-source-link"),
    pytest.param("https://www.example.gov.cn/x", id="bare-url"),
    pytest.param("上一篇：关于印发某某办法的通知", id="previous-article"),
    pytest.param("相关附件：", id="related-attachments"),
    pytest.param("发布日期：2025-03-15", id="field-date"),
    pytest.param("索引号：123-456 | 发布机构：临溪县司法局 | 发布日期：2025-03-10", id="field-table"),
    pytest.param("来源：临溪县司法局  浏览次数：128", id="field-source-and-views"),
    # A paper's or a page's keywords name topics; 第一责任人 there is no clause about the duty.
    pytest.param("关键词：法治政府；年度报告；第一责任人", id="field-keywords"),
    pytest.param("主题词：法治 报告 第一责任人", id="field-subject-words"),
])
def test_whole_line_is_chrome(finder: ChromeFinder, line: str) -> None:
    assert chrome_of(finder, line) == [normalise(line)]


@pytest.mark.parametrize("line", [
    pytest.param("发布日期：2025-03-15", id="date"),
    pytest.param("索引号：123-456 | 发布机构：临溪县司法局 | 发布日期：2025-03-10", id="table"),
    pytest.param("来源：临溪县司法局  浏览次数：128", id="source-views"),
])
def test_field_lines(finder: ChromeFinder, line: str) -> None:
    assert finder.is_field_line(normalise(line))


# ---------------------------------------------------------------- chrome sharing a line with text

@pytest.mark.parametrize(("line", "chrome"), [
    pytest.param("首页 > 政务公开 > 法治报告 2024年，我县坚持依法行政，全年办理复议案件12件。", ["首页 > 政务公开 > 法治报告"],
                 id="breadcrumb-then-body"),
    pytest.param("全年办理案件12件。版权所有 临溪县人民政府 滇ICP备12345678号", ["版权所有 临溪县人民政府 滇ICP备12345678号"],
                 id="body-then-footer-to-line-end"),
    pytest.param("全年办理案件12件。滇ICP备12345678号", ["滇ICP备12345678号"], id="body-then-icp"),
])
def test_chrome_span_inside_a_line(finder: ChromeFinder, line: str, chrome: list[str]) -> None:
    assert chrome_of(finder, line) == chrome


# ---------------------------------------------------------------- report sentences are not chrome

@pytest.mark.parametrize("line", [
    pytest.param("推进无障碍环境建设，全年改造服务窗口8个。", id="accessibility-work"),
    pytest.param("组织召开座谈会，分享执法经验。", id="share-experience"),
    pytest.param("为群众现场打印证照120份。", id="print-licences"),
    pytest.param("执法人员现场打印执法文书，当场送达。", id="print-documents"),
    pytest.param("全县大中小学校全部配备法治副校长。", id="schools-big-middle-small"),
    pytest.param("为中小企业提供法律体检服务30次。", id="small-and-medium-enterprises"),
    pytest.param("首页设置法治专栏，全年发布信息120条。", id="home-page-without-crumbs"),
    pytest.param("小区物业纠纷调解23件。", id="starts-with-small"),
    pytest.param("全年办理时间平均缩短至3个工作日。", id="time-word-in-a-sentence"),
    pytest.param("来源于群众的意见建议全部办结。", id="source-word-in-a-sentence"),
    pytest.param("围绕“依法行政”等关键词开展专题培训3次。", id="keyword-word-in-a-sentence"),
])
def test_report_sentence_is_not_chrome(finder: ChromeFinder, line: str) -> None:
    assert chrome_of(finder, line) == []
    assert not finder.is_field_line(normalise(line))


@pytest.mark.parametrize("line", [
    pytest.param("开设“联系我们”栏目，收到群众留言35条。", id="contact-us-column-in-a-sentence"),
    pytest.param("政务网站开通长者模式，方便老年人查询政策。", id="elderly-mode-in-a-sentence"),
    pytest.param("为视障群众提供无障碍阅读服务3次。", id="accessible-reading-in-a-sentence"),
])
def test_report_sentence_naming_a_site_feature_is_not_chrome(finder: ChromeFinder, line: str) -> None:
    assert chrome_of(finder, line) == []


# ---------------------------------------------------------------- in a whole document

PAGE = """您当前的位置：首页 > 政务公开 > 法治政府建设
临溪县2024年法治政府建设年度报告
发布日期：2025-03-15  来源：临溪县人民政府
字体：大 中 小
打印 分享
==== 正文 ====
2024年，临溪县坚持以习近平法治思想为指导，扎实推进法治政府建设。
一、主要工作
推进无障碍环境建设，分享执法经验，为群众打印证照提供便利，全年办理事项３２件。
二、存在的问题
执法力量偏弱，执法人员业务水平有待提高。
原文链接：http://www.example.gov.cn/a.html
版权所有：临溪县人民政府  滇ICP备12345678号
"""


@pytest.fixture(scope="module")
def page(make_document):
    return make_document(PAGE)


@pytest.mark.parametrize("phrase", [
    pytest.param("您当前的位置:首页 > 政务公开 > 法治政府建设", id="breadcrumb"),
    pytest.param("发布日期:2025-03-15", id="fields"),
    pytest.param("字体:大 中 小", id="font-size-bar"),
    pytest.param("打印 分享", id="print-share-line"),
    pytest.param("==== 正文 ====", id="archiver-marker"),
    pytest.param("原文链接", id="archiver-link"),
    pytest.param("版权所有:临溪县人民政府  滇ICP备12345678号", id="footer"),
])
def test_page_chrome_is_in_no_scope(page, phrase: str) -> None:
    span = positions(page, phrase)
    assert not any(span.start in scope for scope in page.scopes.values())
    assert out_of_all(page, phrase)


@pytest.mark.parametrize("phrase", [
    pytest.param("推进无障碍环境建设", id="accessibility"),
    pytest.param("分享执法经验", id="share"),
    pytest.param("为群众打印证照", id="print"),
    pytest.param("执法人员业务水平有待提高", id="problems"),
])
def test_report_words_stay_report_text(page, phrase: str) -> None:
    assert in_all(page, phrase)


def test_page_title_is_not_the_breadcrumb(page) -> None:
    assert page.meta.title == "临溪县2024年法治政府建设年度报告"


def test_chrome_lines_are_no_headings(page) -> None:
    assert [heading.text for heading in page.headings if not heading.is_lead] == ["一、主要工作", "二、存在的问题"]


@pytest.mark.parametrize(("report", "chrome", "body"), [
    pytest.param("首页 > 政务公开 > 法治报告 2024年，临溪县坚持依法行政，全年办理复议案件12件。",
                 "首页 > 政务公开 > 法治报告", "全年办理复议案件12件", id="breadcrumb-then-body"),
    pytest.param("您当前的位置：首页 > 政务公开 2024年，临溪县全年办理复议案件12件。",
                 "您当前的位置:首页 > 政务公开", "全年办理复议案件12件", id="you-are-here-then-body"),
    pytest.param("一、主要工作\n全年办理复议案件12件。版权所有 临溪县人民政府 滇ICP备12345678号",
                 "版权所有 临溪县人民政府", "全年办理复议案件12件", id="body-then-footer"),
])
def test_body_sharing_a_line_with_chrome_keeps_its_words(make_document, report: str, chrome: str, body: str) -> None:
    document = make_document(report)
    assert out_of_all(document, chrome)
    assert in_all(document, body)


PAGE_LINES = [
    "您当前的位置：首页 > 政务公开 > 法治政府建设", "【字体：大 中 小】 打印 关闭", "大 中 小", "版权所有：临溪县人民政府 蜀ICP备12345678号",
    "主办单位：临溪县司法局 网站标识码5100000001", "上一篇：关于印发通知", "发布日期：2024-03-12 来源：临溪县司法局",
    "一、2023年法治政府建设主要举措", "全年办理行政复议案件12件，纠错率8.3%，负责人出庭应诉率100%。",
    "加大执法力度，推进无障碍环境建设，分享经验做法。", "扫一扫在手机打开当前页", "======", "",
]


@pytest.mark.parametrize("order", [0, 1, 2], ids=["as-written", "reversed", "interleaved"])
def test_marked_lines_change_no_span(finder: ChromeFinder, order: int) -> None:
    lines = [normalise(line) for line in (PAGE_LINES, PAGE_LINES[::-1], PAGE_LINES[::2] + PAGE_LINES[1::2])[order]]
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    marked = finder.marked_lines("\n".join(lines), starts)
    assert marked is not None and len(marked) < len(lines)
    assert [finder.spans(line, marked.get(index, 0)) for index, line in enumerate(lines)] == [finder.spans(line) for line in lines]
    assert [finder.spans(line, finder.line_marks(line)) for line in lines] == [finder.spans(line) for line in lines]
