"""Machine-readable output: exactly one JSON document on stdout."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING

from checker.models import AuditResult

if TYPE_CHECKING:  # a run without --baseline never loads the comparison code
    from checker.baseline import Comparison


def audit_json(result: AuditResult, comparison: Comparison | None = None) -> str:
    return json.dumps(report_dict(result, comparison), ensure_ascii=False, indent=2)


def report_dict(result: AuditResult, comparison: Comparison | None = None) -> dict:
    """The audit object, shared by `audit` and every report of `batch`; "baseline" only with --baseline."""
    data = result.to_json_dict()
    if comparison is not None:
        data["baseline"] = {
            "file": comparison.file,
            "score": comparison.score,
            "delta": comparison.delta,
            "changes": [
                {"id": change.id, "from": change.before.value if change.before else None, "to": change.after.value}
                for change in comparison.changes
            ],
        }
    return data


def error_dict(file: str, error: str) -> dict:
    """An input that gave no result, in every JSON fzcheck writes (batch, jsonl, precheck): one
    shape, checker/schemas/batch.schema.json's "error"."""
    return {"file": file, "error": error}
