"""Compile a rule's regular expression so that matching it can never hang an audit.

RE2 matches in linear time, so a pattern it can run is run by it. Some patterns it cannot run
(lookarounds such as `(?<!协)`, backreferences, `\\u4e00`) or runs differently (`\\d`, `\\w`, `\\s`, `\\b`
are ASCII-only in RE2, Unicode in Python): those go to Python's `re`, but only when they cannot
backtrack catastrophically, that is when no repeat holds another repeat or an alternation
(`(a+)+`, `(a*)*`, `(ab|a)*`). Anything else is refused when the rule set loads.

A pattern whose matches are bounded in length and hold a literal is searched only in windows
around that literal's occurrences, when they are rare: on Python's `re`, whatever the pattern's
engine, since RE2's wrapper costs more per call than a window's matching. A bounded window cannot
hang either engine, and a pattern RE2 runs is searched there only when `re` reads it the same way
and it cannot backtrack catastrophically (see `_windows_engine`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from collections.abc import Callable
from typing import Any

import re2

from checker.screen import first_characters, may_match, required_literals

try:  # Python 3.11+
    from re import _constants as sre_constants, _parser as sre_parse
except ImportError:  # pragma: no cover - Python 3.10
    import sre_constants  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False  # RE2 would print every refused pattern to stderr

_REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, getattr(sre_constants, "POSSESSIVE_REPEAT", None)}
# \d \w \s and their negations; \b \B (the codes of the two kinds overlap as numbers: keep them apart).
_UNICODE_CLASSES = {
    sre_constants.CATEGORY_DIGIT, sre_constants.CATEGORY_NOT_DIGIT, sre_constants.CATEGORY_WORD,
    sre_constants.CATEGORY_NOT_WORD, sre_constants.CATEGORY_SPACE, sre_constants.CATEGORY_NOT_SPACE,
}
_WORD_BOUNDARIES = {sre_constants.AT_BOUNDARY, sre_constants.AT_NON_BOUNDARY}


class RegexError(ValueError):
    """A pattern that cannot be used; the message is for the rule author."""


@dataclass(frozen=True, eq=False)
class Regex:
    """A rule's pattern, compiled, with the literals every match holds (checker/screen.py): a
    document without them is not searched at all. Compared by identity, as a cache key."""

    pattern: str
    compiled: Any
    needs: tuple[str, ...] | None
    """Literals of which every match holds one: those `required_literals` finds, or the characters a
    match starts with where they are fewer (因[^,。;]{1,16}(调整|变动|…) needs 因)."""
    on_bytes: bool
    """RE2 with a pattern that never matches the empty string: searched in the text's UTF-8,
    which RE2's wrapper would otherwise encode again for every pattern and every document."""
    reach: int | None = None
    """On bytes, when no match is longer than this many characters and the pattern has no anchor
    (^ $ \\A \\Z): a long text can then be searched a piece at a time (`_starts_by_piece`)."""
    around: tuple[int, int] | None = None
    """For a pattern with `needs`, no anchor and a bounded match: its longest match and how far
    past a match its lookaheads read. It is then searched only around the literals it needs
    (`_starts_around`), with `nearby`: neither engine skips ahead to them by itself when the
    pattern opens with a lookbehind or an alternation, and RE2 scans every byte of the text."""
    nearby: re.Pattern[str] | None = None
    """What searches those windows: the pattern on Python's `re` (`compiled` itself, when it is)."""
    otherwise: tuple[str, ...] | None = None
    """The other of the two sets `needs` is chosen from, searched around when `needs` are too
    common to be: (未发生|无)[^,。;]{0,16}行政诉讼 needs 行政, found on every line of a report, and
    otherwise 无 or 未."""

    def starts(self, text: str, utf8: Callable[[], bytes]) -> list[int]:
        """Where the matches in `text` start; `utf8()` gives the text encoded (made once)."""
        if self.around is not None:  # finding the literals is the screening too
            longest, ahead = self.around
            most = len(text) // max(1, 2 * longest + ahead + SEARCH_COST)
            occurrences = _occurrences(text, self.needs, most)
            if occurrences is None and self.otherwise is not None:
                occurrences = _occurrences(text, self.otherwise, most)
            if occurrences is not None:
                return self._starts_around(text, occurrences)
        elif not may_match(self.needs, text):
            return []
        if not self.on_bytes:
            return [match.start() for match in self.compiled.finditer(text)]
        if self.reach is not None and len(text) > LONG_TEXT:
            return self._starts_by_piece(text)
        encoded = utf8()
        starts, characters, previous = [], 0, 0
        for match in self.compiled.finditer(encoded):
            characters += len(encoded[previous:match.start()].decode("utf-8"))
            previous = match.start()
            starts.append(characters)
        return starts

    def _starts_around(self, text: str, occurrences: list[int]) -> list[int]:
        """`finditer`'s starts, searched for only near each occurrence q of a needed literal: a
        match that holds q starts after q - longest, and what decides it lies before q + longest +
        lookahead, which bounds the search (`endpos`; Python's lookbehinds still see the text
        before `pos`). A match found there that starts after q is left for the next occurrence,
        since the cut-off may have changed it; one at or before q is the one `finditer` finds
        from the end of the last, as no match can start between them without a literal."""
        longest, ahead = self.around
        starts: list[int] = []
        resume, index, size = 0, 0, len(text)
        while index < len(occurrences):
            at = occurrences[index]
            if at < resume:
                index += 1
                continue
            match = self.nearby.search(text, max(resume, at - longest + 1), min(size, at + longest + ahead))
            if match is None or match.start() > at:
                index += 1  # no match holds this occurrence; the next literal may start one
                continue
            starts.append(match.start())
            resume = match.end()  # the same occurrence may be held by the next match too
        return starts

    def _starts_by_piece(self, text: str) -> list[int]:
        """`starts` without the UTF-8 of the whole text (a 50 MB report's would be held through
        the audit). Each piece is searched together with the `reach` characters after it, which
        hold any match that starts in the piece, and from where the last match ended, as one
        search of the whole text goes on; a piece without any literal a match needs is skipped."""
        starts: list[int] = []
        resume = 0
        for stop in range(PIECE, len(text) + PIECE, PIECE):
            begin = max(stop - PIECE, resume)
            piece = text[begin:stop + self.reach]
            if begin >= stop or not may_match(self.needs, piece):
                continue
            encoded = piece.encode("utf-8")
            characters, previous = begin, 0
            for match in self.compiled.finditer(encoded):
                characters += len(encoded[previous:match.start()].decode("utf-8"))
                if characters >= stop:
                    break
                previous = match.start()
                starts.append(characters)
                resume = characters + len(encoded[match.start():match.end()].decode("utf-8"))
        return starts


