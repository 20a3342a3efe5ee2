"""A batch as JSON (one document) or JSON Lines (one object per report, written as it comes).

Each report is exactly the object `audit --format json` writes, so one consumer reads both, and
checker/schemas/report.schema.json describes it.
"""
from __future__ import annotations

import json
from typing import TextIO

from checker.baseline import Comparison
from checker.batch import BatchReport, FileError, Outcome, Summary
from checker.output.json_format import report_dict


def batch_json(report: BatchReport) -> str:
    document = {
        "reports": [report_dict(item.result, item.comparison) for item in report.ranked],
        "summary": summary_dict(report),
        "errors": [error_dict(error) for error in report.errors],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


class JsonlWriter:
    """One line per report or error; the "baseline" key appears on reports that were matched."""

    def __init__(self, stream: TextIO, baseline: bool = False) -> None:
        self._stream = stream

    def write(self, outcome: Outcome, comparison: Comparison | None = None) -> None:
        data = error_dict(outcome) if isinstance(outcome, FileError) else report_dict(outcome, comparison)
        self._stream.write(json.dumps(data, ensure_ascii=False) + "\n")


def error_dict(error: FileError) -> dict:
    return {"file": error.file, "error": error.error}


def summary_dict(report: BatchReport) -> dict:
    summary: Summary = report.summary
    data = {
        "ruleset": report.ruleset.model_dump(mode="json"),
        "files": summary.files,
        "reports": summary.reports,
        "errors": summary.errors,
        "mean_score": summary.mean_score,
        "grades": summary.grades,
        "by_rule": [
            {"id": rule.id, "title": rule.title, **{status.value: count for status, count in rule.counts.items()}}
            for rule in summary.by_rule
        ],
    }
    if summary.compared:
        data["baseline"] = {"compared": summary.compared, "mean_delta": summary.mean_delta}
    return data
