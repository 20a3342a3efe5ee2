"""checker/condition/regex.py: a rule's pattern finds the same match starts, in characters,
whichever engine runs it and whether the text is searched as UTF-8 or screened out first."""
from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import given, settings, strategies as st

from checker.condition import regex
from checker.condition.regex import compile_regex
from checker.ruleset import load_ruleset

MATCHES_CALL = re.compile(r'matches\("((?:[^"\\]|\\.)*)"\)')


def national_patterns() -> list[str]:
    rules = load_ruleset().rules
    texts = [getattr(rule.spec, name) or "" for rule in rules for name in ("not_applicable", "pass_", "partial")]
    return sorted({match.group(1).replace('\\\\', '\\') for text in texts for match in MATCHES_CALL.finditer(text)})


PATTERNS = national_patterns() + [
    "出庭(率|应诉)", "a*", "(?:^|,)负责人", "[😀-🙏]+出庭", "百分之[一二三四五六七八九十]+",
    # Python's re, searched around the literals they need: lookbehinds before, lookaheads after.
    "(?<!安全)第一责任人(?!职责)", "(?<=负责人)(出庭|应诉)(?=率)", "(无|未发生)[^,。;]{0,4}重大(行政)?决策(?!部署)",
    "(?<!协)(调解|调处)[^,。;]{0,10}(纠纷|争议)|纠纷多元化解", "出庭(?![^,。;]{0,6}(率|应诉))", "(?<!率)率(?=率)",
]
COMPILED = [(pattern, compile_regex(pattern)) for pattern in PATTERNS]
PIECES = st.sampled_from(["行政机关负责人", "出庭", "应诉", "率", "达到", "100%", "全部由", "局长", "出庭应诉",
                          "未发生", "行政诉讼", "案件", "重大行政决策", "第一责任人", "规范性文件", "😀", "é", ",", "。", "\n", " ",
                          "安全", "职责", "负责人", "无", "部署", "协", "调解", "纠纷", "争议", "纠纷多元化解"])
TEXTS = st.lists(PIECES, max_size=30).map("".join)


def test_the_national_patterns_are_read() -> None:
    assert len(PATTERNS) > 6


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_starts_are_character_offsets_of_every_match(text: str) -> None:
    encoded = text.encode("utf-8")
    for pattern, compiled in COMPILED:
        expected = [match.start() for match in re.finditer(pattern, text)]
        assert compiled.starts(text, lambda: encoded) == expected, pattern


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_searching_around_the_needed_literals_finds_every_match(text: str) -> None:
    # However rare the literals: the short texts here would otherwise all be searched whole.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(regex, "SEARCH_COST", -10 ** 9)
        for pattern, compiled in COMPILED:
            if compiled.around is not None:
                assert compiled.starts(text, lambda: b"") == [match.start() for match in re.finditer(pattern, text)], pattern


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_windows_find_what_the_patterns_own_engine_finds_in_the_whole_text(text: str) -> None:
    encoded = text.encode("utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(regex, "SEARCH_COST", -10 ** 9)
        for pattern, compiled in COMPILED:
            if compiled.around is not None:
                whole = dataclasses.replace(compiled, around=None, nearby=None)
                assert compiled.starts(text, lambda: b"") == whole.starts(text, lambda: encoded), pattern


def test_patterns_that_need_a_literal_and_cannot_skip_to_it_are_searched_around_it() -> None:
    assert compile_regex("(?<!生产)(?<!安全)第一责任人").around == (5, 0)
    assert compile_regex("无[^,。;]{0,4}重大(行政)?决策(?![^,。;]{0,6}部署)").around == (11, 8)
    assert compile_regex("出庭.*应诉(?!率)").around is None  # unbounded
    assert compile_regex("(?<!安全)(?:^|,)第一责任人").around is None  # anchored


@pytest.mark.parametrize(("pattern", "around"), [
    pytest.param("(负责人|领导)(全部|均)出庭", (7, 0), id="re2-searched-around-too"),
    pytest.param("(a{1,3}){1,3}出庭", None, id="re2-nested-repeat"),
    pytest.param("[[:alpha:]]出庭", None, id="re2-posix-class", marks=pytest.mark.filterwarnings("ignore:Possible nested set")),
    pytest.param("负责人{,3}出庭", None, id="re2-bare-upper-bound"),
    pytest.param("(?i:x)出庭", None, id="re2-case-folding"),
])
def test_which_re2_patterns_are_searched_around_their_literals(pattern: str, around: tuple[int, int] | None) -> None:
    """Python's `re` searches the windows: only a pattern it reads as RE2 does and runs safely."""
    assert compile_regex(pattern).around == around


def test_literals_too_common_to_search_around_give_way_to_the_other_ones() -> None:
    pattern = "(未发生|无)[^,。;]{0,16}行政(诉讼|应诉)"
    text = "加强行政执法，" * 200 + "全年未发生行政诉讼案件。无行政应诉"
    compiled = compile_regex(pattern)
    assert (compiled.needs, compiled.otherwise) == (("行政",), ("无", "未"))
    windows_only = dataclasses.replace(compiled, compiled=None)  # searching the whole text would fail
    assert windows_only.starts(text, lambda: b"") == [match.start() for match in re.finditer(pattern, text)] != []


@pytest.mark.parametrize(("pattern", "needs"), [
    pytest.param("因[^,。;]{1,16}(调整|变动|更替)", ("因",), id="one-first-character-beats-three-literals"),
    pytest.param("(未|没有|无)[^,。;]{0,6}规范性文件", ("规范性文件",), id="one-literal-beats-three-first-characters"),
    pytest.param("谁(执法|主管)谁普法", ("谁普法",), id="the-longer-of-one-each"),
])
def test_the_fewest_literals_are_looked_for(pattern: str, needs: tuple[str, ...]) -> None:
    assert compile_regex(pattern).needs == needs


@pytest.mark.parametrize(("pattern", "on_bytes"), [
    pytest.param("出庭(率|应诉)", True, id="re2-searches-utf8"),
    pytest.param("a*", False, id="empty-match-searches-text"),
    pytest.param("(?<!安全)第一责任人", False, id="lookbehind-is-python-re"),
])
def test_which_text_is_searched(pattern: str, on_bytes: bool) -> None:
    assert compile_regex(pattern).on_bytes is on_bytes


@pytest.mark.parametrize(("pattern", "reach"), [
    pytest.param("旁听[^,。;]{0,10}庭审", 14, id="bounded"),
    pytest.param("出庭(率|应诉)", 4, id="alternatives"),
    pytest.param("出庭.*应诉", None, id="unbounded"),
    pytest.param("(?:^|,)负责人", None, id="anchored"),
    pytest.param("(?<!安全)第一责任人", None, id="python-re"),
])
def test_which_patterns_a_long_text_is_searched_for_by_piece(pattern: str, reach: int | None) -> None:
    assert compile_regex(pattern).reach == reach


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, max_size=80).map("".join), st.sampled_from([1, 2, 5, 16]))
def test_a_long_text_searched_by_piece_gives_the_starts_of_one_search(text: str, piece: int) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(regex, "LONG_TEXT", 0)
        patch.setattr(regex, "PIECE", piece)
        patch.setattr(regex, "SEARCH_COST", 10 ** 9)  # however rare the literals: not searched around them
        for pattern, compiled in COMPILED:
            if compiled.reach is not None:
                expected = [match.start() for match in re.finditer(pattern, text)]
                assert compiled.starts(text, lambda: pytest.fail("the whole text was encoded")) == expected, pattern
