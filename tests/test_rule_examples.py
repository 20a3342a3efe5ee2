"""Every example of every rule, run through the whole checker: one test id per example
(`court-appearance-rate-pass-1`), so `pytest -k court-appearance-rate` runs one rule's cases.

The examples live in the rule files, beside the conditions they illustrate; this file only runs
them. A report is built from the example's text with its year / published / kind / title given
as if by the user, then audited with the whole rule set.
"""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from checker.document import Overrides, build_document
from checker.engine import audit
from checker.models import Example, Status
from checker.readers import Source
from checker.rule_examples import example_name, numbered
from checker.ruleset import RuleSet, bundled_ruleset_path, load_ruleset

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rulesets"

# Examples that show a bug in a rule (not in this file), each with what is wrong.
KNOWN_BAD_EXAMPLES: dict[str, str] = {
    # "rule-id-status-n": "file, rule, why the example and the condition disagree",
}


def example_cases(ruleset_path: Path, *, prefix: str = "", only_own_rules: bool = False):
    ruleset = load_ruleset(ruleset_path)
    for rule in ruleset.rules:
        if only_own_rules and not _defined_in(rule.spec.id, ruleset_path):
            continue
        for number, status, example in numbered(rule.spec.examples):
            case_id = prefix + example_name(rule.spec.id, status, number)
            marks = [pytest.mark.xfail(strict=True, reason=KNOWN_BAD_EXAMPLES[case_id])] if case_id in KNOWN_BAD_EXAMPLES else []
            yield pytest.param(ruleset_path, rule.spec.id, status, example, id=case_id, marks=marks)


def _defined_in(rule_id: str, path: Path) -> bool:
    return f"id: {rule_id}\n" in path.read_text(encoding="utf-8")


_loaded: dict[Path, RuleSet] = {}


def ruleset_at(path: Path) -> RuleSet:
    if path not in _loaded:
        _loaded[path] = load_ruleset(path)
    return _loaded[path]


def status_for(ruleset: RuleSet, rule_id: str, example: Example) -> Status:
    source = Source(path="example.txt", text=example.text, format="txt")
    overrides = Overrides(year=example.year, published=example.published, kind=example.kind, title=example.title)
    result = audit(build_document(source, overrides), ruleset)
    return next(item.status for item in result.results if item.id == rule_id)


@pytest.mark.parametrize(("ruleset_path", "rule_id", "expected", "example"), [
    *example_cases(bundled_ruleset_path()),
    # The fixtures' own rules, with their file's stem in the id.
    *example_cases(FIXTURES / "good_minimal.yaml", prefix="good_minimal-"),
    *example_cases(FIXTURES / "local_example.yaml", prefix="local_example-", only_own_rules=True),
])
def test_rule_example(ruleset_path: Path, rule_id: str, expected: Status, example: Example) -> None:
    assert status_for(ruleset_at(ruleset_path), rule_id, example) is expected


def test_known_bad_examples_still_exist() -> None:
    ids = {param.id for param in example_cases(bundled_ruleset_path())}
    assert set(KNOWN_BAD_EXAMPLES) <= ids


# ---------------------------------------------------------------- fzcheck rules test (issue 11)

def rules_test(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "checker", "rules", "test", str(path)],
                          capture_output=True, text=True, timeout=120, cwd=REPO)


@pytest.mark.parametrize(("document", "start"), [("README.md", "id: sichuan\n"),
                                               ("docs/local-rules.md", "# yaml-language-server")])
def test_the_documented_local_rule_sets_pass_rules_test_and_say_what_they_skipped(tmp_path: Path, document: str,
                                                                                  start: str) -> None:
    text = (REPO / document).read_text(encoding="utf-8")
    block = re.search(rf"```yaml\n({re.escape(start)}.*?)```", text, re.DOTALL)
    assert block, f"{document} shows a local rule set"
    path = tmp_path / "local.yaml"
    path.write_text(block.group(1), encoding="utf-8")
    done = rules_test(path)
    assert done.returncode == 0, done.stdout + done.stderr
    # The threshold went from 100 to 95: the inherited examples of that rule are not run, and the
    # output says so and why; the local rule's own examples are.
    assert re.search(r"跳过 court-appearance-rate 的 \d+ 个示例：.*threshold 100 → 95", done.stdout)
    assert re.search(r"\d+ passed, 0 failed, \d+ skipped", done.stdout)


def test_rules_test_names_a_wrong_example_as_pytest_and_the_docs_do(tmp_path: Path) -> None:
    path = tmp_path / "local.yaml"
    path.write_text("""id: local
version: "1"
title: 地方
rules:
  - id: local-rule
    title: 规则
    group: 地方
    basis: 依据
    weight: 1
    not_applicable: has("无诉讼")
    pass: has("立法后评估")
    messages: {}
    hint: 补充
    examples:
      pass: [开展立法后评估2件。]
      not_applicable: [开展执法检查。]
""", encoding="utf-8")
    done = rules_test(path)
    assert done.returncode == 1
    assert "local-rule-not-applicable-1" in done.stdout and "1 passed, 1 failed" in done.stdout
