"""Hostile and damaged inputs: every one is a `ReadError` with a clear message, in bounded work.

Each hostile file is built here, in tmp_path: zip bombs, huge or sparse text, deep markup,
broken bytes, FIFOs and symlink loops.
"""
from __future__ import annotations

import io
import os
import struct
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.readers import ReadError, ReadLimits, read_source
from fixture_builders import build_docx

REPORT = "某县人民政府关于2023年度法治政府建设情况的报告。全年办理行政复议案件12件，行政规范性文件合法性审核率达到100%。"
MB = 1024 * 1024


def _refused(path: Path, *words: str, limits: ReadLimits | None = None) -> str:
    with pytest.raises(ReadError) as caught:
        read_source(path) if limits is None else read_source(path, limits=limits)
    message = str(caught.value)
    assert "\n" not in message
    for word in words:
        assert word in message, message
    return message


# --- 9: limits on size, pages, paragraphs and time -------------------------------------------


def test_huge_text_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: 200 MB on paper, nothing on disk
        handle.write(REPORT.encode())
        handle.truncate(200 * MB)
    tracemalloc.start()
    try:
        _refused(path, "上限")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * MB


def test_decoded_text_past_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text(REPORT * 100, encoding="utf-8")
    _refused(path, "上限", limits=ReadLimits(max_text=1000))
    assert read_source(path).text.startswith("某县")


def test_docx_zip_bomb_is_refused_before_decompressing(tmp_path: Path) -> None:
    path = build_docx(tmp_path / "bomb.docx", "报告", [("paragraph", REPORT)])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as package, package.open("word/media/bomb.bin", "w") as member:
        block = b"\0" * MB
        for _ in range(80):
            member.write(block)
    assert path.stat().st_size < 1 * MB
    started = time.monotonic()
    _refused(path, "上限")
    assert time.monotonic() - started < 5


def test_docx_with_too_many_paragraphs_is_refused(tmp_path: Path) -> None:
    path = build_docx(tmp_path / "many.docx", "报告", [("paragraph", f"第{i}段。") for i in range(60)])
    _refused(path, "50", "上限", limits=ReadLimits(max_paragraphs=50))
    assert "第59段" in read_source(path).text


