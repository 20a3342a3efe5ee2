"""fzcheck rules health: how each rule of a rule set behaves over a folder of reports.

A rule that silently stopped working (a renamed section, a lexicon term reports no longer use, a
condition that can never hold) gives no error: every report simply gets the same verdict. Over a
corpus such a rule shows: it always passes, never passes or always gets one status; its terms
appear in no report; and a rule without examples is one `rules test` cannot hold to anything.

The corpus is scored by the batch machinery (checker/batch.py: the same inputs, processes and
tally as `fzcheck batch`, so the counts are batch's `summary.by_rule`), with one addition: each
report's term hits, which the audit's own scan of the text finds (`_Recording`). The result cache
keeps results, not hits, so every report is read again.

Nothing here prints: `render_health` and `health_json` show what `survey` found.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from checker.batch import FileError, Outcome, Scored, Tally, Work, score_file, scored, scoring
from checker.condition import ast
from checker.condition.compiler import normalise_term
from checker.models import RuleSetRef, Status
from checker.pipeline import RunSettings
from checker.ruleset import CompiledRule, RuleSet

if TYPE_CHECKING:
    from rich.console import Console

SHOWN_TERMS = 8
"""Unmatched terms named in one flag or one lexicon row; the JSON has them all."""


@dataclass(frozen=True)
class Flag:
    code: str
    """always-pass, always-fail, always-partial, always-not_applicable, never-passes,
    unmatched-terms, no-examples."""
    message: str


SEVERITY = ("always-fail", "never-passes", "always-pass", "always-not_applicable", "always-partial",
            "unmatched-terms", "no-examples")
"""The flags, most suspicious first: the table lists the rules in this order of their worst flag."""


@dataclass(frozen=True)
class RuleHealth:
    id: str
    title: str
    counts: dict[Status, int]
    """Every status, zeros included, over the reports (not the documents that are not reports)."""
    examples: int
    unmatched: tuple[str, ...]
    """The terms written in the rule's conditions (not from a lexicon) found in no report."""
    flags: tuple[Flag, ...]


@dataclass(frozen=True)
class LexiconHealth:
    name: str
    terms: int
    unmatched: tuple[str, ...]
    """Its terms found in no report (all of them, when no rule uses the list)."""
    rules: tuple[str, ...]
    """The rules whose conditions name it."""


@dataclass(frozen=True)
class Health:
    ruleset: RuleSetRef
    ruleset_title: str
    reports: int
    not_reports: int
    """Documents that are not rule-of-law reports: left out of every count, as batch does."""
    errors: list[FileError]
    min_reports: int
    rules: list[RuleHealth]
    """The suspicious first (SEVERITY), then the rest in rule-set order."""
    lexicon: list[LexiconHealth]
    """The lists with a term no report has first, then the rest by name."""


# ---------------------------------------------------------------- surveying a corpus

class _Recording:
    """The rule set, noting every term its scan finds: the audit scans each text once, and what
    it finds are the report's term hits. Everything else is the rule set's own."""

    def __init__(self, ruleset: RuleSet) -> None:
        self._ruleset = ruleset
        self.found: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._ruleset, name)

    def scan(self, text: str) -> dict[str, list[int]]:
        hits = self._ruleset.scan(text)
        self.found.update(hits)
        return hits


def _record(outcome: Outcome) -> tuple[Scored | FileError, frozenset[str]]:
    """A file's tally record (what a lost worker's files get too: no terms)."""
    return (outcome if isinstance(outcome, FileError) else scored(outcome)), frozenset()


@dataclass(frozen=True)
class _Survey(Work):
    """A batch's work with each report's term hits as its output (a report's only: a document
    that is not one counts nowhere)."""

    def __call__(self, path: str, ruleset: RuleSet) -> tuple[Scored | FileError, frozenset[str]]:
        recording = _Recording(ruleset)
        record, _ = self.finish(score_file(path, recording, self.settings_for(path)))  # type: ignore[arg-type]
        report = isinstance(record, Scored) and record.not_a_report is None
        return record, frozenset(recording.found) if report else frozenset()


