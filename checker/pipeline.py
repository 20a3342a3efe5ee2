"""From a path to an AuditResult: read, build the document, audit. The one place the three meet,
shared by every command (audit, batch, precheck)."""
from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from checker.document import Overrides, build_document
from checker.engine import audit
from checker.models import AuditResult
from checker.readers import ReadError, ReadLimits, Source, read_source, read_stdin
from checker.ruleset import RuleSet

STDIN = "-"


@dataclass(frozen=True)
class RunSettings:
    """What the user set for every file of a run: facts about the reports, and reading limits.

    `overrides` beat what a report states (audit and precheck --year, one file the user knows;
    batch --meta, per file); `defaults` fill in only what it does not state (batch --year)."""

    overrides: Overrides = field(default_factory=Overrides)
    limits: ReadLimits = field(default_factory=ReadLimits)
    defaults: Overrides = field(default_factory=Overrides)


def audit_path(path: str, ruleset: RuleSet, settings: RunSettings | None = None) -> AuditResult:
    """Raises ReadError when the input cannot be read as a report, or takes longer than the
    limit to read and check (a batch worker stuck on one file is stopped, not lost)."""
    settings = settings or RunSettings()
    seconds = settings.limits.max_seconds
    try:
        with _time_limit(seconds):
            return _audit(lambda: read_stdin() if path == STDIN else read_source(path, limits=settings.limits),
                          ruleset, settings)
    except _TimeUp:
        raise ReadError(path, f"处理超过 {seconds:g} 秒上限 / took more than {seconds:g} s") from None


def audit_source(source: Source, ruleset: RuleSet, settings: RunSettings | None = None) -> AuditResult:
    """A report already read (a file's, or text a library caller hands over), with the run's facts."""
    return _audit(lambda: source, ruleset, settings or RunSettings())


def _audit(read: Callable[[], Source], ruleset: RuleSet, settings: RunSettings) -> AuditResult:
    """The Source `read` gives goes straight into build_document, held by no frame, so that a
    long report's text is let go as soon as its document's lines are made from it."""
    return audit(build_document(read(), settings.overrides, ruleset.vocabulary, settings.defaults), ruleset)


class _TimeUp(BaseException):
    """Not an Exception: no reader's "damaged file" handler may take it for a parse error."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """An interval timer on the main thread (every batch worker's and the CLI's); elsewhere none."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise _TimeUp

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
