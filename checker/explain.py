"""fzcheck rules explain: why one rule gives one report the verdict it does.

A drafter whose report fails a rule it seems to meet asks which part of the condition did not
hold, and on which words. Each condition field of the rule is evaluated again the explaining way
(`CompiledCondition.trace`, so that an audit pays nothing for this), every node of it with its
value and, for each function call, the spans it matched, quoted as an audit quotes its evidence
(line, text, what the statement does). The verdict is decided from those values in the engine's
order, and the nodes that decided it are put into one sentence.

Nothing here prints: `render_explanation` and `explanation_json` show what `explain_rule` found.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from checker.condition import ast
from checker.condition.compiler import Step
from checker.condition.functions import Context, Searches
from checker.document import Document, build_document
from checker.engine import quote_positions
from checker.models import Evidence, Status
from checker.pipeline import STDIN, RunSettings
from checker.readers import read_source, read_stdin
from checker.ruleset import CONDITION_FIELDS, CompiledRule, RuleSet

if TYPE_CHECKING:
    from rich.console import Console

FIELD_LABELS = {"not_applicable": "不适用条件", "pass": "达标条件", "partial": "部分达标条件"}
"""Each condition field's Chinese name, as `rules show` and `rules explain` head it."""
SCOPE_LABELS = {
    "all": "全文", "opening": "开头段", "work": "工作部分", "shortcomings": "存在问题部分", "plans": "下一步安排",
    "promises": "承诺的分句", "admissions": "自认不足的分句", "negations": "否定的分句", "directives": "要求他人的分句",
    "first_responsibility": "第一责任人部分", "headings": "标题",
}
"""A scope's short name, for a sentence ("工作部分中 rate(…) = 92%"); functions.SCOPE_NAMES says
what each covers."""
PERCENTAGES = frozenset({"rate", "count_rate"})
"""The functions whose number is a percentage (shown as 92%)."""
LITERALS = (ast.String, ast.Number, ast.Percent, ast.DateLiteral)
"""Nodes shown only as part of their parent's text: their value is what is written."""
SHORT = 60
"""Characters of a condition shown in a sentence or a tree node with parts under it."""


# ---------------------------------------------------------------- what an explanation holds

@dataclass(frozen=True)
class Part:
    """A node of a condition, evaluated on the report."""

    text: str
    """The node written as a condition."""
    form: str
    """all_of, any_of, not, compare, arithmetic, within, outside, call, name or parameter."""
    type: str
    """bool for a condition; number, date or text for a value."""
    value: Any
    """What it evaluated to; None when unknown."""
    result: str | None
    """For a condition: true, false, or unknown (a comparison with a side that has no value,
    which is false); None for a value."""
    evidence: tuple[Evidence, ...]
    """For a function call: the spans it matched, quoted."""
    children: tuple[Part, ...]
    function: str | None = None
    """The function a call calls."""
    scope: str | None = None
    """The scope a within or outside names."""

    @property
    def holds(self) -> bool:
        return self.result == "true"


@dataclass(frozen=True)
class FieldExplanation:
    field: str
    """not_applicable, pass or partial."""
    holds: bool
    counted: bool
    """Whether the engine tries this field: not after an earlier field has decided the verdict."""
    condition: Part


@dataclass(frozen=True)
class Explanation:
    rule_id: str
    title: str
    scope: str
    """The rule's own scope, which its conditions are evaluated in."""
    params: dict[str, Any]
    file: str
    status: Status
    why: str
    """The verdict's reasons, in one sentence."""
    fields: tuple[FieldExplanation, ...]


# ---------------------------------------------------------------- explaining

def read_document(path: str, ruleset: RuleSet, settings: RunSettings) -> Document:
    """The report as `fzcheck audit` reads it. Raises ReadError."""
    source = read_stdin() if path == STDIN else read_source(path, limits=settings.limits)
    return build_document(source, settings.overrides, ruleset.vocabulary, settings.defaults)


def explain_rule(rule: CompiledRule, document: Document, hits: dict[str, Sequence[int]]) -> Explanation:
    """Every condition field of `rule` on `document` (`hits`: the rule set's scan of its text),
    traced, and the verdict they give in the engine's order: the first field that holds."""
    searches = Searches(document.text)
    explained = []
    status = None
    for field in CONDITION_FIELDS:
        condition = rule.conditions.get(field)
        if condition is None:
            continue
        context = Context(document, hits, document.scopes["all"], rule.params, searches=searches)
        part = _part(condition.trace(context), document)
        explained.append(FieldExplanation(field, part.holds, status is None, part))
        if status is None and part.holds:
            status = Status(field)
    status = status or Status.FAIL
    return Explanation(rule.spec.id, rule.spec.title, rule.spec.scope, dict(rule.params), document.source.path,
                       status, _why(explained, rule.spec.scope), tuple(explained))


