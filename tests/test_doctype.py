"""Whether a document is a unit's own 法治政府建设年度报告, or what it is instead: the judgement
from its title, what it says of itself and how it is built. Every text is short and written for
the test; several are laid out as saved pages, with their menus, field lines and footers."""
from __future__ import annotations

import pytest

REPORT = "法治政府建设年度报告"

WORK = "一、主要工作\n全面推行行政执法三项制度,办理行政复议案件15件,法律顾问审查规范性文件8件。\n"
SHORTCOMINGS = "二、存在的问题\n基层执法人员不足,普法宣传形式单一。\n"
PLANS = "三、下一步工作打算\n加强执法队伍建设,落实普法责任制。\n"
PARTS = WORK + SHORTCOMINGS + PLANS

GENUINE = {
    "titled-report": "松林县司法局2023年法治政府建设工作报告\n" + PARTS,
    "qing-kuang-bao-gao": "松林县人民政府关于2023年度法治政府建设情况的报告\n县委全面依法治县委员会:\n" + PARTS,
    "gong-zuo-qing-kuang-without-bao-gao": "松林县2021年度法治政府建设工作情况\n" + PARTS,
    "yi-fa-xing-zheng-without-bao-gao": "石桥乡人民政府2019年依法行政工作情况\n" + PARTS,
    "fa-zhi-jian-she-qing-kuang-bao-gao": "云溪县北山片区管理局2023年度法治建设情况报告\n" + PARTS,
    "qing-kuang-and-next-year-in-the-title": "松林县2022年法治政府建设工作情况及2023年工作安排\n" + PARTS,
    "untitled-with-formula": "根据上级要求,现将我局2022年度法治政府建设工作情况报告如下:\n" + WORK,
    "untitled-with-structure-only": (
        "2022年,松林县林业局坚持依法行政,扎实推进法治政府建设。\n" + PARTS
        + "四、主要负责人履行推进法治建设第一责任人职责情况\n局长带头开展会前学法。\n"),
    "quotes-the-government-work-report-once": (
        "松林县交通运输局2023年法治政府建设工作报告\n一、主要工作\n认真落实县政府工作报告确定的依法行政任务,办理行政复议案件3件。\n"
        + SHORTCOMINGS + PLANS),
    "mentions-its-disclosure-report": (
        "松林县人民政府办公室2023年法治政府建设情况报告\n一、主要工作\n按时发布政府信息公开工作年度报告,审核规范性文件11件,"
        "严格执行《中华人民共和国政府信息公开条例》。\n" + SHORTCOMINGS + PLANS),
    "a-bureaus-work-summary-about-the-rule-of-law": (
        "松林县司法局2023年工作总结\n2023年,县司法局坚持依法行政,现将2023年度法治建设工作情况报告如下。\n" + PARTS),
    "rule-of-law-and-law-popularization-in-the-title": "松林县司法局2023年法治政府建设暨普法工作情况报告\n" + PARTS,
    "mentions-its-inspection-feedback": (
        "松林县人民政府2023年法治政府建设情况报告\n一、主要工作\n对照省督察组反馈意见,逐项抓好整改,办理行政复议案件12件。\n"
        + SHORTCOMINGS + PLANS),
    "page-dump": (
        "松林县人民政府门户网站\n首页 > 政务公开 > 法治政府建设\n松林县水务局2023年度法治政府建设情况报告\n"
        "发布时间:2024-03-20 10:15 来源:松林县司法局 浏览次数:236\n字体:大 中 小 | 打印 | 分享\n"
        "2023年,县水务局在县委、县政府的领导下依法履行水行政职责,现将有关情况报告如下。\n" + PARTS
        + "上一篇:松林县水务局2023年政府信息公开工作年度报告 下一篇:关于做好防汛工作的通知\n"
        "主办:松林县人民政府办公室 版权所有 网站标识码:1234000001\n"),
    "untitled-page-dump": (
        "首页 > 政务公开 > 法治政府建设\n发布时间:2023-03-10 来源:石桥乡人民政府\n"
        "2022年,石桥乡党委、政府深入学习贯彻习近平法治思想,现将2022年度法治政府建设情况报告如下。\n" + PARTS
        + "版权所有:松林县人民政府\n"),
}


@pytest.mark.parametrize("text", [pytest.param(text, id=name) for name, text in GENUINE.items()])
def test_genuine_reports(make_document, text: str) -> None:
    meta = make_document(text).meta
    assert meta.document_type == REPORT, meta.document_type_reason


