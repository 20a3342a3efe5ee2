"""The functions a condition may call: each declared once, with its signature, documentation and
example, which the compiler checks calls against and docs/dsl.md is tested against.

A function receives the evaluation context and its arguments already resolved: term arguments
arrive as a tuple of normalised terms, scope arguments as a scope name, expressions as values.
"""
from __future__ import annotations

import inspect
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from datetime import date
from typing import Any

from checker.document import Document, first_named_year
from checker.document.numbers import cn_decimal, cn_number
from checker.scopes import Intervals

# Argument kinds
class ValueType(str, Enum):
    """What a condition's value is: the compiler checks each operand's against what its place
    needs when the rule set loads, so a type error never surfaces halfway through a batch."""

    BOOL = "bool"
    NUMBER = "number"
    DATE = "date"
    TEXT = "text"

    @property
    def label(self) -> str:
        """The type as an error message names it (这里需要数值，得到的是文字)."""
        return {"bool": "条件", "number": "数值", "date": "日期", "text": "文字"}[self.value]


# The kinds of argument a function takes.
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
    "work": "工作部分中陈述已完成工作的分句：除“存在的不足”和“下一步安排”以外的正文（含开头段），不含承诺、自认不足、否定和要求他人的分句",
    "shortcomings": "存在的问题和不足部分",
    "plans": "下一年度工作安排部分，以及任何位置的承诺（“下一步”“将…”“确保…达到”）",
    "promises": "承诺、打算的分句（下一步…将…、力争、确保…达到）",
    "admissions": "自认不足的分句（有待提高、还不到位、仍有差距），以及“存在的不足”部分",
    "negations": "否定的分句（尚未建立、未开展）",
    "directives": "要求他人做的分句（督促各乡镇…、指导各部门…）",
    "first_responsibility": "主要负责人履行第一责任人职责部分",
    "headings": "各级标题，以及“一是…二是…”的要点句",
}
VARIABLES = {
    "year": (ValueType.NUMBER, "报告所属年度"),
    "title_year": (ValueType.NUMBER, "标题中的年度"),
    "body_year": (ValueType.NUMBER, "正文标题或开头段所述年度"),
    "kind": (ValueType.TEXT, '报告主体类型："government" 或 "department"'),
    "published": (ValueType.DATE, "发布日期"),
    "published_source": (ValueType.TEXT, '发布日期的来源："meta"、"text"、"signature" 或 "user"'),
    "title": (ValueType.TEXT, "报告标题"),
    "issuer": (ValueType.TEXT, "报告主体"),
    "document_type": (ValueType.TEXT, "文件看起来是什么：“法治政府建设年度报告”，或“政府工作报告”“政府信息公开工作年度报告”“通知”等"),
    "document_type_reason": (ValueType.TEXT, "作出该判断的理由（一句话）"),
}

# A percentage stated after a term: 达98.13%, 为百分之百, 百分之九十七点二, 实现全覆盖; the clause
# right after the term may be a short link (出庭应诉率，达到100%), and a 分别为 list gives each
# term its own figure (出庭率、纠错率分别为100%和3.1%).
RATE_WINDOW = 48
PERCENT = re.compile(r"(\d+(?:\.\d+)?)\s*%|百分之百|全覆盖|百分之([零〇一二三四五六七八九十百点]+)")
SENTENCE_END = re.compile(r"[;。!?\n]")
CLAUSE_END = re.compile(r"[,:|]")  # a table cell ("出庭应诉率 | 100% | 败诉率 | 4.7%") is a clause too
LINK_CLAUSE = 8
RESPECTIVELY = re.compile(r"分别(?:为|是|达到?|实现)")
LIST_ITEM_BEFORE = re.compile(r"率\s*(?:、|和|及|与)")
ANOTHER_RATE = re.compile(r"[\u4e00-\u9fff]{2,}率")
# A count after a term: 应出庭12件, 负责人出庭十二件.
COUNT_AFTER = re.compile(r"[^,;。\d一二三四五六七八九十]{0,10}?(\d+|[一二三四五六七八九十两百]+)\s*(?:余)?\s*(?:件|起|宗|次|个|人次)")
# Counts in one list (主要负责人出庭2件、分管负责人出庭13件) add up; a clause mark ends the list.
COUNT_CLAUSE_MARKS = (",", ";", "。", ":")
LIST_JOINS = ("、", "和", "及", "以及")
LIST_GAP = 12
"""Characters at most between one listed count and the next one's term (、分管)."""
# A paragraph that opens with the year its plans are for: "2021年，我局将重点…".
YEAR_OPENING = re.compile(r"((?:19|20)\d{2})\s*年\s*,?\s*[^,。;]{0,16}?(?:将|要|拟|计划|重点|任务)")


