"""checker/vocabulary.py: the words fzcheck reads reports with (rules/vocabulary.yaml). The default
loads with every list the document model uses, a rule set may extend any list but not invent
one, and each pattern is compiled once."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from checker.document import build_document
from checker.readers import Source
from checker.vocabulary import Vocabulary, default_vocabulary, listed, load_vocabulary

USED_LISTS = (
    "breadcrumb_starts", "toolbar_strong", "toolbar_weak", "footer_starts", "chrome_lines", "field_names",
    "published_fields", "shortcomings_part", "shortcomings_heading", "remedy_verbs", "plans_heading_strong",
    "plans_heading_weak", "work_heading", "first_responsibility_heading", "plan_openings", "promise_openings",
    "promise_cues", "admission_openings", "admission_cues", "negation_cues", "directive_openings", "org_suffixes",
    "government_suffixes", "department_suffixes", "quantity_units",
)


# ---------------------------------------------------------------- the default

def test_default_loads_once() -> None:
    assert default_vocabulary() is default_vocabulary()


@pytest.mark.parametrize("name", USED_LISTS)
def test_default_has_every_list_the_document_model_reads(name: str) -> None:
    words = default_vocabulary().words[name]
    assert isinstance(words, tuple) and words
    assert all(isinstance(word, str) for word in words)


@pytest.mark.parametrize("name", sorted(default_vocabulary().words))
def test_every_list_compiles(name: str) -> None:
    if default_vocabulary().words[name]:
        assert isinstance(default_vocabulary().pattern(name), re.Pattern)


@pytest.mark.parametrize(("name", "word"), [
    pytest.param("plan_openings", "下一步", id="plan-opening"),
    pytest.param("negation_cues", "尚未", id="negation"),
    pytest.param("footer_starts", "版权所有", id="footer"),
    pytest.param("quantity_units", "人次", id="quantity-unit"),
])
def test_default_words(name: str, word: str) -> None:
    assert default_vocabulary().pattern(name).search(word)


def test_load_vocabulary_reads_yaml_lists_as_strings(tmp_path: Path) -> None:
    path = tmp_path / "vocabulary.yaml"
    path.write_text("units: ['件', 2024]\nempty: []\n", encoding="utf-8")
    vocabulary = load_vocabulary(path)
    assert vocabulary.words == {"units": ("件", "2024"), "empty": ()}


# ---------------------------------------------------------------- alternation and patterns

def test_alternation_puts_longer_fragments_first() -> None:
    vocabulary = Vocabulary({"units": ("件", "件次", "人次")})
    assert vocabulary.alternation("units") in ("(?:件次|人次|件)", "(?:人次|件次|件)")
    assert vocabulary.pattern("units").match("件次").group() == "件次"


def test_a_pattern_is_compiled_once() -> None:
    vocabulary = Vocabulary({"units": ("件", "次")})
    assert vocabulary.pattern("units") is vocabulary.pattern("units")
    assert vocabulary.pattern("units", "^{}") is vocabulary.pattern("units", "^{}")
    assert vocabulary.pattern("units", "^{}") is not vocabulary.pattern("units")


def test_default_patterns_are_compiled_once() -> None:
    assert default_vocabulary().pattern("admission_cues") is default_vocabulary().pattern("admission_cues")


@pytest.mark.parametrize(("template", "text", "found"), [
    pytest.param("{}", "全年办结12件", True, id="anywhere"),
    pytest.param("^{}", "全年办结12件", False, id="anchored-start"),
    pytest.param("^{}", "件数", True, id="anchored-start-matches"),
    pytest.param(r"\d+{}$", "办结12件", True, id="after-a-number-at-the-end"),
])
def test_pattern_template(template: str, text: str, found: bool) -> None:
    vocabulary = Vocabulary({"units": ("件", "次")})
    assert bool(vocabulary.pattern("units", template).search(text)) is found


def test_vocabularies_are_compared_by_identity() -> None:
    words = {"units": ("件",)}
    first, second = Vocabulary(words), Vocabulary(dict(words))
    assert first != second
    assert first == first
    assert len({first, second}) == 2


# ---------------------------------------------------------------- extended

def test_extended_adds_words_and_leaves_the_original_alone() -> None:
    base = Vocabulary({"units": ("件",), "verbs": ("将",)})
    wider = base.extended({"units": ["宗", "卷"]})
    assert wider.words == {"units": ("件", "宗", "卷"), "verbs": ("将",)}
    assert base.words == {"units": ("件",), "verbs": ("将",)}
    assert wider.pattern("units").search("办结3宗")
    assert not base.pattern("units").search("办结3宗")


def test_extended_rejects_an_unknown_list_name() -> None:
    with pytest.raises(KeyError, match="unit_words"):
        Vocabulary({"units": ("件",)}).extended({"unit_words": ["宗"]})


def test_extended_default_rejects_a_misspelt_list() -> None:
    with pytest.raises(KeyError):
        default_vocabulary().extended({"plan_opening": ["远景"]})


def test_extended_is_a_new_vocabulary_with_its_own_patterns() -> None:
    base = default_vocabulary()
    wider = base.extended({"plan_openings": ["远景目标"]})
    assert wider is not base
    assert wider.pattern("plan_openings") is not base.pattern("plan_openings")
    assert wider.pattern("plan_openings") is wider.pattern("plan_openings")


REPORT = "临溪县2024年法治政府建设年度报告\n一、主要工作\n全年办理复议案件12件。\n{line}\n加强执法队伍建设。"


def start_of(document, line: str) -> int:
    return document.line_starts[document.lines.index(line)]


def test_an_extended_footer_word_makes_page_chrome() -> None:
    source = Source(path="t.txt", text=REPORT.format(line="本站声明：转载请注明出处"), format="txt")
    plain = build_document(source)
    wider = build_document(source, vocabulary=default_vocabulary().extended({"footer_starts": ["本站声明"]}))
    assert start_of(plain, "本站声明:转载请注明出处") in plain.scopes["all"]
    assert start_of(wider, "本站声明:转载请注明出处") not in wider.scopes["all"]


def test_an_extended_plans_heading_word_opens_the_plans() -> None:
    source = Source(path="t.txt", text=REPORT.format(line="三、远景谋划"), format="txt")
    plain = build_document(source)
    wider = build_document(source, vocabulary=default_vocabulary().extended({"plans_heading_strong": ["远景谋划"]}))
    assert start_of(plain, "加强执法队伍建设。") in plain.scopes["work"]
    assert start_of(wider, "加强执法队伍建设。") in wider.scopes["plans"]
    assert start_of(wider, "加强执法队伍建设。") not in wider.scopes["work"]


def test_a_listed_pattern_is_the_vocabularys_own_compiled_once_per_reading() -> None:
    @dataclass(frozen=True)
    class Reading:
        vocabulary: Vocabulary
        plans = listed("plan_openings", "^{}")

    vocabulary = default_vocabulary()
    reading = Reading(vocabulary)
    assert reading.plans is vocabulary.pattern("plan_openings", "^{}")
    assert reading.plans.match("下一步，我们将") and "plans" in vars(reading)
