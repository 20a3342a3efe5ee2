"""What a rule author sees when a condition is wrong: the syntax-error catalog and character hints
(walked entry by entry so they never go stale), the caret line, and compile errors with the
position of the offending node."""
from __future__ import annotations

import pytest

from checker.condition.compiler import ConditionError, compile_condition
from checker.condition.parser import CHARACTER_HINTS, ERROR_CATALOG, ConditionSyntaxError, parse_condition


def syntax_error(text: str) -> ConditionSyntaxError:
    with pytest.raises(ConditionSyntaxError) as caught:
        parse_condition(text)
    return caught.value


# ---------------------------------------------------------------- the catalog of known-bad conditions

@pytest.mark.parametrize(("label", "example"), [
    pytest.param(label, example, id=example) for label, examples in ERROR_CATALOG.items() for example in examples
])
def test_every_catalog_example_gets_its_own_label(label: str, example: str) -> None:
    assert syntax_error(example).message == label


@pytest.mark.parametrize(("char", "hint"), [
    pytest.param(char, hint, id=f"U+{ord(char):04X}") for chars, hint in CHARACTER_HINTS.items() for char in chars
])
def test_every_hinted_character_gets_its_hint(char: str, hint: str) -> None:
    # The character stands where a token should start, and is never closed (a lone quote is an
    # unterminated string, not the start of one that swallows the rest).
    error = syntax_error(f"year {char} 2020")
    assert error.message == hint
    assert (error.line, error.column) == (1, 6)


def test_chinese_quotes_inside_a_call() -> None:
    error = syntax_error("has(“出庭应诉”)")
    assert error.message == CHARACTER_HINTS["“”‘’「」"]
    assert (error.line, error.column) == (1, 5)


def test_unknown_character_is_named() -> None:
    error = syntax_error("year ~ 2020")
    assert "~" in error.message
    assert (error.line, error.column) == (1, 6)


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_empty_condition(text: str) -> None:
    error = syntax_error(text)
    assert error.message == "条件为空"
    assert (error.line, error.column) == (1, 1)


def test_end_of_input_points_after_the_text() -> None:
    error = syntax_error('has("a") and')
    assert (error.line, error.column) == (1, 13)


def test_end_of_input_ignores_a_trailing_newline() -> None:
    # A YAML `|` block always ends with a newline: the error is at the end of the text, not after it.
    error = syntax_error('has("a") and\n')
    assert (error.line, error.column) == (1, 13)


# ---------------------------------------------------------------- golden caret output

def test_caret_under_the_error_on_one_line() -> None:
    error = syntax_error('has("a") has("b")')
    assert error.context == (
        'has("a") has("b")\n'
        '         ^'
    )


def test_caret_is_padded_by_display_width_after_chinese_characters() -> None:
    # Each of 出庭应诉 takes two terminal cells: the caret sits under the second ")".
    error = syntax_error('has("a")\n  and has("出庭应诉")) or has("b")')
    assert error.message == "多余的右括号"
    assert (error.line, error.column) == (2, 18)
    assert error.context == (
        '  and has("出庭应诉")) or has("b")\n'
        '                     ^'
    )


def test_caret_after_full_width_punctuation() -> None:
    error = syntax_error('has("出庭应诉") has("b")')
    assert (error.line, error.column) == (1, 13)
    assert error.context == (
        'has("出庭应诉") has("b")\n'
        '                ^'
    )


# ---------------------------------------------------------------- compile errors

PARAMS = {"threshold": 100}
LEXICON = {"court": ["出庭应诉"], "shortfall": ["有待提高"]}

