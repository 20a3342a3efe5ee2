"""fzcheck precheck: the gate's semantics, the exit codes, the text and compact output, and the
pre-commit hook manifest.

The reports are the fixture reports (tests/fixtures/reports/) audited with the fixture rule set
(tests/fixtures/rulesets/plumbing.yaml), so the tests do not move when a national rule does.
Most expected verdicts are derived from the rule set's blocking flags and each report's audited
statuses, so the tests pin the gate's rules; a few pin the fixture set's exact numbers, so that a
gate that computes the wrong thing consistently still fails them.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from checker.cli import build_parser, main
from checker.gate import GatePolicy, judge
from checker.models import AuditResult, Status
from checker.pipeline import audit_path
from checker.ruleset import RuleSet
from checker.scoring import total_score
from conftest import PLUMBING_RULES, PLUMBING_VERDICTS, REPO, REPORT_FIXTURES

# Paths as typed from the repository folder (the tests run there), as a user would give them.
FIXTURES = REPORT_FIXTURES.relative_to(REPO).as_posix()
STRONG = f"{FIXTURES}/strong.txt"
WEAK = f"{FIXTURES}/weak.txt"
NOT_A_REPORT = f"{FIXTURES}/not_a_report.txt"
PARTIALS_ONLY = f"{FIXTURES}/partials.txt"
MISSING = f"{FIXTURES}/missing.txt"
REPORT_FILES = (STRONG, WEAK, NOT_A_REPORT, PARTIALS_ONLY)
SHORT = frozenset({Status.PARTIAL, Status.FAIL})
COMPACT_LINE = re.compile(r"^.+:\d+: \[[a-z-]+\] ")
RULES = ("--rules", str(PLUMBING_RULES))


pytestmark = pytest.mark.usefixtures("in_repository")


@pytest.fixture(scope="module")
def audits(plumbing: RuleSet) -> dict[str, AuditResult]:
    return {path: audit_path(path, plumbing) for path in REPORT_FILES}


def fzcheck(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """`fzcheck precheck ARGS` with the fixture rule set (a --rules in ARGS comes later and wins)."""
    code = main(["precheck", *RULES, *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def blocking_shortfalls(result: AuditResult) -> tuple[str, ...]:
    return tuple(rule.id for rule in result.results if rule.blocking and rule.status in SHORT)


def with_statuses(result: AuditResult, changes: dict[str, Status]) -> AuditResult:
    """The same audit with some statuses changed and the score recomputed, for cases no fixture report has."""
    rules = [replace(rule, status=changes.get(rule.id, rule.status)) for rule in result.results]
    return replace(result, results=rules, score=total_score(rules))


# ---------------------------------------------------------------- the gate

@pytest.mark.parametrize("sample", REPORT_FILES, ids=["strong", "weak", "not-a-report", "partials-only"])
def test_default_gate_is_score_and_blocking_rules(audits, sample):
    result = audits[sample]
    verdict = judge(result, GatePolicy())
    assert verdict.passed == (result.score >= 60 and not blocking_shortfalls(result))
    assert verdict.failing == blocking_shortfalls(result)


@pytest.mark.parametrize("report", REPORT_FILES, ids=["strong", "weak", "not-a-report", "partials-only"])
def test_fixture_reports_get_the_statuses_they_are_written_for(audits, report):
    """What the other tests of this file and of test_junit_sarif.py rely on (tests/conftest.py)."""
    statuses = {rule.id: rule.status.value for rule in audits[report].results}
    expected = PLUMBING_VERDICTS[report.rsplit("/", 1)[1]]
    assert {rule_id: statuses[rule_id] for rule_id in expected} == expected


def test_fixture_reports_fall_where_they_are_written_to(audits):
    assert judge(audits[STRONG], GatePolicy()).passed
    assert judge(audits[PARTIALS_ONLY], GatePolicy()).passed
    weak = judge(audits[WEAK], GatePolicy())
    assert not weak.passed and audits[WEAK].score < 60
    assert weak.failing == blocking_shortfalls(audits[WEAK]) == ("shortcomings-section",)
    assert "document-type" in judge(audits[NOT_A_REPORT], GatePolicy()).failing


def test_failure_reasons_name_the_score_and_the_blocking_rules(audits):
    result = audits[WEAK]
    verdict = judge(result, GatePolicy())
    assert verdict.reasons == (f"得分 {result.score:.1f} 低于 60", "必备项未达标：" + "、".join(blocking_shortfalls(result)))
    assert verdict.summary == "FAIL: " + "；".join(verdict.reasons) == "FAIL: 得分 30.0 低于 60；必备项未达标：shortcomings-section"


def test_pass_reasons_say_what_held(audits):
    verdict = judge(audits[STRONG], GatePolicy())
    assert verdict.summary == f"PASS: 得分 {audits[STRONG].score:.1f} ≥ 60，必备项全部达标" == "PASS: 得分 100.0 ≥ 60，必备项全部达标"


@pytest.mark.parametrize("status, passed", [
    (Status.PARTIAL, False),          # half a required part is still missing
    (Status.FAIL, False),
    (Status.NOT_APPLICABLE, True),    # not applicable never fails the gate
], ids=["blocking-partial", "blocking-fail", "blocking-not-applicable"])
def test_blocking_rule_status(audits, status, passed):
    result = with_statuses(audits[STRONG], {"shortcomings-section": status})
    assert result.score >= 60
    assert judge(result, GatePolicy()).passed is passed


@pytest.mark.parametrize("status, fail_on, passed", [
    (Status.PARTIAL, None, True),
    (Status.PARTIAL, Status.PARTIAL, False),
    (Status.PARTIAL, Status.FAIL, True),
    (Status.FAIL, Status.FAIL, False),
    (Status.FAIL, Status.PARTIAL, False),
    (Status.NOT_APPLICABLE, Status.PARTIAL, True),
], ids=["partial-default", "partial-on-partial", "partial-on-fail", "fail-on-fail", "fail-on-partial",
        "not-applicable-on-partial"])
def test_fail_on(audits, status, fail_on, passed):
    result = with_statuses(audits[STRONG], {"court-rate": status})
    verdict = judge(result, GatePolicy(fail_on=fail_on))
    assert verdict.passed is passed
    assert ("court-rate" in verdict.failing) is not passed


def test_score_equal_to_threshold_passes(audits):
    result = audits[PARTIALS_ONLY]
    assert judge(result, GatePolicy(fail_under=result.score)).passed
    assert not judge(result, GatePolicy(fail_under=result.score + 0.1)).passed


# ---------------------------------------------------------------- fixes

@pytest.mark.parametrize("sample", [WEAK, NOT_A_REPORT, PARTIALS_ONLY], ids=["weak", "not-a-report", "partials-only"])
def test_fixes_are_ranked_by_the_points_they_recover(audits, sample):
    result = audits[sample]
    fixes = judge(result, GatePolicy()).fixes
    applicable = sum(rule.weight for rule in result.results if rule.status is not Status.NOT_APPLICABLE)
    assert [fix.rule.id for fix in fixes] == [rule.id for rule in sorted(
        (rule for rule in result.results if rule.status in SHORT),
        key=lambda rule: (-rule.weight * (1 - rule.status.credit), not rule.blocking))]
    for fix in fixes:
        share = 0.5 if fix.rule.status is Status.PARTIAL else 1.0
        assert fix.points == round(100 * fix.rule.weight * share / applicable, 1)
    assert [fix.points for fix in fixes] == sorted((fix.points for fix in fixes), reverse=True)
    # Fixing everything brings the report to 100.
    assert sum(fix.points for fix in fixes) == pytest.approx(100 - result.score, abs=0.05 * len(fixes) + 0.05)


def test_weak_fixes_in_order(audits):
    """Weights 5 (blocking) and 5 failed, 4 half done, 2 failed, of 20: a tie goes to the blocking
    rule, then to rule order."""
    fixes = judge(audits[WEAK], GatePolicy()).fixes
    assert [(fix.rule.id, fix.points) for fix in fixes] == [
        ("shortcomings-section", 25.0), ("court-rate", 25.0), ("popularization-duty", 10.0), ("on-time", 10.0)]


def test_fix_points_leave_out_rules_that_do_not_apply(audits):
    base = with_statuses(audits[STRONG], {"court-rate": Status.FAIL})
    narrowed = with_statuses(base, {"reconsideration": Status.NOT_APPLICABLE})
    weight = next(rule.weight for rule in base.results if rule.id == "court-rate")
    total = sum(rule.weight for rule in base.results)
    left_out = next(rule.weight for rule in base.results if rule.id == "reconsideration")
    assert judge(base, GatePolicy()).fixes[0].points == round(100 * weight / total, 1) == 25.0
    assert judge(narrowed, GatePolicy()).fixes[0].points == round(100 * weight / (total - left_out), 1) == 29.4


def test_strong_report_has_nothing_to_fix(audits):
    assert judge(audits[STRONG], GatePolicy()).fixes == ()


# ---------------------------------------------------------------- exit codes

@pytest.mark.parametrize("files, code", [
    ([STRONG], 0),
    ([WEAK], 1),
    ([NOT_A_REPORT], 1),
    ([STRONG, WEAK], 1),
    ([PARTIALS_ONLY], 0),
    ([MISSING], 3),
    ([WEAK, MISSING], 3),     # unreadable wins over failed
    ([STRONG, MISSING], 3),
], ids=["strong", "weak", "not-a-report", "one-of-two-fails", "partials-only", "missing", "missing-and-failed",
        "missing-and-passed"])
def test_exit_codes(capsys, files, code):
    assert fzcheck(capsys, *files)[0] == code


def test_unsupported_file_type_is_unreadable(capsys, tmp_path):
    image = tmp_path / "scan.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    code, out, err = fzcheck(capsys, str(image), STRONG)
    assert code == 3
    assert "scan.png" in err
    assert out.splitlines()[-1] == "FAIL: 共 2 份报告，1 份无法读取"


def test_broken_rule_file_is_a_usage_error(capsys, tmp_path):
    rules = tmp_path / "broken.yaml"
    rules.write_text("id: broken\nversion: '1'\ntitle: t\nrules: [\n", encoding="utf-8")
    assert fzcheck(capsys, STRONG, "--rules", str(rules))[0] == 2


@pytest.mark.parametrize("args", [[], [STRONG, "--fail-under", "120"], [STRONG, "--fail-under", "abc"],
                                  [STRONG, "--fail-on", "warning"]],
                         ids=["no-files", "threshold-too-high", "threshold-not-a-number", "unknown-fail-on"])
def test_bad_arguments_exit_2(capsys, args):
    with pytest.raises(SystemExit) as exit_:
        main(["precheck", *args])
    assert exit_.value.code == 2


def test_output_may_not_overwrite_an_input(capsys, tmp_path):
    draft = tmp_path / "draft.txt"
    shutil.copy(REPO / STRONG, draft)
    before = draft.read_bytes()
    assert fzcheck(capsys, str(draft), "--format", "json", "--output", str(draft))[0] == 2
    assert draft.read_bytes() == before


# ---------------------------------------------------------------- thresholds from the command line

def test_fail_under_both_ways(capsys, audits):
    score = audits[PARTIALS_ONLY].score
    assert score == 75.0
    assert fzcheck(capsys, PARTIALS_ONLY, "--fail-under", f"{score:g}")[0] == 0
    assert fzcheck(capsys, PARTIALS_ONLY, "--fail-under", f"{score + 0.5:g}")[0] == 1
    # Lowering the bar does not let a report through without its required parts.
    assert fzcheck(capsys, WEAK, "--fail-under", "0")[0] == 1


def test_fail_on_from_the_command_line(capsys, audits):
    statuses = {rule.status for rule in audits[PARTIALS_ONLY].results}
    assert Status.PARTIAL in statuses and Status.FAIL not in statuses  # what this test relies on
    assert fzcheck(capsys, PARTIALS_ONLY)[0] == 0
    assert fzcheck(capsys, PARTIALS_ONLY, "--fail-on", "fail")[0] == 0
    code, out, _ = fzcheck(capsys, PARTIALS_ONLY, "--fail-on", "partial")
    assert code == 1
    assert out.splitlines()[-1].startswith("FAIL: 有未达标或部分达标项（--fail-on partial）：")


# ---------------------------------------------------------------- text and compact output

@pytest.mark.parametrize("sample, word", [(STRONG, "PASS"), (WEAK, "FAIL")], ids=["strong", "weak"])
@pytest.mark.parametrize("form", [[], ["--compact"]], ids=["table", "compact"])
def test_last_line_is_the_verdict(capsys, audits, sample, word, form):
    code, out, _ = fzcheck(capsys, sample, *form)
    assert code == (0 if word == "PASS" else 1)
    assert out.splitlines()[-1] == judge(audits[sample], GatePolicy()).summary
    assert out.splitlines()[-1].startswith(f"{word}: ")


def test_several_files_give_one_verdict_each_then_the_overall_one(capsys):
    _, out, _ = fzcheck(capsys, STRONG, WEAK, "--compact")
    verdicts = [line for line in out.splitlines() if re.match(r"^(PASS|FAIL): ", line)]
    assert verdicts[0].startswith(f"PASS: {STRONG}：")
    assert verdicts[1].startswith(f"FAIL: {WEAK}：")
    assert verdicts[2:] == ["FAIL: 共 2 份报告，1 份未通过"] == out.splitlines()[-1:]


def test_compact_lists_each_shortfall_as_file_line_rule(capsys, audits):
    _, out, _ = fzcheck(capsys, WEAK, "--compact")
    findings = [line for line in out.splitlines() if COMPACT_LINE.match(line)]
    expected = [(rule.id, rule.evidence[0].line if rule.evidence else 1)
                for rule in audits[WEAK].results if rule.status in SHORT]
    assert [(re.search(r"\[(.+?)\]", line)[1], int(line.split(":")[1])) for line in findings] == expected
    assert all(line.startswith(f"{WEAK}:") for line in findings)


def test_compact_output_is_quiet_for_a_passing_report(capsys):
    _, out, _ = fzcheck(capsys, STRONG, "--compact")
    assert len(out.splitlines()) == 1


def test_fixes_are_printed_in_rank_order_with_points(capsys, audits):
    _, out, _ = fzcheck(capsys, WEAK)
    printed = re.findall(r"^  \+([\d.]+) 分  \[([a-z-]+)\]", out, flags=re.MULTILINE)
    fixes = judge(audits[WEAK], GatePolicy()).fixes
    assert fixes and printed == [(f"{fix.points:g}", fix.rule.id) for fix in fixes]


def test_compact_is_the_findings_then_the_verdict(capsys, audits):
    _, out, _ = fzcheck(capsys, WEAK, "--compact")
    *findings, verdict = out.splitlines()
    assert findings and all(re.match(r"^\S+:\d+: \[[a-z-]+\] ", line) for line in findings)
    assert verdict.startswith("FAIL") and "修改建议" not in out


def test_table_output_shows_the_audit_table(capsys):
    _, out, _ = fzcheck(capsys, WEAK)
    assert "总分" in out and "修改建议" in out


def test_text_output_to_a_file(capsys, tmp_path):
    target = tmp_path / "precheck.txt"
    code, out, _ = fzcheck(capsys, WEAK, "--compact", "--output", str(target))
    assert code == 1 and out == ""
    assert target.read_text(encoding="utf-8").splitlines()[-1].startswith("FAIL: ")


def test_last_format_option_wins(capsys):
    """So a user's `--format json` overrides the hook's default `--compact`."""
    _, out, _ = fzcheck(capsys, STRONG, "--compact", "--format", "json")
    assert json.loads(out)["passed"] is True


# ---------------------------------------------------------------- JSON

def test_json_carries_reports_verdicts_and_errors(capsys, audits):
    code, out, _ = fzcheck(capsys, STRONG, WEAK, MISSING, "--format", "json")
    data = json.loads(out)
    assert code == 3
    assert [report["file"] for report in data["reports"]] == [STRONG, WEAK]
    assert [(item["file"], item["passed"]) for item in data["verdicts"]] == [(STRONG, True), (WEAK, False)]
    assert data["verdicts"][1]["reasons"] == list(judge(audits[WEAK], GatePolicy()).reasons)
    assert [error["file"] for error in data["errors"]] == [MISSING]
    assert all(error.keys() == {"file", "error"} for error in data["errors"])  # batch's error shape
    assert data["passed"] is False


# ---------------------------------------------------------------- pre-commit hook manifest

MANIFEST = REPO / ".pre-commit-hooks.yaml"


def test_pre_commit_manifest_shape():
    hooks = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(hooks, list) and hooks
    for hook in hooks:
        for key in ("id", "name", "entry", "language"):
            assert isinstance(hook[key], str) and hook[key], key
        assert isinstance(hook.get("args", []), list)
    hook = next(hook for hook in hooks if hook["id"] == "fzcheck-precheck")
    assert hook["language"] == "python"
    files = re.compile(hook["files"])
    assert all(files.search(name) for name in ("草稿/2024年报告.txt", "report.docx", "report.md"))
    assert not files.search("report.pdf")


def test_pre_commit_hook_arguments_parse():
    hook = next(hook for hook in yaml.safe_load(MANIFEST.read_text(encoding="utf-8")) if hook["id"] == "fzcheck-precheck")
    program, *entry = hook["entry"].split()
    assert program == "fzcheck"
    args = build_parser().parse_args([*entry, *hook.get("args", []), "draft.txt"])
    assert args.command == "precheck" and args.files == ["draft.txt"]


def test_pre_commit_validates_the_manifest():
    """Only where pre-commit is installed; it is not a dependency of fzcheck."""
    pre_commit = shutil.which("pre-commit", path=str(Path(sys.executable).parent)) or shutil.which("pre-commit")
    if pre_commit is None:
        pytest.skip("pre-commit is not installed")
    completed = subprocess.run([pre_commit, "validate-manifest", str(MANIFEST)], capture_output=True, text=True, timeout=60)
    assert completed.returncode == 0, completed.stdout + completed.stderr
