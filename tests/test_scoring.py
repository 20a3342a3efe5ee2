"""Scores and grades as the catalog defines them: score = 100 × Σ(weight × credit) / Σ(weight of the
applicable rules); pass 1, partial ½, fail 0; not_applicable leaves the denominator; grades at
90 / 80 / 60."""
from __future__ import annotations

import pytest

from checker.engine import audit
from checker.models import RuleResult, Status
from checker.scoring import count_statuses, grade, rule_score, total_score

P, H, F, NA = Status.PASS, Status.PARTIAL, Status.FAIL, Status.NOT_APPLICABLE


def result(status: Status, weight: float, number: int = 0) -> RuleResult:
    return RuleResult(id=f"rule-{number}", title="规则", group="组", status=status, weight=weight,
                      score=rule_score(status, weight), blocking=False, basis="依据", message="说明", hint=None,
                      evidence=[])


def results(*pairs: tuple[Status, float]) -> list[RuleResult]:
    return [result(status, weight, number) for number, (status, weight) in enumerate(pairs)]


@pytest.mark.parametrize(("pairs", "score"), [
    pytest.param([(P, 5), (P, 3)], 100.0, id="all-pass"),
    pytest.param([(F, 5), (F, 3)], 0.0, id="all-fail"),
    pytest.param([(P, 2), (H, 2)], 75.0, id="partial-is-half"),
    pytest.param([(H, 4)], 50.0, id="only-partial"),
    pytest.param([(P, 6), (F, 2)], 75.0, id="weighted"),
    pytest.param([(P, 5), (NA, 5)], 100.0, id="not-applicable-leaves-the-denominator"),
    pytest.param([(F, 5), (NA, 50)], 0.0, id="not-applicable-gives-no-credit-either"),
    pytest.param([(P, 1), (H, 1), (F, 1)], 50.0, id="one-of-each"),
    pytest.param([(P, 1), (F, 2)], 33.3, id="rounded-to-one-decimal"),
    pytest.param([(NA, 3)], 0.0, id="nothing-applicable"),
    pytest.param([], 0.0, id="no-rules"),
])
def test_total_score(pairs, score: float) -> None:
    assert total_score(results(*pairs)) == score


@pytest.mark.parametrize(("status", "weight", "score"), [
    (P, 6, 6.0), (H, 6, 3.0), (H, 5, 2.5), (F, 6, 0.0), (NA, 6, 0.0),
])
def test_rule_score(status: Status, weight: float, score: float) -> None:
    assert rule_score(status, weight) == score


@pytest.mark.parametrize(("score", "label"), [
    (100.0, "优秀"), (90.0, "优秀"), (89.9, "良好"), (80.0, "良好"), (79.9, "合格"),
    (60.0, "合格"), (59.9, "不合格"), (0.0, "不合格"),
])
def test_grade_thresholds(score: float, label: str) -> None:
    assert grade(score) == label


def test_counts() -> None:
    counts = count_statuses(results((P, 1), (P, 1), (H, 1), (NA, 1)))
    assert (counts.pass_, counts.partial, counts.fail, counts.not_applicable) == (2, 1, 0, 1)


def test_audit_score_is_the_formula_over_its_own_results(national, make_document) -> None:
    text = ("临溪县2024年法治政府建设情况报告\n一、2024年主要举措和成效\n全年办理行政复议案件35件。"
            "行政机关负责人出庭应诉率达95%。\n")
    audited = audit(make_document(text), national)
    applicable = [item for item in audited.results if item.status is not NA]
    expected = 100 * sum(item.weight * item.status.credit for item in applicable) / sum(item.weight for item in applicable)
    assert audited.score == round(expected, 1)
    assert audited.grade == grade(audited.score)
    for item in audited.results:
        assert item.score == rule_score(item.status, item.weight), item.id
    assert sum((audited.counts.pass_, audited.counts.partial, audited.counts.fail,
                audited.counts.not_applicable)) == len(audited.results)


def test_not_applicable_rule_leaves_the_denominator_in_an_audit(national, make_document) -> None:
    # disclosure-deadline has no publication date to judge: not applicable, so it costs nothing.
    text = "临溪县2024年法治政府建设情况报告\n一、2024年主要举措和成效\n全年办理行政复议案件35件。\n"
    audited = audit(make_document(text), national)
    deadline = next(item for item in audited.results if item.id == "disclosure-deadline")
    assert deadline.status is NA
    applicable_weight = sum(item.weight for item in audited.results if item.status is not NA)
    assert applicable_weight == sum(item.weight for item in audited.results) - deadline.weight
