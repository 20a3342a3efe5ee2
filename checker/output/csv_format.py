"""A batch as CSV: one row per report and rule, for a spreadsheet or a pivot table.

UTF-8 with a byte-order mark, because that is how Excel recognises UTF-8; without it Chinese
text opens as mojibake. A report's rows are rendered by the worker that scored it and written as
results come, so a corpus of any size streams.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from checker import __version__
from checker.baseline import Comparison
from checker.batch import FileError, Outcome
from checker.models import AuditResult, RuleResult
from checker.output.changes import change_label
from checker.output.labels import ERROR_LABEL

ENCODING = "utf-8-sig"
STAMP_COLUMNS = ("file_sha256", "ruleset_id", "ruleset_version", "ruleset_sha256", "fzcheck_version")
"""Last in both layouts: what reproducing a row's score needs (an error row has the version only)."""
COLUMNS = (
    "file", "title", "issuer", "year", "kind", "published", "score", "grade", "not_a_report",
    "rule_id", "rule_title", "status", "status_label", "rule_score", "weight", "message",
    "evidence_page", "evidence_line", "evidence_text",
    "waiver_reason", "waiver_approved_by", "waiver_until", "waiver_source", "error",
)
"""`status` and `status_label` are what the rules found; a waived item has its waiver's columns
filled in (and its rule_score is not counted in `score`)."""
BASELINE_COLUMNS = ("baseline_score", "score_delta", "baseline_status", "change")
ERROR_STATUS = "error"
WAIVED_STATUS = "waived"
"""A waived item's cell in the wide layout, which has room for one value per rule: what counts."""
WIDE_COLUMNS = ("file", "title", "issuer", "year", "kind", "published", "score", "grade", "not_a_report")
"""The report columns of the wide layout (then one column per rule id, then "error", then the stamp)."""
WIDE_BASELINE_COLUMNS = ("baseline_score", "score_delta")
# A text cell that starts like a formula is run by Excel when the file opens; report text is other
# people's words, so such cells get a leading apostrophe (OWASP's advice for CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class _Layout:
    """What both layouts share: a header line, then rows of cells made inert, written as CSV text."""

    def header(self) -> str:
        text, writer = self._writer()
        writer.writeheader()
        return text.getvalue()

    def _render(self, rows: list[dict[str, object]]) -> str:
        text, writer = self._writer()
        writer.writerows({key: _inert(value) for key, value in row.items()} for row in rows)
        return text.getvalue()

    def _writer(self) -> tuple[io.StringIO, csv.DictWriter]:
        text = io.StringIO()
        return text, csv.DictWriter(text, fieldnames=self._columns(), lineterminator="\r\n")

    def _columns(self) -> tuple[str, ...]:
        raise NotImplementedError


@dataclass(frozen=True)
class CsvRows(_Layout):
    """The header, and each report's rows (one per rule) or an error's row, as CSV text."""

    baseline: bool = False
    """With it, the baseline columns; every report's comparison (or None) is then passed."""

    def __call__(self, outcome: Outcome, comparison: Comparison | None = None) -> str:
        if isinstance(outcome, FileError):
            return self._render([{"file": outcome.file, "status": ERROR_STATUS, "status_label": ERROR_LABEL,
                                  "error": outcome.error, "fzcheck_version": __version__}])
        return self._render(rows_of(outcome, comparison))

    def _columns(self) -> tuple[str, ...]:
        return (COLUMNS + BASELINE_COLUMNS if self.baseline else COLUMNS) + STAMP_COLUMNS


@dataclass(frozen=True)
class CsvWideRows(_Layout):
    """The wide layout (`--csv-layout wide`), for pandas or Stata: one row per report or error,
    its report columns, then a column per rule id (in rule-set order) holding that item's status
    (pass, partial, fail, not_applicable, or waived; empty for an error row), then "error"."""

    rule_ids: tuple[str, ...]
    baseline: bool = False

    def __call__(self, outcome: Outcome, comparison: Comparison | None = None) -> str:
        if isinstance(outcome, FileError):
            return self._render([{"file": outcome.file, "error": outcome.error, "fzcheck_version": __version__}])
        rules = frozenset(self.rule_ids)
        row = _report_cells(outcome, comparison) | {item.id: WAIVED_STATUS if item.waiver else item.status.value
                                                    for item in outcome.results if item.id in rules}
        return self._render([row])

    def _columns(self) -> tuple[str, ...]:
        report = WIDE_COLUMNS + WIDE_BASELINE_COLUMNS if self.baseline else WIDE_COLUMNS
        reserved = (*report, "error", *STAMP_COLUMNS)
        return report + tuple(rule for rule in self.rule_ids if rule not in reserved) + ("error", *STAMP_COLUMNS)


def rows_of(result: AuditResult, comparison: Comparison | None = None) -> list[dict[str, object]]:
    """One report's rows, one per rule, as Python values under the CSV's column names (also what
    checker.api.to_rows gives a notebook)."""
    report = _report_cells(result, comparison)
    return [report | _rule_cells(item, comparison) for item in result.results]


def _inert(value: object) -> object:
    return f"'{value}" if isinstance(value, str) and value.startswith(FORMULA_STARTS) else value


def _report_cells(result: AuditResult, comparison: Comparison | None) -> dict[str, object]:
    report = result.report
    cells: dict[str, object] = {
        "file": result.file, "title": report.title, "issuer": report.issuer, "year": report.year,
        "kind": report.kind, "published": report.published, "score": result.score, "grade": result.grade,
        "not_a_report": result.not_a_report,
        "file_sha256": report.source.sha256, "ruleset_id": result.ruleset.id, "ruleset_version": result.ruleset.version,
        "ruleset_sha256": result.ruleset.sha256, "fzcheck_version": result.fzcheck,
    }
    if comparison is not None:
        cells |= {"baseline_score": comparison.score, "score_delta": comparison.delta}
    return cells


def _rule_cells(item: RuleResult, comparison: Comparison | None) -> dict[str, object]:
    evidence = item.evidence[0] if item.evidence else None
    cells: dict[str, object] = {
        "rule_id": item.id, "rule_title": item.title, "status": item.status.value,
        "status_label": item.status.label, "rule_score": item.score, "weight": item.weight,
        "message": item.message,
        "evidence_page": evidence.page if evidence else None,
        "evidence_line": evidence.line if evidence else None,
        "evidence_text": evidence.text if evidence else None,
    }
    if item.waiver:
        cells |= {"waiver_reason": item.waiver.reason, "waiver_approved_by": item.waiver.approved_by,
                  "waiver_until": item.waiver.until, "waiver_source": item.waiver.source}
    if comparison is not None:
        change = comparison.change_of(item.id)
        before = item.status if change is None else change.before
        cells["baseline_status"] = before.value if before else ""
        cells["change"] = change_label(change) if change else ""
    return cells
