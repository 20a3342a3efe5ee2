"""What a document is: a unit's own 法治政府建设年度报告, or one of the documents that share its
words (a 政府工作报告, a 政府信息公开工作年度报告, a plan, a notice about writing the reports, a
解读, a news article or paper about a report, another sector's work report).

A judgement from evidence, weighed: the title counts most (its ending noun names the document:
…的通知, …实施方案, …情况报告); then what the text says of itself (现将…情况报告如下, 各位代表,
制定本方案, 收到申请数 …) and how it is built (work, shortcomings and plans sections). Each type
collects points; the one with most wins, the title's type on a tie. So a rule-of-law report that
quotes 政府工作报告 once is still a rule-of-law report, and a page without a title is judged by
its text. The words are lists in rules/vocabulary.yaml (doctype_<key>_title / _strong / _weak).
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from checker.screen import LiteralScreen, ScreenedText, required_literals
from checker.vocabulary import Vocabulary

REPORT = "法治政府建设年度报告"
OTHER_REPORT = "其他工作报告"
NOTICE = "通知"
UNDECIDED = "未能确定"

# (type, vocabulary key), in the order a title is tried: a news headline about a report before
# the report, and so a 普法…工作总结 (依法治理 in it) and a 述法报告; the report (…工作情况及下一步
# 安排) before the plans; an assessment scheme before other schemes.
TYPES = (
    ("新闻报道", "news"),
    ("督察反馈意见", "feedback"),
    ("个人述法报告", "personal"),
    ("普法工作总结", "law_popularization"),
    (REPORT, "report"),
    (NOTICE, "notice"),
    ("政策解读", "reading"),
    ("研究文章", "research"),
    ("考核方案", "assessment"),
    ("实施方案", "scheme"),
    ("规划", "planning"),
    ("工作要点", "key_points"),
    ("工作安排", "arrangement"),
    ("政府工作报告", "government_work"),
    ("政府信息公开工作年度报告", "disclosure"),
    (OTHER_REPORT, "other_report"),
)
TITLE_POINTS, STRONG_POINTS, WEAK_POINTS = 6, 3, 1
MAX_CUES = 3
"""Distinct fragments of one list that count: a long table of 收到申请数 rows is one kind of evidence."""
MIN_TOPICS = 3
"""Distinct rule-of-law words a text needs before its report structure counts for the report."""
QUOTE = 24

PRINTED = re.compile(r"(?:印发|转发|下发)\s*[《“]?(.+?)[》”]?\s*的通知$")
"""The title of a notice that only covers the document it issues (关于印发《…工作要点》的通知)."""
# A title's trailing note says nothing of its type: (摘编), (全文), (征求意见稿), (2023年).
TITLE_NOTE = re.compile(r"\s*[(【\[][^()【】\[\]]{1,12}[)】\]]\s*$")


@dataclass(frozen=True)
class Fragments:
    """One list of fragments, each compiled on its own: a literal fragment is then a fast scan,
    where one alternation of them all would try every fragment at every position."""

    literals: tuple[str, ...]
    """Fragments without regular-expression syntax: looked up among the literals the text holds."""
    patterns: tuple[re.Pattern[str], ...]
    clues: tuple[str, ...] | None
    """The literals and what the patterns need: a text holding none of them matches no fragment
    (None when a pattern needs no literal). Most lists find nothing in a given report."""

    @classmethod
    def of(cls, words: tuple[str, ...]) -> Fragments:
        literals = tuple(word for word in words if re.escape(word) == word)
        patterns = tuple(re.compile(word, re.M) for word in words if word not in literals)
        needs = [required_literals(pattern.pattern, pattern.flags) for pattern in patterns]
        clues = None if None in needs else (*literals, *(literal for need in needs for literal in need))
        return cls(literals, patterns, clues)

    def found(self, text: ScreenedText) -> list[str]:
        """The first match of each fragment the text holds."""
        if self.clues is not None and not any(map(text.holds, self.clues)):
            return []
        return [*filter(text.holds, self.literals)] + [
            match.group() for pattern in self.patterns if (match := text.search(pattern))]


@dataclass(frozen=True)
class Cues:
    """One type's evidence: a title pattern, and its strong and weak fragments."""

    name: str
    title: re.Pattern[str] | None
    strong: Fragments
    weak: Fragments


@dataclass(frozen=True)
class DoctypeWords:
    types: tuple[Cues, ...]
    formula: Fragments
    topics: Fragments
    screen: LiteralScreen
    """Every literal fragment and what the patterns need: a text is scanned once, and only its
    possible patterns searched."""


