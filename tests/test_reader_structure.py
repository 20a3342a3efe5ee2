"""The readers keep what the container shows of a report's structure: heading styles, Word's
automatic numbering written out as Word displays it, bold and centred lines, <hN> headings and
larger PDF fonts, one `Source.line_styles` entry per line of the text."""
from __future__ import annotations

from pathlib import Path

import pytest
from docx.oxml import parse_xml

from checker.readers import Source, read_source, read_stdin
from checker.readers.docx import Numbering, chinese_counting, format_number
from checker.readers.pdf import Line, join_wrapped
from fixture_builders import (
    Para,
    bold_font_copy,
    build_docx,
    build_styled_docx,
    build_typeset_pdf,
    find_cjk_font,
    new_list,
    paragraph_style,
    portal_page,
    set_numbering,
)

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
BODY = "全年办理行政复议案件十二件，依法纠正违法行为三件，行政机关负责人出庭应诉率保持在较高水平。"


def styled_lines(source: Source) -> list[tuple[str, str]]:
    """(line, style) pairs, after checking there is exactly one style per line."""
    lines = source.text.split("\n")
    assert source.line_styles is not None
    assert len(source.line_styles) == len(lines)
    return list(zip(lines, source.line_styles))


# --- Word: styles --------------------------------------------------------------------------


