"""What a report says of itself, read as a saved page shows it: the title among menus and field
tables, the unit whose report it is (not the website carrying it), its kind, the year it covers
and the page's publication date. Every text is a short page written for the test."""
from __future__ import annotations

from datetime import date

import pytest

BODY = "一、主要工作\n全年办理行政复议案件12件。\n二、存在的问题\n执法力量不足。\n三、下一步打算\n加强执法队伍建设。\n"


# ---------------------------------------------------------------- title

@pytest.mark.parametrize(("page", "title"), [
    pytest.param("松林县水务局2023年法治政府建设工作报告\n" + BODY, "松林县水务局2023年法治政府建设工作报告", id="plain-title"),
    pytest.param("标题: 松林县水务局2023年法治政府建设工作报告\n发布时间: 2024-03-01\n==== 正文 ====\n" + BODY,
                 "松林县水务局2023年法治政府建设工作报告", id="archiver-header"),
    pytest.param("==== 标题: 松林县水务局2023年法治政府建设工作报告 ====\n" + BODY,
                 "松林县水务局2023年法治政府建设工作报告", id="archiver-banner"),
    pytest.param("松林县2021年度法治政府建设工作情况\n" + BODY, "松林县2021年度法治政府建设工作情况", id="without-bao-gao"),
    pytest.param("松林县农业局2019年依法行政工作情况\n" + BODY, "松林县农业局2019年依法行政工作情况", id="yi-fa-xing-zheng-without-bao-gao"),
    pytest.param("关于梅溪镇2022年法治政府建设情况的报告\n" + BODY, "关于梅溪镇2022年法治政府建设情况的报告", id="guan-yu-de-bao-gao"),
    pytest.param("您现在的位置: 首页 - 政务公开 - 法治政府建设年度报告\n松林县2023年法治政府建设情况报告\n" + BODY,
                 "松林县2023年法治政府建设情况报告", id="breadcrumb-with-dashes-skipped"),
    pytest.param("首页 > 信息公开 > 法治政府建设年度报告\n松林县2023年法治政府建设情况报告\n" + BODY,
                 "松林县2023年法治政府建设情况报告", id="breadcrumb-skipped"),
    pytest.param("政府工作报告 政府信息公开年报 法治政府建设年度报告\n松林县2023年法治政府建设情况报告\n" + BODY,
                 "松林县2023年法治政府建设情况报告", id="menu-line-skipped"),
    pytest.param("法治政府建设年度报告\n松林县交通运输局2023年法治政府建设情况报告\n" + BODY,
                 "松林县交通运输局2023年法治政府建设情况报告", id="column-name-above-title"),
    pytest.param("法治政府建设年度报告\n松林县交通运输局法治政府建设工作报告\n" + BODY,
                 "松林县交通运输局法治政府建设工作报告", id="column-name-above-title-without-year"),
    pytest.param("索引号: 1234/2024-00011 分类: 法治政府建设 / 工作报告\n松林县2023年法治政府建设情况报告\n" + BODY,
                 "松林县2023年法治政府建设情况报告", id="field-line-skipped"),
    pytest.param("松林县司法局2023年法治政府建设工作报告 发布时间: 2024-03-05 来源: 松林县司法局\n" + BODY,
                 "松林县司法局2023年法治政府建设工作报告", id="fields-beside-title-cut"),
    pytest.param("松林县司法局关于2023年度法治政府建设\n工作情况的报告\n" + BODY,
                 "松林县司法局关于2023年度法治政府建设工作情况的报告", id="title-broken-over-two-lines"),
])
def test_title(make_document, page: str, title: str) -> None:
    assert make_document(page).meta.title == title


def test_a_heading_below_the_opening_is_not_a_title(make_document) -> None:
    page = ("2023年,松林县统计局认真贯彻落实上级部署,扎实推进依法统计、依法行政,各项工作取得新进展,现将有关情况报告如下。\n"
            "松林县统计局2023年法治政府建设重点工作情况\n" + BODY)
    assert make_document(page).meta.title is None