SEARCH_COST = 100
"""What one search costs beyond the characters it tries, in characters a scan gets through:
searching around the needed literals pays only when they are rare (第一责任人 is, 行政 is not)."""
LONG_TEXT = 1 << 20
"""Characters past which a pattern with a `reach` is searched by piece."""
PIECE = 1 << 14
"""Characters searched at a time then: small enough for a pattern's literals to be missing from
many pieces, large enough for a piece to cost little more than its encoding."""
MAX_REACH = PIECE
"""A longer reach, and pieces would overlap more than they hold."""


@cache
def compile_regex(pattern: str) -> Regex:
    """Raises RegexError for a pattern that cannot be used. The pattern is parsed once, for the
    choice of engine, its literals and whether it can match nothing. One pattern is one Regex
    wherever rules use it: an audit searches each Regex once (checker.condition.functions.Searches),
    so two rules with the same pattern share the search."""
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, OverflowError, RecursionError) as error:
        parsed, python_error = None, error
    nested, unicode, anchored = _walk(parsed) if parsed is not None else (False, False, True)
    compiled = None
    if not unicode:
        try:
            compiled = re2.compile(pattern, _RE2_OPTIONS)
        except re2.error:
            pass
    if compiled is None:
        if parsed is None:
            raise RegexError(f"正则表达式有误：{python_error}")
        if nested:
            raise RegexError("正则表达式中有重复套着重复或多选（如 (a+)+、(ab|a)*），又用到了 RE2 引擎不支持的写法"
                             "（前后断言 (?<! (?=、反向引用、\\d \\w \\s \\b 等），匹配可能极慢；请去掉外层的重复，或不用这些写法")
        compiled = re.compile(pattern)
    if parsed is None:
        return Regex(pattern, compiled, None, on_bytes=False)
    shortest, longest = parsed.getwidth()
    on_bytes = isinstance(compiled, re2._Regexp) and shortest > 0
    needs, otherwise = _fewest_first(required_literals(parsed), first_characters(pattern))
    ahead = _lookahead_reach(parsed)
    nearby = _windows_engine(pattern, compiled, nested)
    around = ((longest, ahead) if nearby is not None and needs and shortest > 0 and not anchored
              and longest < sre_constants.MAXREPEAT and ahead is not None else None)
    return Regex(pattern, compiled, needs, on_bytes,
                 reach=longest if on_bytes and not anchored and longest <= MAX_REACH else None,
                 around=around, nearby=nearby if around is not None else None,
                 otherwise=otherwise if around is not None else None)


