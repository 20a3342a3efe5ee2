"""Waivers: a file (`--waivers FILE`, or `waivers = "…"` in fzcheck.toml) in which a 司法局 or an
依法治X办 excuses one requirement for some reports (this year's court appearances were reported
separately, say), with the reason, who approved it and until when. audit, batch and precheck
honour it; checker/waiverfile.py reads and checks the file.

The design, and why:

- A waiver is a policy decision about a verdict, not a verdict. A waived item keeps the status
  the rules found and gets a `waiver` beside it (RuleResult.waiver) rather than a fifth Status:
  an auditor sees what the report would have scored, and baseline comparisons, rule examples and
  rule health go on seeing what the rules found. A fifth status would be a dead state for the
  engine, the examples, the messages and the credit, which every table keyed by status would
  still have to carry.
- A waiver excuses a shortfall: it applies to an item that is partial or fails. A report that
  meets the requirement keeps its credit, and an item that does not apply has nothing to excuse.
- A waived item is left out as one that does not apply is: its weight leaves the score's
  denominator (checker/scoring.py); it does not fail precheck's gate, even when blocking, and
  is no fix (checker/gate.py, whose verdict names it); and every summary counts it apart, in
  `counts.waived` and not in the count of its status, and in a column of its own by rule.
- Waivers are applied to a result after it is scored (`Waivers.apply`): by the command for
  audit and precheck, and in a batch worker's finish step. The result cache keeps results as
  the rules gave them, so runs with these waivers, other ones or none share its entries and
  none can be handed another's.
- Matching: `reports` is a glob on the file name or on the path relative to the current folder
  (as batch --glob), `issuer` the issuer exactly as fzcheck reads it (a part of a name, 松岭区,
  would also excuse 松岭区司法局's report), `year` the report's year. An entry gives at least
  one; all it gives must hold. Where several entries excuse one item, the first is shown.
- The file is checked when it is loaded, before any report is read, an expired waiver included
  (checker/waiverfile.py says why there); a batch notes the waivers that excused nothing.
"""
from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass, replace
from fnmatch import fnmatch

from checker.errors import LocatedError
from checker.models import SHORT_OF_PASSING, AuditResult, Waiver, WaiverSpec
from checker.scoring import count_statuses, grade, total_score


class WaiverError(LocatedError):
    """A waivers file problem (an unknown rule, an expired waiver …): `file:line:col: message`, exit code 2."""


@dataclass(frozen=True)
class Entry:
    """One waiver of the file: what it selects, and what it shows on an item it excuses."""

    spec: WaiverSpec
    waiver: Waiver

    def selects(self, result: AuditResult) -> bool:
        spec = self.spec
        return ((spec.reports is None or _globbed(result.file, spec.reports))
                and (spec.issuer is None or result.report.issuer == spec.issuer)
                and (spec.year is None or result.report.year == spec.year))


def _globbed(path: str, pattern: str) -> bool:
    if fnmatch(os.path.basename(path), pattern):
        return True
    try:
        relative = os.path.relpath(path)
    except ValueError:  # on another drive (Windows): no path relative to this folder
        return False
    return fnmatch(relative.replace(os.sep, "/"), pattern)


@dataclass(frozen=True)
class Waivers:
    entries: tuple[Entry, ...] = ()

    def apply(self, result: AuditResult) -> AuditResult:
        """The result with every item short of passing that an entry selects excused, and its
        score, grade and counts made again; the result itself when nothing is excused."""
        chosen: dict[str, Waiver] = {}
        for entry in self.entries:
            if entry.spec.rule not in chosen and entry.selects(result):
                chosen[entry.spec.rule] = entry.waiver
        if not chosen:
            return result
        excused = {item.id for item in result.results if item.id in chosen and item.status in SHORT_OF_PASSING}
        if not excused:
            return result
        items = [replace(item, waiver=chosen[item.id]) if item.id in excused else item for item in result.results]
        score = total_score(items)
        return replace(result, score=score, grade=grade(score), counts=count_statuses(items), results=items)

    def unused(self, used: Collection[str]) -> list[Entry]:
        """The entries whose waiver (by its `source`) is not in `used`: those that excused nothing."""
        return [entry for entry in self.entries if entry.waiver.source not in used]


NO_WAIVERS = Waivers()
