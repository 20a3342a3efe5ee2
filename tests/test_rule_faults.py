"""Hostile and mistaken rule files and conditions (issue 8, items 7, 8, 10, 11, 12): each one is a
file:line:col error when the rule set loads, or runs in bounded time, never a hang or a traceback.
Then a property test: whatever the condition text, loading raises only the rule author's errors
and evaluating raises nothing."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.condition.compiler import ConditionError
from checker.condition.parser import ConditionSyntaxError, parse_condition
from checker.document import Document
from checker.engine import audit
from checker.ruleset import RuleSetError, load_ruleset

REPO = Path(__file__).resolve().parents[1]

CONDITION_LINE, CONDITION_COLUMN = 10, 12  # where a condition's first character lands in rule_file()


def column_after(prefix: str) -> int:
    """The file column of the condition character after `prefix`, as rule_file() writes it (a
    double-quoted scalar, where each `"` of the condition is written `\\"`)."""
    return CONDITION_COLUMN + len(json.dumps(prefix, ensure_ascii=False)) - 2


def rule_file(tmp_path: Path, condition: str, weight: str = "1", name: str = "r.yaml") -> Path:
    """A one-rule set whose `pass:` is `condition`, written as a double-quoted scalar on line 10."""
    path = tmp_path / name
    path.write_text(f"""id: t
version: "1"
title: 测试
rules:
  - id: r
    title: 规则
    group: 组
    basis: 依据
    weight: {weight}
    pass: {json.dumps(condition, ensure_ascii=False)}
    messages:
      pass: 好
      fail: 坏
    hint: 提示
""", encoding="utf-8")
    return path


def load_error(path: Path) -> RuleSetError:
    with pytest.raises(RuleSetError) as caught:
        load_ruleset(path)
    return caught.value


def in_fresh_process(code: str, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    """Run Python code in a new process, so that a hang fails the test instead of stalling it."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8",
                          cwd=REPO, env=env, timeout=timeout)


