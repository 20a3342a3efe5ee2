"""--baseline on audit and batch: loading earlier output, matching reports, deltas and changes.

Reports are the fixture reports scored with the fixture rule set (tests/conftest.py), so the
deltas are the fixture set's: court-rate weighs 5 of 20, and failing it costs 25 points."""
from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from checker.baseline import Baseline, BaselineError, BaselineReport, Change, load_baseline
from checker.batch import score_file
from checker.cli import main
from checker.commands import EXIT_OK, EXIT_USAGE
from checker.models import Status
from conftest import PARTIALS, PLUMBING_RULES, REPORT_FIXTURES, STRONG, WEAK, write_report
from test_exports import schema_validator

COURT = "court-rate"
WORSE = [("出庭应诉率100%", "出庭应诉率92%")]  # strong: court-rate pass -> fail, 100 -> 75
RULES = ("--rules", str(PLUMBING_RULES))

pytestmark = pytest.mark.usefixtures("wide_terminal")


@pytest.fixture()
def ruleset(plumbing):
    return plumbing


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """`fzcheck ARGV` with the fixture rule set."""
    code = main([*argv, *RULES])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def audit_json_file(report: Path, destination: Path) -> Path:
    assert main(["audit", "--format", "json", "--output", str(destination), str(report), *RULES]) == EXIT_OK
    return destination


def baseline_report(file: str, issuer: str | None = "青禾县人民政府", kind: str | None = "government",
                    year: int | None = 2024) -> BaselineReport:
    return BaselineReport(file, issuer, kind, year, 80.0, {COURT: Status.PASS})


# ---------------------------------------------------------------- matching

def test_matching_prefers_path_then_name_then_issuer_and_kind(ruleset) -> None:
    result = score_file(str(REPORT_FIXTURES / STRONG), ruleset)
    assert (result.report.issuer, result.report.kind, result.report.year) == ("青禾县人民政府", "government", 2024)
    same_path = baseline_report(result.file, issuer="别处")
    same_name = baseline_report(f"old/{STRONG}", issuer="别处")
    older = baseline_report("y2022.txt", year=2022)
    latest = baseline_report("y2023.txt", year=2023)
    other_kind = baseline_report("dept.txt", kind="department", year=2030)
    assert Baseline([older, same_name, same_path]).match(result) is same_path
    assert Baseline([older, same_name]).match(result) is same_name
    assert Baseline([older, latest, other_kind]).match(result) is latest
    assert Baseline([other_kind]).match(result) is None


def test_a_name_shared_by_two_baseline_reports_falls_back_to_the_issuer(ruleset) -> None:
    result = score_file(str(REPORT_FIXTURES / STRONG), ruleset)
    twins = [baseline_report(f"a/{STRONG}", issuer="甲"), baseline_report(f"b/{STRONG}", issuer="乙")]
    by_issuer = baseline_report("c.txt")
    assert Baseline([*twins, by_issuer]).match(result) is by_issuer


def test_compare_gives_delta_and_changed_items_only(ruleset, tmp_path: Path) -> None:
    before = score_file(str(REPORT_FIXTURES / STRONG), ruleset)
    after = score_file(str(write_report(tmp_path / STRONG, STRONG, WORSE)), ruleset)
    earlier = BaselineReport(before.file, None, None, None, before.score,
                             {item.id: item.status for item in before.results if item.id != "shortcomings-section"})
    comparison = Baseline([earlier]).compare(after)
    assert comparison is not None
    assert (comparison.score, comparison.delta) == (100.0, -25.0)
    assert {change.id: (change.before, change.after) for change in comparison.changes} == {
        COURT: (Status.PASS, Status.FAIL),
        "shortcomings-section": (None, Status.PASS),  # a rule the baseline did not have
    }


@pytest.mark.parametrize(("before", "after", "direction"), [
    (Status.FAIL, Status.PASS, 1), (Status.PASS, Status.PARTIAL, -1), (Status.PASS, Status.NOT_APPLICABLE, 0),
    (None, Status.FAIL, 0),
])
def test_change_direction(before, after, direction) -> None:
    assert Change("x", before, after).direction == direction


# ---------------------------------------------------------------- loading

def test_loads_audit_batch_and_jsonl_output(tmp_path: Path, capsys) -> None:
    audit = audit_json_file(REPORT_FIXTURES / STRONG, tmp_path / "audit.json")
    assert [report.file for report in load_baseline(str(audit)).reports] == [str(REPORT_FIXTURES / STRONG)]
    assert load_baseline(str(audit)).reports[0].score == 100.0
    for format in ("json", "jsonl"):
        target = tmp_path / f"batch.{format}"
        main(["batch", "-q", "--format", format, "--output", str(target), str(REPORT_FIXTURES / STRONG),
              str(REPORT_FIXTURES / WEAK), str(tmp_path / "missing.txt"), *RULES])
        capsys.readouterr()
        assert len(load_baseline(str(target)).reports) == 2


