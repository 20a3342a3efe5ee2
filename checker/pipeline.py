"""From a path to an AuditResult: read, build the document, audit. The one place the three meet,
shared by every command (audit, batch, precheck)."""
from __future__ import annotations

from dataclasses import dataclass, field

from checker.document import Overrides, build_document
from checker.engine import audit
from checker.models import AuditResult
from checker.readers import ReadLimits, read_source, read_stdin
from checker.ruleset import RuleSet

STDIN = "-"


@dataclass(frozen=True)
class RunSettings:
    """What the user set for every file of a run: facts about the reports, and reading limits."""

    overrides: Overrides = field(default_factory=Overrides)
    limits: ReadLimits = field(default_factory=ReadLimits)


def audit_path(path: str, ruleset: RuleSet, settings: RunSettings | None = None) -> AuditResult:
    """Raises ReadError when the input cannot be read as a report."""
    settings = settings or RunSettings()
    source = read_stdin() if path == STDIN else read_source(path, limits=settings.limits)
    return audit(build_document(source, settings.overrides, ruleset.vocabulary), ruleset)
