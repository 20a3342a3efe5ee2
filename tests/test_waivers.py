"""Issue 11, item 8: waivers (`--waivers FILE`, checker/waivers.py and checker/waiverfile.py).

A waived item keeps the status the rules found and carries its waiver in every format; it leaves
the score's denominator, does not fail precheck's gate and is counted apart in every summary; the
file is checked on load (an expired waiver fails the run, every error of the file at once at its
file:line:col); the batch result cache keeps results without waivers, whatever run stored them.

Everything runs on the fixture rule set and the fixture reports (tests/conftest.py), copied into a
project folder of each test's own that is also the current folder, so that a waiver's `reports`
glob is matched against paths as a user types them there.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import NOT_A_REPORT, PARTIALS, PLUMBING_RULES, PLUMBING_SCORES, REPORT_FIXTURES, STRONG, WEAK
from docx import Document
from openpyxl import load_workbook
from test_docs import dsl_text, fenced_blocks, section
from test_exports import schema_validator

import checker.batch
from checker.cli import main
from checker.commands import EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE
from checker.waiverfile import load_waivers

RULES = ("--rules", str(PLUMBING_RULES))
REASON = "本年度负责人出庭情况已另行报送"
COURT = f"""\
waivers:
  - rule: court-rate
    reports: "weak*.txt"
    reason: {REASON}
    approved-by: 区司法局
    until: 2099-12-31