# ---------------------------------------------------------------- issuer

@pytest.mark.parametrize(("page", "issuer", "source"), [
    pytest.param("云溪县司法局2023年法治政府建设工作报告\n" + BODY, "云溪县司法局", "title", id="title"),
    pytest.param("关于青川镇2022年法治政府建设情况的报告\n" + BODY, "青川镇人民政府", "title", id="title-guan-yu"),
    pytest.param("松林县人民政府关于2022年度法治政府建设情况的报告\n" + BODY, "松林县人民政府", "title", id="title-unit-before-guan-yu"),
    pytest.param("2022年度松林县市场监督管理局法治政府建设工作报告\n" + BODY, "松林县市场监督管理局", "title", id="title-year-first"),
    pytest.param("2023年度法治政府建设工作报告(松林县林业局)\n" + BODY, "松林县林业局", "title", id="title-unit-in-brackets"),
    pytest.param("2022年法治政府建设年度报告\n2022年,柳湾街道办事处在区委、区政府的领导下,扎实推进依法行政。\n" + BODY,
                 "柳湾街道办事处", "text", id="opening-sentence"),
    pytest.param("2022年,在县委县政府的坚强领导下,石桥乡认真落实法治政府建设各项任务。\n" + BODY,
                 "石桥乡人民政府", "text", id="opening-after-zai-ling-dao-xia"),
    pytest.param("现将松林县自然资源局2022年度法治政府建设工作情况报告如下。\n" + BODY,
                 "松林县自然资源局", "text", id="opening-formula"),
    pytest.param("2022年法治政府建设年度报告\n" + BODY + "特此报告。\n松林县卫生健康局\n2023年3月1日\n",
                 "松林县卫生健康局", "signature", id="signature"),
    pytest.param("2022年法治政府建设年度报告\n" + BODY + "松林县卫生健康局\n2023年3月1日\n"
                 "松林县人民政府办公室主办 版权所有\n网站标识码: 1234000001\n返回顶部\n",
                 "松林县卫生健康局", "signature", id="signature-above-footer"),
    pytest.param("2022年法治政府建设年度报告\n发布机构: 松林县应急管理局\n" + BODY, "松林县应急管理局", "text", id="fa-bu-ji-gou"),
    pytest.param("2022年法治政府建设年度报告\n来源: 松林县人民政府网 2023-03-01\n" + BODY, "松林县人民政府", "text",
                 id="lai-yuan-only-when-nothing-else"),
])
def test_issuer(make_document, page: str, issuer: str, source: str) -> None:
    meta = make_document(page).meta
    assert (meta.issuer, meta.issuer_source) == (issuer, source)


@pytest.mark.parametrize("page", [
    pytest.param("松林县教育局2023年法治政府建设工作报告\n发布时间: 2024-03-01 来源: 松林县人民政府\n" + BODY, id="title-names-another-unit"),
    pytest.param("2023年法治政府建设工作报告\n信息来源: 松林县人民政府门户网站\n"
                 "2023年,松林县教育局坚持以习近平法治思想为指导,推进依法治校。\n" + BODY, id="opening-names-another-unit"),
])
def test_the_website_in_lai_yuan_is_not_the_issuer(make_document, page: str) -> None:
    assert make_document(page).meta.issuer == "松林县教育局"


@pytest.mark.parametrize(("page", "issuer"), [
    pytest.param("市司法局2022年法治政府建设工作报告\n" + BODY + "东江市司法局\n2023年2月1日\n", "东江市司法局", id="short-title-name-completed"),
    pytest.param("青川镇2022年法治政府建设情况报告\n发布机构: 云溪县青川镇人民政府\n" + BODY, "云溪县青川镇人民政府", id="town-completed"),
    pytest.param("重庆市松林区民政局关于2024年法治政府建设情况的报告\n发布机构: 松林区民政局\n" + BODY, "重庆市松林区民政局",
                 id="shorter-field-name-ignored"),
    pytest.param("青川镇2022年法治政府建设情况报告\n发布机构: 云溪县人民政府办公室\n" + BODY, "青川镇人民政府", id="other-unit-never-replaces"),
])
def test_a_later_source_completes_the_name(make_document, page: str, issuer: str) -> None:
    assert make_document(page).meta.issuer == issuer


