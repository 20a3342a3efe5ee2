"""The audit in a terminal: Chinese line breaking (checker/output/cjk_wrap.py), the stacked layout
of a narrow terminal and the table of a wide one, --only-failed, and the width of what is written
to a file or a pipe.

The layouts are checked on the bundled samples and the national rule set, whose prose is what the
wrapping has to cope with; the assertions are about shape (widths, where lines start, which ids
appear), not wording.
"""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len, split_graphemes
from rich.console import Console
from rich.text import Text

from checker.models import AuditResult, Status
from checker.output.cjk_wrap import CLOSING, line_spans, wrap
from checker.output.labels import STATUS_MARKS
from checker.output.table import TABLE_MIN_WIDTH, render_audit, wrapped
from checker.pipeline import audit_path

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
PARTLY = SAMPLES / "linchuan_market_bureau_2023.txt"  # four items 部分达标, the rest 达标
WEAK = SAMPLES / "baihu_district_2024_weak.txt"       # ten items 未达标
NOT_A_REPORT = SAMPLES / "yunxi_county_government_work_report_2025.txt"
ALL_PASS = SAMPLES / "yunxi_county_2024.txt"

CLOSING_MARKS = "，。、；：？！）】》」』”’〕"
OPENING_MARKS = "（【《「『“‘〔"


# ---------------------------------------------------------------- cjk_wrap

@pytest.mark.parametrize(("text", "width", "lines"), [
    # A cut by width alone would start the second line with the mark.
    pytest.param("一二三四，五六", 8, ["一二三", "四，五六"], id="comma-stays-behind"),
    pytest.param("一二三四。", 8, ["一二三", "四。"], id="full-stop-stays-behind"),
    pytest.param("一二三四）五", 8, ["一二三", "四）五"], id="closing-bracket-stays-behind"),
    pytest.param("一二三四”五", 8, ["一二三", "四”五"], id="closing-quote-stays-behind"),
    pytest.param("一二三四、五", 8, ["一二三", "四、五"], id="enumeration-comma-stays-behind"),
    pytest.param("一二三限,基层", 8, ["一二三", "限,基层"], id="ascii-comma-stays-behind"),
    # A cut by width alone would end the first line with the mark.
    pytest.param("一二三（四五", 8, ["一二三", "（四五"], id="opening-bracket-goes-ahead"),
    pytest.param("一二三“四五", 8, ["一二三", "“四五"], id="opening-quote-goes-ahead"),
    # Tokens a reader takes as one, kept whole when they fit a line.
    pytest.param("见规则 court-appearance-rate 说明", 23, ["见规则", "court-appearance-rate", "说明"],
                 id="rule-id-whole"),
    pytest.param("见《规定》厅字〔2019〕28号", 16, ["见《规定》", "厅字〔2019〕28号"], id="document-number-whole"),
    pytest.param("见 https://www.gov.cn/a.html。", 28, ["见", "https://www.gov.cn/a.html。"],
                 id="url-whole-with-its-full-stop"),
    pytest.param("全年共办理28件", 13, ["全年共办", "理28件"], id="number-keeps-its-unit"),
    pytest.param("见第36行", 7, ["见", "第36行"], id="number-keeps-what-it-follows"),
    pytest.param("一二三……四", 7, ["一二", "三……四"], id="ellipsis-not-split-nor-first"),
    pytest.param("一二三——四", 7, ["一二三", "——四"], id="dash-not-split"),
    pytest.param("一二（ 三四", 6, ["一二", "（ 三", "四"], id="opening-bracket-before-a-space-goes-ahead"),
    # Spaces and newlines.
    pytest.param("ab cd ef", 5, ["ab cd", "ef"], id="break-at-a-space-and-drop-it"),
    pytest.param("第一段\n第二段", 20, ["第一段", "第二段"], id="newline-ends-a-line"),
    pytest.param("", 10, [""], id="empty"),
])
def test_wrap(text: str, width: int, lines: list[str]) -> None:
    assert wrap(text, width) == lines


def test_a_token_wider_than_the_line_is_cut_where_it_does_least_harm() -> None:
    # Between two characters (厅字 | 〔2019〕) rather than beside the number (〔2019〕 | 28号), inside
    # it (〔201 | 9〕) or before closing punctuation.
    assert wrap("（厅字〔2019〕28号）", 16) == ["（厅字", "〔2019〕28号）"]
    # An overlong URL is cut where the line is full, and its closing bracket still does not start a line.
    assert wrap("见（https://very.long.example.com/path）。", 12) == [
        "见", "（https://ve", "ry.long.exam", "ple.com/pat", "h）。"]


def test_a_character_wider_than_the_line_gets_a_line_of_its_own() -> None:
    assert wrap("中国人", 1) == ["中", "国", "人"]


def test_lines_that_continue_a_paragraph_hang_by_the_indent() -> None:
    assert wrap("一二三四五六七八\n九十", 10, indent=2) == ["一二三四五", "  六七八", "九十"]