"""
"""weak.txt fails court-rate (weight 5 of 20): waived, it scores (3 + 4/2 + 1) / 15 = 40 instead of 30."""
WAIVED_WEAK_SCORE = 40.0


@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The fixture reports in reports/, the user working in the project folder above it."""
    (tmp_path / "reports").mkdir()
    for name in (STRONG, WEAK, PARTIALS, NOT_A_REPORT):
        shutil.copy(REPORT_FIXTURES / name, tmp_path / "reports" / name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    return tmp_path


def waivers(project: Path, text: str = COURT, name: str = "waivers.yaml") -> str:
    (project / name).write_text(text, encoding="utf-8")
    return name


def entry(rule: str, until: str = "2099-12-31", **selectors: object) -> str:
    """One waiver in the file's own words, selectors as given (`reports="*.txt"`, `year=2024` …)."""
    chosen = "".join(f"    {key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in selectors.items())
    return f"  - rule: {rule}\n{chosen}    reason: 理由\n    approved-by: 区司法局\n    until: {until}\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main([*argv, *RULES])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def audit_json(capsys, *argv: str) -> dict:
    code, out, err = run(capsys, "audit", "--format", "json", *argv)
    assert code == EXIT_OK, err
    return json.loads(out)


def by_id(report: dict) -> dict[str, dict]:
    return {item["id"]: item for item in report["results"]}


# ---------------------------------------------------------------- scoring: the verdict stays, the weight goes

def test_a_waived_item_keeps_its_status_and_leaves_the_score(project: Path, capsys) -> None:
    plain = audit_json(capsys, "reports/weak.txt")
    waived = audit_json(capsys, "reports/weak.txt", "--waivers", waivers(project))
    schema_validator("report").validate(waived)
    court = by_id(waived)["court-rate"]
    assert court["status"] == by_id(plain)["court-rate"]["status"] == "fail"
    assert court["waiver"] == {"reason": REASON, "approved_by": "区司法局", "until": "2099-12-31",
                               "source": "waivers.yaml:2"}
    assert (plain["score"], waived["score"]) == (PLUMBING_SCORES[WEAK], WAIVED_WEAK_SCORE)
    assert waived["counts"] == {**plain["counts"], "fail": plain["counts"]["fail"] - 1, "waived": 1}
    assert all(item["waiver"] is None for key, item in by_id(waived).items() if key != "court-rate")


@pytest.mark.parametrize(("report", "rule"), [(WEAK, "reconsideration"), (PARTIALS, "on-time")],
                         ids=["a-pass-keeps-its-credit", "not-applicable-has-nothing-to-excuse"])
def test_only_a_shortfall_is_excused(project: Path, capsys, report: str, rule: str) -> None:
    document = audit_json(capsys, f"reports/{report}", "--waivers",
                          waivers(project, "waivers:\n" + entry(rule, reports="*.txt")))
    assert by_id(document)[rule]["waiver"] is None
    assert document["score"] == PLUMBING_SCORES[report] and document["counts"]["waived"] == 0


@pytest.mark.parametrize(("selectors", "excused"), [
    ({"reports": "weak.txt"}, True),
    ({"reports": "reports/weak.txt"}, True),
    ({"reports": "reports/*.txt"}, True),
    ({"reports": "*.docx"}, False),
    ({"issuer": "松岭区人民政府"}, True),
    ({"issuer": "松岭区"}, False),
    ({"year": 2024}, True),
    ({"year": 2023}, False),
    ({"issuer": "松岭区人民政府", "year": 2024}, True),
    ({"issuer": "松岭区人民政府", "year": 2023}, False),
], ids=lambda value: json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else str(value))
def test_selectors_match_name_or_relative_path_the_exact_issuer_and_the_year_all_at_once(
        project: Path, capsys, selectors: dict, excused: bool) -> None:
    document = audit_json(capsys, "reports/weak.txt", "--waivers",
                          waivers(project, "waivers:\n" + entry("court-rate", **selectors)))
    assert (by_id(document)["court-rate"]["waiver"] is not None) == excused


def test_the_first_entry_that_matches_is_the_one_shown(project: Path, capsys) -> None:
    text = "waivers:\n" + entry("court-rate", year=2024) + entry("court-rate", reports="*.txt")
    document = audit_json(capsys, "reports/weak.txt", "--waivers", waivers(project, text))
    assert by_id(document)["court-rate"]["waiver"]["source"] == "waivers.yaml:2"


# ---------------------------------------------------------------- precheck's gate

def test_a_waived_blocking_rule_does_not_fail_the_gate_and_the_verdict_names_it(project: Path, capsys) -> None:
    text = "waivers:\n" + entry("shortcomings-section", reports="weak.txt")
    code, out, _ = run(capsys, "precheck", "reports/weak.txt", "--fail-under", "30")
    assert code == EXIT_CHECK_FAILED and "必备项未达标：shortcomings-section" in out
    code, out, _ = run(capsys, "precheck", "reports/weak.txt", "--fail-under", "30", "--waivers", waivers(project, text))
    assert code == EXIT_OK
    assert out.splitlines()[-1] == "PASS: 得分 40.0 ≥ 30，必备项全部达标；已豁免：shortcomings-section"
    assert "[shortcomings-section]" not in out.split("修改建议")[1]  # a waived item is no fix


def test_fail_on_partial_holds_nothing_waived_against_the_report(project: Path, capsys) -> None:
    text = "waivers:\n" + entry("popularization-duty", year=2024) + entry("court-rate", year=2024)
    code, out, _ = run(capsys, "precheck", "reports/partials.txt", "--fail-on", "partial", "--format", "json",
                       "--waivers", waivers(project, text))
    assert code == EXIT_OK
    (verdict,) = json.loads(out)["verdicts"]
    assert verdict["passed"] and verdict["waived"] == ["popularization-duty", "court-rate"]
    assert verdict["fixes"] == [] and verdict["failing"] == []


# ---------------------------------------------------------------- every format shows the waiver

def _text_of_docx(path: Path) -> str:
    document = Document(str(path))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


def _text_of_xlsx(path: Path) -> str:
    book = load_workbook(path)
    return "\n".join(str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row)


SHOWN = {
    "audit-table-stacked": (["audit", "reports/weak.txt"], "80", None),
    "audit-table-wide": (["audit", "reports/weak.txt"], "200", None),
    "audit-json": (["audit", "reports/weak.txt", "--format", "json"], "80", None),
    "audit-html": (["audit", "reports/weak.txt", "--format", "html"], "80", None),
    "audit-docx": (["audit", "reports/weak.txt", "--format", "docx"], "80", _text_of_docx),
    "batch-table": (["batch", "reports", "--by-rule"], "200", None),
    "batch-json": (["batch", "reports", "--format", "json"], "80", None),
    "batch-jsonl": (["batch", "reports", "--format", "jsonl"], "80", None),
    "batch-csv": (["batch", "reports", "--format", "csv"], "80", None),
    "batch-html": (["batch", "reports", "--format", "html"], "80", None),
    "batch-xlsx": (["batch", "reports", "--format", "xlsx"], "80", _text_of_xlsx),
    "precheck-table": (["precheck", "reports/weak.txt"], "80", None),
    "precheck-compact": (["precheck", "reports/weak.txt", "--compact"], "80", None),
    "precheck-json": (["precheck", "reports/weak.txt", "--format", "json"], "80", None),
    "precheck-junit": (["precheck", "reports/weak.txt", "--format", "junit"], "80", None),
    "precheck-sarif": (["precheck", "reports/weak.txt", "--format", "sarif"], "80", None),
}
"""Each output: the command, the width it is written at, how to read a binary file back."""


@pytest.mark.parametrize("shown", SHOWN)
def test_every_format_shows_the_waiver_and_its_reason(project: Path, capsys, monkeypatch, shown: str) -> None:
    argv, width, read = SHOWN[shown]
    monkeypatch.setenv("COLUMNS", width)
    output = project / f"out.{argv[argv.index('--format') + 1] if '--format' in argv else 'txt'}"
    main([*argv, *RULES, "--waivers", waivers(project), "-o", str(output)])
    text = read(output) if read else output.read_text(encoding="utf-8")
    assert "豁免" in text or "waive" in text, text
    if shown != "batch-table":  # the ranking counts the waived items; their reasons are each report's
        assert REASON in text, text


def test_the_terminal_shows_the_waiver_under_the_verdict_and_counts_it_in_the_totals(project: Path, capsys) -> None:
    _, out, _ = run(capsys, "audit", "reports/weak.txt", "--waivers", waivers(project))
    lines = out.splitlines()
    head = next(index for index, line in enumerate(lines) if "court-rate" in line)
    assert "○ 负责人出庭应诉率  豁免（未达标）  —  court-rate" == lines[head]
    assert lines[head + 2].startswith(f"    豁免：{REASON}（批准：区司法局；有效期至 2099-12-31")
    assert "未达标 2  不适用 0  豁免 1" in out
    _, out, _ = run(capsys, "audit", "reports/weak.txt", "--waivers", waivers(project), "--only-failed")
    assert "court-rate" not in out and "项达标、不适用或豁免未列出" in out


def test_batch_summaries_count_waived_items_apart(project: Path, capsys) -> None:
    code, out, _ = run(capsys, "batch", "reports", "--format", "json", "--waivers", waivers(project))
    assert code == EXIT_OK
    document = json.loads(out)
    schema_validator("batch").validate(document)
    summary = document["summary"]
    court = next(rule for rule in summary["by_rule"] if rule["id"] == "court-rate")
    assert summary["waived"] == court["waived"] == 1
    assert sum(court[key] for key in ("pass", "partial", "fail", "not_applicable", "waived")) == summary["reports"]
    assert court["fail"] == 0  # weak.txt's fail is counted as waived only
    _, out, _ = run(capsys, "batch", "reports", "--by-rule", "--waivers", waivers(project))
    assert "豁免 1 项（不计入得分）" in out and "┃ 豁免 ┃" in out


def test_csv_has_the_waiver_columns_and_the_wide_layout_says_waived(project: Path, capsys) -> None:
    _, out, _ = run(capsys, "batch", "reports", "--format", "csv", "-q", "--waivers", waivers(project))
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    (court,) = [row for row in rows if row["file"].endswith("weak.txt") and row["rule_id"] == "court-rate"]
    assert (court["status"], court["waiver_reason"], court["waiver_approved_by"], court["waiver_until"],
            court["waiver_source"]) == ("fail", REASON, "区司法局", "2099-12-31", "waivers.yaml:2")
    assert all(row["waiver_reason"] == "" for row in rows if row is not court)
    _, out, _ = run(capsys, "batch", "reports", "--format", "csv", "--csv-layout", "wide", "-q", "--waivers",
                    waivers(project))
    (weak,) = [row for row in csv.DictReader(io.StringIO(out.lstrip("\ufeff"))) if row["file"].endswith("weak.txt")]
    assert weak["court-rate"] == "waived" and weak["score"] == f"{WAIVED_WEAK_SCORE:.1f}"


def test_junit_skips_a_waived_item_and_sarif_suppresses_it(project: Path, capsys) -> None:
    _, out, _ = run(capsys, "precheck", "reports/weak.txt", "--format", "junit", "--waivers", waivers(project))
    suite = ET.fromstring(out.encode()).find("testsuite")
    (case,) = [case for case in suite.findall("testcase") if case.get("name").startswith("court-rate ")]
    assert case.find("failure") is None and REASON in case.find("skipped").get("message")
    assert suite.get("skipped") == "1"
    _, out, _ = run(capsys, "precheck", "reports/weak.txt", "--format", "sarif", "--waivers", waivers(project))
    results = json.loads(out)["runs"][0]["results"]
    (court,) = [result for result in results if result["ruleId"] == "court-rate"]
    assert court["suppressions"] == [{"kind": "external", "status": "accepted", "justification": REASON,
                                      "properties": {"approvedBy": "区司法局", "until": "2099-12-31",
                                                     "source": "waivers.yaml:2"}}]
    assert not court["properties"]["failsGate"]
    assert all("suppressions" not in result for result in results if result is not court)


def test_a_waiver_reason_is_shown_safely(project: Path, capsys) -> None:
    text = COURT.replace(f"reason: {REASON}", 'reason: "理由\\e]0;title\\a"')
    _, out, _ = run(capsys, "audit", "reports/weak.txt", "--waivers", waivers(project, text))
    assert "\x1b" not in out and "理由\\x1b]0;title\\x07" in out


# ---------------------------------------------------------------- the file: expired, wrong, where

@pytest.mark.parametrize("command", [("audit", "reports/weak.txt"), ("batch", "reports"), ("precheck", "reports/weak.txt")],
                         ids=lambda command: command[0])
def test_an_expired_waiver_fails_the_run_with_its_place(project: Path, capsys, command: tuple[str, str]) -> None:
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    code, out, err = run(capsys, *command, "--waivers", waivers(project, COURT.replace("2099-12-31", yesterday)))
    assert code == EXIT_USAGE and out == ""
    assert err.splitlines() == [f"fzcheck: 错误：waivers.yaml:6:12: waivers.0.until: 规则 court-rate 的豁免已于 {yesterday} "
                                f"到期（今天是 {date.today().isoformat()}）：请续期或删除这条豁免"]


def test_a_waiver_holds_through_its_last_day(project: Path, capsys) -> None:
    text = COURT.replace("2099-12-31", date.today().isoformat())
    assert by_id(audit_json(capsys, "reports/weak.txt", "--waivers", waivers(project, text)))["court-rate"]["waiver"]


BAD_FILE = """\
waivers:
  - rule: court-rat
    reports: "*.txt"
    reason: 理由
    approved-by: 区司法局
    until: 2099-12-31
  - rule: court-rate
    reason: 理由
    approved-by: 区司法局
    until: 2020-01-01
  - rule: on-time
    year: 2024
    reason: 理由
    aproved-by: 区司法局
    until: 2099-12-31
  - rule: on-time
    year: 二〇二四
    reason: ""
    approved-by: 区司法局
    until: "2099-02-30"
  - rule: document-type
    issuer: 松岭区人民政府
    reason: 理由
    approved-by: 区司法局
    until: 2099-12-31
"""


def test_every_error_of_the_file_is_reported_at_once_each_at_its_place(project: Path, capsys) -> None:
    code, _, err = run(capsys, "audit", "reports/weak.txt", "--waivers", waivers(project, BAD_FILE))
    assert code == EXIT_USAGE
    places = [line.removeprefix("fzcheck: 错误：waivers.yaml:").split(" ", 2)[:2] for line in err.splitlines()]
    assert places == [
        ["2:11:", "waivers.0.rule:"],          # an unknown rule, with the nearest
        ["7:5:", "waivers.1:"],                # no selector
        ["10:12:", "waivers.1.until:"],        # expired
        ["14:5:", "waivers.2.aproved-by:"],    # a misspelt key (approved-by is not "missing" on top of it)
        ["17:11:", "waivers.3.year:"],
        ["18:13:", "waivers.3.reason:"],
        ["20:12:", "waivers.3.until:"],        # no such day
        ["21:11:", "waivers.4.rule:"],         # the report rule
    ]
    assert "是否要用 court-rate？" in err.splitlines()[0]


@pytest.mark.parametrize(("text", "expected"), [
    ("- a\n", "waivers.yaml:1:1: 豁免文件应为一个映射"),
    ("waivers: 3\n", "waivers.yaml:1:10: waivers: 应为列表"),
    ("waiver: []\n", "waivers.yaml:1:1: waiver: 未知字段"),
    ("waivers:\n  - rule: court-rate\n    year: 2024\n    year: 2023\n", "waivers.yaml:4:5: 键 year 重复出现"),
    ("waivers:\n  - rule: court-rate\n    until: 2099-02-30\n", "waivers.yaml:3:12: 没有这一天：2099-02-30"),
    ("waivers: [\n", "waivers.yaml:2:1: YAML 格式错误"),
], ids=["not-a-mapping", "not-a-list", "misspelt-top-key", "duplicate-key", "no-such-day", "bad-yaml"])
def test_a_file_that_cannot_be_read_as_waivers_is_one_line_at_its_place(project: Path, capsys, text: str,
                                                                          expected: str) -> None:
    code, _, err = run(capsys, "audit", "reports/weak.txt", "--waivers", waivers(project, text))
    assert code == EXIT_USAGE
    assert err.startswith(f"fzcheck: 错误：{expected}"), err


def test_a_missing_waivers_file_is_a_usage_error(project: Path, capsys) -> None:
    code, _, err = run(capsys, "audit", "reports/weak.txt", "--waivers", "nothing.yaml")
    assert code == EXIT_USAGE and err == "fzcheck: 错误：nothing.yaml:1:1: 豁免文件不存在\n"


def test_ids_are_checked_against_the_whole_rule_set_even_with_select(project: Path, capsys) -> None:
    code, out, err = run(capsys, "batch", "reports", "--format", "json", "--select", "on-time",
                         "--waivers", waivers(project))
    assert code == EXIT_OK and json.loads(out)["summary"]["waived"] == 0
    assert "豁免 waivers.yaml:2（规则 court-rate）没有用于任何报告" in err


def test_the_configuration_file_names_the_waivers_relative_to_itself(project: Path, capsys, monkeypatch) -> None:
    (project / "policy").mkdir()
    waivers(project, name="policy/waivers.yaml")
    (project / "fzcheck.toml").write_text('waivers = "policy/waivers.yaml"\n', encoding="utf-8")
    monkeypatch.chdir(project / "reports")
    document = audit_json(capsys, "weak.txt")
    assert document["score"] == WAIVED_WEAK_SCORE
    assert by_id(document)["court-rate"]["waiver"]["source"] == f"{project / 'policy' / 'waivers.yaml'}:2"


# ---------------------------------------------------------------- batch: processes, the cache, unused waivers

def test_a_batch_is_the_same_whatever_the_jobs(corpus: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(corpus)
    text = COURT + entry("shortcomings-section", reports="2024/*") + entry("popularization-duty", year=2023)
    Path("../waivers.yaml").write_text(text, encoding="utf-8")
    outputs = []
    for jobs in ("1", "2"):
        code, out, _ = run(capsys, "batch", ".", "-q", "--format", "json", "--jobs", jobs, "--no-cache",
                           "--waivers", "../waivers.yaml")
        outputs.append(out)
    assert outputs[0] == outputs[1]
    # court-rate: weak, weak_on_time, nested/weak_2023 (weak_full_rate passes it); shortcomings-section: the
    # three weak reports of 2024 (work_report's is not a report's); popularization-duty: weak_2023, the one
    # report of 2023 short of it (the partials in 2023/ are 2024's reports).
    assert json.loads(outputs[0])["summary"]["waived"] == 7


def test_the_result_cache_keeps_results_without_waivers(project: Path, capsys, monkeypatch) -> None:
    scored = []
    real = checker.batch.audit_path

    def counting(path, *args, **kwargs):
        scored.append(path)
        return real(path, *args, **kwargs)

    monkeypatch.setattr("checker.batch.audit_path", counting)

    def weak_court() -> dict:
        document = json.loads(capsys.readouterr().out)
        weak = next(report for report in document["reports"] if report["file"].endswith("weak.txt"))
        return by_id(weak)["court-rate"]

    batch = ("batch", "reports", "-q", "--format", "json", "--jobs", "1", *RULES)
    assert main([*batch]) == EXIT_OK and weak_court()["waiver"] is None
    first = len(scored)
    assert main([*batch, "--waivers", waivers(project)]) == EXIT_OK and weak_court()["waiver"]["reason"] == REASON
    assert main([*batch]) == EXIT_OK and weak_court()["waiver"] is None
    assert len(scored) == first  # both later runs were answered from the cache


def test_a_waiver_that_excused_nothing_is_noted_unless_quiet(project: Path, capsys) -> None:
    text = COURT + entry("shortcomings-section", issuer="不存在的单位")
    code, _, err = run(capsys, "batch", "reports", "--format", "json", "--waivers", waivers(project, text))
    assert code == EXIT_OK
    assert "豁免 waivers.yaml:7（规则 shortcomings-section）没有用于任何报告" in err
    assert "waivers.yaml:2" not in err
    _, _, err = run(capsys, "batch", "reports", "--format", "json", "-q", "--waivers", waivers(project, text))
    assert err == ""


def test_the_example_in_the_docs_is_a_valid_waivers_file(national, tmp_path: Path) -> None:
    (example,) = fenced_blocks(section(dsl_text(), "Waivers (豁免)"), "yaml")
    (tmp_path / "waivers.yaml").write_text(example, encoding="utf-8")
    loaded = load_waivers(str(tmp_path / "waivers.yaml"), national, today=date(2026, 1, 1))
    assert [item.spec.rule for item in loaded.entries] == ["court-appearance-rate", "normative-documents"]