def survey(files: Sequence[str], ruleset: RuleSet, settings: RunSettings | None, jobs: int, min_reports: int,
           sizes: Sequence[int] = (), errors: Sequence[FileError] = (),
           done: Callable[[int], None] = lambda count: None) -> Health:
    """Score every file (`jobs` processes) and judge each rule by what the reports got; a rule
    that gave all of at least `min_reports` reports one status is flagged. `errors`: inputs
    already known to be unreadable (folders that could not be listed); `done(n)`: n more files
    scored (a progress bar)."""
    tally = Tally([(rule.spec.id, rule.spec.title) for rule in ruleset.rules])
    for problem in errors:
        tally.add(problem)
    found: set[str] = set()
    with scoring(files, ruleset, _Survey(_record, settings), jobs, sizes) as batch:
        for record, terms in batch.results(done):
            tally.add(record)
            found |= terms
    summary = tally.summary()
    counts = {rule.id: rule.counts for rule in summary.by_rule}
    lexicon = ruleset.lexicon
    named = {rule.spec.id: _names(rule) for rule in ruleset.rules}
    rules = [_judge(rule, counts.get(rule.spec.id, dict.fromkeys(Status, 0)), summary.reports, found,
                    {normalise_term(term) for name in named[rule.spec.id] for term in lexicon.get(name, ())},
                    min_reports, rule.spec.id == ruleset.report_rule) for rule in ruleset.rules]
    order = {rule.spec.id: index for index, rule in enumerate(ruleset.rules)}
    rules.sort(key=lambda rule: (min((SEVERITY.index(flag.code) for flag in rule.flags), default=len(SEVERITY)),
                                 order[rule.id]))
    lists = [_list_health(name, terms, found, tuple(rule for rule, names in named.items() if name in names))
             for name, terms in lexicon.items()]
    lists.sort(key=lambda item: (not item.unmatched, item.name))
    return Health(RuleSetRef(id=ruleset.id, version=ruleset.version, sha256=ruleset.digest), ruleset.title,
                  summary.reports, summary.not_reports, list(tally.errors), min_reports, rules, lists)


def _names(rule: CompiledRule) -> set[str]:
    """The lexicon lists the rule's conditions name."""
    names: set[str] = set()
    for condition in rule.conditions.values():
        pending = [condition.tree]
        while pending:
            node = pending.pop()
            if isinstance(node, ast.Lexicon):
                names.add(node.name)
            pending.extend(ast.children(node))
    return names


def _judge(rule: CompiledRule, counts: dict[Status, int], reports: int, found: set[str], listed: set[str],
           min_reports: int, report_rule: bool) -> RuleHealth:
    """`listed`: the terms of the lexicon lists the rule names (the lexicon table says which of
    those no report has). `report_rule`: the rule whose failure makes a document no report
    (RuleSet.report_rule), which therefore passes every report counted: its counts say nothing."""
    flags = []
    if reports >= min_reports and not report_rule:
        same = next((status for status, count in counts.items() if count == reports), None)
        if same is not None:
            flags.append(Flag(f"always-{same.value}", ALWAYS[same].format(reports=reports)))
        elif not counts[Status.PASS]:
            flags.append(Flag("never-passes", f"{reports} 份报告中没有一份达标：达标条件可能过严、写错或已失效"))
    written = {term for condition in rule.conditions.values() for term in condition.terms} - listed
    unmatched = tuple(sorted(written - found))
    if unmatched and reports:
        flags.append(Flag("unmatched-terms", f"条件中写的词语在全部报告中都没有出现：{_some(unmatched)}"))
    examples = len(rule.spec.examples.by_status())
    if not examples:
        flags.append(Flag("no-examples", "没有示例：fzcheck rules test 检验不到它"))
    return RuleHealth(rule.spec.id, rule.spec.title, counts, examples, unmatched, tuple(flags))


ALWAYS = {
    Status.PASS: "全部 {reports} 份报告都达标：条件可能过宽，区分不出报告的好坏",
    Status.FAIL: "全部 {reports} 份报告都未达标：条件可能过严、写错或已失效",
    Status.PARTIAL: "全部 {reports} 份报告都是部分达标：达标条件可能从不成立",
    Status.NOT_APPLICABLE: "全部 {reports} 份报告都不适用：不适用条件可能过宽",
}


