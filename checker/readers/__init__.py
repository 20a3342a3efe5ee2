"""Turn a file of any supported container into plain text plus what the container itself says.

Every reader returns the same `Source`, so nothing after this point knows whether the report
came as Word, PDF, a saved web page or text: the verdicts must not depend on the container.
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from importlib import import_module
from pathlib import Path

from checker.os_errors import explain


class ReadError(Exception):
    """An input that cannot be read as a report; `str()` is the one-line message for the user."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


_MB = 1_000_000


@dataclass(frozen=True)
class ReadLimits:
    """Bounds on the work one input file may cause; a real report stays far below every one.

    Past a bound the file is a `ReadError` ("超过 300 页上限"), decided as early as possible:
    sizes from the file system and the zip directory before anything is read or decompressed.
    """

    max_bytes: int = 200 * _MB
    """The file as stored (.docx, .pdf); text formats are held to `max_text` bytes instead."""
    max_text: int = 20_000_000
    """Characters of text one file may yield; a .txt/.md/.html file of more bytes is refused unread."""
    max_unzipped: int = 50 * _MB
    """How far a .docx's parts may expand past the file's own size (photos do not compress, so
    they cost what they weigh; a zip bomb's parts expand a thousandfold)."""
    max_pages: int = 300
    max_paragraphs: int = 20_000
    """Paragraphs of a .docx, those in table cells included."""
    max_text_node: int = 1_000_000
    """Bytes in one run of HTML text between two tags (a script or style counts too)."""
    max_seconds: float = 120.0
    """Reading one file (checked between pages, paragraphs and blocks)."""

    def deadline(self, name: str) -> Callable[[], None]:
        """A check to call now and then while reading `name`: past `max_seconds` it raises."""
        end = time.monotonic() + self.max_seconds

        def check() -> None:
            if time.monotonic() > end:
                raise ReadError(name, f"读取超过 {self.max_seconds:g} 秒上限 / took longer than {self.max_seconds:g} s")

        return check


def over_limit(name: str, what: str, limit: int | float, unit: str, english: str) -> ReadError:
    """The error for a file past one of `ReadLimits`: 超过 300 页上限 / more than 300 pages."""
    return ReadError(name, f"{what}超过 {limit:g} {unit}上限 / more than {limit:g} {english}")


@dataclass(frozen=True)
class Source:
    path: str
    text: str
    """Plain text, one paragraph or layout line per line, lines separated by "\\n" only."""
    format: str
    """txt | md | docx | doc | wps | pdf | ofd | html | stdin"""
    encoding: str | None = None
    """The detected byte encoding for text formats (utf_8, gb18030, utf_16 ...), else None."""
    title: str | None = None
    """A title the container states apart from the text (HTML article title, <meta> title)."""
    published: date | None = None
    """A publication date the container states apart from the text (<meta name="PubDate">)."""
    line_pages: tuple[int, ...] | None = None
    """PDF and OFD only: the 1-based page number of each line of `text`."""
    line_styles: tuple[str, ...] | None = None
    """Per line of `text`, what the container shows of it: "" for body text, "h1".."h6" for a
    heading (Word heading style / outline level, HTML <h1>-<h6>, a PDF line in a larger font,
    ranked by size), "b" for a paragraph that is bold throughout, "c" for a centred one, "bc" for
    both. None when the container shows nothing (plain text)."""
    sha256: str | None = None
    """Of the bytes read: set by the readers that read the file whole (text, HTML), else by
    read_source; by read_stdin and read_text for what they are given."""
    replaced_characters: int = 0
    """Bytes that did not decode in the detected encoding (a stray \\xff, a NUL, a cut last
    character), each replaced by U+FFFD."""

    def __post_init__(self) -> None:
        lines = self.text.count("\n") + 1 if self.text else 0
        if self.line_styles is not None and len(self.line_styles) != lines:
            raise ValueError(f"{self.path}: {len(self.line_styles)} line styles for {lines} lines")


