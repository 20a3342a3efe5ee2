"""fzcheck rules explain: the verdict it explains is the audit's, for every rule on every sample and
on reports made up from their lines; what it says of each part of a condition (held or not, the
spans and values found) is what the report holds; bad input is one line and exit code 2 or 3.

The command runs in this process (checker.cli.main), as most tests of tests/test_cli.py do.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
from pathlib import Path

import pytest
from conftest import PARTIALS, PLUMBING_RULES, PLUMBING_VERDICTS, REPORT_FIXTURES, WEAK, document_from
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.cli import main
from checker.condition.compiler import compile_condition
from checker.condition.functions import SCOPE_NAMES, Context
from checker.condition.parser import parse_condition
from checker.engine import evaluate_rule
from checker.explain import SCOPE_LABELS, condition_text, explain_rule
from checker.ruleset import bundled_ruleset_path, load_ruleset

REPO = Path(__file__).resolve().parents[1]
SAMPLES = sorted((REPO / "samples").glob("*.txt"))
FIXTURE_REPORTS = sorted(REPORT_FIXTURES.glob("*.txt"))
RULE_SETS = {"national": bundled_ruleset_path(), "plumbing": PLUMBING_RULES}


def fzcheck(*argv: str) -> tuple[int, str, str]:
    """`fzcheck ARGV` in this process, from the repository root."""
    stdout, stderr = io.StringIO(), io.StringIO()
    before = Path.cwd()
    os.chdir(REPO)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            try:
                code = main(list(argv))
            except SystemExit as stop:  # argparse's usage errors
                code = stop.code
    finally:
        os.chdir(before)
    return code, stdout.getvalue(), stderr.getvalue()


def explained(rule_id: str, report: Path | str, *options: str) -> dict:
    code, out, err = fzcheck("rules", "explain", rule_id, str(report), "--format", "json", *options)
    assert code == 0, err
    return json.loads(out)


# ---------------------------------------------------------------- the verdict is the audit's

@pytest.mark.parametrize("report", [*SAMPLES, *FIXTURE_REPORTS], ids=lambda path: path.name)
@pytest.mark.parametrize("rule_set", RULE_SETS, ids=str)
def test_explained_verdict_is_the_audits_for_every_rule(rule_set: str, report: Path) -> None:
    options = ("--rules", str(RULE_SETS[rule_set]))
    code, out, err = fzcheck("audit", str(report), "--format", "json", *options)
    assert code == 0, err
    audited = {item["id"]: item["status"] for item in json.loads(out)["results"]}
    assert audited
    explanations = {rule_id: explained(rule_id, report, *options) for rule_id in audited}
    assert {rule_id: data["status"] for rule_id, data in explanations.items()} == audited
    for data in explanations.values():  # the decisive field is the one the status names, and it holds
        decisive = [item for item in data["conditions"] if item["holds"] and item["counted"]]
        if data["status"] == "fail":
            assert decisive == []
        else:
            assert [item["field"] for item in decisive] == [data["status"]]
            assert f"{data['status']} 成立" in data["why"]


def _lines() -> list[str]:
    """Every line of the samples and the fixture reports: the stuff of made-up reports."""
    lines = []
    for path in [*SAMPLES, *FIXTURE_REPORTS]:
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


LINES = _lines()
NATIONAL = load_ruleset()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(LINES), min_size=1, max_size=25))
def test_explained_verdict_is_the_audits_on_made_up_reports(lines: list[str]) -> None:
    document = document_from("\n".join(lines))
    hits = NATIONAL.scan(document.text)
    for rule in NATIONAL.rules:
        explanation = explain_rule(rule, document, hits)
        assert explanation.status is evaluate_rule(rule, document, hits).status, rule.spec.id
        for item in explanation.fields:  # each traced field holds exactly when the audit's closure does
            context = Context(document, hits, document.scopes["all"], rule.params)
            assert item.holds is bool(rule.conditions[item.field].evaluate(context)), (rule.spec.id, item.field)


# ---------------------------------------------------------------- what it says

def test_a_rate_below_the_threshold_is_named_with_its_line_and_statement() -> None:
    data = explained("court-rate", REPORT_FIXTURES / WEAK, "--rules", str(PLUMBING_RULES))
    assert data["status"] == PLUMBING_VERDICTS[WEAK]["court-rate"] == "fail"
    passing, partial = data["conditions"]
    assert (passing["field"], passing["holds"], partial["field"], partial["holds"]) == ("pass", False, "partial", False)
    comparison = passing["tree"]
    assert (comparison["form"], comparison["result"]) == ("compare", "false")
    rate, threshold = comparison["children"]
    assert (rate["expression"], rate["value"]) == ('rate("出庭应诉率")', 90)
    assert [(quote["line"], quote["statement"]) for quote in rate["evidence"]] == [(9, "heading")]
    assert "出庭应诉率为90%" in rate["evidence"][0]["text"]
    assert (threshold["expression"], threshold["value"]) == ("$threshold", 100)
    assert data["why"].startswith('pass 不成立：rate("出庭应诉率") >= $threshold 为假——rate("出庭应诉率") = 90%（第 9 行）')
    assert "partial 不成立" in data["why"]


def test_a_comparison_with_no_value_is_unknown_and_the_partial_that_holds_is_quoted() -> None:
    data = explained("court-rate", REPORT_FIXTURES / PARTIALS, "--rules", str(PLUMBING_RULES))
    assert data["status"] == PLUMBING_VERDICTS[PARTIALS]["court-rate"] == "partial"
    passing, partial = data["conditions"]
    assert passing["tree"]["result"] == "unknown"
    assert passing["tree"]["children"][0]["value"] is None
    has, not_known = partial["tree"]["children"]
    assert (has["expression"], has["result"]) == ('has("出庭应诉")', "true")
    line = has["evidence"][0]["line"]
    assert f'partial 成立：has("出庭应诉") 在第 {line} 行' in data["why"]
    assert (not_known["form"], not_known["result"]) == ("not", "true")


def test_fields_after_the_deciding_one_are_shown_but_not_counted() -> None:
    data = explained("on-time", REPORT_FIXTURES / PARTIALS, "--rules", str(PLUMBING_RULES))
    assert data["status"] == "not_applicable"
    assert [(item["field"], item["holds"], item["counted"]) for item in data["conditions"]] == [
        ("not_applicable", True, True), ("pass", False, False)]
    assert data["why"].startswith("not_applicable 成立：") and "pass" not in data["why"]


def test_every_operand_of_and_and_or_is_evaluated() -> None:
    # The audit stops at has("出庭应诉"), false; the explanation says of the operand after it too.
    plumbing = load_ruleset(PLUMBING_RULES)
    document = document_from("全年办结案件12件。")
    explanation = explain_rule(plumbing.rule("court-rate"), document, plumbing.scan(document.text))
    partial = next(item for item in explanation.fields if item.field == "partial").condition
    assert partial.form == "all_of" and partial.result == "false"
    assert [(child.text, child.result) for child in partial.children] == [
        ('has("出庭应诉")', "false"), ('not known(rate("出庭应诉率"))', "true")]
    assert explanation.why == ('pass 不成立：rate("出庭应诉率") >= $threshold 为假——rate("出庭应诉率") 未知（报告中没有）；'
                               'partial 不成立：has("出庭应诉") 为假——未找到')


def test_a_within_names_its_scope_in_the_reason() -> None:
    data = explained("court-appearance-rate", REPO / "samples" / "baihu_district_2024_weak.txt")
    passing = next(item for item in data["conditions"] if item["field"] == "pass")["tree"]
    assert passing["form"] == "all_of"
    within_work = passing["children"][0]
    assert (within_work["form"], within_work["scope"], within_work["result"]) == ("within", "work", "false")
    assert "为假——工作部分中 rate(@court_rate) = 95%（第 12 行）" in data["why"]


def test_the_table_is_a_tree_with_statement_kinds(monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    code, out, err = fzcheck("rules", "explain", "court-rate", str(REPORT_FIXTURES / WEAK), "--rules", str(PLUMBING_RULES))
    assert (code, err) == (0, "")
    assert "结论：未达标" in out and "原因：pass 不成立" in out
    assert "达标条件 pass：不成立" in out and "部分达标条件 partial：不成立" in out
    assert "└── ✗ rate(\"出庭应诉率\") >= $threshold" in out
    assert "第9行〔标题〕：" in out  # labels.quote, as every output quotes evidence
    assert "= 90%" in out


def test_json_is_one_document_on_stdout() -> None:
    code, out, err = fzcheck("rules", "explain", "document-type", str(REPORT_FIXTURES / WEAK), "--format", "json",
                             "--rules", str(PLUMBING_RULES))
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["rule"]["id"], data["file"], data["label"]) == ("document-type", str(REPORT_FIXTURES / WEAK), "达标")


def test_every_scope_has_a_short_label() -> None:
    assert set(SCOPE_LABELS) == set(SCOPE_NAMES)


# ---------------------------------------------------------------- conditions written back

def _conditions() -> list[tuple[str, str]]:
    found = []
    for name, path in RULE_SETS.items():
        for rule in load_ruleset(path).rules:
            for field, condition in rule.conditions.items():
                found.append((f"{name}:{rule.spec.id}:{field}", condition.tree))
    return found


@pytest.mark.parametrize(("name", "tree"), _conditions(), ids=[name for name, _ in _conditions()])
def test_every_rule_condition_is_written_back_as_it_parses(name: str, tree) -> None:
    assert parse_condition(condition_text(tree)) == tree


@pytest.mark.parametrize(("condition", "written"), [
    ('has("a") or (has("b") or has("c"))', 'has("a") or (has("b") or has("c"))'),
    ('(has("a") or has("b")) and has("c")', '(has("a") or has("b")) and has("c")'),
    ("not (known(year) and year > 2019)", "not (known(year) and year > 2019)"),
    ("not not year > 2019", "not not year > 2019"),
    ("year - (1 - 2) >= 2020", "year - (1 - 2) >= 2020"),
    ("rate('出庭\"率') >= 98.5%", "rate('出庭\"率') >= 98.5%"),
    ("published <= date(year + 1, 3, 31)", "published <= date(year + 1, 3, 31)"),
    ('has(["审核", "审查"], @plan_words)', 'has(["审核", "审查"], @plan_words)'),
])
def test_conditions_are_written_with_the_parentheses_they_need(condition: str, written: str) -> None:
    tree = parse_condition(condition)
    assert condition_text(tree) == written
    assert parse_condition(written) == tree


def test_tracing_is_not_the_audits_evaluation() -> None:
    # The audit's closure records no trace: each trace compiles its own.
    compiled = compile_condition(parse_condition('has("出庭应诉") and rate("出庭应诉率") >= 100'), {}, {})
    document = document_from("负责人出庭应诉率为90%。")
    context = Context(document, {"出庭应诉": [5], "出庭应诉率": [5]}, document.scopes["all"], {})
    first, second = compiled.trace(context), compiled.trace(context)
    assert first is not second and first.value is second.value is False
    assert [child.value for child in first.children] == [True, False]


# ---------------------------------------------------------------- bad input

def test_an_unknown_rule_is_one_line_with_the_nearest_id() -> None:
    code, out, err = fzcheck("rules", "explain", "court-rat", str(REPORT_FIXTURES / WEAK), "--rules", str(PLUMBING_RULES))
    assert (code, out) == (2, "")
    assert err.strip().splitlines() == ["fzcheck: 错误：规则集 plumbing 中没有规则 court-rat（是否要用 court-rate？）"]


def test_rules_show_names_the_nearest_id_too() -> None:
    code, out, err = fzcheck("rules", "show", "on-tim", "--rules", str(PLUMBING_RULES))
    assert (code, out) == (2, "")
    assert "是否要用 on-time" in err


@pytest.mark.parametrize(("report", "code", "message"), [
    ("missing.txt", 3, "文件不存在"),
    ("tests/fixtures/reports", 2, "是文件夹"),
])
def test_a_report_that_cannot_be_explained_is_one_line(report: str, code: int, message: str) -> None:
    returned, out, err = fzcheck("rules", "explain", "court-rate", report, "--rules", str(PLUMBING_RULES))
    assert (returned, out) == (code, "")
    assert len(err.strip().splitlines()) == 1 and message in err and "Traceback" not in err
