"""The condition AST: plain frozen dataclasses, so tests compare trees by value."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date


@dataclass(frozen=True)
class Node:
    """Base of every node. `pos` is the (line, column) of the node in its condition, 1-based; it
    is left out of comparisons so tests can write expected trees without positions."""

    pos: tuple[int, int] = field(default=(1, 1), compare=False, repr=False, kw_only=True)


@dataclass(frozen=True)
class AnyOf(Node):
    left: Node
    right: Node


@dataclass(frozen=True)
class AllOf(Node):
    left: Node
    right: Node


@dataclass(frozen=True)
class Not(Node):
    operand: Node


@dataclass(frozen=True)
class Compare(Node):
    left: Node
    operator: str
    right: Node


@dataclass(frozen=True)
class Arithmetic(Node):
    left: Node
    operator: str
    right: Node


@dataclass(frozen=True)
class Call(Node):
    function: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class String(Node):
    value: str


@dataclass(frozen=True)
class Number(Node):
    value: float


@dataclass(frozen=True)
class Percent(Node):
    """`98.5%`: kept apart from Number so a rule reads as it is meant; compares as 98.5."""

    value: float


@dataclass(frozen=True)
class DateLiteral(Node):
    value: date


@dataclass(frozen=True)
class TermList(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Name(Node):
    """A bare word: a report field (`year`, `published` …) or a scope (`work`, `plans` …)."""

    name: str


@dataclass(frozen=True)
class Parameter(Node):
    """`$threshold`: a value from the rule's `params`, which a local rule set may override."""

    name: str


@dataclass(frozen=True)
class Lexicon(Node):
    """`@shortfall`: a named term list from the rule set's `lexicon`."""

    name: str


CHAINS = (AnyOf, AllOf, Arithmetic, Not)
"""Nodes that repeat into a chain (`a or b or …`, `x + 1 - 2 …`, `not not …`), compiled flat."""


def children(node: Node) -> list[Node]:
    """The nodes directly under `node`, left to right."""
    found: list[Node] = []
    for item in fields(node):
        value = getattr(node, item.name)
        if isinstance(value, Node):
            found.append(value)
        elif isinstance(value, tuple):
            found.extend(part for part in value if isinstance(part, Node))
    return found
