"""A rule set ready to audit with: every rule with its conditions compiled, and one automaton
for all their terms.

Reading the rule files (checker/rulefile.py: YAML, validation, condition parsing, and every
error a rule author can make) costs most of a cold start, so what it produces is kept in the
user's cache folder (checker/cache.py) as plain data: the rule specs, the condition trees, the
lexicon and the vocabulary additions. Conditions compile to closures, which cannot be stored,
but compiling the trees again takes a few milliseconds; a run with a cached rule set imports
neither yaml, pydantic nor lark.
"""
from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from itertools import islice
from pathlib import Path
from typing import Any


from checker.cache import recall, remember
from checker.condition.ast import Node, children
from checker.condition.compiler import CompiledCondition, compile_condition
from checker.document.offsets import compact
from checker.errors import LocatedError, UsageError
from checker.models import RuleSpec
from checker.resources import resource_dir
from checker.screen import AUTOMATON_PIECE, WordFinder
from checker.vocabulary import Vocabulary, default_vocabulary

DEFAULT_RULESET = "national"
CONDITION_FIELDS = ("not_applicable", "pass", "partial")
CACHE_NAME = "ruleset"


class RuleSetError(LocatedError):
    """A rule file problem, rendered as `file:line:col: message` (plus the condition and a caret)."""


@dataclass(frozen=True)
class CompiledRule:
    spec: RuleSpec
    """The rule as it applies: a local set's overrides are already merged in."""
    conditions: dict[str, CompiledCondition]

    @property
    def params(self) -> dict[str, Any]:
        return self.spec.params

    @property
    def weight(self) -> float:
        return self.spec.weight

    @property
    def blocking(self) -> bool:
        return self.spec.blocking


@dataclass
class RuleSet:
    id: str
    version: str
    title: str
    rules: list[CompiledRule]
    path: str
    vocabulary: Vocabulary = field(default_factory=default_vocabulary)
    """The words reports are read with: the bundled vocabulary with the rule set's additions."""
    digest: str = ""
    """sha256 of every file the set was built from (itself, the sets it extends, the vocabulary):
    a result keyed by it is stale as soon as any of them changes."""
    report_rule: str | None = None
    """See RuleSetSpec.report_rule."""
    lexicon: dict[str, list[str]] = field(default_factory=dict)
    """The term lists conditions name as @name, as the files give them (a local set's merged over
    those it extends): what the rule reference lists, without reading the YAML again."""
    retuned: dict[str, str] = field(default_factory=dict)
    """Inherited rules whose parameters this set (or a set between it and the base) changed, with
    what changed ("threshold 100 → 95"): their examples were written for the old values."""
    selected: tuple[str, ...] | None = None
    """The ids `subset` kept, in rule-set order (None: every rule of the files), so that a process
    that loads the set again from `path` (a batch worker) can keep the same ones."""

    def __post_init__(self) -> None:
        # One automaton for every term of every rule: a text is scanned once, whatever the rule count.
        self._terms = WordFinder(term for rule in self.rules for condition in rule.conditions.values()
                                 for term in condition.terms)

    def scan(self, text: str) -> dict[str, Sequence[int]]:
        """Start offsets of every term occurrence, overlapping ones included, in order. A long
        text is scanned a piece at a time and its offsets kept compact (checker.screen,
        checker.document.offsets): a 50 MB report is not copied whole again for the scan."""
        hits: dict[str, list[int]] = {}
        terms = self._terms.words
        for term, start, _ in self._terms.occurrences(text):
            hits.setdefault(terms[term], []).append(start)
        if len(text) <= AUTOMATON_PIECE:  # compacting the lists pays only for a long text
            return hits
        return {term: compact(found) for term, found in hits.items()}

    def rule(self, rule_id: str) -> CompiledRule | None:
        return next((rule for rule in self.rules if rule.spec.id == rule_id), None)

    def subset(self, select: Collection[str] | None = None, ignore: Collection[str] = ()) -> RuleSet:
        """The set with only the rules in `select` (every rule when None), less those in `ignore`
        (--select, --ignore): scores are then computed over these rules alone. Its digest, which
        every output stamps and cached results are filed under, takes in the ids kept, so a
        result of the subset is never taken for one of the whole set; keeping every rule gives
        this set itself. An id the set does not have is an UnknownRuleError."""
        for rule_id in (*(select or ()), *ignore):
            if self.rule(rule_id) is None:
                raise UnknownRuleError(self, rule_id)
        kept = tuple(rule.spec.id for rule in self.rules
                     if (select is None or rule.spec.id in select) and rule.spec.id not in ignore)
        if len(kept) == len(self.rules):
            return self
        if not kept:
            raise UsageError(f"选择和排除之后，规则集 {self.id} 中没有剩下任何规则")
        import hashlib  # only for a subset

        digest = hashlib.sha256(f"{self.digest}\0{','.join(kept)}".encode()).hexdigest()
        return replace(self, rules=[rule for rule in self.rules if rule.spec.id in kept], digest=digest,
                       report_rule=self.report_rule if self.report_rule in kept else None, selected=kept)


