"""Which of many patterns a text could match, found in one pass over it.

Most fragments of the reading vocabulary never occur in a given report (摘要:, 特此通知, 收到政府信
息公开申请 …), yet searching for each costs a scan of the whole text. Every pattern has literal text
it cannot match without (现将[^。]{0,60}报告如下 needs 现将; (?:起草|出台)背景 needs one of 起草 or
出台). One Aho-Corasick pass finds which of those literals the text holds, and a pattern is searched
only where its literals are present: the answer is the same, the scans are not made.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import ahocorasick

try:
    from re import _parser as sre_parse  # Python 3.11+
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse  # type: ignore[no-redef]

_c = sre_parse  # the opcodes live beside the parser in every supported version
LITERAL, IN, SUBPATTERN, BRANCH = _c.LITERAL, _c.IN, _c.SUBPATTERN, _c.BRANCH
REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT) + ((_c.POSSESSIVE_REPEAT,) if hasattr(_c, "POSSESSIVE_REPEAT") else ())
ATOMIC = (_c.ATOMIC_GROUP,) if hasattr(_c, "ATOMIC_GROUP") else ()


def required_literals(pattern: str, flags: int = 0) -> tuple[str, ...] | None:
    """Literals of which every match of `pattern` contains at least one, or None when no such
    set is known (a pattern of character classes only, or one matched ignoring case)."""
    try:
        parsed = sre_parse.parse(pattern, flags)
    except re.error:
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    return _required(list(parsed))


def _required(items: list) -> tuple[str, ...] | None:
    """The most selective requirement of a sequence: the one whose shortest literal is longest,
    then the one with fewest alternatives."""
    candidates: list[tuple[str, ...]] = []
    run: list[str] = []

    def end_run() -> None:
        if run:
            candidates.append(("".join(run),))
            run.clear()

    for op, argument in items:
        if op is LITERAL:
            run.append(chr(argument))
            continue
        if op is IN and len(argument) == 1 and argument[0][0] is LITERAL:
            run.append(chr(argument[0][1]))
            continue
        end_run()
        found = None
        if op is SUBPATTERN:
            found = None if argument[1] & re.IGNORECASE else _required(list(argument[-1]))
        elif op in ATOMIC:
            found = _required(list(argument))
        elif op is BRANCH:
            branches = [_required(list(branch)) for branch in argument[1]]
            if all(branches):
                found = tuple(dict.fromkeys(literal for branch in branches for literal in branch))
        elif op in REPEATS and argument[0] >= 1:
            found = _required(list(argument[2]))
        if found:
            candidates.append(found)
    end_run()
    return max(candidates, key=lambda literals: (min(map(len, literals)), -len(literals)), default=None)


def may_match(needs: tuple[str, ...] | None, text: str) -> bool:
    """False only when a pattern with these required literals cannot match `text`: on a short
    text a few `in` tests cost a fraction of one regular-expression search."""
    return needs is None or any(literal in text for literal in needs)


class LiteralScreen:
    """The literals of a fixed set of patterns and fragments, in one automaton."""

    def __init__(self, patterns: Iterable[re.Pattern[str]] = (), literals: Iterable[str] = ()) -> None:
        self._needs: dict[re.Pattern[str], tuple[str, ...] | None] = {
            pattern: required_literals(pattern.pattern, pattern.flags) for pattern in patterns}
        words = set(literals) | {literal for needs in self._needs.values() if needs for literal in needs}
        self._automaton = ahocorasick.Automaton()
        for word in words:
            self._automaton.add_word(word, word)
        if words:
            self._automaton.make_automaton()
        self._empty = not words

    def read(self, text: str) -> ScreenedText:
        return ScreenedText(text, set() if self._empty else {word for _, word in self._automaton.iter(text)}, self._needs)


class ScreenedText:
    """A text with the screened literals it holds: searches for what it cannot hold are not made."""

    def __init__(self, text: str, present: set[str], needs: dict[re.Pattern[str], tuple[str, ...] | None]) -> None:
        self.text, self.present, self._needs = text, present, needs

    def search(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        needs = self._needs.get(pattern)
        if needs is not None and self.present.isdisjoint(needs):
            return None
        return pattern.search(self.text)
