"""Parse condition text into the AST, with errors a rule author can act on.

The LALR parser is built once, on first use, from the grammar shipped in the package.
"""
from __future__ import annotations

from datetime import date
from functools import cache
from unicodedata import east_asian_width

from lark import Lark, Transformer_NonRecursive, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, v_args
from lark.exceptions import VisitError

from checker.condition import ast
from checker.condition.errors import ConditionError
from checker.resources import resource_dir

GRAMMAR_FILE = "condition.lark"
MAX_NESTING = 64
"""How deeply conditions may nest (a chain of the same operator, `a and b and …`, counts once)."""

# Known-bad conditions and the label a rule author should see for each (Lark's match_examples):
# a parse error is labelled with the example whose parser state it shares.
ERROR_CATALOG: dict[str, list[str]] = {
    "缺少右括号": ['has("a"', 'within(work, has("a")', '(has("a") and has("b")'],
    "多余的右括号": ['has("a"))', 'has("a") and has("b"))'],
    "运算符后缺少条件或数值": ['has("a") and', 'has("a") or', "not", "year >=", "year + "],
    "两个条件之间缺少 and 或 or": ['has("a") has("b")', 'year >= 2020 has("a")', '(has("a")) (has("b"))'],
    "参数之间缺少逗号": ['has("a" "b")', 'near("a", "b" 20)'],
    "列表缺少右方括号": ['has(["a", "b")'],
}

# A character the lexer cannot start a token with says more than the parser state does: these are
# the slips people make when they type conditions on a Chinese keyboard or from other languages.
CHARACTER_HINTS: dict[str, str] = {
    "“”‘’「」": "请使用英文引号 \" 而不是中文引号",
    "（），、": "请使用英文括号和逗号",
    "=": "比较请用 ==、!=、>=、<=、>、<",
    "&|!": "逻辑运算请用 and、or、not",
    "\"'": "字符串缺少结束引号",
}


class ConditionSyntaxError(ConditionError):
    """A condition that does not parse, with the caret under the place in `context`."""

    def __init__(self, message: str, line: int, column: int, context: str) -> None:
        super().__init__(message, (line, column), context)


@cache
def _parser() -> Lark:
    grammar = (resource_dir("grammars") / GRAMMAR_FILE).read_text(encoding="utf-8")
    # cache=True keeps the LALR tables in a temporary file keyed by the grammar's hash, which
    # saves most of the start-up of every fzcheck process.
    return Lark(grammar, parser="lalr", propagate_positions=True, maybe_placeholders=False, cache=True)


def _at(meta) -> tuple[int, int]:
    return (getattr(meta, "line", 1), getattr(meta, "column", 1))


def _unquote(token: str) -> str:
    body = token[1:-1]
    return body.replace("\\" + token[0], token[0]).replace("\\\\", "\\")


@v_args(inline=True, meta=True)
class _ToAstNodes(Transformer_NonRecursive):  # a long `and` chain is a deep tree
    def any_of(self, meta, left, right):
        return ast.AnyOf(left, right, pos=_at(meta))

    def all_of(self, meta, left, right):
        return ast.AllOf(left, right, pos=_at(meta))

    def negation(self, meta, operand):
        return ast.Not(operand, pos=_at(meta))

    def compare(self, meta, left, operator, right):
        return ast.Compare(left, str(operator), right, pos=_at(meta))

    def arithmetic(self, meta, left, operator, right):
        return ast.Arithmetic(left, str(operator), right, pos=_at(meta))

    def call(self, meta, name, *args):
        return ast.Call(str(name), tuple(args), pos=_at(meta))

    def string(self, meta, token):
        return ast.String(_unquote(str(token)), pos=_at(meta))

    def number(self, meta, token):
        return ast.Number(float(token), pos=_at(meta))

    def percent(self, meta, token):
        return ast.Percent(float(str(token)[:-1]), pos=_at(meta))

    def date_literal(self, meta, token):
        try:
            return ast.DateLiteral(date.fromisoformat(str(token)), pos=_at(meta))
        except ValueError:
            raise ConditionSyntaxError(f"日期 {token} 不存在", *_at(meta), "") from None

    def term_list(self, meta, *items):
        return ast.TermList(tuple(item for item in items if item is not None), pos=_at(meta))

    def name(self, meta, token):
        return ast.Name(str(token), pos=_at(meta))

    def parameter(self, meta, token):
        return ast.Parameter(str(token)[1:], pos=_at(meta))

    def lexicon(self, meta, token):
        return ast.Lexicon(str(token)[1:], pos=_at(meta))


