"""A batch as JSON (one document) or JSON Lines (one object per report, written as it comes).

Each report is exactly the object `audit --format json` writes, so one consumer reads both, and
checker/schemas/report.schema.json describes it. Both are encoded in the worker that scored the
report; the document is then assembled from those pieces in rank order, never held whole.
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from checker import __version__
from checker.baseline import Comparison
from checker.batch import BatchReport, FileError, Outcome, Summary
from checker.output.json_format import error_dict, report_dict
from checker.output.labels import ranking_label

INDENT = "  "


@dataclass(frozen=True)
class JsonLines:
    """One line per report or error; the "baseline" key appears on reports that were matched."""

    def header(self) -> str:
        """What starts the file: nothing, each line stands alone (a CSV file starts with its header)."""
        return ""

    def __call__(self, outcome: Outcome, comparison: Comparison | None = None) -> str:
        data = error_dict(outcome.file, outcome.error) if isinstance(outcome, FileError) else report_dict(outcome, comparison)
        return json.dumps(data, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class JsonReports:
    """A report as it stands in the document's "reports" list (UTF-8); errors are in the summary."""

    def __call__(self, outcome: Outcome, comparison: Comparison | None = None) -> tuple[bytes] | None:
        if isinstance(outcome, FileError):
            return None
        return ((INDENT * 2) + _nested(report_dict(outcome, comparison), 2)).encode(),


def batch_json(report: BatchReport) -> Iterator[str]:
    """The document, piece by piece: what `json.dumps(…, indent=2)` of the whole would write.
    "reports" holds the ranked reports, ranking after ranking (each report's rank is in
    summary.rankings); "not_reports" the documents listed apart, by path."""
    yield '{\n  "reports": ['
    yield from _listed(report, [item.index for item in report.ranked])
    yield ',\n  "not_reports": ['
    yield from _listed(report, report.not_reports)
    yield f',\n  "summary": {_nested(summary_dict(report), 1)}'
    yield f',\n  "errors": {_nested([error_dict(error.file, error.error) for error in report.errors], 1)}\n}}\n'


def _listed(report: BatchReport, places: list[int]) -> Iterator[str]:
    """The spilled report objects at `places`, as the items of a list already opened."""
    for number, index in enumerate(places):
        yield ("," if number else "") + "\n" + report.reports.read(index).decode()
    yield "\n  ]" if places else "]"


def _nested(value: object, depth: int) -> str:
    """`value` as it is written `depth` levels deep in an indented document."""
    return json.dumps(value, ensure_ascii=False, indent=len(INDENT)).replace("\n", "\n" + INDENT * depth)


def summary_dict(report: BatchReport) -> dict:
    summary: Summary = report.summary
    data = {
        "ruleset": {"id": report.ruleset.id, "version": report.ruleset.version, "sha256": report.ruleset.sha256},
        "fzcheck": __version__,
        "files": summary.files,
        "reports": summary.reports,
        "errors": summary.errors,
        "not_reports": summary.not_reports,
        "mean_score": summary.mean_score,
        "waived": summary.waived,
        "grades": summary.grades,
        "by_rule": [
            {"id": rule.id, "title": rule.title, **{status.value: count for status, count in rule.counts.items()},
             "waived": rule.waived}
            for rule in summary.by_rule
        ],
    }
    data["rankings"] = [
        {"kind": ranking.kind, "label": ranking_label(ranking.kind), "reports": len(ranking.ranked),
         "mean_score": report.summary.mean_of(ranking.kind),
         "ranks": [{"rank": item.rank, "file": item.file, "score": item.score} for item in ranking.ranked]}
        for ranking in report.rankings]
    if summary.compared:
        data["baseline"] = {"compared": summary.compared, "mean_delta": summary.mean_delta}
    return data
