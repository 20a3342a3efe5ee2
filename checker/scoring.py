"""Scores and grades, as the catalog defines them: partial is half credit, and a rule that does
not apply, or whose shortfall a waiver excuses (checker/waivers.py), leaves the denominator."""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from checker.models import Counts, RuleResult, Status

GRADES = ((90.0, "优秀"), (80.0, "良好"), (60.0, "合格"), (0.0, "不合格"))


def rule_score(status: Status, weight: float) -> float:
    return round(weight * status.credit, 2)


def counted(result: RuleResult) -> bool:
    """Whether the item is in the score: it applies and is not waived."""
    return result.status is not Status.NOT_APPLICABLE and result.waiver is None


def applicable_weight(results: Sequence[RuleResult]) -> float:
    """The score's denominator: a rule that does not apply, or is waived, is left out."""
    return sum(result.weight for result in results if counted(result))


def total_score(results: Sequence[RuleResult]) -> float:
    possible = applicable_weight(results)
    if not possible:
        return 0.0
    return round(100 * sum(result.weight * result.status.credit for result in results if counted(result)) / possible, 1)


def grade(score: float) -> str:
    return next(label for floor, label in GRADES if score >= floor)


def count_statuses(results: Sequence[RuleResult]) -> Counts:
    tally = Counter(result.status for result in results if result.waiver is None)
    return Counts(pass_=tally[Status.PASS], partial=tally[Status.PARTIAL], fail=tally[Status.FAIL],
                  not_applicable=tally[Status.NOT_APPLICABLE],
                  waived=sum(result.waiver is not None for result in results))