@dataclass
class Searches:
    """What the rules of one audit share about the document's text: where each pattern matches,
    and the text as UTF-8 for RE2 (made once, when a pattern first needs it)."""

    text: str
    matches: dict[Any, list[int]] = field(default_factory=dict)
    encoded: bytes | None = None

    def starts(self, pattern: Any) -> list[int]:
        found = self.matches.get(pattern)
        if found is None:
            found = self.matches[pattern] = pattern.starts(self.text, self.utf8)
        return found

    def utf8(self) -> bytes:
        if self.encoded is None:
            self.encoded = self.text.encode("utf-8")
        return self.encoded


@dataclass
class Context:
    """What one evaluation sees: the document, its term hits, the current scope and the rule."""

    document: Document
    hits: dict[str, Sequence[int]]
    scope: Intervals
    params: dict[str, Any]
    evidence: list[int] = field(default_factory=list)
    searches: Searches | None = None
    """Shared by every rule's context on this document."""

    def __post_init__(self) -> None:
        if self.searches is None:
            self.searches = Searches(self.document.text)

    def positions(self, terms: tuple[str, ...]) -> list[int]:
        """Where the terms stand in the current scope, in text order; a term in a topic heading
        only where its section agrees (see `_heading_holds`)."""
        anywhere = self._hits_of(terms)
        found = self.scope.select(anywhere) if anywhere else []
        in_headings = self.document.topic_headings.select(found) if found else found
        if not in_headings:
            return found
        rejected = {p for p in in_headings if not self._heading_holds(p, anywhere)}
        return [p for p in found if p not in rejected] if rejected else found

    def _hits_of(self, terms: tuple[str, ...]) -> Sequence[int]:
        """Where any of the terms stands in the whole text, in order (a position twice where two
        terms start there)."""
        hits = self.hits
        if len(terms) == 1:
            return hits.get(terms[0], ())
        merged: list[int] = []
        for term in terms:
            if at := hits.get(term):
                merged += at
        merged.sort()
        return merged

    def _heading_holds(self, position: int, anywhere: Sequence[int]) -> bool:
        """A term in a heading counts where its section does: "（二）加强法律顾问工作" over only
        "尚未聘请法律顾问" reports no adviser (the body names it, never as done nor in the scope). A section that does not name the term again lets the
        heading speak for it (（五）全面推行行政执法“三项制度” over what each system did). `anywhere`
        is where the terms stand in the whole text (`_hits_of`)."""
        body = self.document.body_under(position)
        if body is None:
            return True
        start, end = body
        content, achieved = self.document.scopes["all"], self.document.scopes["work"]
        in_body = content.select(anywhere[bisect_left(anywhere, start):bisect_left(anywhere, end)])
        return not in_body or any(p in achieved or p in self.scope for p in in_body)


ARGUMENT_NAMES = {TERMS: "terms…", GROUP: "group", GROUPS: "group, group, …", SCOPE: "scope", REGEX: "regex",
                  NUMBER: "number", ANY: "value"}
"""How docs/dsl.md writes each kind of argument in a function's signature."""
CONDITION_BLOCK = re.compile(r"```condition\n(.*?)```", re.DOTALL)