def fzcheck(*args: str, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    return in_fresh_process(f"import sys; from checker.cli import main; sys.argv = ['fzcheck', *{list(args)!r}]; "
                            "sys.exit(main())", timeout)


# ---------------------------------------------------------------- 7. matches() cannot hang

def test_catastrophic_regex_runs_in_linear_time(tmp_path: Path) -> None:
    path = rule_file(tmp_path, 'matches("(a+)+$")')
    done = in_fresh_process(f"""
from checker.engine import audit
from checker.document import Overrides, build_document
from checker.readers import Source
from checker.ruleset import load_ruleset
ruleset = load_ruleset({str(path)!r})
document = build_document(Source(path="t.txt", text="a" * 30 + "b", format="txt"), Overrides())
print(audit(document, ruleset).results[0].status.value)
""", timeout=20)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "fail"


@pytest.mark.parametrize("pattern", [r"(?<!x)(a+)+$", r"(?<!x)(a*)*b", r"(?=a)(ab|a)*c", r"(\w+)+$"])
def test_backtracking_regex_re2_cannot_run_is_refused_at_load(tmp_path: Path, pattern: str) -> None:
    error = load_error(rule_file(tmp_path, f'has("x") or matches("{pattern}")'))
    assert (error.line, error.column) == (CONDITION_LINE, column_after('has("x") or matches('))
    assert "重复" in error.message


def test_regexes_keep_python_meaning(evaluate) -> None:
    # Lookarounds (used by the national rules) and Unicode \w \d run as Python runs them.
    assert evaluate(r'matches("(?<!协)调解")', "开展人民调解工作。")
    assert not evaluate(r'matches("(?<!协)调解")', "开展协调解决工作。")
    assert evaluate(r'matches("法治\w{2}")', "建设法治政府。")
    assert evaluate(r'matches("[\u4e00-\u9fff]{4}")', "法治政府")
    assert evaluate(r'matches("执法[^,。;]{0,12}公示")', "推行执法信息公示制度。")


def test_bad_regex_is_a_load_error(tmp_path: Path) -> None:
    error = load_error(rule_file(tmp_path, 'matches("(未|没有")'))
    assert (error.line, error.column) == (CONDITION_LINE, column_after("matches("))
    assert "正则表达式有误" in error.message


# ---------------------------------------------------------------- 8. aliases and size

ALIAS_BOMB = "\n".join(
    ["id: t", 'version: "1"', "title: 测试", "lexicon:", '  a: &a ["x","x","x","x","x","x","x","x","x"]']
    + [f"  {chr(98 + n)}: &{chr(98 + n)} [" + ",".join([f"*{chr(97 + n)}"] * 9) + "]" for n in range(8)]
    + ["rules: []", ""])


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "bomb.yaml"
    path.write_text(ALIAS_BOMB, encoding="utf-8")
    assert len(ALIAS_BOMB) < 600
    done = fzcheck("rules", "validate", str(path))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"{path}:6:" in done.stdout + done.stderr
    assert "别名" in done.stdout + done.stderr


def test_any_alias_is_refused_at_its_position(tmp_path: Path) -> None:
    path = rule_file(tmp_path, 'has("a")')
    path.write_text(path.read_text(encoding="utf-8").replace("group: 组", "group: &g 组")
                    .replace("basis: 依据", "basis: *g"), encoding="utf-8")
    error = load_error(path)
    assert (error.line, error.column) == (8, 12)
    assert "别名" in error.message


def test_huge_rule_file_is_refused(tmp_path: Path) -> None:
    path = rule_file(tmp_path, 'has("a")')
    path.write_text(path.read_text(encoding="utf-8") + ("# " + "x" * 1000 + "\n") * 3000, encoding="utf-8")
    error = load_error(path)
    assert (error.line, error.column) == (1, 1)
    assert "过大" in error.message


# ---------------------------------------------------------------- 10. deep nesting

@pytest.mark.parametrize("joiner", [" and ", " or "])
def test_long_boolean_chain_compiles_and_evaluates(evaluate, joiner: str) -> None:
    condition = joiner.join(['has("甲")'] * 400)
    condition = f"has(\"甲\"){joiner}({condition}){joiner}" + condition  # a chain may also nest to the right
    assert evaluate(condition, "甲乙")
    assert not evaluate(condition, "乙")


def test_long_sum_chain_compiles_and_evaluates(evaluate) -> None:
    assert evaluate("year" + " + 1 - 1" * 200 + " + 1 == 2024", "正文", year=2023)


def test_sum_nested_to_the_right_keeps_its_signs(evaluate) -> None:
    expression = "year"
    for step in range(90):
        expression = f"{step} - (year + ({expression}) - 1)"
    value = eval(expression.replace("year", "2023"))  # noqa: S307 - digits, signs and parentheses only
    assert evaluate(f"{expression} == {value}", "正文", year=2023)
    assert not evaluate(f"{expression} == {value + 1}", "正文", year=2023)


def test_long_not_chain(evaluate) -> None:
    assert evaluate("not " * 401 + 'has("甲")', "乙")
    assert not evaluate("not " * 400 + 'has("甲")', "乙")


def test_long_chains_load_from_a_rule_file(tmp_path: Path) -> None:
    load_ruleset(rule_file(tmp_path, " and ".join(['has("甲")'] * 200) + " or " + " or ".join(['has("乙")'] * 200)))


@pytest.mark.parametrize("condition", [
    "within(work, " * 400 + 'has("甲")' + ")" * 400,
    'has("甲") and not (' * 300 + 'has("乙")' + ")" * 300,
    "within(work, not (" * 100 + 'has("甲")' + "))" * 100,
])
def test_deep_nesting_is_refused_clearly(tmp_path: Path, condition: str) -> None:
    error = load_error(rule_file(tmp_path, condition))
    assert error.line == CONDITION_LINE
    assert "嵌套" in error.message


# ---------------------------------------------------------------- 11. clean errors for rule authors

def test_impossible_date_literal(tmp_path: Path) -> None:
    error = load_error(rule_file(tmp_path, "published <= 2024-02-30"))
    assert (error.line, error.column) == (CONDITION_LINE, CONDITION_COLUMN + len("published <= "))
    assert "2024-02-30" in error.message


def test_missing_operator(tmp_path: Path) -> None:
    error = load_error(rule_file(tmp_path, "year - 1 1 > 2"))
    assert (error.line, error.column) == (CONDITION_LINE, CONDITION_COLUMN + len("year - 1 "))


def test_nul_byte_in_yaml(tmp_path: Path) -> None:
    path = rule_file(tmp_path, 'has("a")')
    path.write_text(path.read_text(encoding="utf-8").replace("title: 规则", "title: 规\0则"), encoding="utf-8")
    error = load_error(path)
    assert (error.line, error.column) == (6, 13)
    assert "控制字符" in error.message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
@pytest.mark.parametrize("command", [("rules", "validate"), ("rules", "list", "--rules")])
def test_fifo_as_rule_file_is_refused(tmp_path: Path, command: tuple[str, ...]) -> None:
    fifo = tmp_path / "rules.yaml"
    os.mkfifo(fifo)
    done = fzcheck(*command, str(fifo), timeout=20)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"{fifo}:1:1:" in done.stdout + done.stderr
    assert "不是普通文件" in done.stdout + done.stderr


# ---------------------------------------------------------------- 12. no crash at audit time

@pytest.mark.parametrize("condition", [
    "published <= date(year + 99999999, 3, 31)",
    "published <= date(year - 99999999, 3, 31)",
    "published <= date(year, 2, 30)",
    "published <= date(year, 1 + 12, 1)",
])
def test_impossible_computed_date_is_unknown(evaluate, condition: str) -> None:
    assert not evaluate(condition, "正文", year=2023, published=date(2024, 3, 1))
    assert evaluate(f"not known({condition.split(' <= ')[1]})", "正文", year=2023)


@pytest.mark.parametrize(("condition", "column"), [
    ("published <= date(year, 13, 45)", len("published <= date(year, ")),
    ("published <= date(year, 3, 0)", len("published <= date(year, 3, ")),
    ("published <= date(year, 2.5, 1)", len("published <= date(year, ")),
])
def test_impossible_month_or_day_literal_is_a_load_error(tmp_path: Path, condition: str, column: int) -> None:
    error = load_error(rule_file(tmp_path, condition))
    assert (error.line, error.column) == (CONDITION_LINE, CONDITION_COLUMN + column)


@pytest.mark.parametrize("weight", [".inf", "-.inf", ".nan", "-1", "0"])
def test_weight_must_be_finite_and_positive(tmp_path: Path, weight: str) -> None:
    error = load_error(rule_file(tmp_path, 'has("a")', weight=weight))
    assert (error.line, error.column) == (9, 13)
    assert "weight" in error.message


def test_weight_override_must_be_finite(tmp_path: Path) -> None:
    path = tmp_path / "local.yaml"
    path.write_text('id: local\nversion: "1"\ntitle: 本地\nextends: national\noverrides:\n'
                    '  legal-advisers:\n    weight: .inf\n', encoding="utf-8")
    error = load_error(path)
    assert (error.line, error.column) == (7, 13)


# ---------------------------------------------------------------- property tests

AUTHOR_ERRORS = (ConditionSyntaxError, ConditionError)
PARAMS, LEXICON = {"n": 2, "word": "执法"}, {"w": ["执法", "调解"]}


@pytest.fixture(scope="module")
def document(make_document) -> Document:
    return make_document("一、主要工作\n全面推行执法公示制度，出庭应诉率达到98%。调解纠纷12件。\n二、存在的不足\n"
                         "法治宣传不够深入。\n三、下一步工作\n2024年，我局将重点加强法治建设。\n",
                         year=2023, published=date(2024, 2, 1))


def load_and_evaluate(evaluate, document: Document, condition: str) -> None:
    """A condition either fails to load with a rule author's error, or evaluates to True or False."""
    try:
        parse_condition(condition)
    except ConditionSyntaxError:
        return
    try:
        result = evaluate(condition, document, params=PARAMS, lexicon=LEXICON)
    except ConditionError:
        return
    assert result in (True, False)


TOKENS = ["has(", "matches(", "date(", "within(", "count(", "rate(", "known(", "near(", "together(", ")", "(",
          "[", "]", ",", " and ", " or ", "not ", "+", "-", ">=", "==", "<", '"执法"', "'调解'", '"(a+)+$"',
          '"(?<!x)a"', "year", "published", "title", "work", "plans", "$n", "$word", "@w", "@missing",
          "2024-02-30", "2024-01-31", "12", "99999999", "1.5", "98%", "#c\n", "\n", "\0", "“", "）", "\\"]
TERM = st.sampled_from(['"执法"', '"调解"', "@w", '["执法", "出庭"]', '"不存在"'])
REGEX = st.sampled_from(['"执法.{0,4}公示"', '"(?<!协)调解"', '"(a+)+$"', '"\\\\d+件"', '"[\\u4e00-\\u9fff]{4}"'])
NUMBER = st.recursive(
    st.sampled_from(["year", "12", "0", "99999999", "1.5", "98%", "$n", "count(@w)", 'rate("出庭应诉率")', "quantities()"]),
    lambda inner: st.tuples(inner, st.sampled_from(["+", "-"]), inner).map(" ".join), max_leaves=6)
DATE = st.one_of(
    st.sampled_from(["published", "2024-01-31", "2024-02-29"]),
    st.tuples(NUMBER, NUMBER, NUMBER).map(lambda parts: "date({}, {}, {})".format(*parts)))
ATOM = st.one_of(
    TERM.map(lambda term: f"has({term})"), REGEX.map(lambda regex: f"matches({regex})"),
    st.tuples(TERM, TERM).map(lambda pair: "together({}, {})".format(*pair)),
    st.tuples(TERM, TERM, NUMBER).map(lambda parts: "near({}, {}, {})".format(*parts)),
    st.tuples(NUMBER, st.sampled_from([">=", "<", "=="]), NUMBER).map(" ".join),
    st.tuples(DATE, st.sampled_from(["<=", ">", "!="]), DATE).map(" ".join),
    DATE.map(lambda value: f"known({value})"), st.just('contains(title, "法治")'))
CONDITION = st.recursive(ATOM, lambda inner: st.one_of(
    st.tuples(inner, st.sampled_from(["and", "or"]), inner).map(" ".join),
    inner.map(lambda c: f"not ({c})"),
    st.tuples(st.sampled_from(["work", "plans", "shortcomings", "headings"]), inner)
    .map(lambda pair: "within({}, {})".format(*pair))), max_leaves=12)
FUZZ = settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.text(max_size=80))
def test_random_text_gives_only_author_errors(evaluate, document, text: str) -> None:
    load_and_evaluate(evaluate, document, text)


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=25).map("".join))
def test_random_tokens_give_only_author_errors(evaluate, document, text: str) -> None:
    load_and_evaluate(evaluate, document, text)


@FUZZ
@given(CONDITION)
def test_generated_conditions_load_and_evaluate(evaluate, document, condition: str) -> None:
    load_and_evaluate(evaluate, document, condition)


@settings(max_examples=60, deadline=3000, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.one_of(CONDITION, st.lists(st.sampled_from(TOKENS), max_size=25).map("".join)))
def test_rule_file_with_any_condition_is_a_rule_set_error_or_audits(tmp_path_factory, document, condition: str) -> None:
    try:
        ruleset = load_ruleset(rule_file(tmp_path_factory.mktemp("fuzz"), condition))
    except RuleSetError:
        return
    assert audit(document, ruleset).results