COMPILE_ERRORS = [
    # (id, condition, (line, column) of the offending node)
    ("unknown-function", 'has("a") and foo("b")', (1, 14)),
    ("unknown-function-on-line-2", 'has("a")\nand foo()', (2, 5)),
    ("wrong-arity-near", 'near("a", "b")', (1, 1)),
    ("wrong-arity-within", "within(work)", (1, 1)),
    ("wrong-arity-has-section", "has_section(work, plans)", (1, 1)),
    ("wrong-arity-date", "published <= date(2025, 3)", (1, 14)),
    ("too-few-terms", "has()", (1, 1)),
    ("together-needs-two-groups", 'together("a")', (1, 1)),
    ("unknown-name", 'has("a") and colour == "red"', (1, 14)),
    ("unknown-scope-in-within", 'within(nowhere, has("a"))', (1, 8)),
    ("unknown-scope-in-has-section", "has_section(nowhere)", (1, 13)),
    ("scope-used-as-value", "known(year) and year >= work", (1, 25)),
    ("scope-as-function-argument", "known(plans)", (1, 7)),
    ("unknown-parameter", 'rate("x") >= $limit', (1, 14)),
    ("unknown-lexicon", 'has("a", @nope)', (1, 10)),
    ("text-ordered-comparison", 'title > "法治"', (1, 1)),
    ("condition-ordered-comparison", 'has("a") > has("b")', (1, 1)),
    ("non-boolean-number", "year + 1", (1, 1)),
    ("non-boolean-function", 'rate("出庭应诉率")', (1, 1)),
    ("non-boolean-name", "title", (1, 1)),
    ("non-boolean-string", '"出庭应诉"', (1, 1)),
    ("not-of-a-number", "not year", (1, 5)),
    ("and-of-a-number", 'has("a") and quantities()', (1, 14)),
    ("arithmetic-on-text", "title + 1 > 2", (1, 1)),
    ("list-as-value", '["a"] == ["b"]', (1, 1)),
    ("lexicon-as-value", "@court", (1, 1)),
    ("terms-expected", "has(year)", (1, 5)),
    ("number-expected", 'near("a", "b", "近")', (1, 16)),
    ("empty-term", 'has("a", "")', (1, 10)),
    ("bad-regex", 'has("a") or matches("出庭(应诉")', (1, 21)),
    ("regex-must-be-a-string", "matches(@court)", (1, 9)),
]


@pytest.mark.parametrize(("condition", "position"), [
    pytest.param(condition, position, id=name) for name, condition, position in COMPILE_ERRORS
])
def test_compile_error_position(condition: str, position: tuple[int, int]) -> None:
    with pytest.raises(ConditionError) as caught:
        compile_condition(parse_condition(condition), PARAMS, LEXICON)
    assert (caught.value.line, caught.value.column) == position
    assert caught.value.message


@pytest.mark.parametrize(("condition", "name"), [
    ('foo("a")', "foo"), ("colour > 1", "colour"), ("rate(\"x\") >= $limit", "$limit"), ("has(@nope)", "@nope"),
])
def test_compile_error_names_the_unknown(condition: str, name: str) -> None:
    with pytest.raises(ConditionError) as caught:
        compile_condition(parse_condition(condition), PARAMS, LEXICON)
    assert name in caught.value.message


@pytest.mark.parametrize(("condition", "params", "position"), [
    pytest.param('has("a") and year == "2024"', PARAMS, (1, 14), id="number-vs-text"),
    pytest.param("published > 2024", PARAMS, (1, 1), id="date-vs-number"),
    pytest.param("known(year) and\n  title == 2024", PARAMS, (2, 3), id="text-vs-number-on-line-2"),
    pytest.param('rate("x") >= $threshold', {"threshold": "high"}, (1, 1), id="text-parameter-vs-number"),
])
def test_type_mismatch_in_comparison(condition: str, params: dict, position: tuple[int, int]) -> None:
    with pytest.raises(ConditionError) as caught:
        compile_condition(parse_condition(condition), params, LEXICON)
    assert (caught.value.line, caught.value.column) == position


def test_empty_term_list() -> None:
    with pytest.raises(ConditionError) as caught:
        compile_condition(parse_condition("has([])"), PARAMS, LEXICON)
    assert (caught.value.line, caught.value.column) == (1, 5)


def test_unknown_default_scope() -> None:
    with pytest.raises(ConditionError):
        compile_condition(parse_condition('has("a")'), PARAMS, LEXICON, scope="nowhere")


def test_a_valid_condition_collects_its_terms() -> None:
    compiled = compile_condition(parse_condition('has("１００％", @court) or together(["a"], @shortfall)'), PARAMS, LEXICON)
    # Terms are NFKC-normalised like the report text, so full-width digits in a rule still match.
    assert compiled.terms == {"100%", "出庭应诉", "a", "有待提高"}