def _part(step: Step, document: Document) -> Part:
    node = step.node
    children = tuple(_part(child, document) for child in step.children if not isinstance(child.node, LITERALS))
    form = _form(node)
    result = None
    if step.type == "bool":
        result = "true" if step.value else "false"
        if form == "compare" and any(child.value is None for child in step.children):
            result = "unknown"
        elif form in ("within", "outside") and children[0].result == "unknown":
            result = "unknown"
    function = node.function if isinstance(node, ast.Call) else None
    return Part(
        text=condition_text(node),
        form=form,
        type=step.type,
        value=step.value,
        result=result,
        evidence=tuple(quote_positions(document, _own(step))) if form == "call" else (),
        children=children,
        function=function,
        scope=node.args[0].name if form in ("within", "outside") else None,
    )


def _own(step: Step) -> list[int]:
    """The positions a call's own function matched, not those of the calls in its arguments
    (known(rate(…)) quotes nothing that rate(…) does not)."""
    inner = {position for child in step.children for position in child.positions}
    return [position for position in step.positions if position not in inner]


def _form(node: ast.Node) -> str:
    if isinstance(node, ast.Call):
        return node.function if node.function in ("within", "outside") else "call"
    return {ast.AnyOf: "any_of", ast.AllOf: "all_of", ast.Not: "not", ast.Compare: "compare",
            ast.Arithmetic: "arithmetic", ast.Name: "name", ast.Parameter: "parameter"}[type(node)]


# ---------------------------------------------------------------- the sentence

def _why(fields: list[FieldExplanation], rule_scope: str) -> str:
    """`pass 不成立：…；partial 成立：…`: each field the engine tried, up to the one that decided.
    A not_applicable that does not hold is the usual case and is left out."""
    where = [] if rule_scope == "all" else [("within", rule_scope)]
    parts = []
    for explained in fields:
        if not explained.counted:
            break
        if explained.holds or explained.field != "not_applicable":
            verdict = "成立" if explained.holds else "不成立"
            parts.append(f"{explained.field} {verdict}：{'；'.join(_causes(explained.condition, where))}")
    return "；".join(parts)


def _causes(part: Part, where: list[tuple[str, str]]) -> list[str]:
    """The parts of an and/or that made it what it is, each said as `text 为真/为假——what was found`."""
    if part.form in ("all_of", "any_of"):
        return [cause for child in _deciding(part) for cause in _causes(child, where)]
    said = f"{_short(part.text)} {'为真' if part.holds else '为假'}"
    inner = part
    while inner.form in ("within", "outside", "not"):  # said once, where the facts were looked for
        if inner.form != "not":
            where = [*where, (inner.form, inner.scope)]
        inner = inner.children[0]
    if inner is part and part.form == "call" and part.type == "bool" and part.function != "known":
        lines = _lines(part.evidence)  # has(@court) 在第 12 行: the call says what it looked for
        if part.holds:
            return [f"{_short(part.text)} 在{_place(where, '')}{lines}" if lines else said]
        return [f"{said}——{_place(where)}未找到"]
    found = _found(_facts(inner))
    return [f"{said}——{_place(where)}{found}" if found else said]


def _deciding(part: Part) -> list[Part]:
    """The operands that agree with an and/or's result: the false ones of a false `and`, the true
    ones of a true `or`, all of them otherwise."""
    return [child for child in part.children if child.holds == part.holds]


