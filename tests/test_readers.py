"""The readers: every container gives the same lines, and every bad input a `ReadError`."""
from __future__ import annotations

import io
import re
import sys
import zipfile
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import given, strategies as st

from checker.readers import SUPPORTED_SUFFIXES, ReadError, Source, read_source, read_stdin
from checker.readers.html import parse_date
from checker.readers.pdf import Line, join_wrapped
from checker.readers.text import tidy_styled_lines, tidy_text
from fixture_builders import (
    build_docx,
    build_encrypted_pdf,
    build_pdf,
    build_scanned_pdf,
    find_cjk_font,
    portal_page,
)

TITLE = "某县人民政府关于2023年度法治政府建设情况的报告"
DATE_LINE = "（2024年3月15日）"
INTRO = (
    "2023年，某县人民政府坚持以习近平法治思想为指导，全面贯彻落实党中央、国务院关于法治政府建设的"
    "决策部署，按照《法治政府建设实施纲要（2021—2025年）》的要求，扎实推进依法行政各项工作，"
    "现将有关情况报告如下。"
)
HEADING_1 = "一、主要举措和成效"
ITEM_1 = (
    "（一）加强党对法治政府建设的领导。县政府常务会议全年4次专题研究法治政府建设工作，政府主要负责人"
    "切实履行推进法治建设第一责任人职责，带头讲法治课，带头开展年终述法。"
)
ITEM_2 = (
    "（二）推进政府职能依法全面履行。深化“放管服”改革，全面实行政府权责清单制度，动态调整行政许可"
    "事项清单，全年取消和下放行政审批事项12项，企业开办时间压缩至1个工作日以内。"
)
ITEM_3 = (
    "（三）健全依法行政制度体系。严格执行重大行政决策程序，对3项重大行政决策事项开展公众参与、专家论证、"
    "风险评估和合法性审查，行政规范性文件合法性审核率达到100%。"
)
HEADING_2 = "二、存在的不足和原因"
SHORTCOMINGS = (
    "一是部分行政执法人员运用法治思维和法治方式解决问题的能力还不够强；二是基层法治建设力量相对薄弱，"
    "乡镇合法性审查工作有待加强。"
)
HEADING_3 = "三、下一年度工作安排"
PLAN = (
    "2024年，县政府将持续深化法治政府建设，着力提升行政执法质量，加大政务公开力度，自觉接受人大监督、"
    "政协民主监督和社会监督，为全县经济社会高质量发展提供有力法治保障。"
)
REPORT_LINES = [TITLE, DATE_LINE, INTRO, HEADING_1, ITEM_1, ITEM_2, ITEM_3, HEADING_2, SHORTCOMINGS, HEADING_3, PLAN]
REPORT = "\n\n".join(REPORT_LINES)

TRADITIONAL = "臺北市政府一百一十二年度法治報告\n\n一、推動依法行政，建立法治政府，強化行政程序之透明。\n二、辦理法規整理。"


def lines_of(source: Source) -> list[str]:
    return [line for line in source.text.split("\n") if line]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- text ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codec", "prefix", "reported"),
    [
        ("utf_8", b"", "utf_8"),
        ("utf_8", b"\xef\xbb\xbf", "utf_8_sig"),
        ("utf_16_le", b"\xff\xfe", "utf_16"),
        ("utf_16_be", b"\xfe\xff", "utf_16"),
        ("gb18030", b"", "gb18030"),
        ("gbk", b"", "gb18030"),
    ],
)
@pytest.mark.parametrize("line_end", ["\n", "\r\n", "\r"])
def test_text_encodings_give_the_same_text(tmp_path: Path, codec: str, prefix: bytes, reported: str, line_end: str) -> None:
    path = write(tmp_path, "report.txt", prefix + REPORT.replace("\n", line_end).encode(codec))
    source = read_source(path)
    assert source.text == REPORT
    assert source.encoding == reported
    assert (source.format, source.path, source.line_pages) == ("txt", str(path), None)


@pytest.mark.parametrize("text", ["报告", "法治政府建设", TITLE, f"{TITLE}\n{HEADING_1}"])
def test_short_gbk_text_is_not_mistaken(tmp_path: Path, text: str) -> None:
    # charset-normalizer alone reads an 18-character GBK title as UTF-16-BE.
    source = read_source(write(tmp_path, "short.txt", text.encode("gbk")))
    assert (source.text, source.encoding) == (text, "gb18030")


@pytest.mark.parametrize("text", [TRADITIONAL, "臺北市政府法治報告"])
def test_big5(tmp_path: Path, text: str) -> None:
    source = read_source(write(tmp_path, "tw.txt", text.encode("big5")))
    assert (source.text, source.encoding) == (text, "big5")


