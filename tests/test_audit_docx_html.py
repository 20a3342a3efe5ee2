"""One report as the officer passes it on (issue 10, item 5): a Word 审查意见 and a printable HTML page.

The .docx is read back with python-docx, as a user's Word would read it: the title, the metadata
with where each value came from, one table row per rule with its status, evidence and hint, the
score line, the fonts Word uses for Chinese text, A4. The page is checked for one row per rule,
escaped report text and nothing fetched from the network.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import REPO
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from checker.cli import main
from checker.ruleset import load_ruleset

WEAK = REPO / "samples" / "baihu_district_2024_weak.txt"
STRONG = REPO / "samples" / "yunxi_county_2024.txt"
RULES = len(load_ruleset().rules)
STATUS_LABELS = {"达标", "部分达标", "未达标", "不适用"}


def audit_docx(tmp_path: Path, report: Path = WEAK) -> Document:
    out = tmp_path / "审查意见.docx"
    assert main(["audit", str(report), "--format", "docx", "-o", str(out)]) == 0
    return Document(str(out))


def audit_html(tmp_path: Path, report: Path = WEAK) -> str:
    out = tmp_path / "report.html"
    assert main(["audit", str(report), "--format", "html", "-o", str(out)]) == 0
    return out.read_text(encoding="utf-8")


def hostile_report(tmp_path: Path) -> Path:
    """The weak sample with markup in a heading that is quoted as evidence."""
    lines = WEAK.read_text(encoding="utf-8").splitlines()
    lines[5] += '<script>alert("x")</script>'
    path = tmp_path / "hostile.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def text_of(document: Document) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


# ---------------------------------------------------------------- Word

def test_the_docx_has_the_title_metadata_score_and_fixes(tmp_path) -> None:
    document = audit_docx(tmp_path)
    assert document.paragraphs[0].text == "《白鹭湾区2024年法治政府建设年度报告》审查意见"
    assert document.paragraphs[0].style.name == "Title"
    assert document.core_properties.title == document.paragraphs[0].text
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert facts["报告主体"].startswith("白鹭湾区人民政府（来源：")
    assert facts["类型"] == "政府（来源：依主体名称判断）"
    assert facts["年度"] == "2024（来源：标题）"
    assert facts["发布日期"].startswith("2025-04-18（来源：")
    text = text_of(document)
    assert re.search(r"总分：37\.5 分（满分 100 分）\s*等级：不合格", text)
    assert "优先整改事项" in text and "1. 存在的不足（必备项）（未达标，可挽回 8 分）" in text


def test_the_docx_items_table_has_one_row_per_rule_with_status_evidence_and_hint(tmp_path) -> None:
    items = audit_docx(tmp_path).tables[1]
    header, *rows = items.rows
    assert [cell.text for cell in header.cells] == ["检查项", "结果", "得分", "证据", "建议", "依据"]
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert len(rows) == RULES
    statuses = [row.cells[1].text.split(" ", 1)[1] for row in rows]
    assert set(statuses) <= STATUS_LABELS and {"达标", "未达标", "部分达标"} <= set(statuses)
    measures = next(row for row in rows if "part-measures" in row.cells[0].text)
    assert measures.cells[1].text == "✓ 达标" and measures.cells[2].text == "8/8"
    assert "第6行〔标题〕：一、主要工作" in measures.cells[3].text
    assert measures.cells[4].text == ""  # no advice for a pass
    shortcomings = next(row for row in rows if "part-shortcomings" in row.cells[0].text)
    assert shortcomings.cells[1].text == "✗ 未达标" and "存在的不足和原因" in shortcomings.cells[4].text
    assert "督察工作规定" in shortcomings.cells[5].text
    fill = shortcomings.cells[1]._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))
    assert fill == "F8D7DA"  # the status is coloured as well as spelled out


def test_the_docx_sets_chinese_fonts_a4_and_column_widths(tmp_path) -> None:
    document = audit_docx(tmp_path)

    def east_asian(style: str) -> str | None:
        fonts = document.styles[style].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would win over w:eastAsia
        return fonts.get(qn("w:eastAsia"))

    assert east_asian("Normal") == "宋体"
    assert east_asian("Title") == east_asian("Heading 1") == "黑体"
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    text_width = section.page_width - section.left_margin - section.right_margin
    widths = [cell.width for cell in document.tables[1].rows[1].cells]
    assert min(widths) >= Cm(1) and sum(widths) <= text_width + Cm(0.05)
    grid = [int(col.get(qn("w:w"))) for col in document.tables[1]._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert grid == [width.twips for width in widths]


def test_a_report_that_passes_everything_has_nothing_to_fix(tmp_path) -> None:
    text = text_of(audit_docx(tmp_path, STRONG))
    assert "各项均已达标或不适用。" in text and "等级：优秀" in text


def test_report_text_reaches_the_docx_as_text(tmp_path) -> None:
    text = text_of(audit_docx(tmp_path, hostile_report(tmp_path)))
    assert '一、主要工作<script>alert("x")</script>' in text


def test_docx_needs_a_file_or_a_pipe(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)  # stdout is a terminal
    assert main(["audit", str(WEAK), "--format", "docx"]) == 2
    message = capsys.readouterr()
    assert message.out == "" and "-o" in message.err and len(message.err.strip().splitlines()) == 1


def test_docx_to_a_terminal_is_refused_and_to_a_pipe_is_written(tmp_path) -> None:
    command = [str(REPO / ".venv" / "bin" / "fzcheck"), "audit", str(WEAK), "--format", "docx", "-o", "-"]
    piped = subprocess.run(command, capture_output=True, timeout=60, check=False)
    assert piped.returncode == 0 and piped.stdout.startswith(b"PK\x03\x04")
    script = shutil.which("script")
    if script is None:
        pytest.skip("no script(1) to give the command a terminal")
    terminal = subprocess.run([script, "-qec", " ".join(command), "/dev/null"], capture_output=True, timeout=60,
                              check=False)
    assert terminal.returncode == 2 and b"PK" not in terminal.stdout


# ---------------------------------------------------------------- HTML

def test_the_html_page_has_the_title_metadata_score_and_one_row_per_rule(tmp_path) -> None:
    page = audit_html(tmp_path)
    assert "<title>《白鹭湾区2024年法治政府建设年度报告》审查意见</title>" in page
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert body.count("<tr ") == RULES
    assert "<dt>报告主体</dt><dd>白鹭湾区人民政府 <span" in page and "<dt>年度</dt><dd>2024" in page
    assert "<b>37.5</b><span>总分（满分 100）</span>" in page and "<b>不合格</b>" in page
    assert "优先整改事项" in page and "第6行〔标题〕：一、主要工作" in page


def test_the_html_page_is_self_contained_and_prints_on_a4(tmp_path) -> None:
    page = audit_html(tmp_path)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "@import" not in page and "url(" not in page and "<script" not in page
    assert "@page { size:A4" in page and "@media print" in page


def test_report_text_is_escaped_in_the_html(tmp_path) -> None:
    page = audit_html(tmp_path, hostile_report(tmp_path))
    assert "<script" not in page
    assert "一、主要工作&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_html_goes_to_stdout_without_an_output_file(capsys) -> None:
    assert main(["audit", str(WEAK), "--format", "html"]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")


def test_json_does_not_load_the_word_or_html_writers(tmp_path) -> None:
    from test_startup import audit_in_fresh_process, loaded

    modules = audit_in_fresh_process(str(WEAK), "--format", "json")["modules"]
    assert loaded(modules, ("docx", "lxml", "checker.output.docx_format", "checker.output.report_html")) == []
