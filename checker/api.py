"""fzcheck as a library: for a notebook or a script that scores a corpus its own way.

    from checker.api import audit_file, to_rows
    results = [audit_file(path) for path in paths]
    frame = pandas.DataFrame(to_rows(results))     # one row per report and item, the CSV's columns

The functions return the same result models the commands render (checker/models.py;
`result.to_json_dict()` is `fzcheck audit --format json`), and raise the commands' errors:
`ReadError` for a file that cannot be read as a report, `RuleSetError` for a broken rule file.
"""
from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from checker.document import Overrides
from checker.models import AuditResult, Kind
from checker.output.csv_format import rows_of
from checker.pipeline import RunSettings, audit_path, audit_source
from checker.readers import ReadError, ReadLimits, read_text
from checker.ruleset import RuleSet, RuleSetError, load_ruleset

__all__ = ["AuditResult", "ReadError", "RuleSetError", "audit_file", "audit_text", "to_rows"]

Rules = RuleSet | str | os.PathLike[str] | None
"""A loaded rule set, the path of a rule file, or None for the bundled national set."""


def audit_file(path: str | os.PathLike[str], rules: Rules = None, *, year: int | None = None,
               published: date | None = None, kind: Kind | None = None,
               limits: ReadLimits | None = None) -> AuditResult:
    """One report file of any supported format, as `fzcheck audit PATH` scores it. `year`,
    `published` and `kind` ("government" or "department") are given facts that beat what the
    report says, as the command's options are."""
    settings = RunSettings(Overrides(year=year, published=published, kind=kind), limits or ReadLimits())
    return audit_path(os.fspath(path), _ruleset(rules), settings)


def audit_text(text: str, rules: Rules = None, *, name: str = "<text>", year: int | None = None,
               published: date | None = None, kind: Kind | None = None) -> AuditResult:
    """A report given as text (already extracted, or written in the notebook), read as the text
    of a .txt file is; `name` is what the result calls its file. Raises ReadError for a blank text."""
    settings = RunSettings(Overrides(year=year, published=published, kind=kind))
    return audit_source(read_text(text, name), _ruleset(rules), settings)


def to_rows(results: Iterable[AuditResult]) -> list[dict[str, object]]:
    """Every report's items as flat rows (file, issuer, year, score, grade, rule_id, status,
    rule_score, evidence …): the columns of `fzcheck batch --format csv`, ready for a DataFrame."""
    return [row for result in results for row in rows_of(result)]


_LOADED: dict[tuple[str, int, int], RuleSet] = {}


def _ruleset(rules: Rules) -> RuleSet:
    """A rule file is loaded once per content of the file (its size and time), not once per report."""
    if isinstance(rules, RuleSet):
        return rules
    if rules is None:
        key = ("", 0, 0)
    else:
        path = Path(rules)
        try:
            stat = path.stat()
            key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size)
        except OSError:  # load_ruleset says what is wrong with the path
            key = (str(path), 0, 0)
    if key not in _LOADED:
        _LOADED[key] = load_ruleset(rules)
    return _LOADED[key]