def test_utf_16_without_bom(tmp_path: Path) -> None:
    source = read_source(write(tmp_path, "r.txt", f"{TITLE}\n{HEADING_1}".encode("utf_16_le")))
    assert source.text == f"{TITLE}\n{HEADING_1}"
    assert source.encoding.startswith("utf_16")


def test_markdown_lines_are_tidied(tmp_path: Path) -> None:
    raw = f"\n\n  # {TITLE}  \n\n\n\n\t{HEADING_1}\u3000\n{ITEM_1}\n\n\n"
    source = read_source(write(tmp_path, "report.MD", raw.encode("utf_8")))
    assert source.text == f"# {TITLE}\n\n{HEADING_1}\n{ITEM_1}"
    assert source.format == "md"


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", bytes(range(256)) * 4])
def test_binary_named_txt(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(ReadError, match="无法识别文本编码"):
        read_source(write(tmp_path, "image.txt", data))


# --- docx ---------------------------------------------------------------------------------


def test_docx_keeps_tables_in_place(tmp_path: Path) -> None:
    path = build_docx(
        tmp_path / "report.docx",
        TITLE,
        [
            ("paragraph", TITLE),
            ("heading", HEADING_1),
            ("paragraph", ITEM_1),
            ("table", [["指标", "数量"], ["行政复议案件", "12件"]]),
            ("paragraph", ITEM_2),
        ],
    )
    source = read_source(path)
    assert lines_of(source) == [TITLE, HEADING_1, ITEM_1, "指标 | 数量", "行政复议案件 | 12件", ITEM_2]
    assert (source.format, source.title, source.encoding) == ("docx", TITLE, None)


def test_docx_without_title_property(tmp_path: Path) -> None:
    source = read_source(build_docx(tmp_path / "r.docx", "", [("paragraph", INTRO)]))
    assert source.title is None
    assert source.text == INTRO


@pytest.mark.parametrize("damage", ["not a zip", "zip without document", "truncated"])
def test_damaged_docx(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "bad.docx"
    if damage == "not a zip":
        path.write_text(REPORT, encoding="utf_8")
    elif damage == "zip without document":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("hello.txt", "hi")
    else:
        build_docx(path, TITLE, [("paragraph", INTRO)])
        path.write_bytes(path.read_bytes()[:2000])
    with pytest.raises(ReadError, match="Word 文件已损坏") as caught:
        read_source(path)
    assert str(path) in str(caught.value)


# --- pdf ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    font = find_cjk_font()
    if font is None:
        pytest.skip("no CJK TrueType font: apt-get install fonts-wqy-microhei")
    page_1 = [("title", TITLE), ("title", DATE_LINE), ("gap", ""), ("p", INTRO), ("p", HEADING_1), ("p", ITEM_1)]
    page_2 = [("p", ITEM_2), ("p", ITEM_3), ("p", HEADING_2), ("p", HEADING_3), ("p", PLAN)]
    return build_pdf(tmp_path_factory.mktemp("pdf") / "report.pdf", font, [page_1, page_2])


def sentences(lines: list[str]) -> list[str]:
    """Split after sentence-final marks: the joining rule may leave a wrap right after one."""
    return [part for line in lines for part in re.split(r"(?<=[。；！？：])", line) if part]


def test_pdf_undoes_wrapping_and_keeps_pages(report_pdf: Path) -> None:
    with pdfplumber.open(report_pdf) as pdf:
        raw_lines = pdf.pages[0].extract_text().split("\n")
    assert INTRO not in raw_lines, "the fixture must make the layout wrap the paragraph"
    source = read_source(report_pdf)
    lines = source.text.split("\n")
    assert source.format == "pdf"
    assert len(source.line_pages) == len(lines)
    expected = [TITLE, DATE_LINE, INTRO, HEADING_1, ITEM_1, ITEM_2, ITEM_3, HEADING_2, HEADING_3, PLAN]
    assert sentences([line for line in lines if line]) == sentences(expected)
    # Headings and the title block stay lines of their own; two headings are never glued.
    for alone in (TITLE, DATE_LINE, HEADING_1, HEADING_2, HEADING_3):
        assert alone in lines
    # The page numbers "- 1 -" and "- 2 -" are gone.
    assert not any(re.fullmatch(r"-\s*\d+\s*-", line) for line in lines)
    # The empty line's worth of space under the title block stays one blank line.
    assert lines[2] == ""
    pages = dict(zip(lines, source.line_pages))
    assert pages[TITLE] == pages[HEADING_1] == 1
    assert pages[HEADING_2] == pages[HEADING_3] == 2
    assert [page for line, page in pages.items() if line.startswith(("（一）", "（二）", "（三）"))] == [1, 2, 2]


def test_pdf_sentence_across_page_break(tmp_path: Path) -> None:
    font = find_cjk_font()
    if font is None:
        pytest.skip("no CJK TrueType font: apt-get install fonts-wqy-microhei")
    body = [INTRO, ITEM_1, ITEM_2, ITEM_3, SHORTCOMINGS, PLAN] * 3
    path = build_pdf(tmp_path / "long.pdf", font, [[("p", text) for text in body]], header="某县人民政府文件")
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) == 2
        last_on_page_1 = pdf.pages[0].extract_text().split("\n")[-2]  # above the "- 1 -"
        first_on_page_2 = pdf.pages[1].extract_text().split("\n")[1]  # below the header
    assert not last_on_page_1.endswith("。"), "the fixture must break a sentence across the pages"
    source = read_source(path)
    lines = source.text.split("\n")
    assert sentences(lines) == sentences(body)
    assert "某县人民政府文件" not in source.text  # the running header
    # The sentence across the break is one line, and it counts as page 1, where it starts.
    spanning = source.line_pages.index(2) - 1
    assert last_on_page_1 + first_on_page_2 in lines[spanning]
    assert set(source.line_pages[spanning + 1 :]) == {2}


def test_scanned_pdf(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="扫描") as caught:
        read_source(build_scanned_pdf(tmp_path / "scan.pdf"))
    assert "scan.pdf" in str(caught.value)


def test_encrypted_pdf(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="加密"):
        read_source(build_encrypted_pdf(tmp_path / "locked.pdf"))


@pytest.mark.parametrize("data", [b"%PDF-1.4\n1 0 obj garbage\n", b"not a pdf at all", b"%PDF-1.7\n" + bytes(range(256))])
def test_damaged_pdf(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(ReadError, match="PDF"):
        read_source(write(tmp_path, "bad.pdf", data))


def test_joining_rule() -> None:
    lines = [
        Line("一、总体情况", 1),
        Line("（一）加强组织领导。党政主要负责人切实履行推进法治建设第一", 1, full=True),
        Line("责任人职责，全年召开", 1, full=True),  # a sentence running across the page break
        Line("专题会议4次，研究解决法治建设重大问题", 2, full=True),
        Line("二、存在的问题", 2, full=True),  # next starts a heading: never glued onto it
        Line("一是执法规范化水平有待提高", 2, full=True),
        Line("二是法治宣传针对性不强", 2, full=True),
        Line("某县人民政府", 2, full=True),
        Line("2024年3月15日", 2, gap_before=True),  # an empty line in between: never glued
    ]
    joined = join_wrapped(lines)
    assert [(line.text, line.page) for line in joined] == [
        ("一、总体情况", 1),
        ("（一）加强组织领导。党政主要负责人切实履行推进法治建设第一责任人职责，全年召开专题会议4次，研究解决法治建设重大问题", 1),
        ("二、存在的问题", 2),
        ("一是执法规范化水平有待提高", 2),
        ("二是法治宣传针对性不强某县人民政府", 2),
        ("", 2),
        ("2024年3月15日", 2),
    ]


def test_joining_keeps_latin_words_apart() -> None:
    joined = join_wrapped([Line("the Rule of", 1, full=True), Line("Law report", 1)])
    assert joined[0].text == "the Rule of Law report"


# --- html ---------------------------------------------------------------------------------

ARTICLE_HTML = f"""
<h1 style="text-align:center">{TITLE}</h1>
<p style="text-align:center">{DATE_LINE}</p>
<p>　　{INTRO[:40]}
{INTRO[40:]}</p>
<p><strong>{HEADING_1}</strong></p>
<p>　　{ITEM_1}</p>
<table border="1"><tr><td><p>指标</p></td><td><p>数量</p></td></tr>
<tr><td>行政复议案件</td><td>12件</td></tr></table>
<p>　　{ITEM_2}<br>{ITEM_3}</p>
"""
CHROME_WORDS = [
    "首页", "政务公开", "您当前的位置", "字体", "打印本页", "关闭窗口", "分享到", "微信", "扫一扫",
    "版权所有", "ICP备", "网站标识码", "公网安备", "返回顶部", "统计代码", "font-size",
]
ARTICLE_LINES = [TITLE, DATE_LINE, INTRO, HEADING_1, ITEM_1, "指标 | 数量", "行政复议案件 | 12件", ITEM_2, ITEM_3]


def test_html_portal_page(tmp_path: Path) -> None:
    page = portal_page(ARTICLE_HTML, title=TITLE, pub_date="2024-03-15 09:30")
    source = read_source(write(tmp_path, "report.html", page.encode("utf_8")))
    assert lines_of(source) == ARTICLE_LINES
    assert not [word for word in CHROME_WORDS if word in source.text]
    assert (source.title, source.published, source.format, source.encoding) == (TITLE, date(2024, 3, 15), "html", "utf_8")


def test_html_gbk_page(tmp_path: Path) -> None:
    page = portal_page(ARTICLE_HTML, charset="gbk")
    source = read_source(write(tmp_path, "report.HTM", page.encode("gbk")))
    assert lines_of(source) == ARTICLE_LINES
    assert source.encoding == "gb18030"
    # No ArticleTitle: the <h1> of the article; no PubDate meta: no date from the container.
    assert (source.title, source.published) == (TITLE, None)


@pytest.mark.parametrize(("label", "codec", "reported"), [("utf-8", "gb18030", "gb18030"), ("gb2312", "utf_8", "utf_8")])
def test_html_mislabelled_charset(tmp_path: Path, label: str, codec: str, reported: str) -> None:
    # Copied templates keep their old label; the bytes decide.
    page = portal_page(ARTICLE_HTML, charset=label)
    source = read_source(write(tmp_path, "report.html", page.encode(codec)))
    assert lines_of(source) == ARTICLE_LINES
    assert source.encoding == reported


def test_html_title_from_title_tag_and_layout_table(tmp_path: Path) -> None:
    page = f"""<html><head><title>{TITLE} - 某县人民政府门户网站</title>
    <meta property="article:published_time" content="2024-03-15T09:30:00+08:00"></head>
    <body><table><tr><td class="left-menu">机构概况</td>
    <td><p>{INTRO}</p><p>{HEADING_1}</p><p>{ITEM_1}</p></td></tr></table></body></html>"""
    source = read_source(write(tmp_path, "page.htm", page.encode("utf_8")))
    assert lines_of(source) == [INTRO, HEADING_1, ITEM_1]
    assert (source.title, source.published) == (TITLE, date(2024, 3, 15))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-03-17", date(2021, 3, 17)),
        ("2021-03-17 10:20", date(2021, 3, 17)),
        ("2021/03/17", date(2021, 3, 17)),
        ("2021年3月17日", date(2021, 3, 17)),
        ("2021-02-30", None),
        ("昨天", None),
    ],
)
def test_parse_date(value: str, expected: date | None) -> None:
    assert parse_date(value) == expected


