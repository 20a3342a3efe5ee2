"""Compare a result with an earlier run: what the score did and which items changed status.

The earlier run is whatever fzcheck wrote as JSON (`audit --format json`, `batch --format json`
or `batch --format jsonl`), so a baseline is simply last year's or last week's output kept in a
folder. Only the fields needed to compare are read, so a baseline written by an older fzcheck
whose models had other fields still works.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import PurePath

from checker.errors import UsageError
from checker.models import AuditResult, Status
from checker.os_errors import explain


class BaselineError(UsageError):
    """A baseline file that cannot be used; `str()` is the one-line message for the user."""


@dataclass(frozen=True)
class BaselineReport:
    file: str
    issuer: str | None
    kind: str | None
    year: int | None
    score: float
    statuses: dict[str, Status]


@dataclass(frozen=True)
class Change:
    id: str
    before: Status | None
    """None when the rule did not exist in the baseline's rule set."""
    after: Status

    @property
    def direction(self) -> int:
        """+1 better, -1 worse, 0 when either side is 不适用 or new (no credit to compare)."""
        if self.before is None or Status.NOT_APPLICABLE in (self.before, self.after):
            return 0
        return (self.after.credit > self.before.credit) - (self.after.credit < self.before.credit)


@dataclass(frozen=True)
class Comparison:
    file: str
    """The baseline report this result was matched with."""
    score: float
    delta: float
    changes: tuple[Change, ...]

    def change_of(self, rule_id: str) -> Change | None:
        return next((change for change in self.changes if change.id == rule_id), None)


class Baseline:
    """Earlier reports, indexed the ways a report of this run can be matched to one of them."""

    def __init__(self, reports: list[BaselineReport]) -> None:
        self.reports = reports
        self._by_path = {report.file: report for report in reports}
        self._by_name: dict[str, list[BaselineReport]] = {}
        for report in reports:
            self._by_name.setdefault(PurePath(report.file).name, []).append(report)

    def match(self, result: AuditResult) -> BaselineReport | None:
        """Same path, else the same file name (if only one has it), else the same issuer and kind.

        The last tier is what makes "this year's report against last year's" work when every
        year's file is named differently; among several, the latest year is the one to beat.
        """
        if result.file in self._by_path:
            return self._by_path[result.file]
        named = self._by_name.get(PurePath(result.file).name, [])
        if len(named) == 1:
            return named[0]
        issuer, kind = result.report.issuer, result.report.kind
        if issuer is None:
            return None
        peers = [report for report in self.reports if report.issuer == issuer and report.kind == kind]
        return max(peers, key=lambda report: (report.year or 0, report.file), default=None)

    def compare(self, result: AuditResult) -> Comparison | None:
        earlier = self.match(result)
        if earlier is None:
            return None
        changes = tuple(
            Change(item.id, earlier.statuses.get(item.id), item.status)
            for item in result.results
            if earlier.statuses.get(item.id) is not item.status
        )
        return Comparison(earlier.file, earlier.score, round(result.score - earlier.score, 1), changes)


def load_baseline(path: str) -> Baseline:
    try:
        with open(path, encoding="utf-8-sig") as stream:
            text = stream.read()
    except OSError as problem:
        raise BaselineError(f"{path}：无法读取基线文件：{explain(problem)}") from None
    except UnicodeDecodeError:
        raise BaselineError(f"{path}：基线文件不是 UTF-8 文本") from None
    if not text.strip():
        raise BaselineError(f"{path}：基线文件为空")
    try:
        return Baseline([_report(item) for item in _documents(text) if "error" not in item])
    except json.JSONDecodeError as problem:
        raise BaselineError(
            f"{path}：基线文件不是有效的 JSON（第{problem.lineno}行第{problem.colno}列：{problem.msg}）") from None
    except (KeyError, TypeError, ValueError, AttributeError):
        raise BaselineError(
            f"{path}：不是 fzcheck 的 JSON 输出（应为 audit --format json 或 batch --format json/jsonl 的结果）"
        ) from None


def _documents(text: str) -> list[dict]:
    """A batch JSON's reports, an audit JSON object, or the lines of a batch JSONL file."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as whole:
        try:
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError:
            raise whole from None
    if isinstance(data, dict):
        data = data["reports"] if "reports" in data else [data]
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise TypeError("not a list of reports")
    return data


def _report(item: dict) -> BaselineReport:
    report = item["report"]
    return BaselineReport(
        file=str(item["file"]),
        issuer=report.get("issuer"),
        kind=report.get("kind"),
        year=report.get("year"),
        score=float(item["score"]),
        statuses={str(result["id"]): Status(result["status"]) for result in item["results"]},
    )
