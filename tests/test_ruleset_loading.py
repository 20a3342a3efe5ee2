"""Rule files: every mistake a rule author can make comes back as file:line:col (each bad file in
tests/fixtures/rulesets says why it exists), and the good ones load as they should."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from checker.models import Status
from checker.ruleset import RuleSetError, load_ruleset

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rulesets"
CATALOG = Path(__file__).resolve().parents[2] / "shared" / "spec" / "catalog.md"

# The catalog's ids, for a checkout without ../shared; the catalog itself wins when it is there.
CATALOG_IDS = [
    "part-measures", "part-shortcomings", "part-shortcoming-causes", "part-first-responsibility", "part-next-year",
    "disclosure-deadline", "year-consistency", "document-type",
    "court-appearance-rate", "enforcement-three-systems", "major-decision-procedures", "normative-documents",
    "legal-advisers", "administrative-reconsideration", "law-popularization", "leaders-study-law",
    "government-transparency", "dispute-resolution", "rule-of-law-inspection", "xi-rule-of-law-thought",
    "quantified-results",
]


def catalog_ids() -> list[str]:
    if not CATALOG.is_file():
        return CATALOG_IDS
    return re.findall(r"^\| `([a-z0-9-]+)` \|", CATALOG.read_text(encoding="utf-8"), flags=re.MULTILINE)


def load_error(name: str) -> RuleSetError:
    with pytest.raises(RuleSetError) as caught:
        load_ruleset(FIXTURES / name)
    return caught.value


# ---------------------------------------------------------------- bad files -> file:line:col

BAD_FILES = [
    # (fixture, line, column, what the message must name)
    pytest.param("bad_yaml_syntax.yaml", 5, 16, "YAML", id="yaml-syntax"),
    pytest.param("bad_unknown_key.yaml", 11, 5, "wieght", id="unknown-key"),
    pytest.param("bad_missing_field.yaml", 6, 5, "hint", id="missing-field"),
    pytest.param("bad_duplicate_id.yaml", 15, 9, "legal-advisers", id="duplicate-id"),
    pytest.param("bad_id_format.yaml", 6, 9, "rules.0.id", id="bad-id-format"),
    pytest.param("bad_condition_block.yaml", 14, 33, "legal-advisers", id="condition-syntax-in-block-scalar"),
    pytest.param("bad_condition_quoted.yaml", 12, 28, "hasall", id="condition-compile-error-in-quoted-scalar"),
    pytest.param("bad_override_unknown.yaml", 8, 3, "court-appearance", id="override-unknown-rule"),
    pytest.param("bad_disable_unknown.yaml", 6, 11, "legal-adviser", id="disable-unknown-rule"),
    pytest.param("bad_extends_loop_a.yaml", 6, 10, "bad_extends_loop_a.yaml", id="extends-loop"),
]


@pytest.mark.parametrize(("name", "line", "column", "named"), BAD_FILES)
def test_bad_rule_file(name: str, line: int, column: int, named: str) -> None:
    error = load_error(name)
    # A loop is found in the file that closes it, which is the other one of the pair.
    expected_file = "bad_extends_loop_b.yaml" if name == "bad_extends_loop_a.yaml" else name
    assert Path(error.path).name == expected_file
    assert (error.line, error.column) == (line, column)
    assert named in error.message
    assert str(error).startswith(f"{error.path}:{line}:{column}: ")


def test_block_condition_line_is_exact_whatever_the_loader() -> None:
    # The line is right even where the column is not (see LIBYAML_BLOCK_BUG).
    assert load_error("bad_condition_block.yaml").line == 14


def test_condition_syntax_error_carries_the_caret() -> None:
    error = load_error("bad_condition_block.yaml")
    assert "pass" in error.message
    assert error.context is not None and error.context.endswith("^")


def test_extends_a_missing_base() -> None:
    error = load_error("bad_extends_missing.yaml")
    assert Path(error.path).name == "bad_extends_missing.yaml"
    assert (error.line, error.column) == (6, 10)


def test_override_of_an_undeclared_parameter() -> None:
    error = load_error("bad_override_param.yaml")
    assert Path(error.path).name == "bad_override_param.yaml"
    assert error.line == 9


def test_duplicate_key_in_a_rule() -> None:
    error = load_error("bad_duplicate_key.yaml")
    assert (error.line, error.column) == (13, 5)


def test_missing_rule_file(tmp_path: Path) -> None:
    with pytest.raises(RuleSetError) as caught:
        load_ruleset(tmp_path / "absent.yaml")
    assert (caught.value.line, caught.value.column) == (1, 1)


@pytest.mark.parametrize("content", [
    pytest.param("", id="empty"),
    pytest.param("- a\n- b\n", id="a-list"),
    pytest.param("just text\n", id="a-string"),
])
def test_rule_file_that_is_not_a_mapping(tmp_path: Path, content: str) -> None:
    path = tmp_path / "odd.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RuleSetError):
        load_ruleset(path)


def test_every_bad_fixture_is_tested() -> None:
    tested = {param.values[0] for param in BAD_FILES} | {
        "bad_extends_loop_b.yaml", "bad_extends_missing.yaml", "bad_override_param.yaml", "bad_duplicate_key.yaml",
        "bad_vocabulary_unknown.yaml"}
    assert {path.name for path in FIXTURES.glob("bad_*.yaml")} == tested


def test_every_fixture_says_why_it_exists() -> None:
    for path in FIXTURES.glob("*.yaml"):
        assert path.read_text(encoding="utf-8").startswith("# Exists"), path.name


# ---------------------------------------------------------------- the bundled set and good files

def test_national_has_exactly_the_catalog_ids(national) -> None:
    ids = [rule.spec.id for rule in national.rules]
    assert len(ids) == len(set(ids))
    assert sorted(ids) == sorted(catalog_ids())
    assert len(ids) == 21


def test_national_is_the_default(national) -> None:
    assert national.id == "national"
    assert Path(national.path).name == "national.yaml"


def test_every_national_rule_has_an_example_for_each_status_it_can_give(national) -> None:
    for rule in national.rules:
        statuses = {status for status, _ in rule.spec.examples.by_status()}
        possible = {Status.PASS, Status.FAIL} | {
            Status(field) for field in ("partial", "not_applicable") if field in rule.conditions}
        assert statuses == possible, rule.spec.id


def test_good_minimal_rule_set() -> None:
    ruleset = load_ruleset(FIXTURES / "good_minimal.yaml")
    assert (ruleset.id, ruleset.version) == ("minimal", "0.1")
    (rule,) = ruleset.rules
    assert rule.params == {"minimum": 2}
    assert set(rule.conditions) == {"pass", "partial"}


def test_local_example_loads_with_its_overrides(national) -> None:
    local = load_ruleset(FIXTURES / "local_example.yaml")
    national_ids = [rule.spec.id for rule in national.rules]
    assert [rule.spec.id for rule in local.rules] == [
        rule_id for rule_id in national_ids if rule_id != "quantified-results"] + ["village-legal-helpers"]
    court = local.rule("court-appearance-rate")
    assert court.params == {"threshold": 98}
    assert court.weight == 8
    assert local.rule("legal-advisers").blocking is True
    # The national set is untouched by the local one.
    assert national.rule("court-appearance-rate").params == {"threshold": 100}
    assert national.rule("court-appearance-rate").weight == 6


@pytest.mark.parametrize(("rate", "national_status", "local_status"), [
    pytest.param("98%", Status.FAIL, Status.PASS, id="court-appearance-rate-98"),
    pytest.param("97.5%", Status.FAIL, Status.FAIL, id="court-appearance-rate-97.5"),
    pytest.param("100%", Status.PASS, Status.PASS, id="court-appearance-rate-100"),
])
def test_local_threshold_override(national, status_of, rate: str, national_status: Status, local_status: Status) -> None:
    local = load_ruleset(FIXTURES / "local_example.yaml")
    text = f"全县行政机关负责人出庭应诉率达{rate}。"
    assert status_of(national, "court-appearance-rate", text) is national_status
    assert status_of(local, "court-appearance-rate", text) is local_status


# ---------------------------------------------------------------- vocabulary in rule sets

def test_unknown_vocabulary_list_is_an_error_at_its_name() -> None:
    error = load_error("bad_vocabulary_unknown.yaml")
    assert (error.line, error.column) == (8, 3)
    assert "plan_heading_strong" in error.message


def test_local_vocabulary_changes_how_reports_are_read() -> None:
    from checker.document import build_document
    from checker.readers import Source

    local = load_ruleset(FIXTURES / "local_vocabulary.yaml")
    source = Source(path="t.txt", text="一、主要工作\n开展执法检查20次。\n二、远景谋划\n深化执法改革，完善监督体系。\n", format="txt")
    plans_with = build_document(source, vocabulary=local.vocabulary).scopes["plans"]
    plans_without = build_document(source).scopes["plans"]
    assert plans_with and not plans_without
    assert load_ruleset().vocabulary is not local.vocabulary


def test_digest_follows_the_content_of_every_file_the_set_is_built_from(tmp_path: Path) -> None:
    base = tmp_path / "base.yaml"
    base.write_text((FIXTURES / "good_minimal.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    local = tmp_path / "local.yaml"
    local.write_text("id: local\nversion: '1'\ntitle: 本地\nextends: base.yaml\n", encoding="utf-8")
    first = load_ruleset(local).digest
    assert load_ruleset(local).digest == first
    base.write_text(base.read_text(encoding="utf-8") + "\n# 基础规则集改动了\n", encoding="utf-8")
    assert load_ruleset(local).digest != first


# ---------------------------------------------------------------- every error at once, where it is (issue 11)

RULE = """\
  - id: {id}
    title: 规则
    group: 地方
    basis: 依据
    weight: {weight}
    scope: {scope}
    pass: {condition}
    messages: {{}}
    hint: 补充