def test_a_closing_phrase_is_no_signature(make_document) -> None:
    page = "2022年法治政府建设年度报告\n" + BODY + "坚定不移推进依法治县\n"
    assert make_document(page).meta.issuer is None


@pytest.mark.parametrize("title", ["政府工作报告", "人民政府2023年法治政府建设情况报告", "司法局法治建设工作总结"])
def test_a_title_naming_only_the_kind_of_unit_names_no_issuer(make_document, title: str) -> None:
    assert make_document(f"{title}\n" + BODY).meta.issuer is None


# ---------------------------------------------------------------- kind

@pytest.mark.parametrize(("unit", "kind"), [
    pytest.param("青川镇", "government", id="zhen"),
    pytest.param("石桥乡", "government", id="xiang"),
    pytest.param("云溪县青川镇人民政府", "government", id="zhen-ren-min-zheng-fu"),
    pytest.param("柳湾街道", "government", id="jie-dao"),
    pytest.param("柳湾街道办事处", "government", id="jie-dao-ban-shi-chu"),
    pytest.param("柳湾街道办", "government", id="jie-dao-ban"),
    pytest.param("云溪县北山片区管理局", "government", id="pian-qu-guan-li-ju"),
    pytest.param("东江高新区管委会", "government", id="guan-wei-hui"),
    pytest.param("东江经济技术开发区管理委员会", "government", id="kai-fa-qu-guan-li-wei-yuan-hui"),
    pytest.param("松林区人民政府", "government", id="qu-ren-min-zheng-fu"),
    pytest.param("松林县人民政府", "government", id="xian-ren-min-zheng-fu"),
    pytest.param("东江市人民政府", "government", id="shi-ren-min-zheng-fu"),
    pytest.param("南岭州人民政府", "government", id="zhou-ren-min-zheng-fu"),
    pytest.param("南岭省人民政府", "government", id="sheng-ren-min-zheng-fu"),
    pytest.param("松林县", "government", id="bare-county"),
    pytest.param("松林县公安局", "department", id="ju"),
    pytest.param("松林县应急管理局", "department", id="guan-li-ju-is-a-department"),
    pytest.param("东江市城市管理委员会", "department", id="cheng-shi-guan-li-wei-yuan-hui"),
    pytest.param("松林县卫生健康委", "department", id="wei"),
    pytest.param("松林县发展和改革委员会", "department", id="wei-yuan-hui"),
    pytest.param("松林县人民政府办公室", "department", id="zheng-fu-ban-gong-shi"),
    pytest.param("松林县扶贫办", "department", id="ban"),
    pytest.param("南岭省交通运输厅", "department", id="ting"),
    pytest.param("松林县政务服务中心", "department", id="zhong-xin"),
])
def test_kind(make_document, unit: str, kind: str) -> None:
    meta = make_document(f"{unit}2023年法治政府建设工作报告\n" + BODY).meta
    assert meta.issuer.startswith(unit)  # a bare place reads as its government (test_a_place_reports_through_its_government)
    assert (meta.kind, meta.kind_source) == (kind, "issuer")


@pytest.mark.parametrize(("unit", "issuer"), [
    pytest.param("青川镇", "青川镇人民政府", id="town"),
    pytest.param("松林县", "松林县人民政府", id="county"),
    pytest.param("柳湾街道", "柳湾街道办事处", id="sub-district"),
    pytest.param("东江高新区", "东江高新区", id="zone-keeps-its-name"),
    pytest.param("松林县公安局", "松林县公安局", id="department-as-written"),
])
def test_a_place_reports_through_its_government(make_document, unit: str, issuer: str) -> None:
    assert make_document(f"{unit}2023年法治政府建设工作报告\n" + BODY).meta.issuer == issuer


