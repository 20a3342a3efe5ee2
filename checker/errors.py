"""The one kind of error the command line reports without a traceback."""
from __future__ import annotations


class UsageError(Exception):
    """A problem for the user to fix (a rule file, a baseline, an output path): one line on
    stderr and exit code 2. A common base, so the command line can catch them all without
    importing the modules that raise them (most runs never load the baseline code)."""

    context: str | None = None
    """More lines shown under the message (a condition with a caret under the fault)."""


class LocatedError(UsageError):
    """A problem at a place in a file the user wrote (a rule file, a waivers file), rendered as
    `file:line:col: message` (plus, for a condition, the condition and a caret under the fault)."""

    def __init__(self, path: str, line: int, column: int, message: str, context: str | None = None) -> None:
        self.path, self.line, self.column, self.message, self.context = path, line, column, message, context
        self.problems: tuple[LocatedError, ...] = (self,)
        """Every problem found in the file with this one, in file order (see `every`)."""
        super().__init__(f"{path}:{line}:{column}: {message}")

    @staticmethod
    def every(problems: list[LocatedError]) -> LocatedError:
        """All the problems of a file as one error, so that its author fixes them in one pass:
        the first in file order, carrying the others in `problems`."""
        ordered = sorted(problems, key=lambda problem: (problem.path, problem.line, problem.column))
        ordered[0].problems = tuple(ordered)
        return ordered[0]
