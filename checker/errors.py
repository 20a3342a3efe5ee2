"""The one kind of error the command line reports without a traceback."""
from __future__ import annotations


class UsageError(Exception):
    """A problem for the user to fix (a rule file, a baseline, an output path): one line on
    stderr and exit code 2. A common base, so the command line can catch them all without
    importing the modules that raise them (most runs never load the baseline code)."""

    context: str | None = None
    """More lines shown under the message (a condition with a caret under the fault)."""