def _facts(part: Part) -> list[tuple[str, bool]]:
    """What the values under `part` were, each with whether the report had it (a value, a span).
    A comparison is one fact, of both its sides; a rule's parameter is no finding of its own."""
    if part.form == "parameter":
        return [(f"{part.text} = {_value_text(part)}", True)]
    if part.form == "name":
        return [(f"{part.text} 未知", False)] if part.value is None else [(f"{part.text} = {_value_text(part)}", True)]
    if part.form == "call":
        if part.function == "known":
            return _facts(part.children[0]) if part.children else []
        lines = _lines(part.evidence)
        if part.type == "bool":
            inner = [fact for child in part.children for fact, _ in _facts(child)]
            aside = f"（{'，'.join(inner)}）" if inner else ""
            if part.value:
                return [(f"{_short(part.text)} 在{lines}" if lines else f"{_short(part.text)} 成立{aside}", True)]
            return [(f"{_short(part.text)} {'不成立' if inner else '未找到'}{aside}", False)]
        if part.value is None:
            return [(f"{_short(part.text)} 未知（报告中没有）", False)]
        return [(f"{_short(part.text)} = {_value_text(part)}" + (f"（{lines}）" if lines else ""), True)]
    if part.form in ("compare", "arithmetic"):
        read = [fact for child in part.children if child.form != "parameter" for fact in _facts(child)]
        if read and not any(found for _, found in read):
            return [("，".join(text for text, _ in read), False)]
        return [("，".join(text for child in part.children for text, _ in _facts(child)), True)]
    if part.form in ("within", "outside"):
        inner = _facts(part.children[0])
        where = f"{SCOPE_LABELS[part.scope]}{'中' if part.form == 'within' else '以外'}"
        return [(f"{where} {_found(inner)}", any(found for _, found in inner))] if inner else []
    if part.form in ("all_of", "any_of"):
        return [fact for child in _deciding(part) for fact in _facts(child)]
    return [fact for child in part.children for fact in _facts(child)]


def _found(facts: list[tuple[str, bool]]) -> str:
    """The facts in a phrase, each once: what was found, and how many parts found nothing."""
    facts = list(dict.fromkeys(facts))
    found = [text for text, present in facts if present]
    missing = [text for text, present in facts if not present]
    if found:
        return "，".join(found) + (f"，其余 {len(missing)} 项未找到" if missing else "")
    if len(missing) > 2:
        return f"{'，'.join(missing[:2])} 等 {len(missing)} 项都未找到"
    return "，".join(missing)


def _place(where: list[tuple[str, str]], after: str = "中 ") -> str:
    """工作部分中 / 工作部分中的标题中 / 全文（除开头段）中: where the facts that follow were looked for."""
    if not where:
        return ""
    named = ""
    for operation, scope in where:
        label = SCOPE_LABELS[scope]
        if operation == "outside":
            named = f"{named or '全文'}（除{label}）"
        else:
            named = f"{named}中的{label}" if named else label
    return named + after


def _lines(evidence: tuple[Evidence, ...]) -> str:
    lines = sorted({item.line for item in evidence})
    return f"第 {'、'.join(map(str, lines))} 行" if lines else ""


def _short(text: str, length: int = SHORT) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


def _value_text(part: Part) -> str:
    value = part.value
    if value is None:
        return "未知"
    if isinstance(value, bool):
        return "真" if value else "假"
    if isinstance(value, (int, float)):
        shown = f"{round(value, 1):g}"
        return f"{shown}%" if part.function in PERCENTAGES else shown
    if isinstance(value, date):
        return value.isoformat()
    return f"“{_short(str(value), 30)}”"


# ---------------------------------------------------------------- conditions written back

LEVELS = {ast.AnyOf: 1, ast.AllOf: 2, ast.Not: 3, ast.Compare: 4, ast.Arithmetic: 5}
"""How tightly each operator binds (grammars/condition.lark, loosest first); atoms bind at 6."""


def condition_text(node: ast.Node) -> str:
    """The condition `node` was parsed from, written in one line with only the parentheses its
    meaning needs (comments and line breaks are not in the tree)."""
    return _written(node, 0)


def _written(node: ast.Node, context: int) -> str:
    level = LEVELS.get(type(node), 6)
    if isinstance(node, (ast.AnyOf, ast.AllOf)):
        word = " or " if isinstance(node, ast.AnyOf) else " and "
        operands = []
        kind = type(node)
        while type(node) is kind:  # a left-leaning chain, written without recursing down it
            operands.append(_written(node.right, level + 1))
            node = node.left
        operands.append(_written(node, level))
        text = word.join(reversed(operands))
    elif isinstance(node, ast.Not):
        text = f"not {_written(node.operand, level)}"
    elif isinstance(node, ast.Compare):
        text = f"{_written(node.left, level + 1)} {node.operator} {_written(node.right, level + 1)}"
    elif isinstance(node, ast.Arithmetic):
        text = f"{_written(node.left, level)} {node.operator} {_written(node.right, level + 1)}"
    elif isinstance(node, ast.Call):
        text = f"{node.function}({', '.join(_written(arg, 0) for arg in node.args)})"
    elif isinstance(node, ast.TermList):
        text = f"[{', '.join(_written(item, 0) for item in node.items)}]"
    elif isinstance(node, ast.String):
        text = _string(node.value)
    elif isinstance(node, (ast.Number, ast.Percent)):
        value = node.value
        text = (str(int(value)) if value.is_integer() else repr(value)) + ("%" if isinstance(node, ast.Percent) else "")
    elif isinstance(node, ast.DateLiteral):
        text = node.value.isoformat()
    else:
        prefix = {ast.Parameter: "$", ast.Lexicon: "@"}.get(type(node), "")
        text = prefix + node.name
    return f"({text})" if level < context else text