@pytest.mark.parametrize(("page", "kind"), [
    pytest.param("2023年法治政府建设工作报告\n一、主要工作\n我局全年办理行政处罚案件20件,本局法律顾问审查合同12份。\n", "department",
                 id="wo-ju"),
    pytest.param("2023年法治政府建设工作报告\n一、主要工作\n我镇调解矛盾纠纷30件,我镇法律顾问列席党委会5次。\n", "government",
                 id="wo-zhen"),
])
def test_kind_from_how_an_unnamed_unit_speaks_of_itself(make_document, page: str, kind: str) -> None:
    meta = make_document(page).meta
    assert (meta.issuer, meta.kind, meta.kind_source) == (None, kind, "text")


# ---------------------------------------------------------------- publication date

TITLE = "松林县司法局2023年法治政府建设工作报告"


@pytest.mark.parametrize(("head", "foot", "published"), [
    pytest.param("发布日期: 2024-03-20", "", date(2024, 3, 20), id="fa-bu-ri-qi"),
    pytest.param("发布时间: 2024-03-21 09:30", "", date(2024, 3, 21), id="fa-bu-shi-jian"),
    pytest.param("发布时间: 2022年03月28日 15时06分", "", date(2022, 3, 28), id="fa-bu-shi-jian-chinese-units"),
    pytest.param("时间: 2023-02-27 微信 微博", "", date(2023, 2, 27), id="shi-jian-with-share-words"),
    pytest.param("更新时间: 2024/03/22", "", date(2024, 3, 22), id="geng-xin-shi-jian"),
    pytest.param("· 发布时间: 2024-03-23", "", date(2024, 3, 23), id="bullet-before"),
    pytest.param("来源: 松林县司法局 | 发布时间: 2024-03-24 | 浏览次数: 35", "", date(2024, 3, 24), id="pipe-before"),
    pytest.param("发布日期: | 2024-03-25 |", "", date(2024, 3, 25), id="pipe-table-cell"),
    pytest.param("信息发布时间: 2024-03-26", "", date(2024, 3, 26), id="xin-xi-fa-bu-shi-jian"),
    pytest.param("【发布于 2024-03-19】", "", date(2024, 3, 19), id="fa-bu-yu-in-brackets"),
    pytest.param("发布时间:二〇二四年三月二十七日", "", date(2024, 3, 27), id="chinese-numerals"),
    pytest.param("2024-03-20 10:15\n来源: 松林县司法局", "", date(2024, 3, 20), id="bare-timestamp-before-lai-yuan"),
    pytest.param("2024-03-21 来源: 松林县司法局 浏览: 12", "", date(2024, 3, 21), id="bare-date-beside-lai-yuan"),
    pytest.param("[2024-03-22 16:20:11]", "", date(2024, 3, 22), id="bare-timestamp-in-brackets"),
    pytest.param("", "发布时间: 2024-03-28\n版权所有: 松林县人民政府", date(2024, 3, 28), id="footer"),
    pytest.param("生成日期: 2024-01-05  发布日期: 2024-03-29", "", date(2024, 3, 29), id="fa-bu-ri-qi-beats-sheng-cheng-ri-qi"),
    pytest.param("日期: 2024-03-30  时间: 2024-04-02", "", date(2024, 3, 30), id="most-explicit-field-first"),
    pytest.param("生成日期: 2024-01-05", "", None, id="not-sheng-cheng-ri-qi"),
    pytest.param("成文日期: 2024-01-06", "", None, id="not-cheng-wen-ri-qi"),
    pytest.param("印发日期: 2024-01-07", "", None, id="not-yin-fa-ri-qi"),
    pytest.param("抓取时间: 2024-06-12 08:15:33", "", None, id="not-crawl-time"),
    pytest.param("今天是2024年6月12日 星期三", "", None, id="not-the-sites-clock"),
])
def test_publication_date(make_document, head: str, foot: str, published: date | None) -> None:
    meta = make_document(f"{TITLE}\n{head}\n{BODY}{foot}\n").meta
    assert (meta.published, meta.published_source) == (published, "text" if published else None)


