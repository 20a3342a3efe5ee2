"""The command line: exit codes, exactly one JSON document on stdout, the table, the rules commands,
standard input, and every sample report against the verdicts docs/samples.md states for it.

A few tests start a fresh process as a user does (`python -m checker …`, the console script,
standard input); the rest call `checker.cli.main` in this process, which is what those run, to
keep the suite fast.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest

from checker.cli import main

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
RULESETS = Path(__file__).resolve().parent / "fixtures" / "rulesets"

P, H, F = "pass", "partial", "fail"

# ---------------------------------------------------------------- docs/samples.md, as data
# The verdicts README states for each sample ("Expected verdict per item", P / ½ / F) and the
# report facts of its first table. Ids and statuses only: the messages are the rule file's.

ALL_PASS = dict.fromkeys([
    "part-measures", "part-shortcomings", "part-shortcoming-causes", "part-first-responsibility", "part-next-year",
    "disclosure-deadline", "year-consistency", "document-type", "court-appearance-rate",
    "enforcement-three-systems", "major-decision-procedures", "normative-documents", "legal-advisers",
    "administrative-reconsideration", "law-popularization", "leaders-study-law", "government-transparency",
    "dispute-resolution", "rule-of-law-inspection", "xi-rule-of-law-thought", "quantified-results",
], P)

SAMPLE_VERDICTS: dict[str, dict[str, str]] = {
    "yunxi_county_2024.txt": ALL_PASS,
    "linchuan_market_bureau_2023.txt": ALL_PASS | {
        "court-appearance-rate": H,       # 局负责人带头出庭应诉, no rate anywhere
        "major-decision-procedures": H,   # only 合法性审查 and 集体讨论; no 法定程序
        "normative-documents": H,         # 备案 only
        "law-popularization": H,          # 法治宣传 only
    },
    "baihu_district_2024_weak.txt": {
        "part-measures": P,
        "part-shortcomings": F,
        "part-shortcoming-causes": F,
        "part-first-responsibility": F,
        "part-next-year": H,              # only the closing 下一步，我区将继续…
        "disclosure-deadline": F,         # 2025-04-18
        "year-consistency": P,
        "document-type": P,
        "court-appearance-rate": F,       # 出庭应诉率为95%
        "enforcement-three-systems": F,
        "major-decision-procedures": F,
        "normative-documents": H,
        "legal-advisers": F,
        "administrative-reconsideration": P,
        "law-popularization": H,
        "leaders-study-law": F,
        "government-transparency": P,
        "dispute-resolution": P,
        "rule-of-law-inspection": F,
        "xi-rule-of-law-thought": P,
        "quantified-results": H,          # exactly three: 23件, 95%, 40场
    },
    # Only document-type: "Its other item results mean nothing, so tests should not assert them."
    "yunxi_county_government_work_report_2025.txt": {"document-type": F},
}

SAMPLE_REPORTS = {
    "yunxi_county_2024.txt": {"title": "云溪县人民政府2024年法治政府建设情况报告", "kind": "government",
                              "year": 2024, "published": "2025-03-10"},
    "linchuan_market_bureau_2023.txt": {"title": "清河市临川区市场监督管理局2023年度法治政府建设工作报告",
                                        "kind": "department", "year": 2023, "published": "2024-02-20"},
    "baihu_district_2024_weak.txt": {"title": "白鹭湾区2024年法治政府建设年度报告", "kind": "government",
                                     "year": 2024, "published": "2025-04-18"},
    # The year covered is left out: README gives it as "reviews 2024, plans 2025".
    "yunxi_county_government_work_report_2025.txt": {"title": "2025年云溪县人民政府工作报告", "kind": "government",
                                                     "published": "2025-01-20"},
}

SAMPLE_TOTALS = {
    "yunxi_county_2024.txt": {"score": 100.0, "grade": "优秀"},   # "expected 100, 优秀"
}
SAMPLE_PARTIAL_COUNTS = {"linchuan_market_bureau_2023.txt": 4}   # "four deliberate partials"


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def _inside(folder: Path):
    before = Path.cwd()  # contextlib.chdir is Python 3.11+; fzcheck supports 3.10
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def run_main(*argv: str) -> Run:
    """`fzcheck ARGV` in this process, from the repository root (the `cli` fixture widens the terminal)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with _inside(REPO), contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        try:
            code = main(list(argv))
        except SystemExit as exit_:  # argparse's usage errors
            code = exit_.code
    return Run(code, stdout.getvalue(), stderr.getvalue())