BODY = "法治政府建设年度报告执行情况"
TOKENS = ["", "2024", "28号", "厅字〔2019〕28号", " court-appearance-rate ", " https://www.gov.cn/a/b.html "]
MARKS_IN_PROSE = ["", *CLOSING_MARKS, *OPENING_MARKS, "……", "——", ",", "."]


@st.composite
def report_text(draw) -> str:
    """What a quotation holds: runs of Chinese, each perhaps followed by an id, a number or a URL
    and a punctuation mark. Never two marks without a character between them, as in prose: in a
    line of 10 cells, （ （ （况， could not be cut anywhere allowed."""
    segments = draw(st.lists(st.tuples(st.text(BODY, min_size=1, max_size=12), st.sampled_from(TOKENS),
                                       st.sampled_from(MARKS_IN_PROSE)), min_size=1, max_size=12))
    return "".join(body + token + mark for body, token, mark in segments)


@settings(max_examples=300, deadline=None)
@given(report_text(), st.integers(min_value=10, max_value=60))
def test_wrapped_lines_fit_keep_every_character_and_obey_kinsoku(text: str, width: int) -> None:
    spans = line_spans(text, width)
    lines = [text[start:end] for start, end in spans]
    assert all(cell_len(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # only spaces at the cuts are dropped
    assert all(text[end:start].strip() == "" for (_, end), (start, _) in zip(spans, spans[1:]))
    assert not [line for line in lines[1:] if line[:1] in CLOSING or line[:1] in CLOSING_MARKS]
    assert not [line for line in lines[:-1] if line[-1:] in OPENING_MARKS]


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs", "Cc"))), st.integers(min_value=1, max_value=40))
def test_any_text_is_cut_into_lines_that_fit_and_lose_nothing(text: str, width: int) -> None:
    # Control characters never get here: every output shows them escaped (checker.output.safe_text).
    lines = wrap(text, width)
    assert [line for line in lines if cell_len(line) > width and len(split_graphemes(line)[0]) > 1] == []
    assert re.sub(r"\s", "", "".join(lines)) == re.sub(r"\s", "", text)


def test_styles_carry_across_the_cuts() -> None:
    text = Text.assemble("依据：", ("《法治政府建设实施纲要》", "bold"))
    lines = wrapped(text, 16, indent=2, hanging=2).split("\n")
    assert [line.plain for line in lines] == ["  依据：《法治政", "    府建设实施纲", "    要》"]
    assert all(span.style == "bold" for line in lines[1:] for span in line.spans)


# ---------------------------------------------------------------- the layouts

@pytest.fixture(scope="module")
def results(national) -> dict[Path, AuditResult]:
    return {path: audit_path(str(path), national) for path in (PARTLY, WEAK, NOT_A_REPORT, ALL_PASS)}


def rendered(result: AuditResult, width: int, only_failed: bool = False) -> list[str]:
    console = Console(file=io.StringIO(), width=width, record=True, color_system=None)
    render_audit(result, console, only_failed)
    return console.export_text().splitlines()


def cells(lines: list[str]) -> list[str]:
    """Each table cell's or stacked line's text, without borders and indentation."""
    return [cell.strip() for line in lines for cell in line.replace("┃", "│").split("│") if cell.strip()]


@pytest.mark.parametrize("width", [60, 80, 100, TABLE_MIN_WIDTH, 160, 200])
@pytest.mark.parametrize("sample", [PARTLY, WEAK, NOT_A_REPORT], ids=lambda path: path.stem)
def test_every_line_fits_and_no_line_starts_with_closing_punctuation(results, sample: Path, width: int) -> None:
    lines = rendered(results[sample], width)
    assert [line for line in lines if cell_len(line) > width] == []
    assert [cell for cell in cells(lines) if cell[0] in CLOSING_MARKS] == []
    assert [cell for cell in cells(lines) if cell[-1] in OPENING_MARKS] == []
    text = "\n".join(lines)
    assert all(item.id in text for item in results[sample].results)  # no id cut in two


def test_a_narrow_terminal_stacks_each_item_under_one_line_with_its_verdict(results) -> None:
    result = results[PARTLY]
    lines = rendered(result, 80)
    heads = [line for line in lines if line[:1] in STATUS_MARKS.values()]
    assert len(heads) == len(result.results)
    for head, item in zip(heads, result.results):
        assert head.startswith(f"{STATUS_MARKS[item.status]} {item.title}  {item.status.label}  ")
        assert head.endswith(item.id) and f"{item.score:g}/{item.weight:g}" in head
    assert len(lines) < 130  # 253 with the six-column table at 80 columns


def stacked_items(lines: list[str]) -> list[list[str]]:
    """The stacked layout's items: each from its line with a mark to the next one."""
    items: list[list[str]] = []
    for line in lines:
        if line[:1] in STATUS_MARKS.values():
            items.append([line])
        elif items and line.startswith(" "):
            items[-1].append(line)
    return items


@pytest.mark.parametrize("sample", [PARTLY, WEAK], ids=lambda path: path.stem)
def test_basis_and_hint_are_shown_only_for_items_short_of_passing(results, sample: Path) -> None:
    items = stacked_items(rendered(results[sample], 80))
    assert len(items) == len(results[sample].results)
    for lines, item in zip(items, results[sample].results):
        short = item.status in (Status.PARTIAL, Status.FAIL)
        assert any(line.startswith("    依据：") for line in lines) == short, item.id
        assert any(line.startswith("    建议：") for line in lines) == (short and bool(item.hint)), item.id
        assert lines[1].strip() == item.message or item.message.startswith(lines[1].strip())


def test_a_wide_terminal_gets_the_table(results) -> None:
    lines = rendered(results[PARTLY], 160)
    assert any(line.startswith("┏") for line in lines)
    assert [line for line in lines if "检查项" in line and "证据" in line and "建议" in line]
    assert not [line for line in lines if line[:1] in STATUS_MARKS.values()]


def test_the_not_a_report_warning_and_the_totals_stay(results) -> None:
    for width in (80, 160):
        text = "\n".join(rendered(results[NOT_A_REPORT], width))
        assert "⚠ 文件类型" in text and "这不是法治政府建设年度报告" in text
        assert text.index("⚠ 文件类型") < text.index("part-measures") < text.index("总分")


@pytest.mark.parametrize("width", [80, 160])
def test_only_failed_lists_the_items_short_of_passing_and_says_how_many_are_hidden(results, width: int) -> None:
    result = results[PARTLY]
    text = "\n".join(rendered(result, width, only_failed=True))
    short = [item for item in result.results if item.status in (Status.PARTIAL, Status.FAIL)]
    assert f"只列出未达标和部分达标的 {len(short)} 项，另有 {len(result.results) - len(short)} 项" in text
    assert all(item.id in text for item in short)
    assert not [item.id for item in result.results if item.status is Status.PASS and f"  {item.id}" in text]
    assert f"达标 {result.counts.pass_}  部分达标 {result.counts.partial}" in text  # the totals count them all


def test_only_failed_on_a_report_that_passes_everything_says_so(results) -> None:
    text = "\n".join(rendered(results[ALL_PASS], 80, only_failed=True))
    assert "没有未达标或部分达标的检查项" in text and "另有 21 项" in text


def test_long_header_values_wrap_inside_the_panel(results) -> None:
    result = results[PARTLY]
    long = replace(result, file="报告/" + "很长的文件名，" * 12 + ".txt")
    lines = rendered(long, 80)
    assert all(cell_len(line) <= 80 for line in lines)
    assert [cell for cell in cells(lines) if cell[0] in CLOSING_MARKS] == []
    assert long.file in "".join(cell.removeprefix("文件").strip() for cell in cells(lines[1:6]))


# ---------------------------------------------------------------- the command line

def fzcheck(*args: str, stdout=subprocess.PIPE, columns: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("COLUMNS", None)
    env.pop("FORCE_COLOR", None)
    if columns:
        env["COLUMNS"] = columns
    return subprocess.run([sys.executable, "-m", "checker", *args], stdout=stdout, stderr=subprocess.PIPE,
                          text=True, encoding="utf-8", cwd=REPO, env=env, timeout=120)


@pytest.mark.parametrize("columns", [None, "100"])
def test_a_redirect_and_dash_o_write_the_same_file(tmp_path: Path, columns: str | None) -> None:
    with open(tmp_path / "redirected.txt", "w", encoding="utf-8") as stream:
        assert fzcheck("audit", str(PARTLY), stdout=stream, columns=columns).returncode == 0
    assert fzcheck("audit", str(PARTLY), "-o", str(tmp_path / "written.txt"), columns=columns).returncode == 0
    redirected = (tmp_path / "redirected.txt").read_text(encoding="utf-8")
    assert redirected == (tmp_path / "written.txt").read_text(encoding="utf-8")
    widths = [cell_len(line) for line in redirected.splitlines()]
    assert max(widths) == int(columns or 80)  # the header panel spans the width


def test_only_failed_is_refused_with_a_format_it_does_not_apply_to() -> None:
    process = fzcheck("audit", str(PARTLY), "--only-failed", "--format", "json")
    assert process.returncode == 2 and "--only-failed" in process.stderr and process.stdout == ""
    process = fzcheck("precheck", str(PARTLY), "--only-failed", "--format", "sarif")
    assert process.returncode == 2 and "--only-failed" in process.stderr and process.stdout == ""


def test_precheck_only_failed_keeps_the_fixes_and_the_verdict(results) -> None:
    process = fzcheck("precheck", str(WEAK), "--only-failed")
    assert process.returncode == 1
    lines = process.stdout.splitlines()
    passed = [item.id for item in results[WEAK].results if item.status is Status.PASS]
    assert passed and not [rule_id for rule_id in passed if any(line.endswith(f"  {rule_id}") for line in lines)]
    assert "修改建议" in process.stdout and lines[-1].startswith("FAIL: ")
    fixes = lines[lines.index("修改建议（按可挽回的分数排序）：") + 1:-1]
    assert fixes and all(cell_len(line) <= 80 and line.lstrip()[:1] not in CLOSING_MARKS for line in fixes)
