"""Check a parsed condition against the function table and the rule's names, and turn it into a
closure evaluated per document.

Everything that can be wrong with a condition besides its syntax (an unknown function, a wrong
argument, comparing a date with a number, a missing parameter) is found here, once, when the rule
set loads, never halfway through a batch.
"""
from __future__ import annotations

import operator
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from checker.condition import ast
from checker.condition.errors import ConditionError
from checker.condition.functions import (
    ANY, DATE_PARTS, FUNCTIONS, GROUP, GROUPS, NUMBER, REGEX, SCOPE, SCOPE_NAMES, TERMS, VARIABLES, Context, ValueType,
)
from checker.condition.regex import RegexError, compile_regex

Compiled = Callable[[Context], Any]

COMPARATORS = {
    ">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt, "==": operator.eq, "!=": operator.ne,
}


@dataclass(frozen=True)
class CompiledCondition:
    evaluate: Compiled
    terms: frozenset[str]
    """Every literal term the condition looks for, so a rule set scans a text for all at once."""
    tree: ast.Node
    params: dict[str, Any]
    lexicon: dict[str, list[str]]
    """The rule set's whole lexicon (one dict, shared by every condition of the set)."""
    scope: str
    """What the condition was compiled from, kept for `trace`: a cached rule set keeps no YAML to
    read the tree and the lexicon again from."""

    def trace(self, ctx: Context) -> Step:
        """Evaluate the condition again, the explaining way (see `_Tracer`): the tree of every
        node's value and matched positions, its root being the whole condition. `evaluate`
        records nothing, so that an audit pays nothing for explanations it does not ask for."""
        tracer = _Tracer(self.params, self.lexicon)
        _in_scope(tracer.expect(self.tree, ValueType.BOOL), self.scope)(ctx)
        return tracer.steps[0]


class Step:
    """One node of a condition as `CompiledCondition.trace` evaluated it. Literal terms, scope
    names and regular expressions are part of their call, not steps of their own. (A plain
    class: a dataclass costs every audit's start-up the making of its methods.)"""

    __slots__ = ("node", "type", "children", "value", "positions")

    def __init__(self, node: ast.Node) -> None:
        self.node = node
        self.type: ValueType | None = None
        """The node's type, once compiled."""
        self.children: list[Step] = []
        self.value: Any = None
        """What the node evaluated to; None when unknown."""
        self.positions: list[int] = []
        """The text positions the functions under this node matched, in the order they recorded them."""