def test_html_without_text(tmp_path: Path) -> None:
    # An article published as a picture: only chrome around it.
    page = '<html><body><div class="nav">首页</div><div id="zoom"><img src="scan.jpg"></div><div class="footer">版权所有</div></body></html>'
    with pytest.raises(ReadError, match="没有可检查的文字"):
        read_source(write(tmp_path, "empty.html", page.encode("utf_8")))


# --- dispatch and errors ------------------------------------------------------------------


def test_supported_suffixes() -> None:
    assert set(SUPPORTED_SUFFIXES) == {".txt", ".md", ".docx", ".doc", ".wps", ".pdf", ".ofd", ".html", ".htm"}


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("scan.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "不支持的文件类型 .png"),
        ("bundle.zip", b"PK\x05\x06" + bytes(18), "不支持的文件类型 .zip"),
        ("table.xlsx", b"PK\x03\x04", "不支持的文件类型 .xlsx"),
        ("README", b"text", "不支持的文件类型"),
        ("report.doc", b"\xd0\xcf\x11\xe0", "已损坏.*另存为 .docx"),
        ("empty.txt", b"", "文件为空"),
        ("blank.txt", b" \r\n\t\r\n", "没有可检查的文字"),
        ("empty.docx", b"", "文件为空"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(ReadError, match=reason) as caught:
        read_source(path)
    assert str(caught.value).startswith(str(path))
    assert caught.value.path == str(path)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="文件不存在") as caught:
        read_source(tmp_path / "nowhere.txt")
    assert "nowhere.txt" in str(caught.value)
    folder = tmp_path / "reports.txt"
    folder.mkdir()
    with pytest.raises(ReadError, match="目录") as caught:
        read_source(str(folder))
    assert "reports.txt" in str(caught.value)


def test_unreadable_permissions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Simulated: chmod does not stop root, and the tests may run as root.
    path = write(tmp_path, "locked.txt", REPORT.encode("utf_8"))

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(ReadError, match="无法读取文件：没有权限 / Permission denied"):
        read_source(path)


# --- stdin --------------------------------------------------------------------------------


def test_read_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(REPORT.replace("\n", "\r\n").encode("gbk"))))
    source = read_stdin()
    assert (source.path, source.format, source.encoding, source.text) == ("-", "stdin", "gb18030", REPORT)


def test_read_stdin_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
    with pytest.raises(ReadError, match="标准输入为空"):
        read_stdin()


@given(st.lists(st.sampled_from(["", " ", "\u3000", "\t", "一、总体情况", "  办结12件。 ", "\xa0", "\x85", "\u2028", "a"]), max_size=12))
def test_tidy_text_strips_lines_and_keeps_single_blank_lines(parts: list[str]) -> None:
    text = "\n".join(parts)
    expected = "\n".join(line for line, _ in tidy_styled_lines((line, "") for line in text.split("\n")))
    assert tidy_text(text) == expected
