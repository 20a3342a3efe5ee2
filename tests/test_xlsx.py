"""fzcheck batch --format xlsx (the Excel workbook) and --format csv --csv-layout wide.

The workbook is read back with openpyxl: its sheets, headers, rows in rank order, frozen header
row, filters, colours by verdict and error rows, and the same cells whatever --jobs is.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from conftest import PLUMBING_RULES, UNREADABLE, VARIANTS

from checker import __version__
from checker.cli import main
from checker.commands import EXIT_UNREADABLE, EXIT_USAGE
from checker.output.csv_format import COLUMNS, STAMP_COLUMNS, WIDE_COLUMNS
from checker.output import xlsx_format
from checker.output.xlsx_format import (DETAIL_HEADERS, RULE_HEADERS, STATUS_COLOURS, SUMMARY_HEADERS,
                                        display_width)
from checker.models import Status
from checker.ruleset import load_ruleset

RULES = ("--rules", str(PLUMBING_RULES))

pytestmark = pytest.mark.usefixtures("wide_terminal")


def batch(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["batch", "--quiet", *RULES, *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def plumbing_rules():
    return load_ruleset(PLUMBING_RULES)


def workbook(capsys, corpus: Path, target: Path, *argv: str) -> openpyxl.Workbook:
    code, out, _ = batch(capsys, str(corpus), "--format", "xlsx", "-o", str(target), *argv)
    assert code == EXIT_UNREADABLE  # the corpus holds unreadable files
    assert out == ""
    return openpyxl.load_workbook(target)


def values(sheet) -> list[tuple]:
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


@pytest.fixture(scope="module")
def ranked_json(corpus: Path) -> dict:
    """The same batch as JSON, whose ranking the workbook must follow."""
    import contextlib

    text = io.StringIO()
    with contextlib.redirect_stdout(text):
        main(["batch", "--quiet", *RULES, str(corpus), "--format", "json", "--jobs", "1"])
    return json.loads(text.getvalue())


def test_workbook_has_four_sheets_with_chinese_headers(capsys, corpus: Path, tmp_path: Path, plumbing_rules) -> None:
    book = workbook(capsys, corpus, tmp_path / "scores.xlsx")
    assert book.sheetnames == ["汇总", "明细", "规则", "版本"]
    assert values(book["版本"])[1:] == [("fzcheck 版本", __version__), ("规则集", plumbing_rules.id),
                                       ("规则集版本", plumbing_rules.version), ("规则集 SHA-256", plumbing_rules.digest)]
    assert values(book["汇总"])[0] == SUMMARY_HEADERS
    assert values(book["明细"])[0] == DETAIL_HEADERS
    assert values(book["规则"])[0] == RULE_HEADERS
    assert SUMMARY_HEADERS[:8] == ("排名", "文件", "报告主体", "类型", "年度", "得分", "等级", "未达标项")
    for header in ("结果", "得分", "证据", "建议", "依据"):
        assert header in DETAIL_HEADERS


def test_summary_is_one_row_per_report_in_rank_order_then_errors(capsys, corpus: Path, tmp_path: Path,
                                                                 ranked_json: dict) -> None:
    rows = values(workbook(capsys, corpus, tmp_path / "scores.xlsx")["汇总"])[1:]
    reports, errors = rows[:len(VARIANTS)], rows[len(VARIANTS):]
    listed = ranked_json["reports"] + ranked_json["not_reports"]
    assert [(row[1], row[5]) for row in reports] == [(item["file"], item["score"]) for item in listed]
    ranks = {row[1]: row[0] for row in reports}
    assert ranks == {**{item["file"]: item["rank"] for ranking in ranked_json["summary"]["rankings"]
                        for item in ranking["ranks"]},
                     **{item["file"]: "另列" for item in ranked_json["not_reports"]}}
    assert [row[8] for row in reports[-len(ranked_json["not_reports"]):]] == [
        item["not_a_report"] for item in ranked_json["not_reports"]]  # why it is apart, in words
    assert [row[9] for row in reports] == [item["report"]["source"]["sha256"] for item in listed]
    assert [row[1] for row in errors] == [str(corpus / name) for name in UNREADABLE]
    assert all(row[0] is None and row[6] == "错误" and row[8] for row in errors)
    first = ranked_json["reports"][0]
    assert reports[0][2] == first["report"]["issuer"] and reports[0][4] == first["report"]["year"]
    assert reports[0][3] in ("政府", "部门", "未知")
    weakest = ranked_json["reports"][-1]
    failed = [item["title"] for item in weakest["results"] if item["status"] == "fail"]
    assert reports[len(ranked_json["reports"]) - 1][7] == "、".join(failed)


def test_detail_is_report_by_item_with_verdicts_evidence_and_hints(capsys, corpus: Path, tmp_path: Path,
                                                                   ranked_json: dict, plumbing_rules) -> None:
    rows = values(workbook(capsys, corpus, tmp_path / "scores.xlsx")["明细"])[1:]
    rules = len(plumbing_rules.rules)
    assert len(rows) == len(VARIANTS) * rules + len(UNREADABLE)
    first = ranked_json["reports"][0]
    for row, item in zip(rows[:rules], first["results"], strict=True):
        assert row[1] == first["file"] and row[3] == item["id"] and row[4] == item["title"]
        assert row[5] == Status(item["status"]).label and row[6] == item["score"] and row[11] == item["basis"]
        if item["evidence"]:
            assert f"第{item['evidence'][0]['line']}行" in row[9]
    short = [row for row in rows if row[5] in ("未达标", "部分达标")]
    assert short and all(row[10] for row in short)  # what to add, for anything short of a pass
    assert all(row[10] is None for row in rows if row[5] == "达标")
    assert [row[5] for row in rows[-len(UNREADABLE):]] == ["错误"] * len(UNREADABLE)


def test_rules_sheet_lists_the_rule_set(capsys, corpus: Path, tmp_path: Path, plumbing_rules) -> None:
    rows = values(workbook(capsys, corpus, tmp_path / "scores.xlsx")["规则"])[1:]
    assert [(row[0], row[1], row[3], row[5]) for row in rows] == [
        (rule.spec.id, rule.spec.title, rule.spec.weight, rule.spec.basis) for rule in plumbing_rules.rules]


def test_frozen_header_filters_widths_and_colours(capsys, corpus: Path, tmp_path: Path) -> None:
    book = workbook(capsys, corpus, tmp_path / "scores.xlsx")
    for sheet in book:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
    summary, detail = book["汇总"], book["明细"]
    # 文件 fits the longest path; 报告主体 its Chinese name, two columns a character
    longest = max(display_width(str(row[1])) for row in values(summary)[1:])
    assert summary.column_dimensions["B"].width >= min(longest, 60)
    issuers = [row[2] for row in values(summary)[1:] if row[2]]
    assert summary.column_dimensions["C"].width >= max(2 * len(issuer) for issuer in issuers)
    for row in detail.iter_rows(min_row=2):
        verdict = row[5]
        if verdict.value == "错误":
            assert verdict.fill.fgColor.rgb.endswith("9C0006")
            continue
        status = next(status for status in Status if status.label == verdict.value)
        assert verdict.fill.fgColor.rgb.endswith(STATUS_COLOURS[status][0])
    labels = {row[5].value for row in detail.iter_rows(min_row=2)}
    assert {"达标", "部分达标", "未达标"} <= labels


def test_same_cells_whatever_the_jobs(capsys, corpus: Path, tmp_path: Path) -> None:
    serial = workbook(capsys, corpus, tmp_path / "one.xlsx", "--jobs", "1")
    parallel = workbook(capsys, corpus, tmp_path / "two.xlsx", "--jobs", "2")
    assert serial.sheetnames == parallel.sheetnames
    for name in serial.sheetnames:
        assert values(serial[name]) == values(parallel[name])
        assert ({key: dimension.width for key, dimension in serial[name].column_dimensions.items()}
                == {key: dimension.width for key, dimension in parallel[name].column_dimensions.items()})


def test_text_that_looks_like_a_formula_stays_text(capsys, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    source = next(iter(VARIANTS.values()))[0]
    from conftest import write_report

    write_report(folder / "=HYPERLINK(1).txt", source, [])
    target = tmp_path / "scores.xlsx"
    code, _, _ = batch(capsys, str(folder), "--format", "xlsx", "-o", str(target))
    assert code == 0
    cell = openpyxl.load_workbook(target)["汇总"]["B2"]
    assert cell.value.endswith("=HYPERLINK(1).txt") and cell.data_type == "s"
    rows = values(openpyxl.load_workbook(target)["汇总"])
    assert len(rows) == 2


def test_empty_batch_is_a_workbook_with_headers(capsys, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    target = tmp_path / "scores.xlsx"
    assert batch(capsys, str(tmp_path / "empty"), "--format", "xlsx", "-o", str(target))[0] == 0
    book = openpyxl.load_workbook(target)
    assert values(book["汇总"]) == [SUMMARY_HEADERS] and values(book["明细"]) == [DETAIL_HEADERS]


def test_xlsx_is_refused_on_a_terminal(capsys, corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdout.isatty", lambda: True, raising=False)
    code, out, err = batch(capsys, str(corpus), "--format", "xlsx")
    assert code == EXIT_USAGE and out == ""
    assert "-o" in err and len(err.strip().splitlines()) == 1


# ---------------------------------------------------------------- CSV, wide layout

def csv_rows(capsys, *argv: str) -> list[dict[str, str]]:
    _, out, _ = batch(capsys, *argv, "--format", "csv")
    return list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))


def test_wide_csv_is_one_row_per_report_with_a_column_per_rule(capsys, corpus: Path, plumbing_rules) -> None:
    _, out, _ = batch(capsys, str(corpus), "--format", "csv", "--csv-layout", "wide")
    header = next(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    ids = [rule.spec.id for rule in plumbing_rules.rules]
    assert header == [*WIDE_COLUMNS, *ids, "error", *STAMP_COLUMNS]
    wide = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert len(wide) == len(VARIANTS) + len(UNREADABLE)
    long = csv_rows(capsys, str(corpus))
    for row in long:
        if row["status"] == "error":
            match = next(item for item in wide if item["file"] == row["file"])
            assert match["error"] == row["error"] and all(match[rule] == "" for rule in ids)
            continue
        match = next(item for item in wide if item["file"] == row["file"])
        assert match[row["rule_id"]] == row["status"]
        assert match["score"] == row["score"] and match["grade"] == row["grade"]


def test_default_csv_layout_is_unchanged(capsys, corpus: Path) -> None:
    _, default, _ = batch(capsys, str(corpus), "--format", "csv")
    _, long, _ = batch(capsys, str(corpus), "--format", "csv", "--csv-layout", "long")
    assert default == long
    assert next(csv.reader(io.StringIO(default.lstrip("\ufeff")))) == [*COLUMNS, *STAMP_COLUMNS]


def test_a_full_sheet_goes_on_in_another(capsys, corpus: Path, tmp_path: Path, monkeypatch) -> None:
    whole = workbook(capsys, corpus, tmp_path / "whole.xlsx")
    monkeypatch.setattr(xlsx_format, "MAX_ROWS", 8)  # Excel's is 1,048,576, which 50,000 reports' items pass
    book = workbook(capsys, corpus, tmp_path / "cut.xlsx")
    for title in ("汇总", "明细"):
        parts = [name for name in book.sheetnames if name.startswith(title)]
        assert parts[0] == title and parts[1:] == [f"{title}{number}" for number in range(2, len(parts) + 1)]
        rows = [values(book[name]) for name in parts]
        assert all(part[0] == values(whole[title])[0] and 1 < len(part) <= 8 for part in rows)
        assert [row for part in rows for row in part[1:]] == values(whole[title])[1:]
        assert all(book[name].freeze_panes == "A2" for name in parts)
    assert book.sheetnames[-2:] == ["规则", "版本"]
