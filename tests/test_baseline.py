"""--baseline on audit and batch: loading earlier output, matching reports, deltas and changes."""
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
from test_batch import BAIHU, SAMPLES, YUNXI
from test_exports import schema_validator

COURT = "court-appearance-rate"
WORSE = [("出庭应诉率100%", "出庭应诉率92%")]  # yunxi: court appearance pass -> fail, 100 -> 94

pytestmark = pytest.mark.usefixtures("wide_terminal")


@pytest.fixture()
def ruleset(national):
    return national


def copy_sample(folder: Path, name: str, sample: str, replacements=()) -> Path:
    text = (SAMPLES / sample).read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def audit_json_file(report: Path, destination: Path) -> Path:
    assert main(["audit", "--format", "json", "--output", str(destination), str(report)]) == EXIT_OK
    return destination


def baseline_report(file: str, issuer: str | None = "云溪县人民政府", kind: str | None = "government",
                    year: int | None = 2024) -> BaselineReport:
    return BaselineReport(file, issuer, kind, year, 80.0, {COURT: Status.PASS})


# ---------------------------------------------------------------- matching

def test_matching_prefers_path_then_name_then_issuer_and_kind(ruleset) -> None:
    result = score_file(str(SAMPLES / YUNXI), ruleset)
    same_path = baseline_report(result.file, issuer="别处")
    same_name = baseline_report(f"old/{YUNXI}", issuer="别处")
    older = baseline_report("y2022.txt", year=2022)
    latest = baseline_report("y2023.txt", year=2023)
    other_kind = baseline_report("dept.txt", kind="department", year=2030)
    assert Baseline([older, same_name, same_path]).match(result) is same_path
    assert Baseline([older, same_name]).match(result) is same_name
    assert Baseline([older, latest, other_kind]).match(result) is latest
    assert Baseline([other_kind]).match(result) is None


def test_a_name_shared_by_two_baseline_reports_falls_back_to_the_issuer(ruleset) -> None:
    result = score_file(str(SAMPLES / YUNXI), ruleset)
    twins = [baseline_report(f"a/{YUNXI}", issuer="甲"), baseline_report(f"b/{YUNXI}", issuer="乙")]
    by_issuer = baseline_report("c.txt")
    assert Baseline([*twins, by_issuer]).match(result) is by_issuer


def test_compare_gives_delta_and_changed_items_only(ruleset, tmp_path: Path) -> None:
    before = score_file(str(SAMPLES / YUNXI), ruleset)
    after = score_file(str(copy_sample(tmp_path, YUNXI, YUNXI, WORSE)), ruleset)
    earlier = BaselineReport(before.file, None, None, None, before.score,
                             {item.id: item.status for item in before.results if item.id != "part-measures"})
    comparison = Baseline([earlier]).compare(after)
    assert comparison is not None
    assert (comparison.score, comparison.delta) == (100.0, -6.0)
    assert {change.id: (change.before, change.after) for change in comparison.changes} == {
        COURT: (Status.PASS, Status.FAIL),
        "part-measures": (None, Status.PASS),  # a rule the baseline did not have
    }


@pytest.mark.parametrize(("before", "after", "direction"), [
    (Status.FAIL, Status.PASS, 1), (Status.PASS, Status.PARTIAL, -1), (Status.PASS, Status.NOT_APPLICABLE, 0),
    (None, Status.FAIL, 0),
])
def test_change_direction(before, after, direction) -> None:
    assert Change("x", before, after).direction == direction


# ---------------------------------------------------------------- loading

def test_loads_audit_batch_and_jsonl_output(tmp_path: Path, capsys) -> None:
    audit = audit_json_file(SAMPLES / YUNXI, tmp_path / "audit.json")
    assert [report.file for report in load_baseline(str(audit)).reports] == [str(SAMPLES / YUNXI)]
    for format in ("json", "jsonl"):
        target = tmp_path / f"batch.{format}"
        main(["batch", "-q", "--format", format, "--output", str(target), str(SAMPLES / YUNXI),
              str(SAMPLES / BAIHU), str(tmp_path / "missing.txt")])
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
    code, out, err = run(capsys, command, "--baseline", str(tmp_path / "nope.json"), str(SAMPLES / YUNXI))
    assert code == EXIT_USAGE and out == ""
    assert "无法读取基线文件" in err and len(err.strip().splitlines()) == 1


# ---------------------------------------------------------------- in the outputs

