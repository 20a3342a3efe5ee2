"""The command line: exit codes, exactly one JSON document on stdout, the table, the rules commands,
standard input, and every sample report against the verdicts docs/samples.md states for it.

What the command line does with a rule set's results is tested with the fixture rule set and the
fixture reports (tests/conftest.py), so a change to a national rule does not move those tests.
The national set is used where it is the subject: the default rule set, `rules show` on its
conditions, and the samples' documented verdicts at the end of this file.

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
from conftest import PLUMBING_RULES, PLUMBING_SCORES, PLUMBING_VERDICTS, REPORT_FIXTURES, STRONG

from checker import __version__
from checker.cli import main
from checker.ruleset import RuleSetError, load_ruleset
from checker.scoring import grade

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
RULESETS = Path(__file__).resolve().parent / "fixtures" / "rulesets"
FIXTURES = REPORT_FIXTURES.relative_to(REPO).as_posix()  # the reports, as typed from the repository folder
RULES = ("--rules", str(PLUMBING_RULES))

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

# What docs/samples.md says of the totals; the verdicts above already imply them, so they are
# checked against those tables rather than against a second run of the checker.
SAMPLE_ALL_PASS = {"yunxi_county_2024.txt"}                      # "every item passes (expected 100, 优秀)"
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


_json_runs: dict[tuple[str, ...], dict] = {}


def _audit_json(path: str, *options: str) -> dict:
    """The JSON audit of a report, run once per report and rule set for the whole session."""
    key = (path, *options)
    if key not in _json_runs:
        result = run_main("audit", path, "--format", "json", *options)
        assert result.returncode == 0, result.stderr
        _json_runs[key] = json.loads(result.stdout)
    return _json_runs[key]


@pytest.fixture(scope="session")
def audit_json():
    """The JSON audit of a sample with the bundled (national) rule set."""
    return lambda name: _audit_json(f"samples/{name}")


@pytest.fixture(scope="session")
def plumbing_json():
    """The JSON audit of a fixture report with the fixture rule set."""
    return lambda name: _audit_json(f"{FIXTURES}/{name}", *RULES)


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


def test_json_keys(plumbing_json) -> None:
    data = plumbing_json("partials.txt")
    assert {"file", "ruleset", "report", "score", "grade", "counts", "results"} <= data.keys()
    assert {"id", "version"} <= data["ruleset"].keys()
    assert {"title", "issuer", "kind", "year", "published"} <= data["report"].keys()
    assert {"pass", "partial", "fail", "not_applicable", "waived"} == data["counts"].keys()
    assert sum(data["counts"].values()) == len(data["results"])
    for result in data["results"]:
        assert {"id", "title", "status", "weight", "score", "basis", "message", "hint", "evidence"} <= result.keys()
        assert result["status"] in ("pass", "partial", "fail", "not_applicable")
        for evidence in result["evidence"]:
            assert {"line", "text", "section"} <= evidence.keys()
    assert data["file"] == f"{FIXTURES}/partials.txt"
    assert data["ruleset"] == {"id": "plumbing", "version": "1.0", "sha256": load_ruleset(PLUMBING_RULES).digest}
    assert data["counts"] == {"pass": 3, "partial": 2, "fail": 0, "not_applicable": 1, "waived": 0}
    assert (data["score"], data["grade"]) == (PLUMBING_SCORES["partials.txt"], "合格")
    assert [(r["id"], r["status"], r["weight"], r["score"]) for r in data["results"]] == [
        ("shortcomings-section", "pass", 5.0, 5.0), ("reconsideration", "pass", 3.0, 3.0),
        ("popularization-duty", "partial", 4.0, 2.0), ("court-rate", "partial", 5.0, 2.5),
        ("on-time", "not_applicable", 2.0, 0.0), ("document-type", "pass", 1.0, 1.0)]


def test_the_bundled_rule_set_is_the_default(audit_json, national) -> None:
    """Without --rules a sample is scored with every national rule, whatever those rules say."""
    data = audit_json("yunxi_county_2024.txt")
    assert data["ruleset"] == {"id": "national", "version": national.version, "sha256": national.digest}
    assert len(national.digest) == 64 and data["fzcheck"] == __version__
    assert [result["id"] for result in data["results"]] == [rule.spec.id for rule in national.rules]
    assert 0 <= data["score"] <= 100 and data["grade"] == grade(data["score"])


def test_json_matches_the_shipped_schema(plumbing_json) -> None:
    schema_path = REPO / "checker" / "schemas" / "report.schema.json"
    if not schema_path.is_file():
        pytest.skip("no JSON Schema shipped yet (checker/schemas/report.schema.json)")
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(plumbing_json("weak.txt"), json.loads(schema_path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("name", ["partials.txt", "strong.txt", "weak.txt"])  # the work report has none
def test_evidence_quotes_the_line_it_names(plumbing_json, name: str) -> None:
    lines = (REPORT_FIXTURES / name).read_text(encoding="utf-8").split("\n")
    results = plumbing_json(name)["results"]
    assert any(result["evidence"] for result in results)
    for result in results:
        for evidence in result["evidence"]:
            quoted = evidence["text"].strip("…")[:12]
            line = unicodedata.normalize("NFKC", lines[evidence["line"] - 1])
            assert quoted in line, (result["id"], evidence)


@pytest.mark.parametrize("name", sorted(SAMPLE_VERDICTS))
def test_evidence_quotes_the_line_it_names_in_the_samples(audit_json, name: str) -> None:
    """The same with the national rules, whose evidence comes from every part of a long report."""
    lines = (SAMPLES / name).read_text(encoding="utf-8").split("\n")
    for result in audit_json(name)["results"]:
        for evidence in result["evidence"]:
            quoted = evidence["text"].strip("…")[:12]
            line = unicodedata.normalize("NFKC", lines[evidence["line"] - 1])
            assert quoted in line, (result["id"], evidence)


# ---------------------------------------------------------------- audit, table

def test_table_has_score_and_grade(cli, plumbing) -> None:
    process = cli("audit", f"{FIXTURES}/weak.txt", *RULES)
    assert process.returncode == 0
    assert "总分" in process.stdout and "等级" in process.stdout
    for rule in plumbing.rules:
        assert rule.spec.id in process.stdout
    assert "总分 30 / 100" in process.stdout and "等级 不合格" in process.stdout
    assert "达标 2  部分达标 1  未达标 3  不适用 0" in process.stdout
    assert process.stderr == ""


def test_not_a_report_is_flagged_above_the_table(cli, plumbing) -> None:
    process = cli("audit", f"{FIXTURES}/not_a_report.txt", *RULES)
    assert process.returncode == 0
    warning = plumbing.rule("document-type").spec.messages.fail
    assert warning in process.stdout
    assert process.stdout.index(warning) < process.stdout.index("检查项") < process.stdout.index("总分")


def test_a_report_is_not_flagged(cli, plumbing) -> None:
    process = cli("audit", f"{FIXTURES}/strong.txt", *RULES)
    assert process.returncode == 0
    assert plumbing.rule("document-type").spec.messages.fail not in process.stdout


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
    process = cli("audit", f"{FIXTURES}/strong.txt", "--rules", str(rules), "--format", "json")
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
    process = cli("audit", f"{FIXTURES}/strong.txt", "--format", "yaml", *RULES)
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


def test_standard_input(fzcheck, plumbing_json) -> None:
    name = "weak.txt"
    process = fzcheck("audit", "-", "--format", "json", *RULES, stdin=(REPORT_FIXTURES / name).read_text(encoding="utf-8"))
    assert process.returncode == 0, process.stderr
    data = json.loads(process.stdout)
    assert data["file"] == "-"
    from_file = plumbing_json(name)
    assert {r["id"]: r["status"] for r in data["results"]} == PLUMBING_VERDICTS[name]
    assert {r["id"]: r["status"] for r in data["results"]} == {r["id"]: r["status"] for r in from_file["results"]}
    assert data["score"] == from_file["score"]


def test_user_overrides_on_the_command_line(cli) -> None:
    # The weak report says it was published on 2025-04-20, too late for on-time.
    process = cli("audit", f"{FIXTURES}/weak.txt", "--format", "json", *RULES,
                  "--published", "2025-03-01", "--year", "2024", "--kind", "department")
    data = json.loads(process.stdout)
    assert (data["report"]["published"], data["report"]["published_source"]) == ("2025-03-01", "user")
    assert (data["report"]["kind"], data["report"]["kind_source"]) == ("department", "user")
    assert (data["report"]["year"], data["report"]["year_source"]) == (2024, "user")
    assert {r["id"]: r["status"] for r in data["results"]}["on-time"] == "pass"
    assert data["score"] == 40.0  # 30 and on-time's 2 of 20 points


def test_output_file(cli, tmp_path: Path) -> None:
    target = tmp_path / "out" / "result.json"
    process = cli("audit", f"{FIXTURES}/strong.txt", "--format", "json", "--output", str(target), *RULES)
    assert process.returncode == 0
    assert process.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["score"] == PLUMBING_SCORES["strong.txt"] == 100.0


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


def test_rules_list_with_another_rule_set(cli, plumbing) -> None:
    process = cli("rules", "list", *RULES)
    assert process.returncode == 0
    assert plumbing.title in process.stdout
    for rule in plumbing.rules:
        assert rule.spec.id in process.stdout


def test_rules_show_a_rule_with_a_parameter(cli, plumbing) -> None:
    process = cli("rules", "show", "court-rate", *RULES)
    assert process.returncode == 0
    spec = plumbing.rule("court-rate").spec
    output = process.stdout
    assert spec.basis in output
    assert spec.title in output
    assert "threshold" in output and "100" in output
    for _, example in spec.examples.by_status():
        assert example.text.strip().split("\n")[0] in output


def _national_ids() -> list[str]:
    """The bundled rule set's ids, as the rule file has them now (none if it does not load:
    test_rules_validate[national] says why)."""
    try:
        return [rule.spec.id for rule in load_ruleset().rules]
    except RuleSetError:
        return []


@pytest.mark.parametrize("rule_id", _national_ids())
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
    process = cli("rules", "show", "court", *RULES)  # the start of court-rate is not an id
    assert process.returncode == 2
    assert "court" in process.stderr and "plumbing" in process.stderr
    assert process.stdout == "" and "Traceback" not in process.stderr


@pytest.mark.parametrize(("path", "code"), [
    pytest.param("rules/national.yaml", 0, id="national"),
    pytest.param("tests/fixtures/rulesets/local_example.yaml", 0, id="local-example"),
    pytest.param("tests/fixtures/rulesets/plumbing.yaml", 0, id="plumbing"),
    pytest.param("tests/fixtures/rulesets/bad_duplicate_id.yaml", 2, id="duplicate-id"),
])
def test_rules_validate(cli, path: str, code: int) -> None:
    process = cli("rules", "validate", path)
    assert process.returncode == code, process.stderr
    assert "Traceback" not in process.stderr
    if code:
        assert re.search(rf"{re.escape(path)}:\d+:\d+: ", process.stderr)


def test_rules_test_runs_the_examples_of_the_fixture_set(cli, plumbing) -> None:
    """Those examples are what the plumbing tests take the fixture rules to do."""
    process = cli("rules", "test", *RULES)
    examples = sum(len(rule.spec.examples.by_status()) for rule in plumbing.rules)
    assert (process.returncode, process.stdout.strip().splitlines()[-1]) == (0, f"{examples} passed, 0 failed")


# ---------------------------------------------------------------- the samples, end to end
# The national rule set on the samples, as docs/samples.md documents it: these tests are about the
# national rules, and a change to a rule that changes a documented verdict fails here (and only
# for that rule and sample), until docs/samples.md and SAMPLE_VERDICTS say what the rule now does.

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


@pytest.mark.parametrize("name", sorted(SAMPLE_VERDICTS))
def test_sample_totals(audit_json, name: str) -> None:
    """Each sample is scored at all, and its score, grade and counts are those of its results."""
    data = audit_json(name)
    applicable = [r for r in data["results"] if r["status"] != "not_applicable"]
    credit = {"pass": 1.0, "partial": 0.5, "fail": 0.0}
    expected = round(100 * sum(r["weight"] * credit[r["status"]] for r in applicable) / sum(r["weight"] for r in applicable), 1)
    assert 0 <= data["score"] == expected <= 100
    assert data["grade"] == grade(data["score"])
    statuses = [r["status"] for r in data["results"]]
    assert data["counts"] == {**{status: statuses.count(status) for status in ("pass", "partial", "fail", "not_applicable")},
                              "waived": 0}


def test_documented_totals_follow_from_the_documented_verdicts() -> None:
    """docs/samples.md's "expected 100" follows from every item passing; test_sample_verdict checks each."""
    for name in SAMPLE_ALL_PASS:
        assert set(SAMPLE_VERDICTS[name].values()) == {P}


@pytest.mark.parametrize("name", sorted(SAMPLE_PARTIAL_COUNTS))
def test_sample_partial_counts(name: str) -> None:
    """docs/samples.md's "four deliberate partials", in the verdict table test_sample_verdict checks."""
    assert list(SAMPLE_VERDICTS[name].values()).count(H) == SAMPLE_PARTIAL_COUNTS[name]
    assert set(SAMPLE_VERDICTS[name]) == set(ALL_PASS)  # every rule has its documented verdict


# ---------------------------------------------------------------- reading limits

@pytest.mark.parametrize("command", ["audit", "precheck"])
def test_a_file_past_a_reading_limit_is_unreadable_and_the_limit_can_be_raised(fzcheck, command: str) -> None:
    report = str(REPORT_FIXTURES / STRONG)
    refused = fzcheck(command, report, *RULES, "--max-text", "100")
    assert refused.returncode == 3
    assert "上限" in refused.stderr + refused.stdout
    assert fzcheck(command, report, *RULES, "--max-text", "1000000").returncode == 0


def test_a_limit_must_be_positive(fzcheck) -> None:
    process = fzcheck("batch", "samples", "--max-pages", "0")
    assert process.returncode == 2 and "应为正数" in process.stderr