@dataclass(frozen=True)
class Function:
    name: str
    args: tuple[str, ...]
    returns: ValueType | None
    """None for `within` and `outside`, whose value is their expression's."""
    doc: str
    """The function's documentation, written once: a line in Chinese, then what docs/dsl.md says
    of it, ```condition examples included (scripts/gen_rule_docs.py copies it there)."""
    implementation: Callable[..., Any] | None
    """None for the special forms the compiler builds itself."""
    argument_names: str | None = None
    """The signature's arguments when the kinds alone do not say what they are (anchor, group, …)."""

    @property
    def signature(self) -> str:
        return f"{self.name}({self.argument_names or ', '.join(ARGUMENT_NAMES[kind] for kind in self.args)})"

    @property
    def examples(self) -> list[str]:
        return [block.strip() for block in CONDITION_BLOCK.findall(self.doc)]


FUNCTIONS: dict[str, Function] = {}


def function(name: str, *args: str, returns: ValueType, argument_names: str | None = None):
    def register(implementation: Callable[..., Any]) -> Callable[..., Any]:
        FUNCTIONS[name] = Function(name, args, returns, inspect.cleandoc(implementation.__doc__ or ""), implementation,
                                   argument_names)
        return implementation
    return register


# ---------------------------------------------------------------- finding terms

@function("has", TERMS, returns=ValueType.BOOL)
def _has(ctx: Context, terms: tuple[str, ...]) -> bool:
    """任一词语出现在当前范围内即为真。

    True when any of the terms appears in the current scope.

    ```condition
    has("三项制度", "执法公示")
    ```
    """
    found = ctx.positions(terms)
    ctx.evidence.extend(found[:2])
    return bool(found)


@function("has_all", TERMS, returns=ValueType.BOOL)
def _has_all(ctx: Context, terms: tuple[str, ...]) -> bool:
    """所有词语都出现在当前范围内才为真。

    True when every one of the terms appears in the current scope (anywhere, not necessarily together).

    ```condition
    has_all("执法公示", "全过程记录", "法制审核")
    ```
    """
    firsts = [ctx.positions((term,))[:1] for term in terms]
    if all(firsts):
        ctx.evidence.extend(first[0] for first in firsts)
        return True
    return False


@function("count", TERMS, returns=ValueType.NUMBER)
def _count(ctx: Context, terms: tuple[str, ...]) -> int:
    """当前范围内出现了几个不同的词语。

    The number of *distinct* terms that appear in the current scope; a term found twice counts once.

    ```condition
    count("公众参与", "专家论证", "风险评估") >= 2
    ```

    ```condition
    within(work, count("公众参与", "专家论证", "风险评估", "合法性审查", "集体讨论") >= 4)
    ```
    """
    found = [positions[0] for term in terms if (positions := ctx.positions((term,)))]
    ctx.evidence.extend(found)
    return len(found)


@function("matches", REGEX, returns=ValueType.BOOL)
def _matches(ctx: Context, pattern: Any) -> bool:
    r"""正则表达式在当前范围内有匹配。

    True when the regular expression (Python syntax) matches somewhere in the report text with its
    match starting in the current scope. The pattern is folded like every term, so write ASCII
    punctuation and digits (`,` `:` `%`). Remember YAML: in a double-quoted YAML string `\d` must be
    written `\\d`; a `|` block or a single-quoted YAML string keeps it as it is.

    Matching can never hang an audit: a pattern runs on RE2, which takes linear time, unless it needs
    what RE2 lacks (lookarounds such as `(?<!协)`, backreferences, `\u4e00`, or the Unicode meaning
    of `\d` `\w` `\s` `\b`); then it runs on Python's `re`, and only if no repeat holds another
    repeat or an alternation (`(a+)+`, `(ab|a)*`): such a pattern is refused when the rule set loads.

    ```condition
    matches("出庭应诉率.{0,4}100%")
    ```

    ```condition
    matches("受[^,。;]{1,20}(限制|制约|影响)")
    ```
    """
    # `pattern` is a checker.condition.regex.Regex: RE2, or `re` for a pattern that cannot backtrack.
    found = ctx.scope.select(ctx.searches.starts(pattern))
    ctx.evidence.extend(found[:2])
    return bool(found)


