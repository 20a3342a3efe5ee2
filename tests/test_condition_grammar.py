"""Valid conditions -> the AST they build. Trees compare without positions (ast.Node.pos is left
out of equality), so each expected tree is written as plainly as the condition itself."""
from __future__ import annotations

from datetime import date

import pytest

from checker.condition import ast
from checker.condition.parser import parse_condition


def call(function: str, *args: ast.Node) -> ast.Call:
    return ast.Call(function, tuple(args))


def has(*terms: str) -> ast.Call:
    return call("has", *(ast.String(term) for term in terms))


A, B, C = has("a"), has("b"), has("c")
YEAR = ast.Name("year")

CASES = [
    # ------------------------------------------------------------ calls and literals
    ("call", 'has("a")', A),
    ("call-single-quotes", "has('a')", A),
    ("call-several-args", 'has("a", "b", "c")', has("a", "b", "c")),
    ("call-no-args", "quantities()", call("quantities")),
    ("chinese-string", 'has("出庭应诉率")', has("出庭应诉率")),
    ("escaped-double-quote", r'has("说\"是\"")', has('说"是"')),
    ("escaped-single-quote", r"has('it\'s')", has("it's")),
    ("hash-inside-string", 'has("#1")', has("#1")),
    ("nested-call", 'known(rate("出庭应诉率"))', call("known", call("rate", ast.String("出庭应诉率")))),
    ("number", "quantities() >= 5", ast.Compare(call("quantities"), ">=", ast.Number(5))),
    ("decimal", 'rate("x") >= 98.13', ast.Compare(call("rate", ast.String("x")), ">=", ast.Number(98.13))),
    ("percentage", 'rate("x") >= 98.5%', ast.Compare(call("rate", ast.String("x")), ">=", ast.Percent(98.5))),
    ("date", "published <= 2025-03-31",
     ast.Compare(ast.Name("published"), "<=", ast.DateLiteral(date(2025, 3, 31)))),
    ("list", 'has(["a", "b"], "c")', call("has", ast.TermList((ast.String("a"), ast.String("b"))), ast.String("c"))),
    ("empty-list", "has([])", call("has", ast.TermList(()))),
    ("lexicon", "together(@court, @shortfall)", call("together", ast.Lexicon("court"), ast.Lexicon("shortfall"))),
    ("lexicon-in-list", 'has([@court, "出庭"])', call("has", ast.TermList((ast.Lexicon("court"), ast.String("出庭"))))),
    ("parameter", 'rate("x") >= $threshold', ast.Compare(call("rate", ast.String("x")), ">=", ast.Parameter("threshold"))),
    ("scope-name", 'within(plans, has("a"))', call("within", ast.Name("plans"), A)),
    ("name-starting-with-keyword", "known(notice) or known(order) or known(android)",
     ast.AnyOf(ast.AnyOf(call("known", ast.Name("notice")), call("known", ast.Name("order"))),
               call("known", ast.Name("android")))),
    # ------------------------------------------------------------ precedence: or < and < not < comparison < + -
    ("or-binds-looser-than-and", 'has("a") or has("b") and has("c")', ast.AnyOf(A, ast.AllOf(B, C))),
    ("and-binds-tighter-than-or", 'has("a") and has("b") or has("c")', ast.AnyOf(ast.AllOf(A, B), C)),
    ("or-is-left-associative", 'has("a") or has("b") or has("c")', ast.AnyOf(ast.AnyOf(A, B), C)),
    ("and-is-left-associative", 'has("a") and has("b") and has("c")', ast.AllOf(ast.AllOf(A, B), C)),
    ("not-binds-tighter-than-and", 'not has("a") and has("b")', ast.AllOf(ast.Not(A), B)),
    ("not-not", 'not not has("a")', ast.Not(ast.Not(A))),
    ("not-binds-looser-than-comparison", "not year > 2019", ast.Not(ast.Compare(YEAR, ">", ast.Number(2019)))),
    ("parentheses-override", '(has("a") or has("b")) and has("c")', ast.AllOf(ast.AnyOf(A, B), C)),
    ("not-with-parentheses", "not(has('a'))", ast.Not(A)),
    ("arithmetic-binds-tighter-than-comparison", "year + 1 > 2020",
     ast.Compare(ast.Arithmetic(YEAR, "+", ast.Number(1)), ">", ast.Number(2020))),
    ("arithmetic-is-left-associative", "year - 1 + 2",
     ast.Arithmetic(ast.Arithmetic(YEAR, "-", ast.Number(1)), "+", ast.Number(2))),
    ("minus-without-spaces", "year-1 > 2",
     ast.Compare(ast.Arithmetic(YEAR, "-", ast.Number(1)), ">", ast.Number(2))),
    ("comparison-inside-and", "known(year) and year <= 2019",
     ast.AllOf(call("known", YEAR), ast.Compare(YEAR, "<=", ast.Number(2019)))),
    ("arithmetic-in-arguments", "published <= date(year + 1, 3, 31)",
     ast.Compare(ast.Name("published"), "<=",
                 call("date", ast.Arithmetic(YEAR, "+", ast.Number(1)), ast.Number(3), ast.Number(31)))),
    # ------------------------------------------------------------ layout
    ("comment", 'has("a")  # 出庭应诉', A),
    ("comment-between-lines", 'has("a")  # 第一行\nand has("b")', ast.AllOf(A, B)),
    ("multi-line", 'within(work,\n    has("a")\n    or has("b"))', call("within", ast.Name("work"), ast.AnyOf(A, B))),
    ("surrounding-whitespace", '\n  has("a")  \n', A),
]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(text, tree, id=name) for name, text, tree in CASES])
def test_condition_parses_to(text: str, expected: ast.Node) -> None:
    assert parse_condition(text) == expected


@pytest.mark.parametrize("operator", [">=", "<=", "==", "!=", ">", "<"])
def test_every_comparator(operator: str) -> None:
    assert parse_condition(f"year {operator} 2020") == ast.Compare(YEAR, operator, ast.Number(2020))


def test_percentage_is_not_a_number() -> None:
    # Both compare as 98.5, but the tree keeps what the author wrote.
    assert parse_condition("year >= 98.5%") != parse_condition("year >= 98.5")


def test_positions_are_line_and_column_in_the_condition() -> None:
    tree = parse_condition('has("a")\n  and has("出庭", "b")')
    assert isinstance(tree, ast.AllOf)
    assert tree.pos == (1, 1)
    assert tree.left.pos == (1, 1)
    assert tree.right.pos == (2, 7)
    assert [arg.pos for arg in tree.right.args] == [(2, 11), (2, 17)]


def test_position_of_a_comparison_and_its_operands() -> None:
    tree = parse_condition("known(year) and\n    year + 1 >= $threshold")
    comparison = tree.right
    assert isinstance(comparison, ast.Compare)
    assert comparison.pos == (2, 5)
    assert comparison.left.pos == (2, 5)
    assert comparison.right.pos == (2, 17)


def test_ast_nodes_are_frozen() -> None:
    node = parse_condition('has("a")')
    with pytest.raises(AttributeError):
        node.function = "count"  # type: ignore[misc]