class _Constant:
    """An argument known when the rule set loads: a call whose arguments are all constants passes
    their values as they are, rather than calling a closure for each on every document."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __call__(self, ctx: Context) -> Any:
        return self.value


def normalise_term(term: str) -> str:
    return unicodedata.normalize("NFKC", term)


class _Compiler:
    def __init__(self, params: dict[str, Any], lexicon: dict[str, list[str]]) -> None:
        self.params = params
        self.lexicon = lexicon
        self.terms: set[str] = set()

    # Each method returns (closure, type).
    def compile(self, node: ast.Node) -> tuple[Compiled, str]:
        method = getattr(self, f"_{type(node).__name__}")
        return method(node)

    def expect(self, node: ast.Node, wanted: str) -> Compiled:
        compiled, kind = self.compile(node)
        if kind != wanted:
            raise ConditionError(f"这里需要{wanted.label}，得到的是{kind.label}", node.pos)
        return compiled

    # A chain of one operator (`a or b or …`, 400 long in some generated rules) is compiled and
    # evaluated as one flat list, so neither recursion goes deeper than the condition nests.
    # (Loops rather than any()/all() over a generator: every rule evaluates these, and a
    # generator per evaluation costs more than the test it drives.)
    def _AnyOf(self, node: ast.AnyOf):
        parts = [self.expect(operand, ValueType.BOOL) for operand, _ in _chain(node)]

        def evaluate(ctx: Context) -> bool:
            for part in parts:
                if part(ctx):
                    return True
            return False
        return evaluate, ValueType.BOOL

    def _AllOf(self, node: ast.AllOf):
        parts = [self.expect(operand, ValueType.BOOL) for operand, _ in _chain(node)]

        def evaluate(ctx: Context) -> bool:
            for part in parts:
                if not part(ctx):
                    return False
            return True
        return evaluate, ValueType.BOOL

    def _Not(self, node: ast.Not):
        count = 0
        while isinstance(node, ast.Not):
            node, count = node.operand, count + 1
        operand = self.expect(node, ValueType.BOOL)
        if count % 2 == 0:
            return (lambda ctx: bool(operand(ctx))), ValueType.BOOL
        return (lambda ctx: not operand(ctx)), ValueType.BOOL

    def _Compare(self, node: ast.Compare):
        (left, left_type), (right, right_type) = self.compile(node.left), self.compile(node.right)
        if left_type != right_type:
            raise ConditionError(
                f"不能比较{left_type.label}和{right_type.label}", node.pos
            )
        if left_type in (ValueType.BOOL, ValueType.TEXT) and node.operator not in ("==", "!="):
            raise ConditionError(f"{left_type.label}只能用 == 或 != 比较", node.pos)
        compare = COMPARATORS[node.operator]

        def evaluate(ctx: Context) -> bool:
            a, b = left(ctx), right(ctx)
            # An unknown value (no rate stated, no date found) satisfies no comparison.
            return a is not None and b is not None and compare(a, b)
        return evaluate, ValueType.BOOL

    def _Arithmetic(self, node: ast.Arithmetic):
        terms = [(self.expect(operand, ValueType.NUMBER), sign) for operand, sign in _chain(node)]

        def evaluate(ctx: Context):
            total = 0
            for term, sign in terms:
                value = term(ctx)
                if value is None:
                    return None
                total = total + value if sign > 0 else total - value
            return total
        return evaluate, ValueType.NUMBER

    def _String(self, node: ast.String):
        return (lambda ctx: node.value), ValueType.TEXT

    def _Number(self, node: ast.Number):
        return (lambda ctx: node.value), ValueType.NUMBER

    _Percent = _Number

    def _DateLiteral(self, node: ast.DateLiteral):
        return (lambda ctx: node.value), ValueType.DATE

    def _TermList(self, node: ast.TermList):
        raise ConditionError("词语列表只能作为函数的参数", node.pos)

    def _Lexicon(self, node: ast.Lexicon):
        raise ConditionError("词表只能作为函数的参数", node.pos)

    def _Name(self, node: ast.Name):
        if node.name in SCOPE_NAMES:
            raise ConditionError(f"范围 {node.name} 只能用在 within、outside、has_section 中", node.pos)
        if node.name not in VARIABLES:
            raise ConditionError(f"未知的名称 {node.name}（可用：{'、'.join(VARIABLES)}）", node.pos)
        kind = VARIABLES[node.name][0]
        name = node.name
        return (lambda ctx: getattr(ctx.document.meta, name)), kind

    def _Parameter(self, node: ast.Parameter):
        if node.name not in self.params:
            raise ConditionError(f"规则没有参数 ${node.name}（请在 params 中定义）", node.pos)
        name = node.name
        value = self.params[name]
        kind = ValueType.NUMBER if isinstance(value, (int, float)) else ValueType.TEXT
        return (lambda ctx: ctx.params[name]), kind

    def _Call(self, node: ast.Call):
        spec = FUNCTIONS.get(node.function)
        if spec is None:
            raise ConditionError(f"未知函数 {node.function}（可用：{'、'.join(sorted(FUNCTIONS))}）", node.pos)
        if spec.implementation is None:
            return self._scoped(node)
        args = self._arguments(node, spec.args)
        if node.function == "date":
            self._date_parts(node)
        implementation = spec.implementation
        if all(isinstance(arg, _Constant) for arg in args):  # terms, scopes, patterns: most calls
            values = tuple(arg.value for arg in args)
            return (lambda ctx: implementation(ctx, *values)), spec.returns
        return (lambda ctx: implementation(ctx, *[arg(ctx) for arg in args])), spec.returns

    @staticmethod
    def _date_parts(node: ast.Call) -> None:
        for arg, (part, low, high) in zip(node.args, DATE_PARTS):
            if isinstance(arg, (ast.Number, ast.Percent)) and not (low <= arg.value <= high and arg.value.is_integer()):
                raise ConditionError(f"date 的{part}应为 {low} 到 {high} 的整数，这里是 {arg.value:g}", arg.pos)

    def _scoped(self, node: ast.Call):
        self._arity(node, 2)
        scope = self._scope(node.args[0])
        inner, kind = self.compile(node.args[1])
        operation = node.function

        def evaluate(ctx: Context):
            outer = ctx.scope
            ctx.scope = ctx.document.restricted(outer, operation, scope)
            try:
                return inner(ctx)
            finally:
                ctx.scope = outer
        return evaluate, kind

    def _arity(self, node: ast.Call, count: int) -> None:
        if len(node.args) != count:
            raise ConditionError(f"{node.function} 需要 {count} 个参数，实际 {len(node.args)} 个", node.pos)

    def _arguments(self, node: ast.Call, kinds: tuple[str, ...]) -> list[Compiled]:
        if kinds and kinds[-1] == TERMS:
            fixed = len(kinds) - 1
            if len(node.args) <= fixed:
                raise ConditionError(f"{node.function} 至少需要 {fixed + 1} 个参数", node.pos)
            terms = tuple(term for arg in node.args[fixed:] for term in self._terms(arg))
            leading = [self._argument(arg, kind) for arg, kind in zip(node.args[:fixed], kinds[:fixed])]
            return leading + [self._constant(terms)]
        if kinds == (GROUPS,):
            if len(node.args) < 2:
                raise ConditionError(f"{node.function} 至少需要两组词语", node.pos)
            return [self._constant(self._terms(arg)) for arg in node.args]
        self._arity(node, len(kinds))
        return [self._argument(arg, kind) for arg, kind in zip(node.args, kinds)]

    def _argument(self, node: ast.Node, kind: str) -> Compiled:
        if kind == GROUP:
            return self._constant(self._terms(node))
        if kind == SCOPE:
            return self._constant(self._scope(node))
        if kind == REGEX:
            if not isinstance(node, ast.String):
                raise ConditionError("这里需要一个正则表达式字符串", node.pos)
            try:
                return self._constant(compile_regex(normalise_term(node.value)))
            except RegexError as error:
                raise ConditionError(str(error), node.pos) from None
        if kind == NUMBER:
            return self.expect(node, ValueType.NUMBER)
        assert kind == ANY
        return self.compile(node)[0]

    @staticmethod
    def _constant(value: Any) -> Compiled:
        return _Constant(value)

    def _scope(self, node: ast.Node) -> str:
        if not isinstance(node, ast.Name) or node.name not in SCOPE_NAMES:
            raise ConditionError(f"这里需要范围名（{'、'.join(SCOPE_NAMES)}）", node.pos)
        return node.name

    def _terms(self, node: ast.Node) -> tuple[str, ...]:
        if isinstance(node, ast.String):
            if not node.value:
                raise ConditionError("词语不能为空", node.pos)
            terms = (normalise_term(node.value),)
        elif isinstance(node, ast.TermList):
            if not node.items:
                raise ConditionError("词语列表不能为空", node.pos)
            terms = tuple(term for item in node.items for term in self._terms(item))
        elif isinstance(node, ast.Lexicon):
            if node.name not in self.lexicon:
                raise ConditionError(f"未定义的词表 @{node.name}", node.pos)
            terms = tuple(normalise_term(term) for term in self.lexicon[node.name])
        else:
            raise ConditionError("这里需要词语：\"…\"、[\"…\", \"…\"] 或 @词表", node.pos)
        self.terms.update(terms)
        return terms


def _chain(node: ast.Node) -> list[tuple[ast.Node, int]]:
    """The operands of a chain of `node`'s operator, left to right, each with its sign (+1, or -1
    for a term subtracted: `a - (b - c)` is a - b + c)."""
    kind, operands, stack = type(node), [], [(node, 1)]
    while stack:
        current, sign = stack.pop()
        if type(current) is not kind:
            operands.append((current, sign))
        elif kind is ast.Arithmetic:
            stack += [(current.right, -sign if current.operator == "-" else sign), (current.left, sign)]
        else:
            stack += [(current.right, sign), (current.left, sign)]
    return operands


class _Tracer(_Compiler):
    """The compiler of `CompiledCondition.trace`: each node's closure also writes its value and
    the positions its functions matched into the node's Step, and `and` / `or` evaluate every
    operand, so an explanation says of each part whether it held, not only of those an audit
    reaches. (The functions have no effect but the positions they record, so the result is the
    audit's.) A condition is traced once per evaluation: each node is evaluated at most once
    there, so one Step per node holds its value."""

    def __init__(self, params: dict[str, Any], lexicon: dict[str, list[str]]) -> None:
        super().__init__(params, lexicon)
        self.steps: list[Step] = []
        """The outermost node's Step (one: the condition)."""
        self._open = [self.steps]
        """Where the node being compiled goes: the children of the node compiled around it."""

    def compile(self, node: ast.Node) -> tuple[Compiled, str]:
        step = Step(node)
        self._open[-1].append(step)
        self._open.append(step.children)
        try:
            closure, step.type = super().compile(node)
        finally:
            self._open.pop()

        def traced(ctx: Context) -> Any:
            mark = len(ctx.evidence)
            step.value = closure(ctx)
            step.positions = ctx.evidence[mark:]
            return step.value
        return traced, step.type

    def _AnyOf(self, node: ast.AnyOf):
        parts = [self.expect(operand, ValueType.BOOL) for operand, _ in _chain(node)]
        return (lambda ctx: any([part(ctx) for part in parts])), ValueType.BOOL

    def _AllOf(self, node: ast.AllOf):
        parts = [self.expect(operand, ValueType.BOOL) for operand, _ in _chain(node)]
        return (lambda ctx: all([part(ctx) for part in parts])), ValueType.BOOL


def _in_scope(inner: Compiled, scope: str) -> Compiled:
    """`inner` evaluated inside `scope`, a rule's default scope."""

    def evaluate(ctx: Context) -> bool:
        outer = ctx.scope
        if ctx.document.scopes[scope] is outer:  # already there: a rule on all the text, as most are
            return inner(ctx)
        ctx.scope = ctx.document.restricted(outer, "within", scope)
        try:
            return inner(ctx)
        finally:
            ctx.scope = outer
    return evaluate


def compile_condition(node: ast.Node, params: dict[str, Any], lexicon: dict[str, list[str]],
                      scope: str = "all") -> CompiledCondition:
    """Compile a boolean condition evaluated inside `scope` (a rule's default scope)."""
    if scope not in SCOPE_NAMES:
        raise ConditionError(f"未知范围 {scope}（可用：{'、'.join(SCOPE_NAMES)}）", (1, 1))
    compiler = _Compiler(params, lexicon)
    evaluate = _in_scope(compiler.expect(node, ValueType.BOOL), scope)
    return CompiledCondition(evaluate, frozenset(compiler.terms), node, params, lexicon, scope)

