"""The CI formats of precheck: JUnit XML parses and counts like a test report, SARIF is 2.1.0
that code-scanning services accept. Expectations come from the audit and the gate verdict of the
fixture reports under the fixture rule set (see test_precheck.py), and the rule descriptors from
that rule set."""
from __future__ import annotations

import io
import json
import shutil
import sys
import xml.etree.ElementTree as ET
from importlib.metadata import version
from urllib.parse import unquote

import pytest
from test_precheck import MISSING, PARTIALS_ONLY, REPO, REPORT_FILES, RULES, SHORT, STRONG, WEAK, with_statuses

from checker.cli import main
from checker.gate import Checked, GatePolicy, Outcome, judge
from checker.models import AuditResult, Status
from checker.output.junit_format import GATE_CASE, junit_report
from checker.pipeline import audit_path
from checker.ruleset import RuleSet


pytestmark = pytest.mark.usefixtures("in_repository")


@pytest.fixture(scope="module")
def audits(plumbing: RuleSet) -> dict[str, AuditResult]:
    return {path: audit_path(path, plumbing) for path in REPORT_FILES}


def precheck(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """`fzcheck precheck ARGS` with the fixture rule set."""
    code = main(["precheck", *RULES, *args])
    return code, capsys.readouterr().out


# ---------------------------------------------------------------- JUnit

@pytest.fixture(scope="module")
def junit(audits) -> ET.Element:
    checked = tuple(Checked(result, judge(result, GatePolicy())) for result in audits.values())
    return ET.fromstring(junit_report(Outcome(checked)))


def test_junit_from_the_command_line_is_xml_with_a_declaration(capsys):
    code, out = precheck(capsys, WEAK, "--format", "junit")
    assert code == 1
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    assert ET.fromstring(out.encode("utf-8")).tag == "testsuites"


def test_junit_has_one_suite_per_report_and_one_case_per_rule_plus_the_gate(junit, plumbing):
    suites = junit.findall("testsuite")
    assert [suite.get("name") for suite in suites] == list(REPORT_FILES)
    for suite in suites:
        names = [case.get("name") for case in suite.findall("testcase")]
        assert names[:-1] == [f"{rule.spec.id} {rule.spec.title}" for rule in plumbing.rules]
        assert names[-1] == GATE_CASE


def test_junit_weak_report_fails_its_fails_and_the_gate(junit):
    suite = next(suite for suite in junit.findall("testsuite") if suite.get("name") == WEAK)
    failed = [case.get("name").split(" ")[0] for case in suite.findall("testcase") if case.find("failure") is not None]
    # popularization-duty is only partial and not blocking: it does not fail the gate.
    assert failed == ["shortcomings-section", "court-rate", "on-time", GATE_CASE]
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("7", "4", "0")


@pytest.mark.parametrize("sample", REPORT_FILES, ids=["strong", "weak", "not-a-report", "partials-only"])
def test_junit_failures_are_fails_gate_failing_partials_and_the_gate(junit, audits, sample):
    result = audits[sample]
    verdict = judge(result, GatePolicy())
    expected = [f"{rule.id} {rule.title}" for rule in result.results
                if rule.status is Status.FAIL or (rule.status is Status.PARTIAL and rule.id in verdict.failing)]
    expected += [] if verdict.passed else [GATE_CASE]
    suite = next(suite for suite in junit.findall("testsuite") if suite.get("name") == sample)
    failed = [case.get("name") for case in suite.findall("testcase") if case.find("failure") is not None]
    assert failed == expected
    assert suite.get("failures") == str(len(expected))
    assert suite.get("tests") == str(len(result.results) + 1)


def test_junit_totals_add_up(junit):
    for attribute in ("tests", "failures", "errors", "skipped"):
        assert int(junit.get(attribute)) == sum(int(suite.get(attribute)) for suite in junit.findall("testsuite"))


def test_junit_cases_are_grouped_by_rule_group(junit, audits):
    suite = junit.find("testsuite")
    groups = [rule.group for rule in audits[suite.get("name")].results]
    assert [case.get("classname") for case in suite.findall("testcase")] == [*groups, "fzcheck"]


def test_junit_failure_text_carries_evidence_and_hint(junit, audits):
    suite = next(suite for suite in junit.findall("testsuite") if suite.get("name") == WEAK)
    rule = next(rule for rule in audits[WEAK].results if rule.status is Status.FAIL and rule.evidence)
    failure = next(case for case in suite.findall("testcase") if case.get("name").startswith(rule.id + " ")).find("failure")
    assert failure.get("type") == "fail"
    assert failure.get("message") == f"{rule.status.label}：{rule.message}"
    assert f"第{rule.evidence[0].line}行" in failure.text and rule.hint in failure.text


def test_junit_partial_that_does_not_fail_the_gate_passes_with_a_note(junit, audits):
    suite = next(suite for suite in junit.findall("testsuite") if suite.get("name") == PARTIALS_ONLY)
    partial = next(rule for rule in audits[PARTIALS_ONLY].results if rule.status is Status.PARTIAL and not rule.blocking)
    case = next(case for case in suite.findall("testcase") if case.get("name").startswith(partial.id + " "))
    assert case.find("failure") is None
    assert case.find("system-out").text.startswith(Status.PARTIAL.label)


def test_junit_gate_failure_message_is_the_verdict(junit, audits):
    suite = next(suite for suite in junit.findall("testsuite") if suite.get("name") == WEAK)
    gate = suite.findall("testcase")[-1].find("failure")
    assert gate.get("message") == judge(audits[WEAK], GatePolicy()).summary


def test_junit_not_applicable_is_skipped(audits):
    result = with_statuses(audits[STRONG], {"court-rate": Status.NOT_APPLICABLE})
    suite = ET.fromstring(junit_report(Outcome((Checked(result, judge(result, GatePolicy())),)))).find("testsuite")
    skipped = [case.get("name") for case in suite.findall("testcase") if case.find("skipped") is not None]
    assert skipped == ["court-rate 负责人出庭应诉率"]
    assert suite.get("skipped") == "1"


def test_junit_a_report_without_a_date_skips_the_deadline(junit):
    suite = next(suite for suite in junit.findall("testsuite") if suite.get("name") == PARTIALS_ONLY)
    skipped = [case.get("name") for case in suite.findall("testcase") if case.find("skipped") is not None]
    assert skipped == ["on-time 次年3月31日前公开"] and suite.get("skipped") == "1"


def test_junit_unreadable_input_is_an_error_suite(capsys):
    code, out = precheck(capsys, STRONG, MISSING, "--format", "junit")
    assert code == 3
    suite = ET.fromstring(out.encode("utf-8")).findall("testsuite")[-1]
    assert suite.get("name") == MISSING and suite.get("errors") == "1"
    assert suite.find("testcase/error") is not None


# ---------------------------------------------------------------- SARIF

def sarif_of(capsys, *args: str) -> dict:
    _, out = precheck(capsys, *args, "--format", "sarif")
    return json.loads(out)


@pytest.fixture
def weak_sarif(capsys) -> dict:
    return sarif_of(capsys, WEAK, STRONG)


def test_sarif_header(weak_sarif, plumbing):
    assert weak_sarif["version"] == "2.1.0"
    assert len(weak_sarif["runs"]) == 1
    driver = weak_sarif["runs"][0]["tool"]["driver"]
    assert driver["name"] == "fzcheck" and driver["version"] == version("fzcheck")
    assert [rule["id"] for rule in driver["rules"]] == [rule.spec.id for rule in plumbing.rules]


def test_sarif_driver_rules_come_from_the_rule_set(weak_sarif, plumbing):
    descriptors = {rule["id"]: rule for rule in weak_sarif["runs"][0]["tool"]["driver"]["rules"]}
    for rule in plumbing.rules:
        descriptor = descriptors[rule.spec.id]
        assert descriptor["shortDescription"]["text"] == rule.spec.title
        assert descriptor["fullDescription"]["text"] == rule.spec.basis
        assert descriptor["help"]["text"] == rule.spec.hint
        assert descriptor["defaultConfiguration"]["level"] in ("error", "warning")


def test_sarif_results_are_the_rules_short_of_passing(weak_sarif, audits):
    run = weak_sarif["runs"][0]
    rule_ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    expected = [(rule.id, {Status.FAIL: "error", Status.PARTIAL: "warning"}[rule.status])
                for path in (WEAK, STRONG) for rule in audits[path].results if rule.status in SHORT]
    assert [(result["ruleId"], result["level"]) for result in run["results"]] == expected
    for result in run["results"]:
        assert result["ruleId"] in rule_ids
        assert rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["message"]["text"]
    # The weak report's four shortfalls; the strong report has none.
    assert [(result["ruleId"], result["level"]) for result in run["results"]] == [
        ("shortcomings-section", "error"), ("popularization-duty", "warning"), ("court-rate", "error"),
        ("on-time", "error")]


def test_sarif_regions_start_at_the_first_evidence_line(weak_sarif, audits):
    rules = {rule.id: rule for rule in audits[WEAK].results}
    lines = {result["ruleId"]: result["locations"][0]["physicalLocation"].get("region", {}).get("startLine")
             for result in weak_sarif["runs"][0]["results"]}
    # 普法 and the 90% rate are quoted from lines 8 and 9; a missing section or date has no line.
    assert lines == {"shortcomings-section": None, "popularization-duty": 8, "court-rate": 9, "on-time": None}
    for result in weak_sarif["runs"][0]["results"]:
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] == WEAK
        evidence = rules[result["ruleId"]].evidence
        if evidence:
            assert location["region"]["startLine"] == evidence[0].line >= 1
        else:
            assert "region" not in location


