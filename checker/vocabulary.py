"""The words fzcheck reads reports with (rules/vocabulary.yaml), compiled once per process.

Readers and the document model take them from here; a rule set may extend any list, so a
province's own section words or issuer endings need no code change. The bundled lists are read
through the cache (checker/cache.py), so that a run need not import yaml for them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from checker.cache import bytes_hash, recall, remember
from checker.resources import resource_dir
from checker.screen import guarded

VOCABULARY_FILE = "vocabulary.yaml"
CACHE_NAME = "vocabulary"


@dataclass(frozen=True, eq=False)
class Vocabulary:
    """Compared and hashed by identity: compiled readings are cached per vocabulary object."""

    words: dict[str, tuple[str, ...]]
    _compiled: dict[tuple[str, str], re.Pattern[str]] = field(default_factory=dict, compare=False, repr=False)

    def alternation(self, name: str) -> str:
        """The list as one regular-expression group, longest fragments first."""
        return "(?:" + "|".join(sorted(self.words[name], key=len, reverse=True)) + ")"

    def pattern(self, name: str, template: str = "{}") -> re.Pattern[str]:
        """`template` with the list's alternation in place of {} (e.g. "^{}"), compiled once."""
        key = (name, template)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = guarded(template.replace("{}", self.alternation(name)))
        return compiled

    def extended(self, additions: dict[str, list[str]]) -> Vocabulary:
        """A copy with more fragments in some lists; unknown list names raise KeyError."""
        unknown = sorted(set(additions) - set(self.words))
        if unknown:
            raise KeyError(unknown[0])
        merged = {name: words + tuple(additions.get(name, ())) for name, words in self.words.items()}
        return Vocabulary(merged)


class listed:
    """One vocabulary list as a pattern on a reading object (StatementCues, IssuerWords …) that
    holds a `vocabulary`: declared in one line, compiled on first use, kept on the object."""

    def __init__(self, name: str, template: str = "{}") -> None:
        self.name, self.template = name, template

    def __set_name__(self, owner: type, attribute: str) -> None:
        self.attribute = attribute

    def __get__(self, reading: object, owner: type | None = None):
        if reading is None:
            return self
        pattern = reading.vocabulary.pattern(self.name, self.template)
        reading.__dict__[self.attribute] = pattern  # later lookups find it without this call
        return pattern


@cache
def default_vocabulary() -> Vocabulary:
    path = resource_dir("rules") / VOCABULARY_FILE
    words = recall(CACHE_NAME, path)
    if not isinstance(words, dict):
        data = path.read_bytes()
        words = _words(data)
        remember(CACHE_NAME, path, words, [(str(path), bytes_hash(data))])
    return Vocabulary(words)


def load_vocabulary(path: Path) -> Vocabulary:
    return Vocabulary(_words(path.read_bytes()))


def _words(data: bytes) -> dict[str, tuple[str, ...]]:
    import yaml  # only when the words are not in the cache

    lists = yaml.load(data.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    return {name: tuple(str(word) for word in words) for name, words in lists.items()}