def parse_condition(text: str) -> ast.Node:
    """Parse one condition; raises ConditionSyntaxError with a labelled, caret-pointed message."""
    if not text.strip():
        raise ConditionSyntaxError("条件为空", 1, 1, text)
    try:
        tree = _parser().parse(text)
    except UnexpectedInput as error:
        raise _explain(error, text) from None
    try:
        node = _ToAstNodes().transform(tree)
    except VisitError as error:
        if isinstance(error.orig_exc, ConditionSyntaxError):
            failure = error.orig_exc
            raise ConditionSyntaxError(failure.message, failure.line, failure.column,
                                       _caret(text, failure.line, failure.column)) from None
        raise
    _check_nesting(node, text)
    return node


def _check_nesting(root: ast.Node, text: str) -> None:
    """Refuse a condition nested deeper than MAX_NESTING, so compiling and evaluating it stay shallow."""
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_NESTING:
            raise ConditionSyntaxError(f"条件嵌套过深（超过 {MAX_NESTING} 层）；请拆成几个较简单的条件",
                                       *node.pos, _caret(text, *node.pos))
        for child in ast.children(node):
            chained = type(child) is type(node) and isinstance(node, ast.CHAINS)
            stack.append((child, depth if chained else depth + 1))


def _explain(error: UnexpectedInput, text: str) -> ConditionSyntaxError:
    label = _character_hint(error)
    if label is None:
        try:
            label = error.match_examples(_parser().parse, ERROR_CATALOG, use_accepts=True)
        except TypeError:  # lark 1.3 formats one of its debug messages wrongly ("%d" of a ParserState)
            label = None
    if label is None:
        label = _describe(error)
    line = getattr(error, "line", -1)
    column = getattr(error, "column", -1)
    at_end = isinstance(error, UnexpectedEOF) or getattr(getattr(error, "token", None), "type", "") == "$END"
    if at_end or line is None or line < 1:  # the end of input has no token position: point after the text
        lines = text.rstrip().split("\n")  # a YAML `|` block always ends with a newline
        line, column = len(lines), len(lines[-1]) + 1
    return ConditionSyntaxError(label, line, column, _caret(text, line, column))


def _character_hint(error: UnexpectedInput) -> str | None:
    if not isinstance(error, UnexpectedCharacters):
        return None
    return next((hint for chars, hint in CHARACTER_HINTS.items() if error.char in chars), None)


def _describe(error: UnexpectedInput) -> str:
    if isinstance(error, UnexpectedCharacters):
        return f"无法识别的字符 {error.char!r}"
    if isinstance(error, UnexpectedEOF):
        return "条件不完整"
    token = getattr(error, "token", None)
    return f"此处不应出现 {str(token)!r}" if token is not None else "语法错误"


def _caret(text: str, line: int, column: int) -> str:
    source_line = text.split("\n")[line - 1] if 0 < line <= text.count("\n") + 1 else text
    # East Asian characters take two terminal cells, so pad by display width, not by characters.
    prefix = source_line[: max(column - 1, 0)]
    width = sum(2 if east_asian_width(char) in "WF" else 1 for char in prefix)
    return f"{source_line}\n{' ' * width}^"