@pytest.mark.parametrize(("content", "message"), [
    (None, "无法读取基线文件"),
    ("", "基线文件为空"),
    ("{not json", "不是有效的 JSON"),
    ('{"hello": 1}', "不是 fzcheck 的 JSON 输出"),
    ('[{"file": "a", "report": {}, "score": 1, "results": [{"id": "x", "status": "great"}]}]', "不是 fzcheck 的 JSON"),
    ("42", "不是 fzcheck 的 JSON 输出"),
])
def test_a_bad_baseline_is_one_clean_line(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "baseline.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(BaselineError, match=message) as problem:
        load_baseline(str(path))
    assert "\n" not in str(problem.value)


@pytest.mark.parametrize("command", ["audit", "batch"])
def test_a_bad_baseline_is_a_usage_error_before_any_work(tmp_path: Path, command: str, capsys) -> None:
    code, out, err = run(capsys, command, "--baseline", str(tmp_path / "nope.json"), str(REPORT_FIXTURES / STRONG))
    assert code == EXIT_USAGE and out == ""
    assert "无法读取基线文件" in err and len(err.strip().splitlines()) == 1


# ---------------------------------------------------------------- in the outputs

def test_audit_table_shows_the_score_change_and_the_moved_item(tmp_path: Path, capsys) -> None:
    baseline = audit_json_file(write_report(tmp_path / "old" / "report.txt", STRONG), tmp_path / "b.json")
    current = write_report(tmp_path / "new" / "report.txt", STRONG, WORSE)
    code, out, _ = run(capsys, "audit", "--baseline", str(baseline), str(current))
    assert code == EXIT_OK
    assert "较基线 -25 分" in out
    assert "↓ 达标→未达标" in out and COURT in out


def test_audit_json_carries_the_baseline_key(tmp_path: Path, capsys) -> None:
    baseline = audit_json_file(write_report(tmp_path / "old" / "report.txt", STRONG, WORSE), tmp_path / "b.json")
    code, out, _ = run(capsys, "audit", "--format", "json", "--baseline", str(baseline), str(REPORT_FIXTURES / STRONG))
    document = json.loads(out)
    schema_validator("report").validate(document)
    assert document["baseline"] == {"file": str(tmp_path / "old" / "report.txt"), "score": 75.0, "delta": 25.0,
                                    "changes": [{"id": COURT, "from": "fail", "to": "pass"}]}


def test_audit_without_a_match_says_so(tmp_path: Path, capsys) -> None:
    baseline = audit_json_file(REPORT_FIXTURES / WEAK, tmp_path / "b.json")  # another issuer, another name
    code, out, _ = run(capsys, "audit", "--baseline", str(baseline), str(REPORT_FIXTURES / STRONG))
    assert code == EXIT_OK and "基线中没有与本报告对应的记录" in out


@pytest.fixture()
def two_runs(tmp_path: Path) -> tuple[Path, Path]:
    """Last year's folder and this year's: one report got worse, one is new."""
    old, new = tmp_path / "2024", tmp_path / "2025"
    write_report(old / "strong.txt", STRONG)
    write_report(old / "weak.txt", WEAK)
    write_report(new / "strong.txt", STRONG, WORSE)
    shutil.copy(REPORT_FIXTURES / WEAK, new / "weak_renamed.txt")
    write_report(new / "partials.txt", PARTIALS)  # a department: no report of its issuer and kind last year
    baseline = tmp_path / "baseline.json"
    main(["batch", "-q", "--format", "json", "--output", str(baseline), str(old), *RULES])
    return baseline, new


def test_batch_json_matches_by_name_and_by_issuer(two_runs, capsys) -> None:
    baseline, new = two_runs
    code, out, _ = run(capsys, "batch", "-q", "--format", "json", "--baseline", str(baseline), str(new))
    assert code == EXIT_OK
    document = json.loads(out)
    schema_validator("batch").validate(document)
    changes = {Path(report["file"]).name: report.get("baseline") for report in document["reports"]}
    assert changes["strong.txt"]["delta"] == -25.0
    assert changes["strong.txt"]["changes"] == [{"id": COURT, "from": "pass", "to": "fail"}]
    assert changes["weak_renamed.txt"]["file"].endswith("weak.txt")  # matched by issuer and kind
    assert changes["weak_renamed.txt"]["changes"] == []
    assert changes["partials.txt"] is None
    assert document["summary"]["baseline"] == {"compared": 2, "mean_delta": -12.5}


def test_batch_table_has_a_change_column(two_runs, capsys) -> None:
    baseline, new = two_runs
    code, out, _ = run(capsys, "batch", "-q", "--baseline", str(baseline), str(new))
    assert code == EXIT_OK
    assert "变化" in out and "-25 分" in out and "±0 分" in out and "无基线" in out
    assert f"↓ 达标→未达标 {COURT}" in out
    assert "与基线比对 2 份，平均 -12.5 分" in out


def test_batch_csv_and_html_show_the_change(two_runs, capsysbinary) -> None:
    baseline, new = two_runs
    main(["batch", "-q", "--format", "csv", "--baseline", str(baseline), str(new), *RULES])
    rows = list(csv.DictReader(io.StringIO(capsysbinary.readouterr().out.decode("utf-8-sig"), newline="")))
    court = next(row for row in rows if row["file"].endswith("strong.txt") and row["rule_id"] == COURT)
    assert (court["baseline_score"], court["score_delta"], court["baseline_status"], court["change"]) == (
        "100.0", "-25.0", "pass", "↓ 达标→未达标")
    assert {row["score_delta"] for row in rows if row["file"].endswith("partials.txt")} == {""}
    main(["batch", "-q", "--format", "html", "--baseline", str(baseline), str(new), *RULES])
    html = capsysbinary.readouterr().out.decode("utf-8")
    assert "较基线" in html and "较基线 -25 分" in html and "↓ 达标→未达标" in html
