"""The functions a condition may call: each declared once, with its signature, documentation and
example, which the compiler checks calls against and docs/dsl.md is tested against.

A function receives the evaluation context and its arguments already resolved: term arguments
arrive as a tuple of normalised terms, scope arguments as a scope name, expressions as values.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from checker.document import Document, first_named_year
from checker.scopes import Intervals

# Argument kinds
TERMS = "terms"      # any number of strings, [lists] and @lexicons, flattened into one tuple
GROUP = "group"      # one string, [list] or @lexicon: one group of alternative terms
GROUPS = "groups"    # two or more groups
SCOPE = "scope"      # a scope name: all, work, plans …
REGEX = "regex"      # a string holding a regular expression
NUMBER = "number"    # a value of type number
ANY = "any"          # a value of any type

SCOPE_NAMES = {
    "all": "标题和正文（不含网页栏目、页眉页脚）",
    "opening": "开头段（第一个编号标题之前）",
    "work": "工作部分：除“存在的不足”和“下一步安排”以外的正文（含开头段）",
    "shortcomings": "存在的问题和不足部分",
    "plans": "下一年度工作安排部分（含以“下一步”“明年”开头的段落）",
    "first_responsibility": "主要负责人履行第一责任人职责部分",
    "headings": "各级标题，以及“一是…二是…”的要点句",
}
VARIABLES = {
    "year": ("number", "报告所属年度"),
    "title_year": ("number", "标题中的年度"),
    "body_year": ("number", "正文标题或开头段所述年度"),
    "kind": ("text", '报告主体类型："government" 或 "department"'),
    "published": ("date", "发布日期"),
    "published_source": ("text", '发布日期的来源："meta"、"text"、"signature" 或 "user"'),
    "title": ("text", "报告标题"),
    "issuer": ("text", "报告主体"),
}

# A percentage stated after a term, in the same clause: 达98.13%, 为百分之百, 实现全覆盖.
RATE_WINDOW = 24
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%|百分之百|全覆盖")
CLAUSE_END = re.compile(r"[,;。:!?\n]")


@dataclass
class Context:
    """What one evaluation sees: the document, its term hits, the current scope and the rule."""

    document: Document
    hits: dict[str, list[int]]
    scope: Intervals
    params: dict[str, Any]
    evidence: list[int] = field(default_factory=list)
    regex_cache: dict[str, list[int]] = field(default_factory=dict)

    def positions(self, terms: tuple[str, ...]) -> list[int]:
        return sorted(p for term in terms for p in self.hits.get(term, ()) if p in self.scope)


@dataclass(frozen=True)
class Function:
    name: str
    args: tuple[str, ...]
    returns: str
    doc: str
    example: str
    implementation: Callable[..., Any] | None
    """None for the special forms the compiler builds itself."""


FUNCTIONS: dict[str, Function] = {}


def function(name: str, *args: str, returns: str, example: str):
    def register(implementation: Callable[..., Any]) -> Callable[..., Any]:
        FUNCTIONS[name] = Function(name, args, returns, (implementation.__doc__ or "").strip(), example, implementation)
        return implementation
    return register


# ---------------------------------------------------------------- finding terms

@function("has", TERMS, returns="bool", example='has("三项制度", "执法公示")')
def _has(ctx: Context, terms: tuple[str, ...]) -> bool:
    """任一词语出现在当前范围内即为真。True when any of the terms appears in the current scope."""
    found = ctx.positions(terms)
    ctx.evidence.extend(found[:2])
    return bool(found)


@function("has_all", TERMS, returns="bool", example='has_all("执法公示", "全过程记录", "法制审核")')
def _has_all(ctx: Context, terms: tuple[str, ...]) -> bool:
    """所有词语都出现在当前范围内才为真。True when every one of the terms appears in the scope."""
    firsts = [ctx.positions((term,))[:1] for term in terms]
    if all(firsts):
        ctx.evidence.extend(first[0] for first in firsts)
        return True
    return False


@function("count", TERMS, returns="number", example='count("公众参与", "专家论证", "风险评估") >= 2')
def _count(ctx: Context, terms: tuple[str, ...]) -> int:
    """当前范围内出现了几个不同的词语。How many distinct terms of the list appear in the scope."""
    found = [positions[0] for term in terms if (positions := ctx.positions((term,)))]
    ctx.evidence.extend(found)
    return len(found)


@function("matches", REGEX, returns="bool", example='matches("出庭应诉率.{0,4}100%")')
def _matches(ctx: Context, pattern: re.Pattern[str]) -> bool:
    """正则表达式在当前范围内有匹配。True when the regular expression matches inside the scope."""
    starts = ctx.regex_cache.get(pattern.pattern)
    if starts is None:
        starts = ctx.regex_cache[pattern.pattern] = [m.start() for m in pattern.finditer(ctx.document.text)]
    found = [p for p in starts if p in ctx.scope]
    ctx.evidence.extend(found[:2])
    return bool(found)


# ---------------------------------------------------------------- terms together

@function("together", GROUPS, returns="bool", example='together(["出庭应诉"], @shortfall)')
def _together(ctx: Context, *groups: tuple[str, ...]) -> bool:
    """每组至少一个词语出现在同一句中。True when one sentence holds a term of every group."""
    document = ctx.document
    sentences = None
    for group in groups:
        found = {document.sentence_index(p) for p in ctx.positions(group)}
        sentences = found if sentences is None else sentences & found
        if not sentences:
            return False
    first = min(sentences)
    ctx.evidence.append(document.sentence_starts[first])
    return True


@function("count_together", GROUPS, returns="number",
          example='count_together(["规范性文件"], ["审核", "审查"], ["备案"], ["清理"]) >= 2')
def _count_together(ctx: Context, anchor: tuple[str, ...], *groups: tuple[str, ...]) -> int:
    """第一组词语所在的句子中，后面各组分别有几组出现。How many of the later groups share a
    sentence with a term of the first group."""
    document = ctx.document
    anchored = {document.sentence_index(p) for p in ctx.positions(anchor)}
    count = 0
    for group in groups:
        shared = [p for p in ctx.positions(group) if document.sentence_index(p) in anchored]
        if shared:
            count += 1
            ctx.evidence.append(shared[0])
    return count


@function("near", GROUP, GROUP, NUMBER, returns="bool", example='near("重大行政决策", "合法性审查", 30)')
def _near(ctx: Context, first: tuple[str, ...], second: tuple[str, ...], distance: float) -> bool:
    """两组词语相距不超过 N 个字。True when terms of the two groups stand within N characters."""
    others = ctx.positions(second)
    for position in ctx.positions(first):
        if any(abs(position - other) <= distance for other in others):
            ctx.evidence.append(position)
            return True
    return False


# ---------------------------------------------------------------- numbers in the text

@function("rate", TERMS, returns="number", example='rate("出庭应诉率") >= 100%')
def _rate(ctx: Context, terms: tuple[str, ...]) -> float | None:
    """词语后同一分句中所述的百分比（百分之百、全覆盖计为100%），多处取最低；没有则为空。
    The percentage stated after a term in the same clause; the lowest if several; else nothing."""
    values = []
    text = ctx.document.text
    for term in terms:
        for position in ctx.positions((term,)):
            value = _percentage_after(text, position + len(term))
            if value is not None:
                values.append(value)
                ctx.evidence.append(position)
    return min(values) if values else None


def _percentage_after(text: str, start: int) -> float | None:
    window = text[start:start + RATE_WINDOW]
    if end := CLAUSE_END.search(window):
        window = window[:end.start()]
    stated = list(PERCENT.finditer(window))
    if not stated:
        return None
    last = stated[-1]  # 由85%提高到100%: the figure reached is the last one
    return float(last.group(1)) if last.group(1) else 100.0


@function("quantities", returns="number", example="quantities() >= 5")
def _quantities(ctx: Context) -> int:
    """当前范围内带单位的数字（件、次、项、人、%…）的个数。Quantified facts in the scope."""
    found = [p for p in ctx.document.quantities if p in ctx.scope]
    ctx.evidence.extend(found[:3])
    return len(found)


@function("heading_year", returns="number", example="within(plans, heading_year()) > year")
def _heading_year(ctx: Context) -> int | None:
    """当前范围内第一个标题所写的年份；没有则为空。The first year a heading in the scope names."""
    for heading in ctx.document.headings:
        if heading.start in ctx.scope and (year := first_named_year(heading.text)):
            ctx.evidence.append(heading.start)
            return year
    return None


# ---------------------------------------------------------------- structure

@function("has_section", SCOPE, returns="bool", example="has_section(shortcomings)")
def _has_section(ctx: Context, kind: str) -> bool:
    """报告有该部分的编号标题。True when a numbered heading opens a section of that kind."""
    for heading, kinds in ctx.document.section_kinds:
        if kind in kinds:
            ctx.evidence.append(heading.start)
            return True
    return False


# ---------------------------------------------------------------- values

@function("contains", ANY, TERMS, returns="bool", example='contains(title, "法治政府建设")')
def _contains(ctx: Context, value: Any, terms: tuple[str, ...]) -> bool:
    """文字值（如标题）包含任一词语。True when a text value such as the title holds any term."""
    return isinstance(value, str) and any(term in value for term in terms)


@function("known", ANY, returns="bool", example="known(published)")
def _known(ctx: Context, value: Any) -> bool:
    """值不为空（报告中读到了，或由用户给出）。True when the value is known."""
    return value is not None


@function("date", NUMBER, NUMBER, NUMBER, returns="date", example="published <= date(year + 1, 3, 31)")
def _date(ctx: Context, year: float | None, month: float | None, day: float | None) -> date | None:
    """由年、月、日构成日期。Builds a date; nothing when a part is unknown."""
    if None in (year, month, day):
        return None
    return date(int(year), int(month), int(day))


# `within` and `outside` take an unevaluated expression, so the compiler builds them itself
# (they have no implementation here); they are declared so the documentation and the argument
# checks have one source.
FUNCTIONS["within"] = Function(
    "within", (SCOPE, ANY), "same", "在指定范围内求值（嵌套时取交集）。Evaluates the expression inside that scope only.",
    'within(plans, has("三项制度"))', None)
FUNCTIONS["outside"] = Function(
    "outside", (SCOPE, ANY), "same", "在当前范围去掉指定范围后求值。Evaluates the expression with that scope taken out.",
    'within(work, outside(opening, has("习近平法治思想")))', None)
