"""Which of many patterns a text could match, found in one pass over it.

Most fragments of the reading vocabulary never occur in a given report (摘要:, 特此通知, 收到政府信
息公开申请 …), yet searching for each costs a scan of the whole text. Every pattern has literal text
it cannot match without (现将[^。]{0,60}报告如下 needs 现将; (?:起草|出台)背景 needs one of 起草 or
出台). One Aho-Corasick pass finds which of those literals the text holds, and a pattern is searched
only where its literals are present: the answer is the same, the scans are not made.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import cache, cached_property
from typing import NamedTuple

import ahocorasick_rs

try:
    from re import _parser as sre_parse  # Python 3.11+
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse  # type: ignore[no-redef]

_c = sre_parse  # the opcodes live beside the parser in every supported version
LITERAL, IN, SUBPATTERN, BRANCH = _c.LITERAL, _c.IN, _c.SUBPATTERN, _c.BRANCH
REPEATS = (_c.MAX_REPEAT, _c.MIN_REPEAT) + ((_c.POSSESSIVE_REPEAT,) if hasattr(_c, "POSSESSIVE_REPEAT") else ())
ZERO_WIDTH = (_c.AT, _c.ASSERT, _c.ASSERT_NOT)
RANGE = _c.RANGE
ATOMIC = (_c.ATOMIC_GROUP,) if hasattr(_c, "ATOMIC_GROUP") else ()
LINE_BREAK = re.compile("\n")


def required_literals(pattern: str | sre_parse.SubPattern, flags: int = 0) -> tuple[str, ...] | None:
    """Literals of which every match of `pattern` (its text, or the tree `re` parsed it into)
    contains at least one, or None when no such set is known (a pattern of character classes
    only, or one matched ignoring case)."""
    try:
        parsed = sre_parse.parse(pattern, flags) if isinstance(pattern, str) else pattern
        if parsed.state.flags & re.IGNORECASE:
            return None
        return _required(list(parsed))
    except (re.error, OverflowError, RecursionError):  # a pattern nested past what is worth reading
        return None


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


MAX_FIRST_CHARACTERS = 64
"""More possible first characters than this, and a guard saves too little to be worth it."""


def first_characters(pattern: str, flags: int = 0) -> str | None:
    """The characters every match of `pattern` starts with, or None when they are not known, too
    many, or when the pattern can match the empty string."""
    try:
        parsed = sre_parse.parse(pattern, flags)
        if parsed.state.flags & re.IGNORECASE:
            return None
        first = _first(list(parsed))
    except (re.error, OverflowError, RecursionError):
        return None
    return "".join(sorted(first)) if first and len(first) <= MAX_FIRST_CHARACTERS else None


def _first(items: list) -> set[str] | None:
    for index, (op, argument) in enumerate(items):
        if op in ZERO_WIDTH:
            continue  # ^, $, lookarounds consume nothing: what follows starts the match
        if op is LITERAL:
            return {chr(argument)}
        if op is IN:
            if any(kind is not LITERAL and kind is not RANGE for kind, _ in argument):
                return None
            chars: set[str] = set()
            for kind, value in argument:
                low, high = (value, value) if kind is LITERAL else value
                if high - low >= MAX_FIRST_CHARACTERS:
                    return None
                chars.update(map(chr, range(low, high + 1)))
            return chars
        if op is SUBPATTERN:
            return None if argument[1] & re.IGNORECASE else _first(list(argument[-1]) + items[index + 1:])
        if op is BRANCH:
            branches = [_first(list(branch) + items[index + 1:]) for branch in argument[1]]
            return set().union(*branches) if all(branches) else None
        if op in REPEATS:
            repeated = _first(list(argument[2]))
            if argument[0] >= 1 or repeated is None:
                return repeated
            after = _first(items[index + 1:])  # (还|仍)?存在: an optional part or what follows it
            return repeated | after if after else None
        return None
    return None


def guarded(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """`pattern`, compiled to be searched fast. Python's engine skips ahead only for a pattern
    that opens with a literal or a class; an alternation of fragments that open with groups
    (将(?!…)…|(?:力争|确保)…) is tried in full at every position. A leading lookahead on its
    possible first characters makes each failing position one class test: the same matches,
    found two to three times faster."""
    first = first_characters(pattern, flags)
    if first is None or _engine_skips_ahead(list(sre_parse.parse(pattern, flags))):
        return re.compile(pattern, flags)
    return re.compile(f"(?=[{re.escape(first)}])(?:{pattern})", flags)


MAX_TRIED_CHARACTERS = 12
"""First characters a `FirstCharacterSearch` goes through by `str.find` at most: each costs a
scan of the text (and every one found a step of the merge)."""


FIRST_CHARACTER_WINDOW = 1 << 16
"""Characters of text whose first-character positions are listed at a time."""


class FirstCharacterSearch:
    """A pattern tried only where a match can start, at each of its possible first characters
    (found by `str.find`, as fast as memchr): the same matches as the pattern's own search and
    finditer. Worth it for a pattern that does not open with a literal: Python's engine then tries
    it at every position (one that opens with a lookahead) or tests every character against its
    first ones (a class, a group of alternatives), where `str.find` skips to them."""

    def __init__(self, pattern: re.Pattern[str], first: str) -> None:
        self.pattern, self.first = pattern, first

    def search(self, text: str) -> re.Match[str] | None:
        return next(self.finditer(text), None)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return matches_from(self.pattern, text, self._starts(text))

    def _starts(self, text: str) -> Iterable[int]:
        """The first characters' positions; a long text's a window at a time (a long report's
        are never all held at once)."""
        if len(text) <= FIRST_CHARACTER_WINDOW:
            return positions_of(text, self.first)
        return (position for window in range(0, len(text), FIRST_CHARACTER_WINDOW)
                for position in positions_of(text, self.first, window, window + FIRST_CHARACTER_WINDOW))


@cache
def quick(pattern: re.Pattern[str]) -> re.Pattern[str] | FirstCharacterSearch:
    """`pattern`, or, where it does not open with a literal (which the engine finds as fast) and its
    few possible first characters are known, the same searches tried only at those."""
    first = first_characters(pattern.pattern, pattern.flags)
    if not first or len(first) > MAX_TRIED_CHARACTERS or list(sre_parse.parse(pattern.pattern, pattern.flags))[0][0] is LITERAL:
        return pattern
    return FirstCharacterSearch(pattern, first)


def matches_from(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """The matches `pattern.finditer(text)` gives, when every match starts at one of `starts`
    (in order) and none is empty: the pattern is tried there only. `match` at a position still
    reads ^ and a lookbehind against the whole text, so each is the match a search from the end
    of the one before finds."""
    resume = 0
    for at in starts:
        if at >= resume and (match := pattern.match(text, at)):
            yield match
            resume = match.end()


def positions_of(text: str, characters: str, start: int = 0, end: int | None = None) -> list[int]:
    """Where any of `characters` (each once) stands in text[start:end], in order (a list: sorting the
    positions of each character costs less than merging them as they are found)."""
    end = len(text) if end is None else end
    positions = []
    for character in characters:
        at = text.find(character, start, end)
        while at != -1:
            positions.append(at)
            at = text.find(character, at + 1, end)
    positions.sort()
    return positions


def _engine_skips_ahead(items: list) -> bool:
    """Whether Python's engine already finds where a match can start by itself: a pattern that
    opens with a literal, a class, alternatives that each open with a literal, or an anchor."""
    op, argument = items[0]
    if op is SUBPATTERN:
        return _engine_skips_ahead(list(argument[-1]))
    if op is BRANCH:
        return all(branch and list(branch)[0][0] is LITERAL for branch in argument[1])
    return op in (LITERAL, IN, _c.AT)


def may_match(needs: tuple[str, ...] | None, text: str) -> bool:
    """False only when a pattern with these required literals cannot match `text`: on a short
    text a few `in` tests cost a fraction of one regular-expression search."""
    return needs is None or any(literal in text for literal in needs)


AUTOMATON_PIECE = 1 << 18
"""Characters a `WordFinder` searches at a time: the matches of a piece are listed whole (a 1 MB
piece of a 50 MB report held 40 MB more at the peak than this size)."""


class WordFinder:
    """Every occurrence of a fixed set of words in a text, overlapping ones included, found in one
    Aho-Corasick pass. ahocorasick_rs's DFA searches these texts three times as fast as
    pyahocorasick (0.05 against 0.15 ms for a 12 KB report), and every report is searched by three
    of these (the rules' terms, the document-type cues, the page-chrome marks).

    A str is searched through its UTF-8, which Python keeps beside the str once made: a long text
    is searched a piece at a time, so that no second copy of a 50 MB report is held for it."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = tuple(sorted({word for word in words if word}))
        """The words, in the order `occurrences` numbers them."""
        self._automaton = (ahocorasick_rs.AhoCorasick(self.words, implementation=ahocorasick_rs.Implementation.DFA)
                           if self.words else None)
        self._longest = max(map(len, self.words), default=0)

    def occurrences(self, text: str) -> Iterable[tuple[int, int, int]]:
        """(word's index in `words`, start, end) of every occurrence, ordered by where they end;
        those of a long text are made a piece at a time, as the caller takes them."""
        if self._automaton is None:
            return []
        if len(text) <= AUTOMATON_PIECE:
            return self._automaton.find_matches_as_indexes(text, overlapping=True)
        return self._by_piece(text)

    def _by_piece(self, text: str) -> Iterator[tuple[int, int, int]]:
        for piece in range(0, len(text), AUTOMATON_PIECE):
            # A word that starts in this piece ends within `longest` characters of its end.
            window = text[piece:piece + AUTOMATON_PIECE + self._longest - 1]
            for word, start, end in self._automaton.find_matches_as_indexes(window, overlapping=True):
                if start < AUTOMATON_PIECE:
                    yield word, piece + start, piece + end

    def present(self, text: str) -> set[str]:
        """The words the text holds (a text of one piece: as the automaton names them, with no
        Python tuple made for each occurrence)."""
        if self._automaton is not None and len(text) <= AUTOMATON_PIECE:
            return set(self._automaton.find_matches_as_strings(text, overlapping=True))
        words = self.words
        return {words[word] for word, _, _ in self.occurrences(text)}


class SearchPlan(NamedTuple):
    """How a screened pattern is searched for: the literals it needs (None: not known), and what
    searches it (`quick`'s form of it; None for one that starts lines, tried at line starts)."""

    needs: tuple[str, ...] | None
    searcher: re.Pattern[str] | FirstCharacterSearch | None


class LiteralScreen:
    """Literal fragments, and the literals a fixed set of patterns needs, in one automaton."""

    def __init__(self, patterns: Iterable[re.Pattern[str]], literals: Iterable[str] = ()) -> None:
        self._plans: dict[re.Pattern[str], SearchPlan] = {
            pattern: SearchPlan(required_literals(pattern.pattern, pattern.flags),
                                None if starts_lines(pattern) else quick(pattern)) for pattern in patterns}
        self._words = WordFinder([*literals, *(literal for plan in self._plans.values() if plan.needs for literal in plan.needs)])

    def read(self, text: str) -> ScreenedText:
        """`text`, screened by one automaton pass for every literal."""
        return ScreenedText(text, self._words.present(text).__contains__, self._plans)

    def read_short(self, text: str) -> ScreenedText:
        """`text`, screened by an `in` test for each literal asked about: on a line or a clause a
        few of those cost less than an automaton pass and a set of all it found."""
        return ScreenedText(text, text.__contains__, self._plans)


def starts_lines(pattern: re.Pattern[str]) -> bool:
    """Whether every match of `pattern` starts a line (it opens with ^ and is multi-line)."""
    if not pattern.flags & re.MULTILINE:
        return False
    try:
        items = list(sre_parse.parse(pattern.pattern, pattern.flags))
    except (re.error, OverflowError, RecursionError):
        return False
    return bool(items) and items[0] == (_c.AT, _c.AT_BEGINNING)


class ScreenedText:
    """A text and which screened literals it holds: searches for what it cannot hold are not made,
    a pattern that starts lines is tried at line starts only (Python's engine would try it at
    every position of the text), and one the engine cannot skip through only at its first characters."""

    def __init__(self, text: str, holds: Callable[[str], bool], plans: dict[re.Pattern[str], SearchPlan]) -> None:
        self.text, self._plans = text, plans
        self.holds = holds
        """Whether the text holds a screened literal."""

    def search(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        needs, searcher = self._plans.get(pattern) or SearchPlan(None, pattern)
        if needs is not None and not any(map(self.holds, needs)):
            return None
        if searcher is None:
            return next(matches_from(pattern, self.text, self._line_starts), None)
        return searcher.search(self.text)

    @cached_property
    def _line_starts(self) -> list[int]:
        return [0, *(line_break.end() for line_break in LINE_BREAK.finditer(self.text))]