# One module per container, imported only when a file of its kind turns up: PDF and Word
# parsing pull in large libraries that a run over text files should not pay for.
_READERS: dict[str, str] = {
    ".txt": "text",
    ".md": "text",
    ".docx": "docx",
    ".doc": "legacy_word",  # through antiword, catdoc or LibreOffice, when installed
    ".wps": "legacy_word",
    ".pdf": "pdf",
    ".ofd": "ofd",
    ".html": "html",
    ".htm": "html",
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(_READERS)
"""Lower-case suffixes `read_source` accepts; the batch walker picks files by these."""
UNREADABLE_REPORT_SUFFIXES = (".rtf", ".odt", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp")
"""Formats reports often come in that fzcheck cannot read (RTF, ODF, scans and
photos). A folder walk picks them up too, so each becomes an error row that says why, instead of
the report being left out without a word. Spreadsheets, archives and the like are not reports."""


def read_source(path: str | Path, limits: ReadLimits = ReadLimits()) -> Source:
    """Read one report file; every failure a user can cause comes out as `ReadError`."""
    file = Path(path)
    name = str(path)
    try:
        info = _stat(file, name)
        if stat.S_ISDIR(info.st_mode):
            raise ReadError(name, "这是目录，不是文件 / is a directory")
        if not stat.S_ISREG(info.st_mode):  # never opened: reading a FIFO would block
            raise ReadError(name, "不是普通文件（设备或管道） / not a regular file")
        module = _READERS.get(file.suffix.lower())
        if module is None:
            raise ReadError(name, _unsupported(file.suffix))
        if info.st_size == 0:
            raise ReadError(name, "文件为空 / empty file")
        max_bytes = limits.max_text if module in ("text", "html") else limits.max_bytes
        if info.st_size > max_bytes:
            raise over_limit(name, "文件大小", max_bytes / _MB, "MB ", "MB")
        source = import_module(f"checker.readers.{module}").read(file, limits)
        if source.sha256 is None:  # a reader that held the file's bytes hashed them itself
            source = replace(source, sha256=_sha256(file))
    except OSError as exc:
        raise ReadError(name, f"无法读取文件：{explain(exc)}") from exc
    return _with_text(source, limits)


def _sha256(file: Path) -> str:
    """In pieces, so a large file is never held twice; it was just read, so from the page cache
    (hashlib.file_digest is Python 3.11's)."""
    digest = hashlib.sha256()
    with open(file, "rb") as handle:
        while piece := handle.read(1 << 20):
            digest.update(piece)
    return digest.hexdigest()


def _stat(file: Path, name: str) -> os.stat_result:
    try:
        return file.stat()
    except FileNotFoundError:
        if file.is_symlink():
            raise ReadError(name, "符号链接指向的文件不存在 / dangling symbolic link") from None
        raise ReadError(name, "文件不存在 / no such file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ReadError(name, "符号链接循环 / symbolic link loop") from None
        raise


def _unsupported(suffix: str) -> str:
    reason = f"不支持的文件类型 {suffix or '（无后缀）'}，支持 {' '.join(SUPPORTED_SUFFIXES)}"
    if suffix.lower() in (".doc", ".wps", ".rtf"):
        reason += "；请另存为 .docx"  # old Word and WPS formats: the fix is one "save as" away
    return reason


def read_stdin() -> Source:
    """Read a report piped in; it has no name or suffix, so it can only be text."""
    from checker.readers import text

    stream = getattr(sys.stdin, "buffer", None)
    data = stream.read() if stream is not None else b""
    if not data:
        raise ReadError("-", "标准输入为空 / empty standard input")
    content, encoding, replaced = text.decode_counted(data, "-")
    return _with_text(Source(path="-", text=content, format="stdin", encoding=encoding,
                             sha256=hashlib.sha256(data).hexdigest(), replaced_characters=replaced))


def read_text(content: str, name: str, limits: ReadLimits = ReadLimits()) -> Source:
    """A report handed over as a string (by a library caller), tidied and checked as the text
    of a .txt file is; `name` stands for its file."""
    from checker.readers import text

    digest = hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()
    return _with_text(Source(path=name, text=text.tidy_text(content), format="txt", sha256=digest), limits)


# C0 and C1 control characters but the line end and the tab: in a terminal they move the
# cursor, clear the screen or set the window title; in XML they are not allowed.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _with_text(source: Source, limits: ReadLimits = ReadLimits()) -> Source:
    """Refuse a container that held nothing to check, so no verdict is given on nothing, or
    more than a report holds; drop control characters from what the input states."""
    if len(source.text) > limits.max_text:
        raise over_limit(source.path, "文字", limits.max_text, "字", "characters")
    title = _CONTROL.sub("", source.title) if source.title else source.title
    source = replace(source, text=_CONTROL.sub("", source.text), title=title or None)
    if not source.text.strip():
        raise ReadError(source.path, "没有可检查的文字 / no text to check")
    return source