def test_audit_table_shows_the_score_change_and_the_moved_item(tmp_path: Path, capsys) -> None:
    baseline = audit_json_file(copy_sample(tmp_path / "old", "report.txt", YUNXI), tmp_path / "b.json")
    current = copy_sample(tmp_path / "new", "report.txt", YUNXI, WORSE)
    code, out, _ = run(capsys, "audit", "--baseline", str(baseline), str(current))
    assert code == EXIT_OK
    assert "较基线 -6 分" in out
    assert "↓ 达标→未达标" in out and COURT in out


def test_audit_json_carries_the_baseline_key(tmp_path: Path, capsys) -> None:
    baseline = audit_json_file(copy_sample(tmp_path / "old", "report.txt", YUNXI, WORSE), tmp_path / "b.json")
    code, out, _ = run(capsys, "audit", "--format", "json", "--baseline", str(baseline), str(SAMPLES / YUNXI))
    document = json.loads(out)
    schema_validator("report").validate(document)
    assert document["baseline"] == {"file": str(tmp_path / "old" / "report.txt"), "score": 94.0, "delta": 6.0,
                                    "changes": [{"id": COURT, "from": "fail", "to": "pass"}]}


def test_audit_without_a_match_says_so(tmp_path: Path, capsys) -> None:
    baseline = audit_json_file(SAMPLES / BAIHU, tmp_path / "b.json")
    code, out, _ = run(capsys, "audit", "--baseline", str(baseline), str(SAMPLES / YUNXI))
    assert code == EXIT_OK and "基线中没有与本报告对应的记录" in out


@pytest.fixture()
def two_runs(tmp_path: Path) -> tuple[Path, Path]:
    """Last year's folder and this year's: one report got worse, one is new."""
    old, new = tmp_path / "2024", tmp_path / "2025"
    copy_sample(old, "yunxi.txt", YUNXI)
    copy_sample(old, "baihu.txt", BAIHU)
    copy_sample(new, "yunxi.txt", YUNXI, WORSE)
    shutil.copy(SAMPLES / BAIHU, new / "baihu_renamed.txt")
    copy_sample(new, "linchuan.txt", "linchuan_market_bureau_2023.txt")
    baseline = tmp_path / "baseline.json"
    main(["batch", "-q", "--format", "json", "--output", str(baseline), str(old)])
    return baseline, new


def test_batch_json_matches_by_name_and_by_issuer(two_runs, capsys) -> None:
    baseline, new = two_runs
    code, out, _ = run(capsys, "batch", "-q", "--format", "json", "--baseline", str(baseline), str(new))
    assert code == EXIT_OK
    document = json.loads(out)
    schema_validator("batch").validate(document)
    changes = {Path(report["file"]).name: report.get("baseline") for report in document["reports"]}
    assert changes["yunxi.txt"]["delta"] == -6.0
    assert changes["baihu_renamed.txt"]["file"].endswith("baihu.txt")  # matched by issuer and kind
    assert changes["baihu_renamed.txt"]["changes"] == []
    assert changes["linchuan.txt"] is None
    assert document["summary"]["baseline"] == {"compared": 2, "mean_delta": -3.0}


def test_batch_table_has_a_change_column(two_runs, capsys) -> None:
    baseline, new = two_runs
    code, out, _ = run(capsys, "batch", "-q", "--baseline", str(baseline), str(new))
    assert code == EXIT_OK
    assert "变化" in out and "-6 分" in out and "±0 分" in out and "无基线" in out
    assert f"↓ 达标→未达标 {COURT}" in out
    assert "与基线比对 2 份，平均 -3 分" in out


def test_batch_csv_and_html_show_the_change(two_runs, capsysbinary) -> None:
    baseline, new = two_runs
    main(["batch", "-q", "--format", "csv", "--baseline", str(baseline), str(new)])
    rows = list(csv.DictReader(io.StringIO(capsysbinary.readouterr().out.decode("utf-8-sig"), newline="")))
    court = next(row for row in rows if row["file"].endswith("yunxi.txt") and row["rule_id"] == COURT)
    assert (court["baseline_score"], court["score_delta"], court["baseline_status"], court["change"]) == (
        "100.0", "-6.0", "pass", "↓ 达标→未达标")
    assert {row["score_delta"] for row in rows if row["file"].endswith("linchuan.txt")} == {""}
    main(["batch", "-q", "--format", "html", "--baseline", str(baseline), str(new)])
    html = capsysbinary.readouterr().out.decode("utf-8")
    assert "较基线" in html and "较基线 -6 分" in html and "↓ 达标→未达标" in html