def _list_health(name: str, terms: list[str], found: set[str], users: tuple[str, ...]) -> LexiconHealth:
    normalised = list(dict.fromkeys(normalise_term(term) for term in terms))
    # A list no condition names is not in the scan: none of its terms can have been found.
    unmatched = tuple(term for term in normalised if not users or term not in found)
    return LexiconHealth(name, len(normalised), unmatched, users)


def _some(terms: Sequence[str]) -> str:
    shown = "、".join(terms[:SHOWN_TERMS])
    return shown + (f" 等 {len(terms)} 个" if len(terms) > SHOWN_TERMS else "")


# ---------------------------------------------------------------- showing it

COUNTED = (Status.PASS, Status.PARTIAL, Status.FAIL, Status.NOT_APPLICABLE)


def render_health(health: Health, console: Console) -> None:
    """The rules, suspicious first, with a line per flag; then the lexicon lists with unmatched terms.
    (The files that could not be read are the command's lines on stderr.)"""
    from rich.table import Table
    from rich.text import Text

    from checker.output.labels import STATUS_STYLES

    console.print(Text(_heading(health), style="bold"))
    table = Table(show_lines=True)
    table.add_column("规则", no_wrap=True)
    for status in COUNTED:
        table.add_column(status.label, justify="right", style=STATUS_STYLES[status])
    table.add_column("问题", overflow="fold")
    for rule in health.rules:
        problems = Text("\n".join(f"⚠ {flag.message}" for flag in rule.flags), style="yellow")
        table.add_row(Text(rule.id), *(str(rule.counts[status]) for status in COUNTED), problems)
    console.print(table)
    troubled = [item for item in health.lexicon if item.unmatched]
    if troubled:
        lists = Table(title="词表中在全部报告中都没有出现的词语")
        lists.add_column("词表", no_wrap=True)
        lists.add_column("词数", justify="right")
        lists.add_column("从未出现", overflow="fold")
        lists.add_column("使用它的规则", overflow="fold")
        for item in troubled:
            users = "、".join(item.rules) or Text("没有规则使用", style="yellow")
            lists.add_row(Text(f"@{item.name}"), str(item.terms), Text(_some(item.unmatched)), users)
        console.print(lists)


def _heading(health: Health) -> str:
    apart = f"，另有 {health.not_reports} 份不是法治政府建设年度报告，未计入" if health.not_reports else ""
    errors = f"，{len(health.errors)} 个文件无法读取" if health.errors else ""
    few = (f"（少于 {health.min_reports} 份，不判断“总是同一结果”）" if health.reports < health.min_reports else "")
    flagged = sum(bool(rule.flags) for rule in health.rules)
    return (f"{health.ruleset_title}（{health.ruleset.id} {health.ruleset.version}）：{health.reports} 份报告{apart}"
            f"{errors}{few}；{len(health.rules)} 条规则中 {flagged} 条有问题")


def health_json(health: Health) -> str:
    """One JSON document: the rule set, the counts and flags of every rule, and the lexicon."""
    from checker.output.safe_text import shown_name

    data = {
        "ruleset": {"id": health.ruleset.id, "version": health.ruleset.version, "sha256": health.ruleset.sha256},
        "reports": health.reports,
        "not_reports": health.not_reports,
        "min_reports": health.min_reports,
        "errors": [{"file": shown_name(problem.file), "error": problem.error} for problem in health.errors],
        "rules": [{"id": rule.id, "title": rule.title, "counts": {status.value: rule.counts[status] for status in COUNTED},
                   "examples": rule.examples, "unmatched_terms": list(rule.unmatched),
                   "flags": [{"code": flag.code, "message": flag.message} for flag in rule.flags]}
                  for rule in health.rules],
        "lexicon": [{"name": item.name, "terms": item.terms, "unmatched": list(item.unmatched), "rules": list(item.rules)}
                    for item in health.lexicon],
    }
    return json.dumps(data, ensure_ascii=False, indent=2)
