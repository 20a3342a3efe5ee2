"""The one error type of the condition language: whatever is wrong with a condition, found when
its rule set loads (never halfway through a batch), with where in the condition it is."""
from __future__ import annotations


class ConditionError(ValueError):
    """A condition that cannot be evaluated; line and column are 1-based in the condition.
    `context` is the condition with a caret under the place, for a syntax error (what a rule
    author reads under the message)."""

    def __init__(self, message: str, pos: tuple[int, int], context: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line, self.column = pos
        self.context = context
