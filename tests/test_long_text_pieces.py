"""A long text is read, tidied, prepared, scanned and searched in pieces, and its offsets kept as
arrays: the pieces must give what the whole gives."""
from __future__ import annotations

from array import array
from pathlib import Path

import pytest

from checker import screen
from checker.condition import regex
from checker.document import build_document, offsets, text as document_text
from checker.document.outline import Heading
from checker.document.sections import next_at_or_above
from checker.engine import audit
from checker.readers import read_source, text as reader_text
from checker.ruleset import load_ruleset

SAMPLE = ("  一、主要工作 \n全年審核規範性文件21件，合格率100%。\n\n\n\n  （一）加强执法  \n"
          "① 规范程序\r\n## 二、存在的问题\n\u3000\u3000仍有差距。\n\n") * 40


def _whole_then_pieces(monkeypatch, module, name, function, *args):
    whole = function(*args)
    monkeypatch.setattr(module, name, 7)
    return whole, function(*args)


def test_tidy_text_in_pieces_equals_whole(monkeypatch) -> None:
    whole, pieces = _whole_then_pieces(monkeypatch, reader_text, "TIDY_CHUNK", reader_text.tidy_text, SAMPLE)
    assert pieces == whole


def test_long_utf_8_is_decoded_in_pieces(monkeypatch, tmp_path) -> None:
    path = tmp_path / "long.txt"
    path.write_bytes(SAMPLE.encode("utf-8"))
    whole = reader_text.read(path)
    monkeypatch.setattr(reader_text, "DECODE_CHUNK", 5)
    assert reader_text.read(path) == whole


def test_prepare_lines_in_pieces_equals_whole(monkeypatch) -> None:
    # Traditional characters only in a later piece: the lines before keep their originals too.
    text = reader_text.tidy_text("简体一行。\n" * 30 + SAMPLE)
    whole, pieces = _whole_then_pieces(monkeypatch, document_text, "PREPARE_CHUNK", document_text.prepare_lines, text)
    assert pieces == whole
    assert whole.originals is not None and len(whole.originals) == len(whole.lines)


def test_next_heading_at_or_above() -> None:
    levels = [1, 2, 3, 2, 1, 3, 2]
    blocks = [Heading(index, level, index, index + 1, "cn", "x" * len(levels)) for index, level in enumerate(levels)]
    expected = [next((later for later in range(index + 1, len(levels)) if levels[later] <= level), 99)
                for index, level in enumerate(levels)]
    assert next_at_or_above(blocks, list(range(len(levels))), 99) == expected


@pytest.mark.parametrize("piece", [None, 1, 2, 7])
def test_words_found_in_pieces_are_every_occurrence(monkeypatch, piece: int | None) -> None:
    words = ("一、", "主要工作", "规范", "规范程序", "\n", "仍有差距。", "程序\r")
    finder = screen.WordFinder(words)
    if piece is not None:
        monkeypatch.setattr(screen, "AUTOMATON_PIECE", piece)
    found = list(finder.occurrences(SAMPLE))
    every = sorted((finder.words.index(word), start, start + len(word))
                   for start in range(len(SAMPLE)) for word in words if SAMPLE.startswith(word, start))
    assert sorted(found) == every
    assert [end for _, _, end in found] == sorted(end for _, _, end in found)


def test_a_long_report_scores_as_it_would_in_one_piece(monkeypatch) -> None:
    ruleset = load_ruleset()
    source = read_source(Path(__file__).resolve().parents[1] / "samples" / "yunxi_county_2024.txt")
    whole = audit(build_document(source, vocabulary=ruleset.vocabulary), ruleset).to_json_dict()
    for module, name, value in ((offsets, "COMPACT_FROM", 0), (regex, "LONG_TEXT", 0), (regex, "PIECE", 5),
                                (screen, "AUTOMATON_PIECE", 3)):
        monkeypatch.setattr(module, name, value)
    document = build_document(source, vocabulary=ruleset.vocabulary)
    assert isinstance(document.sentence_starts, array) and isinstance(document.line_starts, array)
    assert audit(document, ruleset).to_json_dict() == whole
