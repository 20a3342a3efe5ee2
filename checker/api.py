"""fzcheck as a library: for a notebook or a script that scores a corpus its own way.

    from checker.api import audit_file, to_rows
    results = [audit_file(path) for path in paths]
    frame = pandas.DataFrame(to_rows(results))     # one row per report and item, the CSV's columns

The functions return the same result models the commands render (checker/models.py;
`result.to_json_dict()` is `fzcheck audit --format json`), and raise the commands' errors:
`ReadError` for a file that cannot be read as a report, `RuleSetError` for a broken rule file,
`WaiverError` for a broken waivers file.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

from checker.document import Overrides
from checker.models import AuditResult, Kind
from checker.output.csv_format import rows_of
from checker.pipeline import RunSettings, audit_path, audit_source
from checker.readers import ReadError, ReadLimits, read_text
from checker.ruleset import RuleSet, RuleSetError, load_ruleset
from checker.waivers import NO_WAIVERS, WaiverError, Waivers

__all__ = ["AuditResult", "ReadError", "RuleSetError", "WaiverError", "audit_file", "audit_text", "to_rows"]

Rules = RuleSet | str | os.PathLike[str] | None
"""A loaded rule set, the path of a rule file, or None for the bundled national set."""
WaiversFile = str | os.PathLike[str] | None
"""The path of a waivers file (docs: README, 豁免), or None for none."""


def audit_file(path: str | os.PathLike[str], rules: Rules = None, *, year: int | None = None,
               published: date | None = None, kind: Kind | None = None,
               limits: ReadLimits | None = None, waivers: WaiversFile = None) -> AuditResult:
    """One report file of any supported format, as `fzcheck audit PATH` scores it. `year`,
    `published` and `kind` ("government" or "department") are given facts that beat what the
    report says, as the command's options are; `waivers` is a waivers file, as --waivers."""
    settings = RunSettings(Overrides(year=year, published=published, kind=kind), limits or ReadLimits())
    ruleset = _ruleset(rules)
    return _waivers(waivers, ruleset).apply(audit_path(os.fspath(path), ruleset, settings))


def audit_text(text: str, rules: Rules = None, *, name: str = "<text>", year: int | None = None,
               published: date | None = None, kind: Kind | None = None, waivers: WaiversFile = None) -> AuditResult:
    """A report given as text (already extracted, or written in the notebook), read as the text
    of a .txt file is; `name` is what the result calls its file (and what a waiver's `reports`
    pattern matches). Raises ReadError for a blank text."""
    settings = RunSettings(Overrides(year=year, published=published, kind=kind))
    ruleset = _ruleset(rules)
    return _waivers(waivers, ruleset).apply(audit_source(read_text(text, name), ruleset, settings))


def to_rows(results: Iterable[AuditResult]) -> list[dict[str, object]]:
    """Every report's items as flat rows (file, issuer, year, score, grade, rule_id, status,
    rule_score, evidence …): the columns of `fzcheck batch --format csv`, ready for a DataFrame."""
    return [row for result in results for row in rows_of(result)]


_LOADED: dict[tuple, Any] = {}


def _ruleset(rules: Rules) -> RuleSet:
    if isinstance(rules, RuleSet):
        return rules
    return _once(rules, load_ruleset)


def _waivers(waivers: WaiversFile, ruleset: RuleSet) -> Waivers:
    if waivers is None:
        return NO_WAIVERS
    from checker.waiverfile import load_waivers  # yaml and pydantic: only for a waivers file

    return _once(waivers, lambda path: load_waivers(os.fspath(path), ruleset), ruleset.digest)


def _once(path: str | os.PathLike[str] | None, load: Callable[[Any], Any], *depends: object) -> Any:
    """A file is loaded once per content (its size and time) and what else it `depends` on, not
    once per report."""
    if path is None:
        key: tuple = ("", 0, 0)
    else:
        file = Path(path)
        try:
            facts = file.stat()
            key = (str(file.resolve()), facts.st_mtime_ns, facts.st_size)
        except OSError:  # the loader says what is wrong with the path
            key = (str(file), 0, 0)
    key = (load.__qualname__, *key, *depends)
    if key not in _LOADED:
        _LOADED[key] = load(path)
    return _LOADED[key]