# ---------------------------------------------------------------- terms together

@function("together", GROUPS, returns=ValueType.BOOL)
def _together(ctx: Context, *groups: tuple[str, ...]) -> bool:
    """每组至少一个词语出现在同一句中。

    True when one sentence holds a term of every group (two groups or more). Sentences end at `。`
    `!` `?` `;` and at line breaks, and a new one starts at each `一是` `二是` … point, so
    `一是坚持出庭应诉，二是…有待提高` does not pair the two. Whether a sentence admits a shortfall is
    not a matter of pairing words: ask `within(admissions, …)` (see [Statements](#statements)).

    ```condition
    together(["矛盾纠纷"], ["调解", "化解", "调处"])
    ```
    """
    document = ctx.document
    sentences = None
    for group in groups:
        found = _sentences_of(document, ctx.positions(group))
        sentences = found if sentences is None else sentences & found
        if not sentences:
            return False
    first = min(sentences)
    ctx.evidence.append(document.sentence_starts[first])
    return True


def _sentences_of(document: Document, positions: list[int]) -> set[int]:
    """The indexes of the sentences holding the positions (`Document.sentence_index` of each, without
    a method call per position: a lexicon's terms are found dozens of times in a report)."""
    starts = document.sentence_starts
    return {bisect_right(starts, position) - 1 for position in positions}


@function("count_together", GROUPS, returns=ValueType.NUMBER, argument_names="anchor, group, …")
def _count_together(ctx: Context, anchor: tuple[str, ...], *groups: tuple[str, ...]) -> int:
    """第一组词语所在的句子中，后面各组分别有几组出现。

    The number of the later groups that have a term in a sentence holding a term of the first
    (anchor) group.

    ```condition
    count_together(["规范性文件"], ["审核", "审查"], ["备案"], ["清理"]) >= 2
    ```
    """
    document = ctx.document
    anchored = _sentences_of(document, ctx.positions(anchor))
    if not anchored:
        return 0
    count = 0
    for group in groups:
        shared = [p for p in ctx.positions(group) if document.sentence_index(p) in anchored]
        if shared:
            count += 1
            ctx.evidence.append(shared[0])
    return count


@function("count_in_passage", GROUPS, returns=ValueType.NUMBER, argument_names="anchor, group, …")
def _count_in_passage(ctx: Context, anchor: tuple[str, ...], *groups: tuple[str, ...]) -> int:
    """第一组词语所在的一段话中，后面各组分别有几组出现（取最多的一处）；一段话指该词所在句（以句号计）
    及其后一句，词语在标题中时指该标题下的正文。

    The number of the later groups that have a term in the passage of a term of the first (anchor)
    group (第一组词语所在句及其后一句中，后面各组有几组出现): the anchor's sentence and the sentence right
    after it, so a report may name the subject in one sentence and its procedures in the next. Where
    the anchor is found several times, the passage that holds the most groups counts. Sentences are
    those of `together`; a group two sentences on does not count. 0 when the anchor is not found or no
    later group is in its passage.

    ```condition
    count_in_passage(["重大行政决策"], ["公众参与"], ["专家论证"], ["风险评估"]) >= 2
    ```

    ```condition
    within(work, count_in_passage(@major_decisions, @decision_public, @decision_experts, @decision_risk) >= 2)
    ```
    """
    document = ctx.document
    spans = sorted({document.passage_of(p) for p in ctx.positions(anchor)})
    positions = [ctx.positions(group) for group in groups] if spans else []  # looked for only when needed
    best: list[int] = []
    for span in spans:
        found = [first for found_at in positions if (first := _first_within(found_at, *span)) is not None]
        if len(found) > len(best):
            best = found
    ctx.evidence.extend(best)
    return len(best)


def _first_within(positions: list[int], start: int, end: int) -> int | None:
    index = bisect_left(positions, start)
    return positions[index] if index < len(positions) and positions[index] < end else None