def test_pdf_past_the_page_limit_is_refused_before_extraction(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for number in range(301):
        pdf.add_page()
        pdf.cell(text=f"page {number}")
    path = tmp_path / "long.pdf"
    pdf.output(str(path))
    started = time.monotonic()
    _refused(path, "300", "页上限")
    assert time.monotonic() - started < 5


def test_huge_html_text_node_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "node.html"
    path.write_text(f"<html><body><p>{REPORT}</p><p>{'字' * 3000}</p></body></html>", encoding="utf-8")
    _refused(path, "上限", limits=ReadLimits(max_text_node=2000))
    assert "某县" in read_source(path).text


def test_time_limit(tmp_path: Path) -> None:
    path = build_docx(tmp_path / "slow.docx", "报告", [("paragraph", REPORT)] * 20)
    _refused(path, "秒上限", limits=ReadLimits(max_seconds=0))


# --- 10: deep nesting -------------------------------------------------------------------------


@pytest.mark.parametrize("markup", [
    "<div>" * 1000 + REPORT + "</div>" * 1000,
    "<font>x" * 1200 + REPORT,
])
def test_deeply_nested_html_is_read(tmp_path: Path, markup: str) -> None:
    path = tmp_path / "deep.html"
    path.write_text(f"<html><body>{markup}</body></html>", encoding="utf-8")
    assert REPORT in read_source(path).text


# --- 13: control characters -------------------------------------------------------------------


def test_control_characters_are_stripped_from_html_text_and_title(tmp_path: Path) -> None:
    path = tmp_path / "escape.html"
    path.write_text(
        "<html><head><meta charset='gb2312'><title>\x1b]0;pwned\x07报告标题</title></head>"
        f"<body><p>\x1b[2J{REPORT}\x9b31m</p><p>第二段\x00\x08\t结束</p><p>{REPORT * 4}</p></body></html>",
        encoding="gb18030",
    )
    source = read_source(path)
    for char in "\x1b\x07\x9b\x00\x08":
        assert char not in source.text and char not in (source.title or "")
    assert REPORT in source.text
    assert source.title and "报告标题" in source.title


def test_c1_control_characters_are_stripped_from_text_files(tmp_path: Path) -> None:
    path = tmp_path / "c1.txt"
    path.write_text(f"{REPORT}\x85\x9b2J\n第二行\t结束", encoding="utf-8")
    source = read_source(path)
    assert "\x85" not in source.text and "\x9b" not in source.text
    assert source.text.endswith("第二行\t结束")


# --- 15: a few bad bytes in a readable report -------------------------------------------------


@pytest.mark.parametrize(("damage", "replaced"), [
    (lambda data: data[:40] + b"\xff" + data[40:], 1),
    (lambda data: data[:40] + b"\x00" + data[40:], 1),
    (lambda data: data[:-1], 1),
    (lambda data: data[:40] + b"\x93" + data[40:], 1),  # a cp1252 smart quote pasted in
])
def test_utf8_report_with_a_bad_byte_is_read(tmp_path: Path, damage, replaced: int) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(damage((REPORT * 3).encode("utf-8")))
    source = read_source(path)
    assert source.encoding == "utf_8"
    assert source.replaced_characters == replaced
    assert "行政复议案件12件" in source.text


def test_html_with_a_bad_byte_is_read(tmp_path: Path) -> None:
    path = tmp_path / "bad.html"
    path.write_bytes(f"<html><body><p>{REPORT}</p><p>{REPORT}</p></body></html>".encode().replace("。".encode(), b"\xff", 1))
    source = read_source(path)
    assert source.replaced_characters == 1 and "行政复议案件12件" in source.text


def test_clean_files_replace_nothing(tmp_path: Path) -> None:
    path = tmp_path / "clean.txt"
    path.write_bytes(REPORT.encode("gb18030"))
    source = read_source(path)
    assert source.replaced_characters == 0 and source.text == REPORT


def test_binary_is_still_not_text(tmp_path: Path) -> None:
    path = tmp_path / "binary.txt"
    path.write_bytes(bytes(range(256)) * 20)
    _refused(path)


# --- 16: clear messages -----------------------------------------------------------------------


def test_broken_zip_docx_says_damaged(tmp_path: Path) -> None:
    whole = bytearray(build_docx(tmp_path / "whole.docx", "报告", [("paragraph", REPORT)]).read_bytes())
    end = whole.rfind(b"PK\x05\x06")  # the end record: its central directory offset overstated,
    (offset,) = struct.unpack("<I", whole[end + 16:end + 20])  # so members seem to start before byte 0
    whole[end + 16:end + 20] = struct.pack("<I", offset + 1_000_000)
    path = tmp_path / "broken.docx"
    path.write_bytes(bytes(whole))
    message = _refused(path, "Word 文件已损坏")
    assert "Invalid argument" not in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_not_a_regular_file_and_never_blocks(tmp_path: Path) -> None:
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    message = _refused(path, "不是普通文件")
    assert "empty" not in message


def test_device_is_not_a_regular_file(tmp_path: Path) -> None:
    if not Path("/dev/null").exists():
        pytest.skip("no /dev/null")
    link = tmp_path / "null.txt"
    link.symlink_to("/dev/null")
    _refused(link, "不是普通文件")


def test_symlink_loop_is_named(tmp_path: Path) -> None:
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    message = _refused(tmp_path / "a.txt", "符号链接循环")
    assert "no such file" not in message


# --- property: random bytes are a report or a ReadError, nothing else -------------------------


def _zip_of(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, data in dict(members).items():
            package.writestr(name, data)
    return buffer.getvalue()


_MEMBER_NAMES = st.sampled_from(["[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels", "x"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    suffix=st.sampled_from([".txt", ".md", ".html", ".docx"]),
    data=st.one_of(
        st.binary(min_size=1, max_size=3000),
        st.lists(st.tuples(_MEMBER_NAMES, st.binary(max_size=300)), min_size=1, max_size=4).map(_zip_of),
    ),
)
def test_random_bytes_are_read_or_refused(tmp_path: Path, suffix: str, data: bytes) -> None:
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    try:
        read_source(path)
    except ReadError as problem:
        assert "\n" not in str(problem)
