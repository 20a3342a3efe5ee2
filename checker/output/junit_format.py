"""JUnit XML, the test report every CI server can show: one <testsuite> per report, one
<testcase> per rule, and the gate verdict as one more test case so the CI view says why the job
failed. An input that could not be read becomes a suite with one <error>, as a crashed test would;
a waived item is <skipped>, with the waiver and what the rules found.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from checker.gate import Checked, Outcome, Verdict
from checker.models import RuleResult, Status
from checker.output.safe_text import shown
from checker.output.labels import quote, verdict_label, waiver_text
from checker.readers import ReadError

SUITE_NAME = "fzcheck"
GATE_CASE = "fzcheck.gate"
READ_CASE = "fzcheck.read"


def junit_report(outcome: Outcome) -> str:
    root = ET.Element("testsuites", name=SUITE_NAME)
    root.extend(_suite(item) for item in outcome.checked)
    root.extend(_unreadable_suite(problem) for problem in outcome.unreadable)
    _set_counts(root, root.iter("testcase"))
    ET.indent(root)
    # Text with the declaration (written out as UTF-8), like every other format fzcheck writes.
    # `shown` once more over the whole: whatever reached it, no character XML 1.0 forbids is left.
    return shown('<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n")


def _suite(item: Checked) -> ET.Element:
    result = item.result
    suite = ET.Element("testsuite", name=result.file)
    properties = ET.SubElement(suite, "properties")
    for name, value in (("score", f"{result.score:g}"), ("grade", result.grade),
                        ("ruleset", f"{result.ruleset.id} {result.ruleset.version}")):
        ET.SubElement(properties, "property", name=name, value=value)
    suite.extend(_rule_case(rule, item.verdict) for rule in result.results)
    suite.append(_gate_case(item.verdict))
    _set_counts(suite, suite.iter("testcase"))
    return suite


def _rule_case(rule: RuleResult, verdict: Verdict) -> ET.Element:
    case = ET.Element("testcase", classname=rule.group or SUITE_NAME, name=f"{rule.id} {rule.title}")
    if rule.waiver:
        skipped = ET.SubElement(case, "skipped", message=waiver_text(rule.waiver))
        skipped.text = f"{verdict_label(rule)}：{rule.message}\n{_details(rule)}"
    elif rule.status is Status.NOT_APPLICABLE:
        ET.SubElement(case, "skipped", message=rule.message)
    elif rule.status is Status.FAIL or rule.id in verdict.failing:
        failure = ET.SubElement(case, "failure", message=f"{rule.status.label}：{rule.message}", type=rule.status.value)
        failure.text = _details(rule)
    elif rule.status is Status.PARTIAL:
        ET.SubElement(case, "system-out").text = f"{rule.status.label}（不影响通过）：{rule.message}\n{_details(rule)}"
    return case


def _details(rule: RuleResult) -> str:
    lines = [f"得分 {rule.score:g}/{rule.weight:g}"]
    lines += [f"证据：{quote(evidence)}" for evidence in rule.evidence]
    lines += [f"建议：{rule.hint}"] if rule.hint and rule.waiver is None else []
    return "\n".join(lines)


def _gate_case(verdict: Verdict) -> ET.Element:
    case = ET.Element("testcase", classname=SUITE_NAME, name=GATE_CASE)
    fixes = "\n".join(fix.summary for fix in verdict.fixes)
    if verdict.passed:
        ET.SubElement(case, "system-out").text = "\n".join(filter(None, [verdict.summary, fixes]))
    else:
        failure = ET.SubElement(case, "failure", message=verdict.summary, type="gate")
        failure.text = fixes
    return case


def _unreadable_suite(problem: ReadError) -> ET.Element:
    suite = ET.Element("testsuite", name=problem.path)
    case = ET.SubElement(suite, "testcase", classname=SUITE_NAME, name=READ_CASE)
    ET.SubElement(case, "error", message=str(problem), type="ReadError")
    _set_counts(suite, [case])
    return suite


def _set_counts(element: ET.Element, cases: Iterable[ET.Element]) -> None:
    """The totals CI servers read from the attributes rather than by counting children."""
    cases = list(cases)
    element.set("tests", str(len(cases)))
    for child, attribute in (("failure", "failures"), ("error", "errors"), ("skipped", "skipped")):
        element.set(attribute, str(sum(case.find(child) is not None for case in cases)))