class UnknownRuleError(UsageError):
    """An id given to `RuleSet.subset` that the set does not have, with the nearest one it has."""

    def __init__(self, ruleset: RuleSet, rule_id: str) -> None:
        import difflib  # only for a mistyped id

        self.rule_id = rule_id
        ids = [rule.spec.id for rule in ruleset.rules]
        close = difflib.get_close_matches(rule_id, ids, n=1, cutoff=0.6)
        hint = f"是否要用 {close[0]}？" if close else "用 fzcheck rules list 查看全部规则"
        super().__init__(f"规则集 {ruleset.id} 中没有规则 {rule_id}（{hint}）")


@dataclass(frozen=True)
class RuleSetData:
    """A rule set as read from its files and found free of errors, before compiling: plain data
    (frozen dataclasses, dicts, lists, flat condition trees), which is what the cache keeps."""

    id: str
    version: str
    title: str
    rules: list[tuple[RuleSpec, dict[str, FlatTree]]]
    """Each rule, with the syntax tree of each of its conditions by field (CONDITION_FIELDS)."""
    lexicon: dict[str, list[str]]
    vocabulary: dict[str, list[str]]
    """Words the set adds to the bundled vocabulary's lists."""
    digest: str
    report_rule: str | None = None
    retuned: dict[str, str] = field(default_factory=dict)
    """See RuleSet.retuned."""


# ---------------------------------------------------------------- condition trees, flat

class _Child:
    """In a flat tree, the place of a field holding one node."""


@dataclass(frozen=True)
class _Children:
    """In a flat tree, the place of a field holding a tuple of `count` nodes."""

    count: int


FlatTree = list[tuple[type, tuple]]
"""A condition tree in post-order, each node as (its class, its field values with _Child or
_Children where nodes were). A chain of 400 `and`s is a tree 400 deep, which pickle, recursing
per level, cannot store; its flat form is a list, stored at any depth."""


def flatten(tree: Node) -> FlatTree:
    """The tree as a FlatTree, walked without recursion."""
    flat: FlatTree = []
    stack = [(tree, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            flat.append((type(node), tuple(_place(getattr(node, item.name)) for item in fields(node))))
        else:
            stack.append((node, True))
            stack.extend((child, False) for child in reversed(children(node)))
    return flat


def _place(value: Any) -> Any:
    if isinstance(value, Node):
        return _Child
    if isinstance(value, tuple) and value and all(isinstance(item, Node) for item in value):
        return _Children(len(value))
    return value


def unflatten(flat: FlatTree) -> Node:
    """The tree `flatten` was given: each node built from its field values, the nodes among them
    being, in order, the last ones built."""
    built: list[Node] = []
    for kind, places in flat:
        taken = sum(_width(place) for place in places)
        nodes = iter(built[len(built) - taken:])
        del built[len(built) - taken:]
        values = [_filled(place, nodes) for place in places]
        built.append(kind(**{item.name: value for item, value in zip(fields(kind), values)}))
    return built[0]


def _width(place: Any) -> int:
    return 1 if place is _Child else place.count if isinstance(place, _Children) else 0


def _filled(place: Any, nodes: Iterator[Node]) -> Any:
    if place is _Child:
        return next(nodes)
    return tuple(islice(nodes, place.count)) if isinstance(place, _Children) else place


def bundled_ruleset_path(name: str = DEFAULT_RULESET) -> Path:
    return resource_dir("rules") / f"{name}.yaml"


def load_ruleset(path: str | Path | None = None) -> RuleSet:
    """Raises RuleSetError (from checker.rulefile, when the set is not cached)."""
    path = Path(path) if path else bundled_ruleset_path()
    data = recall(CACHE_NAME, path)
    if isinstance(data, RuleSetData):
        rules = [CompiledRule(spec, {name: compile_condition(unflatten(tree), spec.params, data.lexicon, spec.scope)
                                     for name, tree in trees.items()})
                 for spec, trees in data.rules]
    else:
        from checker.rulefile import read_ruleset  # yaml, pydantic and lark: only for a set not cached
        data, rules, sources = read_ruleset(path)
        remember(CACHE_NAME, path, data, sources)
    vocabulary = default_vocabulary().extended(data.vocabulary) if data.vocabulary else default_vocabulary()
    return RuleSet(data.id, data.version, data.title, rules, str(path), vocabulary, data.digest, data.report_rule,
                   lexicon=data.lexicon, retuned=data.retuned)
