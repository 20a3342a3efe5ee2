"""The machine and document formats of batch (and audit JSON): schema, CSV, JSONL, HTML, --output.

Batches run on the corpus of tests/conftest.py with the fixture rule set, so counts and scores
are the fixture set's."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from conftest import PLUMBING_RULES, PLUMBING_SCORES, REPORT_FIXTURES, STRONG, UNREADABLE, VARIANTS

import checker
from checker import __version__
from checker.batch import FileError, find_inputs
from checker.cli import main
from checker.commands import EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE
from checker.output.csv_format import COLUMNS, STAMP_COLUMNS, CsvRows
from checker.ruleset import load_ruleset

SCHEMAS = Path(checker.__file__).resolve().parent / "schemas"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
RULES = len(load_ruleset(PLUMBING_RULES).rules)
WITH_RULES = ("--rules", str(PLUMBING_RULES))
BOM = b"\xef\xbb\xbf"


def schema_validator(name: str) -> Draft202012Validator:
    schemas = [json.loads(path.read_text(encoding="utf-8")) for path in SCHEMAS.glob("*.schema.json")]
    registry = Registry().with_resources((schema["$id"], Resource.from_contents(schema)) for schema in schemas)
    schema = next(schema for schema in schemas if schema["$id"] == f"urn:fzcheck:schema:{name}")
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """`fzcheck ARGV` with the fixture rule set."""
    code = main([*argv, *WITH_RULES])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_bytes(capsysbinary: pytest.CaptureFixture[bytes], *argv: str) -> tuple[int, bytes]:
    code = main([*argv, *WITH_RULES])
    return code, capsysbinary.readouterr().out


# ---------------------------------------------------------------- JSON and its schema

@pytest.mark.parametrize("report", sorted(path.name for path in REPORT_FIXTURES.glob("*.txt")))
def test_audit_json_matches_the_schema(report: str, capsys) -> None:
    code, out, _ = run(capsys, "audit", "--format", "json", str(REPORT_FIXTURES / report))
    assert code == EXIT_OK
    document = json.loads(out)
    schema_validator("report").validate(document)
    assert document["ruleset"]["id"] == "plumbing" and len(document["results"]) == RULES


@pytest.mark.parametrize("sample", sorted(path.name for path in SAMPLES.glob("*.txt")))
def test_audit_json_of_the_samples_with_the_bundled_rules_matches_the_schema(sample: str, capsys) -> None:
    """The default rule set's output too: whatever its rules say, the document keeps its shape."""
    code = main(["audit", "--format", "json", str(SAMPLES / sample)])
    assert code == EXIT_OK
    schema_validator("report").validate(json.loads(capsys.readouterr().out))


def test_batch_json_matches_the_schema(corpus: Path, capsys) -> None:
    code, out, _ = run(capsys, "batch", "-q", "--format", "json", "--jobs", "2", str(corpus))
    assert code == EXIT_UNREADABLE
    document = json.loads(out)
    schema_validator("batch").validate(document)
    assert len(document["reports"]) + len(document["not_reports"]) == len(VARIANTS)
    assert len(document["not_reports"]) == 1  # the 政府工作报告


def test_empty_batch_is_still_one_valid_document(tmp_path: Path, capsys) -> None:
    code, out, err = run(capsys, "batch", "--format", "json", str(tmp_path))
    assert code == EXIT_OK
    document = json.loads(out)
    schema_validator("batch").validate(document)
    assert document["reports"] == [] and document["summary"]["mean_score"] is None
    assert "没有找到可检查的文件" in err


def test_schema_rejects_a_report_with_an_unknown_key(capsys) -> None:
    _, out, _ = run(capsys, "audit", "--format", "json", str(REPORT_FIXTURES / STRONG))
    report = json.loads(out) | {"surprise": 1}
    assert not schema_validator("report").is_valid(report)


# ---------------------------------------------------------------- JSON Lines

def test_jsonl_is_one_object_per_line_in_path_order(corpus: Path, capsys) -> None:
    code, out, err = run(capsys, "batch", "--format", "jsonl", "--jobs", "2", str(corpus))
    assert code == EXIT_UNREADABLE
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["file"] for line in lines] == find_inputs([str(corpus)]).files
    validator = schema_validator("report")
    for line in lines:
        if "error" in line:
            assert set(line) == {"file", "error"}
        else:
            validator.validate(line)
    assert [line["file"] for line in lines if "error" in line] == [str(corpus / name) for name in UNREADABLE]
    assert f"{len(UNREADABLE)} 个文件无法检查" in err


# ---------------------------------------------------------------- CSV