def _string(value: str) -> str:
    if '"' in value and "'" not in value:
        return f"'{value}'"
    return '"' + value.replace('"', '\\"') + '"'


# ---------------------------------------------------------------- showing it

CONNECTIVES = {"all_of": "以下各项都成立（and）", "any_of": "以下任一项成立（or）"}
"""How an and / or is headed in the tree: its operands, under it, are its text."""
RESULT_MARKS = {"true": ("✓", "green"), "false": ("✗", "red"), "unknown": ("?", "yellow")}
RESULT_WORDS = {"true": "成立", "false": "不成立", "unknown": "未知（比较的一方没有值，按不成立计）"}


def render_explanation(explanation: Explanation, console: Console) -> None:
    """The verdict and its reason, then each condition field as an indented tree. Report text goes
    out as plain Text (through `shown`): it may hold "[…]" and control characters."""
    from rich.text import Text
    from rich.tree import Tree

    from checker.output.labels import STATUS_STYLES
    from checker.output.safe_text import shown, shown_name

    console.print(Text.assemble((explanation.title, "bold"), "  ", (explanation.rule_id, "dim")))
    console.print(Text(f"报告：{shown_name(explanation.file)}"))
    scope = "" if explanation.scope == "all" else f"    范围：{explanation.scope}（{SCOPE_LABELS[explanation.scope]}）"
    params = "，".join(f"${key} = {value}" for key, value in explanation.params.items())
    console.print(Text.assemble("结论：", (explanation.status.label, STATUS_STYLES[explanation.status]), scope,
                                f"    参数：{params}" if params else ""))
    console.print(Text(f"原因：{shown(explanation.why)}"))
    for explained in explanation.fields:
        verdict = "成立" if explained.holds else "不成立"
        aside = "" if explained.counted else "（未参与判定：前面的条件已决定结论）"
        tree = Tree(Text.assemble("\n", (f"{FIELD_LABELS[explained.field]} {explained.field}", "bold"),
                                  f"：{verdict}{aside}"), guide_style="dim")
        _grow(tree, explained.condition)
        console.print(tree)


def _grow(tree: Any, part: Part) -> None:
    from rich.text import Text

    from checker.output.labels import quote
    from checker.output.safe_text import shown

    text = CONNECTIVES.get(part.form) or (_short(part.text, SHORT * 2) if part.children else part.text)
    if part.result is not None:
        mark, style = RESULT_MARKS[part.result]
        label = Text.assemble((mark, style), " ", text, ("  " + RESULT_WORDS[part.result], style))
    else:
        label = Text.assemble("• ", text, ("  = " + _value_text(part), "cyan"))
    if part.scope is not None:
        label.append(f"  〔{SCOPE_LABELS[part.scope]}{'中' if part.form == 'within' else '以外'}〕", "dim")
    branch = tree.add(label)
    for evidence in part.evidence:
        branch.add(Text(shown(quote(evidence)), style="dim"))
    for child in part.children:
        _grow(branch, child)


def explanation_json(explanation: Explanation) -> str:
    """One JSON document: the verdict, the sentence, and each field's tree."""
    from checker.output.safe_text import shown, shown_name

    data = {
        "rule": {"id": explanation.rule_id, "title": explanation.title, "scope": explanation.scope,
                 "params": explanation.params},
        "file": shown_name(explanation.file),
        "status": explanation.status.value,
        "label": explanation.status.label,
        "why": shown(explanation.why),
        "conditions": [{"field": item.field, "holds": item.holds, "counted": item.counted,
                        "tree": _part_json(item.condition, shown)} for item in explanation.fields],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


def _part_json(part: Part, shown: Any) -> dict[str, Any]:
    value = part.value.isoformat() if isinstance(part.value, date) else part.value
    data: dict[str, Any] = {"expression": part.text, "form": part.form, "type": part.type, "value": value}
    if part.result is not None:
        data["result"] = part.result
    if part.scope is not None:
        data["scope"] = part.scope
    if part.form == "call":
        data["evidence"] = [{"line": item.line, "text": shown(item.text), "statement": item.statement,
                             "section": item.section, "page": item.page} for item in part.evidence]
    if part.children:
        data["children"] = [_part_json(child, shown) for child in part.children]
    return data