LOOKALIKES = [
    pytest.param("2024年松林县人民政府工作报告\n各位代表:\n现在,我代表县人民政府,向大会报告政府工作,请予审议。\n"
                 "一、2023年工作回顾\n深入推进法治政府建设。\n二、2024年工作安排\n", "政府工作报告", id="government-work-report"),
    pytest.param("各位代表:\n现在,我代表县人民政府向大会报告工作,请予审议,并请各位政协委员提出意见。\n一、过去一年工作回顾\n"
                 "坚持依法行政,办理行政复议案件40件。\n", "政府工作报告", id="government-work-report-untitled"),
    pytest.param("政府工作报告\n——2024年1月12日在松林县第十八届人民代表大会第三次会议上\n各位代表:\n"
                 "一、2023年工作回顾\n坚持依法行政,法治政府建设扎实推进,行政复议案件办理40件,普法责任制全面落实。\n"
                 "我们也清醒地看到存在的问题和不足。\n二、2024年工作安排\n", "政府工作报告", id="government-work-report-short-title"),
    pytest.param("松林县2024年政府工作报告(摘编)\n过去一年,全县地区生产总值增长6%。\n依法行政扎实推进。\n", "政府工作报告",
                 id="government-work-report-digest"),
    pytest.param("松林县水务局2023年政府信息公开工作年度报告\n本报告依据《中华人民共和国政府信息公开条例》编制。\n一、总体情况\n"
                 "二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n本年新收申请5件,上年结转0件。\n",
                 "政府信息公开工作年度报告", id="disclosure-report"),
    pytest.param("根据《中华人民共和国政府信息公开条例》要求,编制本年度报告。\n一、总体情况\n二、主动公开政府信息情况\n"
                 "三、收到和处理政府信息公开申请情况\n收到申请数 8\n本年新收 8 上年结转 0\n不予公开 1\n四、存在的主要问题及改进情况\n",
                 "政府信息公开工作年度报告", id="disclosure-report-untitled"),
    pytest.param("松林县法治政府建设实施方案(2021-2025年)\n为深入贯彻落实《法治政府建设实施纲要》,结合我县实际,制定本方案。\n"
                 "一、总体要求\n二、主要任务\n三、保障措施\n", "实施方案", id="scheme"),
    pytest.param("为深入贯彻落实上级部署,结合我县实际,特制定本方案。\n一、工作目标\n到2025年,基本建成法治政府。\n二、主要任务\n"
                 "三、保障措施\n", "实施方案", id="scheme-untitled"),
    pytest.param("松林县“十四五”法治政府建设规划\n本规划期为2021年至2025年。\n一、发展目标\n", "规划", id="planning"),
    pytest.param("松林县2024年法治政府建设工作要点\n一、深入学习贯彻习近平法治思想\n二、严格规范公正文明执法\n", "工作要点", id="key-points"),
    pytest.param("松林县2024年法治政府建设重点工作安排\n1.开展行政执法案卷评查。责任单位:县司法局;完成时限:2024年10月底前。\n",
                 "工作安排", id="arrangement"),
    pytest.param("关于报送2023年度法治政府建设年度报告的通知\n各乡镇人民政府,县政府各部门:\n请于2024年2月20日前将本单位年度报告报送县司法局。\n"
                 "特此通知。\n", "通知", id="notice"),
    pytest.param("关于做好2023年度法治政府建设年度报告工作的通知\n各乡镇人民政府,县政府各部门:\n请于2024年2月20日前报送。\n"
                 "附件:年度报告提纲\n" + PARTS, "通知", id="notice-with-the-reports-outline"),
    pytest.param("各乡镇、各部门:\n现将有关事项通知如下:请于3月1日前报送本单位法治政府建设年度报告。\n松林县司法局\n2024年1月5日\n",
                 "通知", id="notice-untitled"),
    pytest.param("《松林县2024年法治政府建设工作要点》政策解读\n一、制定背景\n二、主要内容\n", "政策解读", id="policy-reading"),
    pytest.param("首页 > 新闻中心 > 乡镇动态\n梅溪镇公布2023年度法治政府建设报告\n发布时间:2024-03-18 来源:松林县融媒体中心\n"
                 "本报讯(记者 王林)日前,梅溪镇在县政府网站公布了该镇年度法治政府建设报告。\n", "新闻报道", id="news"),
    pytest.param("近日,记者从县司法局获悉,全县各部门已全部公开法治政府建设年度报告。据了解,今年报告质量明显提高。\n",
                 "新闻报道", id="news-untitled"),
    pytest.param("基层法治政府建设年度报告质量研究\n摘要:本文以某省县级报告为样本,分析报告的结构与内容。\n关键词:法治政府;年度报告\n"
                 "参考文献\n", "研究文章", id="research"),
    pytest.param("松林县人民政府办公室关于印发松林县2024年法治政府建设工作要点的通知\n各乡镇人民政府,县政府各部门:\n"
                 "《松林县2024年法治政府建设工作要点》已经县政府同意,现印发给你们,请认真贯彻落实。\n"
                 "松林县2024年法治政府建设工作要点\n一、深入学习贯彻习近平法治思想\n二、严格规范公正文明执法\n", "工作要点",
                 id="key-points-printed-with-its-notice"),
    pytest.param("松林县司法局关于转发《关于做好年度报告公开工作的通知》的通知\n各乡镇、各部门:\n现将文件转发给你们,请遵照执行。\n",
                 "通知", id="notice-forwarding-a-notice"),
    pytest.param("省法治政府建设督察组关于对松林县开展法治政府建设督察的反馈意见\n松林县人民政府:\n"
                 "督察组于5月8日至12日对松林县开展了督察。督察发现,该县重大行政决策程序执行不严格,行政复议纠错率偏低。\n"
                 "请于两个月内抓好整改,整改情况报送省督察办。\n", "督察反馈意见", id="inspection-feedback"),
    pytest.param("现将督察情况反馈如下:\n督察组听取了县政府工作汇报。督察发现,部分部门执法公示不及时。\n请限期整改。\n",
                 "督察反馈意见", id="inspection-feedback-untitled"),
    pytest.param("松林县交通运输局局长2023年度述法报告\n现将本人2023年度学法用法和履行推进法治建设第一责任人职责情况报告如下。\n"
                 "一、个人学法用法情况\n本人参加会前学法8次。\n二、存在的不足\n学法还不够系统。\n三、下一步打算\n", "个人述法报告",
                 id="personal-account"),
    pytest.param("松林县2023年普法依法治理工作总结\n县普法办围绕“八五”普法规划,深入推进全民普法。现将全年工作总结如下。\n"
                 "一、主要工作\n开展法治宣传活动60场。\n二、存在的问题\n普法针对性不强。\n三、下一步打算\n", "普法工作总结",
                 id="law-popularization-summary"),
    pytest.param("松林县2024年度依法行政考核实施方案\n一、考核对象\n县政府各部门。\n二、考核内容及评分标准\n"
                 "负责人出庭应诉率达到100%的得5分,每低1个百分点扣0.5分。\n", "考核方案", id="assessment-scheme"),
    pytest.param("松林县应急管理局2023年安全生产工作总结\n一、主要工作\n开展安全生产检查120次。\n二、存在的问题\n企业主体责任落实不到位。\n"
                 "三、下一步打算\n", "其他工作报告", id="other-sector-summary"),
    pytest.param("松林县2023年国民经济和社会发展统计公报\n全年地区生产总值比上年增长5%。\n", "其他工作报告", id="statistics-bulletin"),
    pytest.param("现将2023年度全县安全生产工作情况报告如下:\n一、主要工作\n检查企业200家。\n二、存在的问题\n隐患整改不及时。\n"
                 "三、下一步打算\n开展专项整治。\n", "其他工作报告", id="other-sector-report-untitled"),
]


