"""The precheck gate: whether an audited report may be submitted, why, and what to fix first.

A pure function of one AuditResult and a policy, so that every output format (table, compact,
JSON, JUnit, SARIF) shows the same verdict and the verdict is tested without rendering anything.
The reasons are sentences for the user because the verdict line is the one thing every format
repeats; they are built here once rather than in each renderer. A waived item (checker/waivers.py)
holds nothing against the report: it is out of the score, the blocking check, --fail-on and the
fixes, and the verdict names it, so that a pass owed to a waiver is never silent.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from checker.models import SHORT_OF_PASSING, AuditResult, RuleResult, Status
from checker.readers import ReadError
from checker.scoring import applicable_weight

DEFAULT_FAIL_UNDER = 60.0  # the floor of the 合格 grade

# The statuses that count as falling short, for each --fail-on setting. Blocking rules always use
# the stricter set: a required part that is only half there is still missing.
SHORTFALLS: dict[Status, frozenset[Status]] = {Status.PARTIAL: SHORT_OF_PASSING, Status.FAIL: frozenset({Status.FAIL})}
SHORTFALL_LABELS = {Status.PARTIAL: "未达标或部分达标项", Status.FAIL: "未达标项"}


@dataclass(frozen=True)
class GatePolicy:
    fail_under: float = DEFAULT_FAIL_UNDER
    fail_on: Status | None = None
    """Status.PARTIAL or Status.FAIL: any rule that falls that short fails the gate."""


@dataclass(frozen=True)
class Fix:
    rule: RuleResult
    points: float
    """Points of the 100-point score the report gains when this rule passes."""

    @property
    def summary(self) -> str:
        return f"+{self.points:g} 分  [{self.rule.id}] {self.rule.title}{blocking_mark(self.rule)}：{self.rule.hint or ''}"


def blocking_mark(rule: RuleResult) -> str:
    return "（必备项）" if rule.blocking else ""


@dataclass(frozen=True)
class Verdict:
    passed: bool
    reasons: tuple[str, ...]
    """Why it failed (only the checks that failed) or, when it passed, the checks that held."""
    fixes: tuple[Fix, ...]
    """Every rule short of passing, the biggest gain first."""
    failing: tuple[str, ...]
    """Ids of the rules that fail the gate on their own (blocking or --fail-on), in rule order."""
    waived: tuple[str, ...] = ()
    """Ids of the rules a waiver excused, in rule order."""

    @property
    def why(self) -> str:
        why = ("，" if self.passed else "；").join(self.reasons)
        return f"{why}；已豁免：{'、'.join(self.waived)}" if self.waived else why

    @property
    def summary(self) -> str:
        return headline(self.passed, self.why)


def headline(passed: bool, why: str) -> str:
    """The verdict line: PASS or FAIL first, where scripts and people look for it."""
    return f"{'PASS' if passed else 'FAIL'}: {why}"


def judge(result: AuditResult, policy: GatePolicy) -> Verdict:
    blocking = _ids(result, lambda rule: rule.blocking and rule.falls_short)
    flagged = _ids(result, lambda rule: policy.fail_on is not None and rule.waiver is None
                   and rule.status in SHORTFALLS[policy.fail_on])
    checks = [_score_check(result.score, policy.fail_under), _blocking_check(blocking)]
    if policy.fail_on is not None:
        checks.append(_fail_on_check(policy.fail_on, flagged))
    passed = all(held for held, _ in checks)
    return Verdict(
        passed=passed,
        reasons=tuple(reason for held, reason in checks if held == passed),
        fixes=rank_fixes(result.results),
        failing=tuple(rule.id for rule in result.results if rule.id in blocking or rule.id in flagged),
        waived=_ids(result, lambda rule: rule.waiver is not None),
    )


def rank_fixes(results: list[RuleResult]) -> tuple[Fix, ...]:
    """Order the work by what it is worth: a partial recovers half its weight, a fail all of it,
    as a share of the weight that counts. Ties put blocking rules first, then rule order; a waived
    item is no work."""
    applicable = applicable_weight(results)
    fixes = [Fix(rule, round(100 * rule.weight * (1 - rule.status.credit) / applicable, 1))
             for rule in results if rule.falls_short]
    return tuple(sorted(fixes, key=lambda fix: (-fix.points, not fix.rule.blocking)))


def _ids(result: AuditResult, predicate: Callable[[RuleResult], bool]) -> tuple[str, ...]:
    return tuple(rule.id for rule in result.results if predicate(rule))


def _score_check(score: float, fail_under: float) -> tuple[bool, str]:
    if score < fail_under:
        return False, f"得分 {score:.1f} 低于 {fail_under:g}"
    return True, f"得分 {score:.1f} ≥ {fail_under:g}"


def _blocking_check(blocking: tuple[str, ...]) -> tuple[bool, str]:
    if blocking:
        return False, "必备项未达标：" + "、".join(blocking)
    return True, "必备项全部达标"


def _fail_on_check(fail_on: Status, flagged: tuple[str, ...]) -> tuple[bool, str]:
    label = SHORTFALL_LABELS[fail_on]
    if flagged:
        return False, f"有{label}（--fail-on {fail_on.value}）：" + "、".join(flagged)
    return True, f"无{label}"


@dataclass(frozen=True)
class Checked:
    result: AuditResult
    verdict: Verdict

    def verdict_dict(self) -> dict:
        """The verdict as JSON-ready data, for the formats that carry it beside the audit."""
        return {
            "file": self.result.file,
            "passed": self.verdict.passed,
            "reasons": list(self.verdict.reasons),
            "failing": list(self.verdict.failing),
            "waived": list(self.verdict.waived),
            "fixes": [{"id": fix.rule.id, "status": fix.rule.status.value, "points": fix.points}
                      for fix in self.verdict.fixes],
        }


@dataclass(frozen=True)
class Outcome:
    """A whole precheck run: the reports it judged and the inputs it could not read."""

    checked: tuple[Checked, ...]
    unreadable: tuple[ReadError, ...] = ()

    @property
    def passed(self) -> bool:
        # An input that could not be read was not checked, so it cannot count as passing.
        return not self.unreadable and all(item.verdict.passed for item in self.checked)

    @property
    def why(self) -> str:
        total = f"共 {len(self.checked) + len(self.unreadable)} 份报告"
        if self.passed:
            return f"{total}，全部通过"
        failed = sum(not item.verdict.passed for item in self.checked)
        parts = [f"{failed} 份未通过"] if failed else []
        parts += [f"{len(self.unreadable)} 份无法读取"] if self.unreadable else []
        return "，".join([total, *parts])

    @property
    def summary(self) -> str:
        return headline(self.passed, self.why)