@cache
def doctype_words(vocabulary: Vocabulary) -> DoctypeWords:
    def fragments(name: str) -> Fragments:
        return Fragments.of(vocabulary.words.get(name, ()))

    def title(name: str) -> re.Pattern[str] | None:
        return vocabulary.pattern(name) if vocabulary.words.get(name) else None

    types = tuple(Cues(name, title(f"doctype_{key}_title"), fragments(f"doctype_{key}_strong"), fragments(f"doctype_{key}_weak"))
                  for name, key in TYPES)
    formula, topics = fragments("doctype_report_formula"), fragments("doctype_topic")
    every = [formula, topics, *(fragments for cues in types for fragments in (cues.strong, cues.weak))]
    screen = LiteralScreen([pattern for fragments in every for pattern in fragments.patterns],
                           [literal for fragments in every for literal in fragments.literals])
    return DoctypeWords(types=types, formula=formula, topics=topics, screen=screen)


def title_type(title: str, words: DoctypeWords) -> str | None:
    """The type a title names by its wording, if any. "关于印发X的通知" is X, which the notice
    only covers (a 工作要点 printed with its notice is a 工作要点)."""
    bare = _bare(title)
    if (printed := PRINTED.search(bare)) and (inner := title_type(printed.group(1), words)):
        return inner
    return next((cues.name for cues in words.types if cues.title and cues.title.search(bare)), None)


def _bare(title: str) -> str:
    return TITLE_NOTE.sub("", title).strip()


def looks_like_title(line: str, words: DoctypeWords) -> bool:
    return title_type(line, words) is not None


def judge_document_type(title: str | None, lines: list[str], parts: set[str], words: DoctypeWords) -> tuple[str, str]:
    """(document type, a short clause saying why) for a document's title, its content lines and
    the parts its outline shows (work, shortcomings, plans: checker/document/sections.py)."""
    text = words.screen.read("\n".join(lines))
    points: dict[str, int] = defaultdict(int)
    reasons: dict[str, list[tuple[int, str]]] = defaultdict(list)

    def add(name: str, score: int, reason: str) -> None:
        if score:
            points[name] += score
            reasons[name].append((score, reason))

    named = title_type(title, words) if title else None
    if named:
        # "…2023年工作总结" names a report but not its subject: the text decides that.
        add(named, STRONG_POINTS if named == OTHER_REPORT else TITLE_POINTS, f"标题为“{title}”")
    # The notice that covers a printed document (印发给你们, 各部门:) says nothing of what it covers.
    covered = named is not None and named != NOTICE and PRINTED.search(_bare(title)) is not None
    for cues in words.types:
        if covered and cues.name == NOTICE:
            continue
        for fragments, weight in ((cues.strong, STRONG_POINTS), (cues.weak, WEAK_POINTS)):
            if found := fragments.found(text):
                add(cues.name, weight * min(len(found), MAX_CUES), f"文中有“{_quote(found[0])}”")

    # How it opens and how it is built count for the report when it is about the rule of law (an
    # opening formula that says so is enough); otherwise, a little, for another sector's report.
    formula = next(iter(words.formula.found(text)), None)
    topical = len(words.topics.found(text)) >= MIN_TOPICS or bool(formula and words.topics.found(words.screen.read_short(formula)))
    owner, weight, aside = (REPORT, None, "") if topical else (OTHER_REPORT, WEAK_POINTS, "，但写的不是法治政府建设")
    if formula:
        add(owner, weight or STRONG_POINTS, f"开头写明“{_quote(formula)}”{aside}")
    score, named_parts = _structure(parts)
    if score:
        add(owner, weight or score, f"正文分述{named_parts}{aside}")

    if not points:
        return UNDECIDED, "未见标题、报告开头语或报告结构，也未见其他文件的特征"
    best = max(points, key=lambda name: (points[name], name == named, name == REPORT))
    if points[best] < STRONG_POINTS and best not in (named, OTHER_REPORT):
        # One passing word (各乡镇, 解读) is no judgement; another sector's report is told by weak
        # signs by design (a report's form without the rule of law in it).
        return UNDECIDED, f"未见标题，证据不足：{reasons[best][0][1]}"
    # The title first, then the weightiest evidence; on a tie, what the text does over what it mentions.
    ranked = sorted(reasons[best], key=lambda item: (not item[1].startswith("标题"), -item[0], item[1].startswith("文中有")))
    clauses = [reason for _, reason in ranked[:2]]
    if best != named and not title:
        clauses.insert(0, "未见标题")
    return best, "，".join(clauses)


def _quote(text: str) -> str:
    text = text.strip()
    return text if len(text) <= QUOTE else text[:QUOTE] + "…"


def _structure(parts: set[str]) -> tuple[int, str]:
    """Points for a report's build, and its parts named: work, shortcomings and plans sections
    (3), shortcomings with one of the others (2). Work and plans alone are what a 政府工作报告 or
    a plan has too."""
    kinds = parts & {"work", "shortcomings", "plans"}
    if "shortcomings" not in kinds or len(kinds) < 2:
        return 0, ""
    names = {"work": "工作情况", "shortcomings": "存在的问题", "plans": "下一步安排"}
    return (STRONG_POINTS if len(kinds) == 3 else 2), "、".join(names[kind] for kind in names if kind in kinds)