@function("near", GROUP, GROUP, NUMBER, returns=ValueType.BOOL)
def _near(ctx: Context, first: tuple[str, ...], second: tuple[str, ...], distance: float) -> bool:
    """两组词语相距不超过 N 个字。

    True when a term of the first group and a term of the second start at most *number* characters
    apart (in either order, across sentences too).

    ```condition
    near("重大行政决策", "合法性审查", 30)
    ```
    """
    others = ctx.positions(second)
    for position in ctx.positions(first):
        closest = bisect_left(others, position - distance)
        if closest < len(others) and others[closest] <= position + distance:
            ctx.evidence.append(position)
            return True
    return False


# ---------------------------------------------------------------- numbers in the text

@function("rate", TERMS, returns=ValueType.NUMBER)
def _rate(ctx: Context, terms: tuple[str, ...]) -> float | None:
    """词语后同一分句中所述的百分比（百分之百、全覆盖计为100%），多处取最低；没有则为空。

    The percentage stated after a term (词语后所述的百分比): at most 48 characters on, and never past the
    end of the sentence (`。` `;` `!` `?` or a line break). The figure is read

    - in the rest of the term's clause (up to `,` or `:`): `出庭应诉率达98.13%`;
    - else, when that rest is a short link of at most 8 characters, in the next clause:
      `出庭应诉率，达到100%` and `出庭应诉率：100%` are 100 — unless the next clause names another rate
      before its figure (`提高出庭应诉率，调解成功率97%` states no 出庭应诉率), and never further on;
    - from a 分别为 / 分别是 / 分别达 list, by position: in `出庭率、纠错率分别为100%和3.1%` the first
      term gets the first figure (100) and the second term the second (3.1).

    `百分之百` and `全覆盖` count as 100, `百分之九十七点二` is 97.2, full-width digits are read as
    digits, and where a clause states several figures the last one is the one reached
    (`由85%提高到100%` is 100). When the terms are found several times, the lowest rate counts; when no
    rate is stated, the value is unknown.

    ```condition
    rate("出庭应诉率") >= 100%
    ```

    ```condition
    rate(@court_rate) >= $threshold
    ```

    ```condition
    rate("纠错率") <= 5%
    ```
    """
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
    if end := SENTENCE_END.search(window):
        window = window[:end.start()]
    if listed := RESPECTIVELY.search(window):
        stated = list(PERCENT.finditer(window, listed.end()))
        if stated:
            index = len(LIST_ITEM_BEFORE.findall(_clause_before(text, start)))
            return _percent_value(stated[min(index, len(stated) - 1)])
    clauses = CLAUSE_END.split(window)
    for number, clause in enumerate(clauses[:2]):
        if number and ANOTHER_RATE.search(clause.split("%")[0]):
            return None  # the next clause states another rate
        stated = list(PERCENT.finditer(clause))
        if stated:
            return _percent_value(stated[-1])  # 由85%提高到100%: the figure reached is the last one
        if len(clause) > LINK_CLAUSE:
            return None
    return None


def _clause_before(text: str, end: int) -> str:
    """The text from the start of the clause holding `end` up to it."""
    start = max(text.rfind(mark, 0, end) for mark in ",;。:\n")
    return text[start + 1:end]


def _percent_value(match: re.Match[str]) -> float:
    if match.group(1):
        return float(match.group(1))
    if match.group(2):
        return cn_decimal(match.group(2))
    return 100.0


