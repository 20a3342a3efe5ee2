"""Turn a file of any supported container into plain text plus what the container itself says.

Every reader returns the same `Source`, so nothing after this point knows whether the report
came as Word, PDF, a saved web page or text: the verdicts must not depend on the container.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from importlib import import_module
from pathlib import Path


class ReadError(Exception):
    """An input that cannot be read as a report; `str()` is the one-line message for the user."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


@dataclass(frozen=True)
class Source:
    path: str
    text: str
    """Plain text, one paragraph or layout line per line, lines separated by "\\n" only."""
    format: str
    """txt | md | docx | pdf | html | stdin"""
    encoding: str | None = None
    """The detected byte encoding for text formats (utf_8, gb18030, utf_16 ...), else None."""
    title: str | None = None
    """A title the container states apart from the text (HTML article title, <meta> title)."""
    published: date | None = None
    """A publication date the container states apart from the text (<meta name="PubDate">)."""
    line_pages: tuple[int, ...] | None = None
    """PDF only: the 1-based page number of each line of `text`."""
    line_styles: tuple[str, ...] | None = None
    """Per line of `text`, what the container shows of it: "" for body text, "h1".."h6" for a
    heading (Word heading style / outline level, HTML <h1>-<h6>, a PDF line in a larger font,
    ranked by size), "b" for a paragraph that is bold throughout, "c" for a centred one, "bc" for
    both. None when the container shows nothing (plain text)."""

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
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(_READERS)
"""Lower-case suffixes `read_source` accepts; the batch walker picks files by these."""
UNREADABLE_REPORT_SUFFIXES = (".doc", ".wps", ".rtf", ".odt", ".ofd", ".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp")
"""Formats reports often come in that fzcheck cannot read (old Word and WPS, OFD, scans and
photos). A folder walk picks them up too, so each becomes an error row that says why, instead of
the report being left out without a word. Spreadsheets, archives and the like are not reports."""


def read_source(path: str | Path) -> Source:
    """Read one report file; every failure a user can cause comes out as `ReadError`."""
    file = Path(path)
    name = str(path)
    try:
        if not file.exists():
            raise ReadError(name, "文件不存在 / no such file")
        if file.is_dir():
            raise ReadError(name, "这是目录，不是文件 / is a directory")
        module = _READERS.get(file.suffix.lower())
        if module is None:
            raise ReadError(name, _unsupported(file.suffix))
        if file.stat().st_size == 0:
            raise ReadError(name, "文件为空 / empty file")
        source = import_module(f"checker.readers.{module}").read(file)
    except OSError as exc:
        raise ReadError(name, f"无法读取文件：{exc.strerror or exc}") from exc
    return _with_text(source)


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
    content, encoding = text.decode(data, "-")
    return _with_text(Source(path="-", text=content, format="stdin", encoding=encoding))


def _with_text(source: Source) -> Source:
    """Refuse a container that held nothing to check, so no verdict is given on nothing."""
    if not source.text.strip():
        raise ReadError(source.path, "没有可检查的文字 / no text to check")
    return source