@pytest.mark.parametrize("name", ["白鹭湾区报告.txt", "草稿/2024 年报告.txt"], ids=["chinese", "folder-and-space"])
def test_sarif_uri_is_relative_and_percent_encoded(capsys, monkeypatch, tmp_path, name):
    draft = tmp_path / name
    draft.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / WEAK, draft)
    monkeypatch.chdir(tmp_path)
    for given in (name, str(draft)):  # relative as typed, or absolute inside the working folder
        uris = {result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for result in sarif_of(capsys, given)["runs"][0]["results"]}
        (uri,) = uris
        assert uri.isascii() and " " not in uri and unquote(uri) == name


def test_sarif_file_outside_the_working_folder_is_a_file_uri(capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    result = sarif_of(capsys, str(REPO / WEAK))["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (REPO / WEAK).as_uri()


def test_sarif_unreadable_input_is_a_tool_notification(capsys):
    run = sarif_of(capsys, STRONG, MISSING)["runs"][0]
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    (notification,) = invocation["toolExecutionNotifications"]
    assert notification["level"] == "error" and MISSING in notification["message"]["text"]


def test_sarif_written_to_a_file(capsys, tmp_path):
    target = tmp_path / "out" / "fzcheck.sarif"
    code, out = precheck(capsys, WEAK, "--format", "sarif", "--output", str(target))
    assert (code, out) == (1, "")
    assert json.loads(target.read_text(encoding="utf-8"))["version"] == "2.1.0"


# A hand-written subset of the SARIF 2.1.0 schema: the parts fzcheck writes and code-scanning
# services insist on (the official schema is not downloaded in tests).
SARIF_SUBSET = {
    "type": "object",
    "required": ["version", "runs"],
    "properties": {
        "$schema": {"type": "string"},
        "version": {"const": "2.1.0"},
        "runs": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/run"}},
    },
    "$defs": {
        "level": {"enum": ["none", "note", "warning", "error"]},
        "message": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "minLength": 1}}},
        "text": {"type": "object", "required": ["text"], "properties": {"text": {"type": "string"}}},
        "run": {
            "type": "object",
            "required": ["tool"],
            "properties": {
                "tool": {"type": "object", "required": ["driver"], "properties": {"driver": {"$ref": "#/$defs/driver"}}},
                "results": {"type": "array", "items": {"$ref": "#/$defs/result"}},
                "invocations": {"type": "array", "items": {
                    "type": "object",
                    "required": ["executionSuccessful"],
                    "properties": {
                        "executionSuccessful": {"type": "boolean"},
                        "toolExecutionNotifications": {"type": "array", "items": {
                            "type": "object", "required": ["message"],
                            "properties": {"message": {"$ref": "#/$defs/message"}, "level": {"$ref": "#/$defs/level"}}}},
                    }}},
                "properties": {"type": "object"},
            },
        },
        "driver": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string"},
                "version": {"type": "string"},
                "rules": {"type": "array", "items": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {
                        "id": {"type": "string"},
                        "name": {"type": "string"},
                        "shortDescription": {"$ref": "#/$defs/text"},
                        "fullDescription": {"$ref": "#/$defs/text"},
                        "help": {"$ref": "#/$defs/text"},
                        "defaultConfiguration": {"type": "object", "properties": {"level": {"$ref": "#/$defs/level"}}},
                        "properties": {"type": "object"},
                    },
                    "additionalProperties": False}},
            },
        },
        "result": {
            "type": "object",
            "required": ["message"],
            "properties": {
                "ruleId": {"type": "string"},
                "ruleIndex": {"type": "integer", "minimum": -1},
                "level": {"$ref": "#/$defs/level"},
                "message": {"$ref": "#/$defs/message"},
                "locations": {"type": "array", "items": {
                    "type": "object",
                    "properties": {"physicalLocation": {
                        "type": "object",
                        "required": ["artifactLocation"],
                        "properties": {
                            "artifactLocation": {"type": "object", "required": ["uri"],
                                                 "properties": {"uri": {"type": "string", "pattern": "^[\\x21-\\x7e]+$"}}},
                            "region": {"type": "object", "required": ["startLine"],
                                       "properties": {"startLine": {"type": "integer", "minimum": 1}}},
                        },
                        "additionalProperties": False}},
                    "additionalProperties": False}},
                "properties": {"type": "object"},
            },
            "additionalProperties": False,
        },
    },
}


def test_sarif_matches_the_schema_subset(capsys):
    jsonschema = pytest.importorskip("jsonschema")
    document = sarif_of(capsys, WEAK, STRONG, PARTIALS_ONLY, MISSING)
    jsonschema.Draft202012Validator.check_schema(SARIF_SUBSET)
    jsonschema.validate(document, SARIF_SUBSET, cls=jsonschema.Draft202012Validator)


def test_sarif_for_piped_text_has_no_file_to_point_at(capsys, monkeypatch):
    piped = io.TextIOWrapper(io.BytesIO((REPO / WEAK).read_bytes()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", piped)
    results = sarif_of(capsys, "-")["runs"][0]["results"]
    assert results
    assert all("locations" not in result for result in results)