@function("count_rate", GROUP, GROUP, returns=ValueType.NUMBER)
def _count_rate(ctx: Context, due: tuple[str, ...], done: tuple[str, ...]) -> float | None:
    """同一句中两个数之比（百分比）：第一组词语后的数为应有数，第二组词语后的数为实有数；多处取最低。

    The percentage two counts in one sentence make (同一句中两个数之比): the count after a term of the
    first group is what was due, the count after a term of the second group, later in the same
    sentence, what was done, and the value is 100 × done ÷ due. A count is a number in digits or
    Chinese numerals with a unit (件, 起, 宗, 次, 个, 人次; 余 allowed), at most 10 characters after its
    term with no `,` `;` or `。` between. In `应出庭12件、负责人出庭12件` the value is 100; in
    `应出庭案件15件，负责人出庭13件` it is about 86.7. Done counts listed one after another add up
    (`行政诉讼案件15件，主要负责人出庭2件、分管负责人出庭13件` is 100), and a count that 其中 opens is a
    part of another, not a done count (`…均由负责人出庭，其中主要负责人出庭1件`). When the terms are
    found several times, the lowest rate counts; when no sentence states both counts (a due count
    of 0 included), the value is unknown: counts in two different sentences make no rate.

    ```condition
    count_rate(["应出庭"], ["负责人出庭"]) >= 100
    ```

    ```condition
    count_rate(@court_due, @court_attended) >= $threshold or rate(@court_rate) >= $threshold
    ```
    """
    document, text = ctx.document, ctx.document.text
    done_counts: dict[int, list[tuple[int, int, int]]] = {}
    for position in ctx.positions(done):
        if (counted := _count_after(text, position, done)) and not _a_part_of(text, position):
            done_counts.setdefault(document.sentence_index(position), []).append((position, *counted))
    rates = []
    for position in ctx.positions(due):
        counted = _count_after(text, position, due)
        if not counted or not counted[0]:
            continue
        due_count, due_end = counted
        later = [done_count for done_count in done_counts.get(document.sentence_index(position), []) if done_count[0] >= due_end]
        if later:
            rates.append(100.0 * _listed_total(text, later) / due_count)
            ctx.evidence.append(position)
    return min(rates) if rates else None


def _a_part_of(text: str, position: int) -> bool:
    """A count that 其中 opens (负责人出庭15件，其中主要负责人出庭2件) is a part of one already given."""
    clause_start = max(text.rfind(mark, 0, position) for mark in COUNT_CLAUSE_MARKS) + 1
    return "其中" in text[clause_start:position]


def _listed_total(text: str, counts: list[tuple[int, int, int]]) -> int:
    """The first count after the due one, with those listed after it (主要负责人出庭2件、分管负责人
    出庭13件 is 15 who attended); a count after a comma is another statement, not added."""
    _, total, end = counts[0]
    for position, count, count_end in counts[1:]:
        if count_end == end:
            continue  # the same count, found again by a shorter term (负责人出庭2件, 出庭2件)
        between = text[end:position]
        if not between.startswith(LIST_JOINS) or len(between) > LIST_GAP or any(mark in between for mark in COUNT_CLAUSE_MARKS):
            break
        total, end = total + count, count_end
    return total


def _count_after(text: str, position: int, terms: tuple[str, ...]) -> tuple[int, int] | None:
    """The count stated right after the term at `position`, and where that statement ends."""
    term = next((term for term in terms if text.startswith(term, position)), "")
    match = COUNT_AFTER.match(text, position + len(term))
    if not match:
        return None
    digits = match.group(1)
    return (int(digits) if digits.isdigit() else cn_number(digits)), match.end()


@function("quantities", returns=ValueType.NUMBER)
def _quantities(ctx: Context) -> int:
    """当前范围内带单位的数字（件、次、项、人、%…）的个数。

    The number of quantified facts in the current scope: a number with a unit (件, 次, 项, 人, 人次,
    家, 份, 个, 场, 条, 名, 元, %, …, with 余 / 多 / 万 / 亿 allowed before the unit). Years and
    dates are not quantified facts.

    ```condition
    quantities() >= 5
    ```
    """
    found = ctx.scope.select(ctx.document.quantities)
    ctx.evidence.extend(found[:3])
    return len(found)


