"""From a path to an AuditResult: read, build the document, audit. The one place the three meet,
shared by every command (audit, batch, precheck)."""
from __future__ import annotations

from checker.document import Overrides, build_document
from checker.engine import audit
from checker.models import AuditResult
from checker.readers import read_source, read_stdin
from checker.ruleset import RuleSet

STDIN = "-"


def audit_path(path: str, ruleset: RuleSet, overrides: Overrides | None = None) -> AuditResult:
    """Raises ReadError when the input cannot be read as a report."""
    source = read_stdin() if path == STDIN else read_source(path)
    return audit(build_document(source, overrides, ruleset.vocabulary), ruleset)