@pytest.mark.parametrize(("text", "document_type"), LOOKALIKES)
def test_lookalikes(make_document, text: str, document_type: str) -> None:
    meta = make_document(text).meta
    assert meta.document_type == document_type, meta.document_type_reason


@pytest.mark.parametrize(("text", "reason"), [
    pytest.param("松林县2023年政府信息公开工作年度报告\n依据《中华人民共和国政府信息公开条例》编制。\n",
                 "标题为“松林县2023年政府信息公开工作年度报告”，文中有“《中华人民共和国政府信息公开条例》”", id="title-first"),
    pytest.param("根据上级要求,现将我局2022年度法治政府建设工作情况报告如下:\n" + WORK,
                 "未见标题，开头写明“现将我局2022年度法治政府建设工作情况报告如下”", id="untitled-says-so"),
    pytest.param("现将2023年度全县安全生产工作情况报告如下:\n一、主要工作\n检查企业200家。\n",
                 "未见标题，开头写明“现将2023年度全县安全生产工作情况报告如下”，但写的不是法治政府建设", id="another-sector"),
])
def test_the_reason_says_why(make_document, text: str, reason: str) -> None:
    assert make_document(text).meta.document_type_reason == reason


def test_no_evidence_either_way(make_document) -> None:
    meta = make_document("开展执法检查20次。").meta
    assert meta.document_type == "未能确定"
    assert meta.document_type_reason


def test_the_users_title_is_judged(make_document) -> None:
    meta = make_document(PARTS, title="松林县2024年法治政府建设工作要点").meta
    assert meta.document_type == "工作要点"


def test_the_same_verdict_in_traditional_characters(make_document) -> None:
    meta = make_document("松林縣2023年政府信息公開工作年度報告\n依據《中華人民共和國政府信息公開條例》編制。\n").meta
    assert meta.document_type == "政府信息公开工作年度报告"