def test_a_meeting_time_in_the_text_is_no_publication_date(make_document) -> None:
    meta = make_document(f"{TITLE}\n一、主要工作\n2023年5月12日 14:30召开法治政府建设推进会。\n").meta
    assert meta.published is None


def test_the_signature_date_is_only_a_fallback(make_document) -> None:
    signed = make_document(f"{TITLE}\n{BODY}松林县司法局\n2024年3月2日\n返回顶部\n").meta
    assert (signed.published, signed.published_source) == (date(2024, 3, 2), "signature")
    published = make_document(f"{TITLE}\n{BODY}松林县司法局\n2024年3月2日\n发布时间: 2024-03-18\n").meta
    assert (published.published, published.published_source) == (date(2024, 3, 18), "text")


# ---------------------------------------------------------------- year

@pytest.mark.parametrize(("page", "year", "source"), [
    pytest.param("松林县2022年法治政府建设情况报告\n" + BODY, 2022, "title", id="title"),
    pytest.param("松林县二〇二二年度法治政府建设情况报告\n" + BODY, 2022, "title", id="title-chinese-numerals"),
    pytest.param("松林县法治政府建设情况报告\n一、2022年主要工作\n开展执法检查。\n二、2023年工作打算\n加强培训。\n", 2022, "body",
                 id="work-heading-not-plans-heading"),
    pytest.param("松林县法治政府建设情况报告\n一、二〇二二年度主要工作\n开展执法检查。\n", 2022, "body", id="heading-chinese-numerals"),
    pytest.param("松林县法治政府建设情况报告\n发布时间: 2023年03月08日 10时00分 来源: 松林县司法局 浏览次数: 35 打印 关闭\n"
                 "现将2022年度法治政府建设工作情况报告如下:\n一、主要工作\n开展执法检查。\n", 2022, "body", id="formula-not-publication-field"),
    pytest.param("今年以来,我县认真贯彻落实《法治政府建设实施纲要(2021—2025年)》,2022年全县法治政府建设取得新成效。\n" + BODY, 2022,
                 "body", id="opening-without-title"),
])
def test_year(make_document, page: str, year: int, source: str) -> None:
    meta = make_document(page).meta
    assert (meta.year, meta.year_source) == (year, source)


# ---------------------------------------------------------------- a whole page

PAGE = """松林县人民政府门户网站
首页 > 信息公开 > 法定主动公开内容 > 法治政府建设年度报告
松林县梅溪镇人民政府2023年度法治政府建设情况报告
发布时间：2024年03月12日 09时40分  来源：松林县人民政府办公室  【字体：大 中 小】【打印】

2023年，梅溪镇人民政府坚持以习近平法治思想为指导，认真落实法治政府建设各项任务，现将有关情况报告如下。
一、2023年主要工作
镇村两级调解矛盾纠纷52件。
二、存在的不足
镇综合执法力量不足。
三、2024年工作打算
聘请镇政府法律顾问。
松林县梅溪镇人民政府
2024年3月1日
上一篇：梅溪镇2023年政府信息公开工作年度报告　下一篇：关于做好春耕生产的通知
主办：松林县人民政府办公室 版权所有 网站标识码：1234000001
"""


def test_a_whole_page(make_document) -> None:
    meta = make_document(PAGE).meta
    assert meta.title == "松林县梅溪镇人民政府2023年度法治政府建设情况报告"
    assert (meta.issuer, meta.issuer_source) == ("松林县梅溪镇人民政府", "title")
    assert meta.kind == "government"
    assert (meta.year, meta.year_source) == (2023, "title")
    assert (meta.published, meta.published_source) == (date(2024, 3, 12), "text")
    assert meta.document_type == "法治政府建设年度报告"
