"""The condition language of rule files (docs/dsl.md): `compile` is the one way in, and
ConditionError the one error, whether a condition does not parse or does not type-check.

Lark and the compiler are imported by `compile` itself: a process with its rule set in the cache
compiles from stored trees (checker.ruleset) and never loads the parser.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from checker.condition.errors import ConditionError

if TYPE_CHECKING:
    from checker.condition.compiler import CompiledCondition

__all__ = ["ConditionError", "compile"]


def compile(text: str, params: dict[str, Any] | None = None, lexicon: dict[str, list[str]] | None = None,
            scope: str = "all") -> CompiledCondition:
    """The condition `text` parsed and compiled to be evaluated inside `scope`, with the rule's
    `$params` and the rule set's `@lexicon` lists. Raises ConditionError."""
    from checker.condition.compiler import compile_condition
    from checker.condition.parser import parse_condition

    return compile_condition(parse_condition(text), params or {}, lexicon or {}, scope)