def test_csv_starts_with_a_bom_and_round_trips(corpus: Path, capsysbinary) -> None:
    code, data = run_bytes(capsysbinary, "batch", "-q", "--format", "csv", str(corpus))
    assert code == EXIT_UNREADABLE
    assert data.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert tuple(rows[0]) == COLUMNS + STAMP_COLUMNS
    reports = [row for row in rows if row["status"] != "error"]
    ruleset = load_ruleset(PLUMBING_RULES)
    assert {(row["ruleset_id"], row["ruleset_sha256"], row["fzcheck_version"]) for row in reports} == {
        (ruleset.id, ruleset.digest, __version__)}
    assert all(row["file_sha256"] == hashlib.sha256(Path(row["file"]).read_bytes()).hexdigest() for row in reports)
    assert {row["not_a_report"] != "" for row in reports if row["file"].endswith("work_report.txt")} == {True}
    assert len(reports) == len(VARIANTS) * RULES
    assert [row["file"] for row in rows if row["status"] == "error"] == [str(corpus / name) for name in UNREADABLE]
    strong = [row for row in reports if row["file"].endswith("2024/strong.txt")]
    assert [row["rule_id"] for row in strong] == [rule.spec.id for rule in load_ruleset(PLUMBING_RULES).rules]
    assert {row["score"] for row in strong} == {f"{PLUMBING_SCORES[STRONG]:.1f}"} == {"100.0"}
    # shortcomings-section quotes its heading, 二、存在的问题 on line 11 of the report.
    assert (strong[0]["status_label"], strong[0]["evidence_line"]) == ("达标", "11")


def test_csv_keeps_commas_quotes_and_newlines_in_cells(tmp_path: Path, capsysbinary) -> None:
    odd = tmp_path / 'a,"b"\nc.txt'
    odd.write_bytes((REPORT_FIXTURES / STRONG).read_bytes())
    _, data = run_bytes(capsysbinary, "batch", "-q", "--format", "csv", str(tmp_path))
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    # A newline in a name is shown as an escape (a name stays one line, issue 8 item 13).
    assert {row["file"] for row in rows} == {str(odd).replace("\n", "\\x0a")}


# ---------------------------------------------------------------- HTML

def test_html_is_one_self_contained_page(corpus: Path, tmp_path: Path, capsys) -> None:
    page = tmp_path / "out" / "report.html"
    code, out, _ = run(capsys, "batch", "-q", "--format", "html", "--output", str(page), str(corpus))
    assert code == EXIT_UNREADABLE and out == ""
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"""(src|href|action)\s*=\s*["']?\s*(https?:)?//""", html, re.IGNORECASE)
    assert not re.search(r"<link\b|@import|url\(", html, re.IGNORECASE)
    # The heat-map has the rule-of-law reports; the 政府工作报告 is listed apart, with a section too.
    assert "检查项热力图" in html and html.count('class="cell ') == (len(VARIANTS) - 1) * RULES
    assert "得分分布" in html and "<svg" in html
    assert html.count("<details") == len(VARIANTS)
    for name in VARIANTS:
        assert str(corpus / name) in html
    assert "broken.pdf" in html and "无法检查的文件" in html


def test_html_escapes_what_reports_contain(tmp_path: Path, capsys) -> None:
    reports = tmp_path / "in"
    reports.mkdir()
    (reports / "<b>&x.txt").write_text(
        # In the sentence the reconsideration rule quotes as its evidence.
        (REPORT_FIXTURES / STRONG).read_text(encoding="utf-8").replace("行政复议", "<script>alert(1)</script>行政复议"),
        encoding="utf-8")
    _, out, _ = run(capsys, "batch", "-q", "--format", "html", str(reports))
    assert "<script>alert" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "<b>&x" not in out and "&lt;b&gt;&amp;x.txt" in out


# ---------------------------------------------------------------- --output

@pytest.mark.parametrize("format", ["table", "json", "jsonl", "csv", "html"])
def test_output_never_overwrites_an_input(corpus: Path, format: str, capsys) -> None:
    victim = corpus / "2024" / "strong.txt"
    before = victim.read_bytes()
    code, out, err = run(capsys, "batch", "-q", "--format", format, "--output", str(victim), str(corpus / "2024"))
    assert code == EXIT_USAGE
    assert "输出文件不能是输入文件" in err and out == ""
    assert victim.read_bytes() == before


@pytest.mark.parametrize("format", ["table", "jsonl", "csv"])
def test_output_file_is_complete_and_leaves_no_temporary(corpus: Path, tmp_path: Path, format: str, capsys) -> None:
    target = tmp_path / f"result.{format}"
    code, out, err = run(capsys, "batch", "--format", format, "--output", str(target), str(corpus / "2024"))
    assert code == EXIT_OK and out == ""
    assert "共 6 份报告" in err and "另有 1 份不是法治政府建设年度报告" in err
    assert [path.name for path in tmp_path.iterdir()] == [target.name]
    assert target.stat().st_size > 0


def test_output_to_a_folder_is_a_usage_error(corpus: Path, tmp_path: Path, capsys) -> None:
    code, _, err = run(capsys, "batch", "-q", "--output", str(tmp_path), str(corpus / "2023"))
    assert code == EXIT_USAGE and "目录" in err


def test_csv_cells_that_look_like_formulas_are_inert() -> None:
    rows = CsvRows()
    text = rows.header() + rows(FileError(file="=HYPERLINK(\"x\").txt", error="-1 坏文件"))
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["file"] == "'=HYPERLINK(\"x\").txt"
    assert row["error"] == "'-1 坏文件"
