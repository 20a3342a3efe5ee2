"""A long text is read, tidied and prepared in pieces: the pieces must give what the whole gives."""
from __future__ import annotations

from checker.document import text as document_text
from checker.document.outline import Heading
from checker.document.sections import next_at_or_above
from checker.readers import text as reader_text

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
