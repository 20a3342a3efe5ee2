"""checker/screen.py: a pattern is searched only where the literals it cannot match
without are present, and the answer is always the one a plain search gives."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from checker.screen import FirstCharacterSearch, LiteralScreen, first_characters, positions_of, guarded, required_literals, starts_lines
from checker.vocabulary import default_vocabulary


@pytest.mark.parametrize(("pattern", "literals"), [
    pytest.param(r"现将[^。]{0,60}报告如下", ("报告如下",), id="longest-run"),
    pytest.param(r"(?:起草|出台)(?:的)?背景", ("背景",), id="one-literal-over-two-alternatives"),
    pytest.param(r"^(?:日前|近日)[,]", ("日前", "近日"), id="alternatives"),
    pytest.param(r"[报网台社]讯", ("讯",), id="class-then-literal"),
    pytest.param(r"(?:收到)+申请书", ("申请书",), id="repeat-at-least-once"),
    pytest.param(r"(?:收到申请)+书", ("收到申请",), id="repeat-at-least-once-is-required"),
    pytest.param(r"(?:特此)?通知", ("通知",), id="optional-group-needs-nothing"),
    pytest.param(r"\d+\s*%", ("%",), id="single-character"),
    pytest.param(r"\d{4}", None, id="classes-only"),
    pytest.param(r"(?i:icp)备", ("备",), id="ignore-case-group-skipped"),
    pytest.param(r"(?i)icp", None, id="ignore-case-pattern"),
    pytest.param(r"a|\d", None, id="a-branch-without-literal"),
])
def test_required_literals(pattern: str, literals: tuple[str, ...] | None) -> None:
    assert required_literals(pattern) == literals


VOCABULARY_PATTERNS = sorted({word for words in default_vocabulary().words.values() for word in words})
SCREEN_PATTERNS = [re.compile(word, re.M) for word in VOCABULARY_PATTERNS]
SCREEN = LiteralScreen(SCREEN_PATTERNS)
# Texts made of the pieces the vocabulary is written with, so that matches and near misses occur.
PIECES = st.sampled_from(sorted({piece for word in VOCABULARY_PATTERNS for piece in re.findall(r"[\u4e00-\u9fff]{1,4}", word)}))
TEXTS = st.lists(st.one_of(PIECES, st.sampled_from(["，", ",", "。", ":", "\n", " ", "2023年", "100%", "(一)"])), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_a_screened_search_is_the_plain_search(text: str) -> None:
    screened = SCREEN.read(text)
    for pattern in SCREEN_PATTERNS:
        plain, fast = pattern.search(text), screened.search(pattern)
        assert (plain and plain.span()) == (fast and fast.span()), pattern.pattern


@pytest.mark.parametrize(("pattern", "first"), [
    pytest.param(r"(?:将(?!纳入)|要|拟)(?:继续|进一步)", "将拟要", id="alternatives-of-groups"),
    pytest.param(r"^(?:但|同时)", "但同", id="after-an-anchor"),
    pytest.param(r"[a-c]x|y", "abcy", id="class-and-literal"),
    pytest.param(r"(?:的)?背景", "的背", id="optional-opening"),
    pytest.param(r"(?:的)?", None, id="only-optional"),
    pytest.param(r"a*(?:b|c?)", None, id="optional-to-the-end"),
    pytest.param(r"\d+", None, id="category"),
    pytest.param(r"(?=a)", None, id="empty-match"),
    pytest.param(r"[^。]+", None, id="negated-class"),
])
def test_first_characters(pattern: str, first: str | None) -> None:
    assert first_characters(pattern) == first


GUARDED = [(re.compile(word), guarded(word)) for word in VOCABULARY_PATTERNS]


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_a_guarded_pattern_finds_what_the_plain_one_finds(text: str) -> None:
    for plain, fast in GUARDED:
        assert [m.span() for m in plain.finditer(text)] == [m.span() for m in fast.finditer(text)], plain.pattern


TRIED = [(re.compile(word), FirstCharacterSearch(re.compile(word), first)) for word in VOCABULARY_PATTERNS
         if (first := first_characters(word))]


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_a_pattern_tried_at_its_first_characters_finds_what_a_search_finds(text: str) -> None:
    for plain, tried in TRIED:
        plain_match, tried_match = plain.search(text), tried.search(text)
        assert (plain_match and plain_match.span()) == (tried_match and tried_match.span()), plain.pattern


@pytest.mark.parametrize(("pattern", "flags", "anchored"), [
    pytest.param(r"^各[^。:]{1,60}:$", re.M, True, id="multi-line-caret"),
    pytest.param(r"^各", 0, False, id="caret-of-the-text-only"),
    pytest.param(r"^各|部门:", re.M, False, id="one-alternative-anchored"),
    pytest.param(r"各:$", re.M, False, id="dollar-only"),
])
def test_starts_lines(pattern: str, flags: int, anchored: bool) -> None:
    assert starts_lines(re.compile(pattern, flags)) is anchored


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="责任牵头。\n", max_size=30), st.sets(st.sampled_from("责牵头"), min_size=1), st.integers(0, 30))
def test_positions_of_characters_are_in_order(text: str, characters: set[str], start: int) -> None:
    characters = "".join(sorted(characters))
    assert positions_of(text, characters) == [index for index, character in enumerate(text) if character in characters]
    assert positions_of(text, characters, start, start + 5) == [
        index for index, character in enumerate(text) if character in characters and start <= index < start + 5]