def test_docx_heading_styles_by_name_and_outline_level(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("某县法治政府建设年度报告", level=0)  # the "Title" style
    document.add_heading("总体情况", level=1)
    document.add_paragraph(BODY)
    document.add_heading("主要举措", level=2)
    document.add_paragraph("依法决策", style=paragraph_style(document, "标题 3"))
    outline = paragraph_style(document, "报告层级", outline_level=1)  # w:outlineLvl 1 = level 2
    document.add_paragraph("规范执法", style=paragraph_style(document, "报告层级加粗", based_on=outline.name))
    document.add_paragraph("深入普法", style=paragraph_style(document, "标题"))
    document.add_heading("第七级", level=7)  # Word's levels 7-9 are kept as the deepest, h6
    document.save(str(tmp_path / "styles.docx"))

    assert styled_lines(read_source(tmp_path / "styles.docx")) == [
        ("某县法治政府建设年度报告", "h1"),
        ("总体情况", "h1"),
        (BODY, ""),
        ("主要举措", "h2"),
        ("依法决策", "h3"),
        ("规范执法", "h2"),
        ("深入普法", "h1"),
        ("第七级", "h6"),
    ]


def test_docx_headings_from_add_heading_beside_tables(tmp_path: Path) -> None:
    path = build_docx(tmp_path / "r.docx", "", [
        ("heading", "执法数据"), ("paragraph", BODY), ("table", [["类别", "数量"], ["复议", "12"]]),
    ])
    assert styled_lines(read_source(path)) == [("执法数据", "h1"), (BODY, ""), ("类别 | 数量", ""), ("复议 | 12", "")]


def test_docx_bold_and_centred_paragraphs(tmp_path: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    path = build_styled_docx(tmp_path / "b.docx", [
        Para("某县人民政府", centred=True),
        Para("加强组织领导", bold=True),
        Para("关于法治建设的报告", bold=True, centred=True),
        Para(BODY),
    ])
    document = docx.Document(str(path))
    mixed = document.add_paragraph()
    mixed.add_run("部分加粗：").bold = True
    mixed.add_run("其余是正文。")
    strong = paragraph_style(document, "加粗正文")
    strong.font.bold = True
    document.add_paragraph("样式加粗的段落", style=strong)
    left = document.add_paragraph("居中样式里左对齐", style=paragraph_style(document, "居中", based_on="Normal"))
    document.styles["居中"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    left.alignment = WD_ALIGN_PARAGRAPH.LEFT
    document.add_paragraph("居中样式", style=document.styles["居中"])
    document.save(str(path))

    assert styled_lines(read_source(path)) == [
        ("某县人民政府", "c"),
        ("加强组织领导", "b"),
        ("关于法治建设的报告", "bc"),
        (BODY, ""),
        ("部分加粗：其余是正文。", ""),
        ("样式加粗的段落", "b"),
        ("居中样式里左对齐", ""),
        ("居中样式", "c"),
    ]


def test_docx_styles_follow_lines_that_tidying_drops(tmp_path: Path) -> None:
    path = build_styled_docx(tmp_path / "blank.docx", [
        Para(""), Para("总体情况", style="Heading 1"), Para(""), Para("", bold=True), Para(BODY), Para(""),
        Para("某县人民政府", centred=True), Para("", centred=True),
    ])
    assert styled_lines(read_source(path)) == [("总体情况", "h1"), ("", ""), (BODY, ""), ("", ""), ("某县人民政府", "c")]


# --- Word: automatic numbering -------------------------------------------------------------


def test_docx_automatic_numbering_is_written_out(tmp_path: Path) -> None:
    path = build_styled_docx(tmp_path / "numbered.docx", [
        Para("某县法治政府建设情况报告", centred=True),
        Para("主要举措", level=0),
        Para("加强组织领导。" + BODY, level=1),
        Para("健全制度体系。", level=1),
        Para("落实责任清单。", level=2),
        Para("开展督察。", level=2),
        Para("严格规范执法", level=3),
        Para(BODY),
        Para("存在的问题", level=0, style="Heading 1"),
        Para("执法不够规范。", level=1),  # a lower level starts again when a higher one advances
        Para("推进公正文明执法。", level=2),
        Para("下一步安排", level=0, start=10),  # "restart numbering at 10"
        Para("附则", level=0),
    ])
    assert styled_lines(read_source(path)) == [
        ("某县法治政府建设情况报告", "c"),
        ("一、主要举措", ""),
        ("（一）加强组织领导。" + BODY, ""),
        ("（二）健全制度体系。", ""),
        ("1.落实责任清单。", ""),
        ("2.开展督察。", ""),
        ("①严格规范执法", ""),
        (BODY, ""),
        ("二、存在的问题", "h1"),
        ("（一）执法不够规范。", ""),
        ("1.推进公正文明执法。", ""),
        ("十、下一步安排", ""),
        ("十一、附则", ""),
    ]


def test_docx_numbering_inherited_from_the_style(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    from fixture_builders import define_numbering

    list_id = new_list(document, define_numbering(document, [("chineseCounting", "%1、"), ("chineseCounting", "（%2）")]))
    top = paragraph_style(document, "一级标题", outline_level=0)
    set_numbering(top.element.get_or_add_pPr(), list_id, 0)
    second = paragraph_style(document, "二级标题")
    set_numbering(second.element.get_or_add_pPr(), list_id, 1)
    for text, style in (("总体情况", top), ("组织领导", second), ("制度建设", second), ("存在问题", top)):
        document.add_paragraph(text, style=style)
    unnumbered = document.add_paragraph("不编号的一级标题", style=top)
    set_numbering(unnumbered._p.get_or_add_pPr(), 0, 0)  # numId 0 takes it out of the style's list
    document.save(str(tmp_path / "style_list.docx"))

    assert styled_lines(read_source(tmp_path / "style_list.docx")) == [
        ("一、总体情况", "h1"), ("（一）组织领导", ""), ("（二）制度建设", ""), ("二、存在问题", "h1"), ("不编号的一级标题", "h1"),
    ]


def numbering(levels_xml: str, nums_xml: str) -> Numbering:
    return Numbering(parse_xml(f'<w:numbering {W}><w:abstractNum w:abstractNumId="0">{levels_xml}</w:abstractNum>{nums_xml}</w:numbering>'))


def level(ilvl: int, number_format: str, text: str, start: int = 1) -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{number_format}"/>'
            f'<w:lvlText w:val="{text}"/></w:lvl>')


def test_numbering_counts_per_list_and_level() -> None:
    lists = numbering(
        level(0, "decimal", "%1.", start=3) + level(1, "decimal", "(%2)") + level(2, "lowerLetter", "%1.%2.%3"),
        '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
        '<w:num w:numId="2"><w:abstractNumId w:val="0"/>'
        '<w:lvlOverride w:ilvl="1"><w:startOverride w:val="5"/></w:lvlOverride></w:num>',
    )
    calls = [(1, 0), (1, 1), (1, 1), (1, 2), (1, 0), (1, 2), (2, 1), (2, 1), (1, 1), (7, 0), (1, 4)]
    assert [lists.label(*call) for call in calls] == [
        "3.", "(1)", "(2)", "3.2.a", "4.", "4.1.a",  # w:start 3; level 2 shows the higher counters
        "(5)", "(6)",  # a second list of the same definition counts on its own, from its override
        "(1)", "", "",  # an unknown list or level shows nothing
    ]


def test_numbering_without_numbering_part_and_bullets() -> None:
    assert Numbering(None).label(1, 0) == ""
    bullets = numbering(level(0, "bullet", "\uf0b7"), '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>')
    assert bullets.label(1, 0) == ""


@pytest.mark.parametrize(("value", "expected"), [
    (1, "一"), (9, "九"), (10, "十"), (11, "十一"), (19, "十九"), (20, "二十"), (21, "二十一"),
    (99, "九十九"), (100, "一百"), (105, "一百〇五"), (110, "一百一十"),
])
def test_chinese_counting(value: int, expected: str) -> None:
    assert chinese_counting(value) == expected


@pytest.mark.parametrize(("value", "number_format", "expected"), [
    (3, "decimal", "3"), (3, "chineseCountingThousand", "三"), (3, "ideographTraditional", "丙"),
    (3, "decimalEnclosedCircle", "③"), (2, "lowerLetter", "b"), (28, "lowerLetter", "bb"),
    (4, "upperRoman", "IV"), (7, "someFutureFormat", "7"),
])
def test_number_formats(value: int, number_format: str, expected: str) -> None:
    assert format_number(value, number_format) == expected


# --- web pages -----------------------------------------------------------------------------


def test_html_headings_bold_and_centred_lines(tmp_path: Path) -> None:
    article = (
        "<h2>总体情况</h2>"
        f"<p>{BODY}</p>"
        "<h3>组织领导</h3>"
        "<p><strong>加强党的领导。</strong></p>"
        "<p><strong>部分加粗</strong>，其余是正文。</p>"
        '<p style="text-align: center">某县人民政府</p>'
        '<p align="center"><b>居中</b><b>加粗</b></p>'
        '<div style="font-weight:bold">样式加粗</div>'
        '<div style="text-align:center"><p style="text-align:left">左对齐</p><p>继承居中</p></div>'
        "<table><tr><td>类别</td><td>数量</td></tr></table>"
        "<p>第一行<br><strong>换行后加粗</strong></p>"
    )
    path = tmp_path / "page.html"
    path.write_text(portal_page(article, title="报告"), encoding="utf-8")
    assert styled_lines(read_source(path)) == [
        ("总体情况", "h2"),
        (BODY, ""),
        ("组织领导", "h3"),
        ("加强党的领导。", "b"),
        ("部分加粗，其余是正文。", ""),
        ("某县人民政府", "c"),
        ("居中加粗", "bc"),
        ("样式加粗", "b"),
        ("左对齐", ""),
        ("继承居中", "c"),
        ("类别 | 数量", ""),
        ("第一行", ""),
        ("换行后加粗", "b"),
    ]


# --- PDF -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cjk_font() -> Path:
    font = find_cjk_font()
    if font is None:
        pytest.skip("no CJK font installed (Debian fonts-wqy-microhei)")
    return font


def test_pdf_larger_fonts_are_headings_ranked_by_size(tmp_path: Path, cjk_font: Path) -> None:
    long_body = BODY * 3  # wraps over several layout lines, joined back into one
    path = build_typeset_pdf(tmp_path / "sized.pdf", cjk_font, [
        (22, False, "某县法治政府建设报告"),
        (12, False, BODY),
        (16, False, "一、总体情况"),
        (12, False, long_body),
        (14, False, "（一）组织领导"),
        (12, True, "加粗的一行"),
        (12, False, BODY),
        (16, False, "二、存在问题"),
        (12, False, BODY),
    ], bold_font=bold_font_copy(cjk_font, tmp_path))
    assert styled_lines(read_source(path)) == [
        ("某县法治政府建设报告", "h1"),
        (BODY, ""),
        ("一、总体情况", "h2"),
        (long_body, ""),
        ("（一）组织领导", "h3"),
        ("加粗的一行", "b"),
        (BODY, ""),
        ("二、存在问题", "h2"),
        (BODY, ""),
    ]


def test_pdf_same_size_report_has_no_headings(tmp_path: Path, cjk_font: Path) -> None:
    path = build_typeset_pdf(tmp_path / "plain.pdf", cjk_font, [(12, False, "一、总体情况"), *[(12, False, BODY)] * 3])
    assert styled_lines(read_source(path)) == [("一、总体情况", ""), *[(BODY, "")] * 3]


def test_pdf_joined_paragraph_keeps_its_first_line_style() -> None:
    joined = join_wrapped([
        Line("某县人民政府关于法治政府建设", 1, full=True, style="h1"),
        Line("情况的报告", 1, style="h1"),  # a title wrapped in its own size is one line
        Line("加强组织领导", 1, full=True, style="b"),
        Line("和统筹协调", 1, full=True),  # bold or not, a wrapped line is glued
        Line("正文没有句号却换了字号", 1, full=True, style="h2"),
        Line("正文", 1, full=True),  # a heading never runs on into the body text
    ])
    assert [(line.text, line.style) for line in joined] == [
        ("某县人民政府关于法治政府建设情况的报告", "h1"),
        ("加强组织领导和统筹协调", "b"),
        ("正文没有句号却换了字号", "h2"),
        ("正文", ""),
    ]


# --- text ----------------------------------------------------------------------------------


def test_plain_text_shows_no_structure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    path = tmp_path / "r.txt"
    path.write_text("一、总体情况\n\n" + BODY, encoding="utf-8")
    assert read_source(path).line_styles is None
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(("一、总体情况\n" + BODY).encode("utf-8"))))
    assert read_stdin().line_styles is None


def test_source_refuses_styles_that_do_not_fit_the_lines() -> None:
    with pytest.raises(ValueError, match="2 line styles for 3 lines"):
        Source(path="x.docx", text="a\nb\nc", format="docx", line_styles=("", "h1"))
    assert Source(path="x.docx", text="", format="docx", line_styles=()).line_styles == ()