"""


def local_rules(tmp_path: Path, *rules: dict[str, str]) -> Path:
    head = 'id: local\nversion: "1"\ntitle: 地方规则\nextends: national\nrules:\n'
    body = "".join(RULE.format_map({"weight": "1", "scope": "all", "condition": 'has("法律顾问")'} | rule) for rule in rules)
    path = tmp_path / "local.yaml"
    path.write_text(head + body, encoding="utf-8")
    return path


def where(path: Path, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """The 1-based line and column of a piece of text in a file."""
    lines = path.read_text(encoding="utf-8").split("\n")
    found = [(number, line.index(needle) + 1) for number, line in enumerate(lines, start=1) if needle in line]
    return found[occurrence]


def test_every_validation_error_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    path = local_rules(tmp_path, {"id": "first-rule", "weight": "-1"}, {"id": "Second_Rule"}, {"id": "third-rule", "weight": "x"})
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    title: 规则\n", "    titel: 规则\n", 1), encoding="utf-8")
    error = load_error(path)
    found = [(problem.line, problem.column, problem.message.split(":")[0]) for problem in error.problems]
    assert found == [(*where(path, "titel"), "rules.0.titel"), (*where(path, "-1"), "rules.0.weight"),
                     (*where(path, "Second_Rule"), "rules.1.id"), (where(path, "weight: x")[0], 13, "rules.2.weight")]
    assert error is error.problems[0]  # the first in the file is the one raised, carrying the rest


def test_every_rule_with_a_bad_condition_or_scope_is_reported_at_once(tmp_path: Path) -> None:
    path = local_rules(tmp_path, {"id": "bad-scope", "scope": "wrok"}, {"id": "bad-function", "condition": 'nosuch("x")'},
                       {"id": "good-rule"}, {"id": "bad-syntax", "condition": 'has("x") and'})
    error = load_error(path)
    assert [(problem.line, problem.column) for problem in error.problems] == [
        where(path, "wrok"), where(path, "nosuch"), (where(path, "has(\"x\") and")[0], where(path, "has(\"x\") and")[1] + 12)]
    assert "scope" in error.problems[0].message and "bad-function" in error.problems[1].message


@pytest.mark.parametrize("written", [
    pytest.param('has("公职律师") and nosuch("x")', id="plain"),
    pytest.param('"has(\\"公职律师\\") and nosuch(\\"x\\")"', id="double-quoted"),
    pytest.param("'has(\"公职律师\") and nosuch(\"x\")'", id="single-quoted"),
    pytest.param('|\n      has("公职律师")\n      and nosuch("x")', id="literal-block"),
    pytest.param('>\n      has("公职律师") and\n      has("法律顾问") and nosuch("x")', id="folded-block"),
    pytest.param('>\n      has("公职律师") and\n\n      nosuch("x")', id="folded-block-with-a-blank-line"),
    pytest.param('has("公职律师")\n      and nosuch("x")', id="plain-over-two-lines"),
])
def test_a_condition_error_is_placed_on_its_character_in_every_scalar_style(tmp_path: Path, written: str) -> None:
    path = local_rules(tmp_path, {"id": "my-rule", "condition": written})
    error = load_error(path)
    assert (error.line, error.column) == where(path, "nosuch"), error


def test_rules_validate_prints_every_error_on_its_own_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = local_rules(tmp_path, {"id": "one-rule", "weight": "0"}, {"id": "two-rule", "weight": "0"})
    done = subprocess.run([sys.executable, "-m", "checker", "rules", "validate", str(path)],
                          capture_output=True, text=True, timeout=60)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 2
    assert all(line.startswith(f"fzcheck: 错误：{path}:") and "weight" in line for line in lines)
