"""SARIF 2.1.0, the static-analysis format that GitHub code scanning, GitLab and IDE viewers
read: the rule set becomes the tool's rule catalogue and every rule a report does not pass
becomes one result pointing at the file (and at the line of its first evidence, if any). A waived
one is still a result, with an external, accepted suppression (SARIF 2.1.0 §3.35) whose
justification is the waiver's reason: viewers list it as suppressed, not as an open finding."""
from __future__ import annotations

import json
from contextlib import suppress
from pathlib import Path
from urllib.parse import quote

from checker.gate import Checked, Outcome
from checker.models import AuditResult, RuleResult, Status
from checker.pipeline import STDIN
from checker.readers import ReadError
from checker.ruleset import CompiledRule, RuleSet

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {Status.FAIL: "error", Status.PARTIAL: "warning"}


def sarif_report(outcome: Outcome, ruleset: RuleSet) -> str:
    index = {rule.spec.id: position for position, rule in enumerate(ruleset.rules)}
    run = {
        "tool": {"driver": _driver(ruleset)},
        "invocations": [{
            # An unreadable input means the run did not check everything it was given.
            "executionSuccessful": not outcome.unreadable,
            "toolExecutionNotifications": [_notification(problem) for problem in outcome.unreadable],
        }],
        "results": [_result(item, rule, index[rule.id])
                    for item in outcome.checked for rule in item.result.results if rule.status in LEVELS],
        "properties": {"passed": outcome.passed, "verdicts": [item.verdict_dict() for item in outcome.checked]},
    }
    return json.dumps({"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}, ensure_ascii=False, indent=2)


def _driver(ruleset: RuleSet) -> dict:
    from importlib.metadata import PackageNotFoundError, version  # 15 ms: only for SARIF, which names the version

    driver: dict = {"name": "fzcheck"}
    with suppress(PackageNotFoundError):  # run from a source tree that was never installed
        driver["version"] = version("fzcheck")
    driver["rules"] = [_descriptor(rule) for rule in ruleset.rules]
    return driver


def _descriptor(rule: CompiledRule) -> dict:
    spec = rule.spec
    return {
        "id": spec.id,
        "name": spec.title,
        "shortDescription": {"text": spec.title},
        "fullDescription": {"text": spec.basis},
        "help": {"text": spec.hint},
        "defaultConfiguration": {"level": "error" if rule.blocking else "warning"},
        "properties": {"tags": [spec.group], "weight": rule.weight, "blocking": rule.blocking},
    }


def _result(item: Checked, rule: RuleResult, rule_index: int) -> dict:
    result: dict = {
        "ruleId": rule.id,
        "ruleIndex": rule_index,
        "level": LEVELS[rule.status],
        "message": {"text": f"{rule.title}：{rule.message}"},
    }
    location = _location(item.result, rule)
    if location:
        result["locations"] = [location]
    if rule.waiver:
        waiver = rule.waiver
        result["suppressions"] = [{"kind": "external", "status": "accepted", "justification": waiver.reason,
                                   "properties": {"approvedBy": waiver.approved_by, "until": waiver.until.isoformat(),
                                                  "source": waiver.source}}]
    result["properties"] = {"status": rule.status.value, "failsGate": rule.id in item.verdict.failing}
    return result


def _location(audit: AuditResult, rule: RuleResult) -> dict | None:
    if audit.file == STDIN:  # piped text has no file to point at
        return None
    physical: dict = {"artifactLocation": {"uri": _artifact_uri(audit.file)}}
    # SARIF lines start at 1; a rule with nothing quoted is about the whole file.
    if rule.evidence and rule.evidence[0].line >= 1:
        physical["region"] = {"startLine": rule.evidence[0].line}
    return {"physicalLocation": physical}


def _notification(problem: ReadError) -> dict:
    notification: dict = {"level": "error", "message": {"text": str(problem)}}
    if problem.path != STDIN:
        notification["locations"] = [{"physicalLocation": {"artifactLocation": {"uri": _artifact_uri(problem.path)}}}]
    return notification


def _artifact_uri(path: str) -> str:
    """A relative URI reference where possible (what code-scanning services resolve against the
    checkout), else an absolute file URI; non-ASCII names are percent-encoded as UTF-8."""
    file = Path(path)
    if file.is_absolute():
        try:
            file = file.relative_to(Path.cwd())
        except ValueError:
            return file.as_uri()
    return quote(file.as_posix())