def _fewest_first(required: tuple[str, ...] | None, first: str | None) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """Two sets of literals every match holds one of, the one with fewer to look for first, then
    the longer: each literal costs a scan of the text, and a longer one occurs less often."""
    options = sorted({literals for literals in (required, tuple(first or "")) if literals},
                     key=lambda literals: (len(literals), -min(map(len, literals)), literals))
    return options[0] if options else None, options[1] if len(options) > 1 else None


RE2_ONLY_SYNTAX = re.compile(r"\[:|\{,|\(\?[a-zA-Z-]*i")
"""What RE2 reads differently from Python's `re` in a pattern both accept: a POSIX class
([[:alpha:]], a set of letters to `re`), a bare upper bound (x{,3}, literal text to RE2) and case
folding (each engine has its own tables). Looked for in the pattern's text, so an escaped `\\[:`
counts too: such a pattern is only searched whole, never wrongly in windows."""


def _windows_engine(pattern: str, compiled: Any, nested: bool) -> re.Pattern[str] | None:
    """What may search a pattern in windows: Python's `re` for a pattern it runs; for one RE2 runs,
    `re` too where that finds what RE2 finds and cannot backtrack catastrophically, else nothing."""
    if isinstance(compiled, re.Pattern):
        return compiled
    if nested or RE2_ONLY_SYNTAX.search(pattern):
        return None
    return re.compile(pattern)


def _occurrences(text: str, literals: tuple[str, ...], most: int) -> list[int] | None:
    """Where any of the literals starts in `text`, in order, each position once; None as soon as
    they are found more than `most` times (a literal found once per line is not looked for to the
    end of the text, only for the text then to be searched whole)."""
    found: list[int] = []
    for literal in literals:
        at = text.find(literal)
        while at != -1:
            if len(found) == most:
                return None
            found.append(at)
            at = text.find(literal, at + 1)
    return sorted(set(found)) if len(literals) > 1 else found


def _lookahead_reach(parsed: Any) -> int | None:
    """How many characters past the point it stands at every lookahead together may read (their
    longest matches, summed), or None when one is unbounded."""
    reach, stack = 0, [parsed]
    while stack:
        for op, av in stack.pop():
            if op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
                direction, sub = av
                if direction == 1:
                    width = sub.getwidth()[1]
                    if width >= sre_constants.MAXREPEAT:
                        return None
                    reach += width
                stack.append(sub)
            elif op in _REPEATS:
                stack.append(av[2])
            elif op is sre_constants.BRANCH:
                stack.extend(av[1])
            elif op is sre_constants.GROUPREF_EXISTS:
                stack.extend(branch for branch in av[1:] if branch is not None)
            elif op is sre_constants.SUBPATTERN:
                stack.append(av[-1])
            elif op is getattr(sre_constants, "ATOMIC_GROUP", None):
                stack.append(av)
    return reach


def _walk(parsed: Any) -> tuple[bool, bool, bool]:
    """(can backtrack catastrophically, uses a class RE2 reads as ASCII, has an anchor or a word
    boundary), without recursion."""
    nested = unicode = anchored = False
    stack = [(parsed, False)]
    while stack:
        items, repeated = stack.pop()
        for op, av in items:
            if op in _REPEATS:
                low, high, sub = av
                many = high > 1
                nested |= repeated and many
                stack.append((sub, repeated or many))
            elif op is sre_constants.BRANCH:
                nested |= repeated
                stack.extend((branch, repeated) for branch in av[1])
            elif op is sre_constants.GROUPREF_EXISTS:
                nested |= repeated
                stack.extend((branch, repeated) for branch in av[1:] if branch is not None)
            elif op is sre_constants.SUBPATTERN:
                stack.append((av[-1], repeated))
            elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
                stack.append((av[1], repeated))
            elif op is getattr(sre_constants, "ATOMIC_GROUP", None):
                stack.append((av, repeated))
            elif op is sre_constants.IN:
                unicode |= any(kind is sre_constants.CATEGORY and value in _UNICODE_CLASSES for kind, value in av)
            elif op is sre_constants.AT:
                unicode |= av in _WORD_BOUNDARIES
                anchored = True
    return nested, unicode, anchored