@pytest.fixture
def cli(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    return run_main


_json_runs: dict[str, dict] = {}


@pytest.fixture(scope="session")
def audit_json():
    """The JSON audit of a sample, run once per sample for the whole session."""

    def run(name: str) -> dict:
        if name not in _json_runs:
            result = run_main("audit", f"samples/{name}", "--format", "json")
            assert result.returncode == 0, result.stderr
            _json_runs[name] = json.loads(result.stdout)
        return _json_runs[name]
    return run


# ---------------------------------------------------------------- audit --format json

def test_json_is_exactly_one_object_on_stdout(fzcheck) -> None:
    # A fresh `python -m checker` process: nothing else (progress, warnings) may reach stdout.
    process = fzcheck("audit", "samples/yunxi_county_2024.txt", "--format", "json")
    assert process.returncode == 0
    data, end = json.JSONDecoder().raw_decode(process.stdout)
    assert isinstance(data, dict)
    assert process.stdout[end:].strip() == "", "nothing may follow the JSON document on stdout"
    assert process.stdout.lstrip().startswith("{")
    assert json.loads(process.stdout) == data


def test_json_keys(audit_json) -> None:
    data = audit_json("linchuan_market_bureau_2023.txt")
    assert {"file", "ruleset", "report", "score", "grade", "counts", "results"} <= data.keys()
    assert {"id", "version"} <= data["ruleset"].keys()
    assert {"title", "issuer", "kind", "year", "published"} <= data["report"].keys()
    assert {"pass", "partial", "fail", "not_applicable"} == data["counts"].keys()
    assert sum(data["counts"].values()) == len(data["results"])
    for result in data["results"]:
        assert {"id", "title", "status", "weight", "score", "basis", "message", "hint", "evidence"} <= result.keys()
        assert result["status"] in ("pass", "partial", "fail", "not_applicable")
        for evidence in result["evidence"]:
            assert {"line", "text", "section"} <= evidence.keys()
    assert data["file"] == "samples/linchuan_market_bureau_2023.txt"
    assert data["ruleset"]["id"] == "national"


def test_json_matches_the_shipped_schema(audit_json) -> None:
    schema_path = REPO / "checker" / "schemas" / "report.schema.json"
    if not schema_path.is_file():
        pytest.skip("no JSON Schema shipped yet (checker/schemas/report.schema.json)")
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(audit_json("baihu_district_2024_weak.txt"), json.loads(schema_path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("name", sorted(SAMPLE_VERDICTS))
def test_evidence_quotes_the_line_it_names(audit_json, name: str) -> None:
    lines = (SAMPLES / name).read_text(encoding="utf-8").split("\n")
    for result in audit_json(name)["results"]:
        for evidence in result["evidence"]:
            quoted = evidence["text"].strip("…")[:12]
            line = unicodedata.normalize("NFKC", lines[evidence["line"] - 1])
            assert quoted in line, (result["id"], evidence)


# ---------------------------------------------------------------- audit, table

def test_table_has_score_and_grade(cli) -> None:
    process = cli("audit", "samples/baihu_district_2024_weak.txt")
    assert process.returncode == 0
    assert "总分" in process.stdout and "等级" in process.stdout
    assert "court-appearance-rate" in process.stdout
    assert process.stderr == ""


def test_not_a_report_is_flagged_above_the_table(cli, national) -> None:
    process = cli("audit", "samples/yunxi_county_government_work_report_2025.txt")
    assert process.returncode == 0
    warning = national.rule("document-type").spec.messages.fail
    assert warning in process.stdout
    assert process.stdout.index(warning) < process.stdout.index("检查项") < process.stdout.index("总分")


def test_a_report_is_not_flagged(cli, national) -> None:
    process = cli("audit", "samples/yunxi_county_2024.txt")
    assert national.rule("document-type").spec.messages.fail not in process.stdout


# ---------------------------------------------------------------- exit codes and errors

def test_missing_file_exits_3(cli) -> None:
    process = cli("audit", "samples/no_such_report.txt", "--format", "json")
    assert process.returncode == 3
    assert process.stdout == ""
    assert "no_such_report.txt" in process.stderr
    assert "Traceback" not in process.stderr


def test_unsupported_file_type_exits_3(cli, tmp_path: Path) -> None:
    picture = tmp_path / "scan.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    process = cli("audit", str(picture))
    assert process.returncode == 3
    assert process.stdout == ""
    assert ".png" in process.stderr
    assert "Traceback" not in process.stderr


def test_bad_rules_file_exits_2_with_its_position(cli) -> None:
    rules = RULESETS / "bad_unknown_key.yaml"
    process = cli("audit", "samples/yunxi_county_2024.txt", "--rules", str(rules), "--format", "json")
    assert process.returncode == 2
    assert process.stdout == ""
    assert f"{rules}:11:5:" in process.stderr
    assert "wieght" in process.stderr
    assert "Traceback" not in process.stderr


def test_condition_error_shows_the_caret(cli) -> None:
    process = cli("rules", "validate", str(RULESETS / "bad_condition_block.yaml"))
    assert process.returncode == 2
    assert re.search(r"bad_condition_block\.yaml:14:\d+:", process.stderr)
    assert process.stderr.rstrip().endswith("^")
    assert "Traceback" not in process.stderr


def test_usage_error_exits_2(cli) -> None:
    process = cli("audit", "samples/yunxi_county_2024.txt", "--format", "yaml")
    assert process.returncode == 2


# ---------------------------------------------------------------- entry points and input

def test_console_script_reports_a_bad_rule_file_without_a_traceback() -> None:
    script = Path(sys.executable).parent / "fzcheck"
    if not script.exists():
        found = shutil.which("fzcheck")
        if found is None:
            pytest.skip("the fzcheck console script is not installed")
        script = Path(found)
    rules = RULESETS / "bad_unknown_key.yaml"
    process = subprocess.run([str(script), "rules", "validate", str(rules)],
                             capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert process.returncode == 2
    assert f"{rules}:11:5:" in process.stderr
    assert "Traceback" not in process.stderr


def test_standard_input(fzcheck, audit_json) -> None:
    name = "baihu_district_2024_weak.txt"
    process = fzcheck("audit", "-", "--format", "json", stdin=(SAMPLES / name).read_text(encoding="utf-8"))
    assert process.returncode == 0, process.stderr
    data = json.loads(process.stdout)
    assert data["file"] == "-"
    from_file = audit_json(name)
    assert {r["id"]: r["status"] for r in data["results"]} == {r["id"]: r["status"] for r in from_file["results"]}
    assert data["score"] == from_file["score"]


def test_user_overrides_on_the_command_line(cli) -> None:
    process = cli("audit", "samples/baihu_district_2024_weak.txt", "--format", "json",
                      "--published", "2025-03-01", "--year", "2024", "--kind", "department")
    data = json.loads(process.stdout)
    assert (data["report"]["published"], data["report"]["published_source"]) == ("2025-03-01", "user")
    assert (data["report"]["kind"], data["report"]["kind_source"]) == ("department", "user")
    assert {r["id"]: r["status"] for r in data["results"]}["disclosure-deadline"] == "pass"


def test_output_file(cli, tmp_path: Path) -> None:
    target = tmp_path / "out" / "result.json"
    process = cli("audit", "samples/yunxi_county_2024.txt", "--format", "json", "--output", str(target))
    assert process.returncode == 0
    assert process.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["score"] == 100.0


# ---------------------------------------------------------------- rules list / show / validate

def test_rules_list_lists_every_id(cli, national) -> None:
    process = cli("rules", "list")
    assert process.returncode == 0
    for rule in national.rules:
        assert rule.spec.id in process.stdout


def test_rules_list_keeps_ids_whole_in_a_narrow_terminal(national, capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["rules", "list"]) == 0
    listing = capsys.readouterr().out
    assert [rule.spec.id for rule in national.rules if rule.spec.id not in listing] == []


def test_rules_show_court_appearance_rate(cli, national) -> None:
    process = cli("rules", "show", "court-appearance-rate")
    assert process.returncode == 0
    spec = national.rule("court-appearance-rate").spec
    output = process.stdout
    assert spec.basis in output
    assert spec.title in output
    assert "threshold" in output
    for _, example in spec.examples.by_status():
        assert example.text.strip().split("\n")[0] in output


@pytest.mark.parametrize("rule_id", [rule for rule in ALL_PASS])
def test_rules_show_prints_every_condition_verbatim(national, capsys, monkeypatch, rule_id: str) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    assert main(["rules", "show", rule_id]) == 0
    output = capsys.readouterr().out
    spec = national.rule(rule_id).spec
    for condition in (spec.not_applicable, spec.pass_, spec.partial):
        for line in (condition or "").strip().split("\n"):
            assert line.strip() in output


def test_rules_show_prints_a_list_condition_verbatim(capsys, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    assert main(["rules", "show", "legal-advisers", "--rules", str(RULESETS / "good_minimal.yaml")]) == 0
    assert 'has([@advisers, "法律服务"])' in capsys.readouterr().out


def test_rules_show_unknown_id_exits_2(cli) -> None:
    process = cli("rules", "show", "court-appearance")
    assert process.returncode == 2
    assert "court-appearance" in process.stderr


@pytest.mark.parametrize(("path", "code"), [
    pytest.param("rules/national.yaml", 0, id="national"),
    pytest.param("tests/fixtures/rulesets/local_example.yaml", 0, id="local-example"),
    pytest.param("tests/fixtures/rulesets/bad_duplicate_id.yaml", 2, id="duplicate-id"),
])
def test_rules_validate(cli, path: str, code: int) -> None:
    process = cli("rules", "validate", path)
    assert process.returncode == code, process.stderr
    assert "Traceback" not in process.stderr
    if code:
        assert re.search(rf"{re.escape(path)}:\d+:\d+: ", process.stderr)


# ---------------------------------------------------------------- the samples, end to end

def test_every_sample_has_its_verdicts() -> None:
    assert {path.name for path in SAMPLES.glob("*.txt")} == set(SAMPLE_VERDICTS)


@pytest.mark.parametrize(("name", "rule_id", "expected"), [
    pytest.param(name, rule_id, status, id=f"{Path(name).stem}-{rule_id}")
    for name, verdicts in SAMPLE_VERDICTS.items() for rule_id, status in verdicts.items()
])
def test_sample_verdict(audit_json, name: str, rule_id: str, expected: str) -> None:
    statuses = {result["id"]: result["status"] for result in audit_json(name)["results"]}
    assert statuses[rule_id] == expected


@pytest.mark.parametrize("name", sorted(SAMPLE_REPORTS))
def test_sample_report_facts(audit_json, name: str) -> None:
    report = audit_json(name)["report"]
    for key, value in SAMPLE_REPORTS[name].items():
        assert report[key] == value, key


@pytest.mark.parametrize("name", sorted(SAMPLE_TOTALS))
def test_sample_totals(audit_json, name: str) -> None:
    data = audit_json(name)
    assert {"score": data["score"], "grade": data["grade"]} == SAMPLE_TOTALS[name]


@pytest.mark.parametrize("name", sorted(SAMPLE_PARTIAL_COUNTS))
def test_sample_partial_counts(audit_json, name: str) -> None:
    assert audit_json(name)["counts"]["partial"] == SAMPLE_PARTIAL_COUNTS[name]