@function("heading_year", returns=ValueType.NUMBER)
def _heading_year(ctx: Context) -> int | None:
    """当前范围内第一个标题所写的年份，或段落开头所写的年份（“2021年，将重点…”）；没有则为空。

    The first year named by a heading in the current scope (a year inside a document title such as
    《…纲要（2021—2025年）》 does not count); unknown when none does.

    ```condition
    within(plans, heading_year()) > year
    ```
    """
    document = ctx.document
    found = [(heading.start, year) for heading in document.headings
             if heading.start in ctx.scope and (year := first_named_year(heading.text))]
    text, line_starts = document.text, document.line_starts
    found += [(start, int(match.group(1))) for start in ctx.scope.select(line_starts)
              if (match := YEAR_OPENING.match(text, start, document.line_end(bisect_left(line_starts, start))))]
    if not found:
        return None
    position, year = min(found)
    ctx.evidence.append(position)
    return year


# ---------------------------------------------------------------- structure

@function("has_section", SCOPE, returns=ValueType.BOOL)
def _has_section(ctx: Context, kind: str) -> bool:
    """报告有该部分：有标题的一节，或专门的一段（以“对照上级要求，我们的工作还存在…”开头的不足）。

    True when a numbered heading opens a section of that kind: `work`, `shortcomings`, `plans` or
    `first_responsibility`. A heading under a plans or shortcomings heading belongs to that section.
    The statement scopes (`promises`, `admissions`, `negations`, `directives`) are clauses, not sections,
    and no heading opens one.

    ```condition
    has_section(shortcomings)
    ```
    """
    for heading, kinds in ctx.document.section_kinds:
        if kind in kinds:
            ctx.evidence.append(heading.start)
            return True
    for start, passage_kind in ctx.document.passages:
        if passage_kind == kind:
            ctx.evidence.append(start)
            return True
    return False


# ---------------------------------------------------------------- values

@function("contains", ANY, TERMS, returns=ValueType.BOOL)
def _contains(ctx: Context, value: Any, terms: tuple[str, ...]) -> bool:
    """文字值（如标题）包含任一词语。

    True when a text value, such as the title, contains any of the terms; false when the value is
    unknown.

    ```condition
    contains(title, "法治政府建设")
    ```

    ```condition
    contains(title, "法治政府", "依法行政") and contains(title, "报告", "总结")
    ```
    """
    return isinstance(value, str) and any(term in value for term in terms)


@function("known", ANY, returns=ValueType.BOOL)
def _known(ctx: Context, value: Any) -> bool:
    """值不为空（报告中读到了，或由用户给出）。

    True when the value is known: found in the report or given by the user.

    ```condition
    known(published)
    ```
    """
    return value is not None


DATE_PARTS = (("年", 1, 9999), ("月", 1, 12), ("日", 1, 31))
"""The range of each part of date(…): a literal outside it is refused when the rule set loads."""


@function("date", NUMBER, NUMBER, NUMBER, returns=ValueType.DATE)
def _date(ctx: Context, year: float | None, month: float | None, day: float | None) -> date | None:
    """由年、月、日构成日期；某一部分未知或日期不存在（如 2 月 30 日）时为空。

    The date of that year, month and day; unknown when a part is unknown.

    ```condition
    published <= date(year + 1, 3, 31)
    ```
    """
    if None in (year, month, day):
        return None
    try:
        return date(int(year), int(month), int(day))
    except (ValueError, OverflowError):  # OverflowError: a computed year past any integer date allows
        return None


# `within` and `outside` take an unevaluated expression, so the compiler builds them itself
# (they have no implementation here); they are declared so the documentation and the argument
# checks have one source.
FUNCTIONS["within"] = Function("within", (SCOPE, ANY), None, """\
在指定范围内求值（嵌套时取交集）。

The expression evaluated in the part of the current scope that is also in *scope*. Nested
`within`s intersect: `within(work, within(plans, …))` looks nowhere, since no text is both.
The result has the type of the expression.

```condition
within(plans, has("三项制度"))
```

```condition
within(work, quantities()) >= 5
```""", None, "scope, expression")
FUNCTIONS["outside"] = Function("outside", (SCOPE, ANY), None, """\
在当前范围去掉指定范围后求值。

The expression evaluated in the current scope with *scope* taken out.

```condition
within(work, outside(opening, has("习近平法治思想")))
```

```condition
outside(plans, rate(@court_rate) >= $threshold)
```""", None, "scope, expression")
