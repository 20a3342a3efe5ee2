"""Plain text and Markdown: the bytes carry no encoding label, so it has to be found.

Reports reach us from Windows desktops (GBK / GB18030, UTF-16 from Notepad "Unicode"),
from Taiwan or Hong Kong (Big5) and from everything else (UTF-8, with or without a BOM).
"""
from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from checker.readers import ReadError, ReadLimits, Source

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 before UTF-16: the UTF-32-LE BOM starts with the UTF-16-LE one.
    (b"\xef\xbb\xbf", "utf_8_sig"),
    (b"\xff\xfe\x00\x00", "utf_32"),
    (b"\x00\x00\xfe\xff", "utf_32"),
    (b"\xff\xfe", "utf_16"),
    (b"\xfe\xff", "utf_16"),
)
_CHINESE = ("gb18030", "big5")
_WIDE_UNICODE = ("utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be")
# The reports this tool reads are mainland ones, so when the detector finds several legacy
# encodings equally clean (a handful of Chinese characters decodes cleanly as GB18030 and as
# Big5 alike) the mainland one wins.
_PREFERRED_ON_TIE = "gb18030"
# Spelled with a literal prefix, which the engine searches for; `\n{3,}` is tried at every character.
_BLANK_RUN = re.compile("\n\n\n+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_NOT_TEXT = "无法识别文本编码（不是文本文件？） / cannot detect a text encoding (not a text file?)"
# Valid UTF-8 multi-byte sequences outweigh the bytes that are not by at least this much in a
# UTF-8 report with a few damaged bytes; GBK, Big5 or UTF-16 read as UTF-8 come nowhere near.
_UTF_8_EVIDENCE = 20
# A label that fits all but this share of the bytes is right; the misfits are damage.
_LABEL_MISFITS = 1 / 500


def read(path: Path, limits: ReadLimits = ReadLimits()) -> Source:
    data = path.read_bytes()  # read_source has held the file to limits.max_text bytes
    digest = hashlib.sha256(data).hexdigest()
    if len(data) > DECODE_CHUNK and (pieces := _utf_8_pieces(data)) is not None:
        # A long UTF-8 report: decoded a piece at a time (the decoder's working copy of the whole
        # would be twice the file), its bytes let go before the pieces are joined.
        del data
        text = "".join(pieces)
        del pieces
        text, encoding, replaced = _checked(text, "utf_8", 0, str(path))
    else:
        text, encoding, replaced = _decode_untidy(data, str(path))
        del data  # a long report's bytes are not kept while its lines are tidied
    text = tidy_text(text)
    return Source(path=str(path), text=text, format=path.suffix.lower().lstrip("."), encoding=encoding,
                  sha256=digest, replaced_characters=replaced)


def decode(data: bytes, name: str) -> tuple[str, str]:
    """`decode_counted` without the count."""
    text, encoding, _ = decode_counted(data, name)
    return text, encoding


def decode_counted(data: bytes, name: str, declared: str | None = None) -> tuple[str, str, int]:
    """Return the text with "\\n" line ends and tidy lines, the encoding it was in, and how many
    characters did not decode and were replaced by U+FFFD (a NUL counts as one).

    Detection order, most certain first, because charset-normalizer alone is not reliable
    on short Chinese texts (measured: an 18-character GBK title came back as UTF-16-BE):
    1. a BOM says it outright;
    2. strict UTF-8: multi-byte Chinese text that is not UTF-8 essentially never decodes
       as UTF-8, so success is proof;
    3. NUL bytes without a BOM: only BOM-less UTF-16/32 can be text, else it is binary;
    4. charset-normalizer over GB18030 and Big5 only, ties resolved towards GB18030 (which
       also decodes every GBK and GB2312 file): measured on real report lines, the open
       detector takes 2-5 character GBK snippets for Shift-JIS, EUC-KR or cp1256;
    5. only if neither fits, charset-normalizer over everything but UTF-16/32 (no NULs).
    A report with a few damaged bytes (one \\xff, a NUL, a cut last character, a pasted cp1252
    quote) is UTF-8 between 2 and 3 when its valid multi-byte sequences leave no doubt, and a
    `declared` label (an HTML page's charset) that fits all but a few bytes is taken before 4.
    Once the encoding is clear the damaged bytes are replaced, not the whole file refused.
    """
    text, encoding, replaced = _decode_untidy(data, name, declared)
    return tidy_text(text), encoding, replaced


def _decode_untidy(data: bytes, name: str, declared: str | None = None) -> tuple[str, str, int]:
    """`decode_counted` before `tidy_text`."""
    bom = sniff_bom(data)
    if not bom and (text := _strict_utf_8(data)) is not None:
        encoding, replaced = "utf_8", 0  # decoded once, the common case
    else:
        encoding = bom or nearly_utf_8(data) or _fitting_label(declared, data) or _detect(data)
        if encoding is None:
            raise ReadError(name, _NOT_TEXT)
        text, replaced = decode_replacing(data, encoding)
    return _checked(text, encoding, replaced, name)


def _checked(text: str, encoding: str, replaced: int, name: str) -> tuple[str, str, int]:
    # A stray control character (a DOS end-of-file mark, a pasted escape) is noise in a text
    # file; many of them, or many bytes that do not decode, mean the bytes were never text.
    text, controls = _CONTROL.subn("", text) if _CONTROL.search(text) else (text, 0)
    if controls + replaced > 1 + len(text) // 100:
        raise ReadError(name, _NOT_TEXT)
    return text, encoding, replaced


def decode_replacing(data: bytes, encoding: str) -> tuple[str, int]:
    """The text with every undecodable byte sequence and every NUL as U+FFFD, and their number."""
    text = data.decode(encoding, "replace")
    if "\ufffd" in text:
        try:  # U+FFFD that the file itself holds was not replaced here
            genuine = data.count(codecs.lookup(encoding).encode("\ufffd")[0])
        except UnicodeError:
            genuine = 0
        replaced = max(0, text.count("\ufffd") - genuine)
    else:
        replaced = 0
    nuls = text.count("\x00")
    return text.replace("\x00", "\ufffd") if nuls else text, replaced + nuls


def nearly_utf_8(data: bytes) -> str | None:
    """"utf_8" for UTF-8 with a few damaged bytes or NULs, when the rest proves it is UTF-8."""
    text, bad = decode_replacing(data, "utf_8")
    return "utf_8" if bad and len(data) - len(text) >= _UTF_8_EVIDENCE * bad else None


def _fitting_label(declared: str | None, data: bytes) -> str | None:
    if not declared:
        return None
    try:
        _, misfits = decode_replacing(data, declared)
    except LookupError:
        return None
    return declared if misfits <= _LABEL_MISFITS * len(data) else None


def tidy_text(text: str) -> str:
    """Unify line ends and drop the per-line padding that says nothing about the report.

    A form feed is a page break that some exporters write into text files: a line end too.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").lstrip("\ufeff")
    # Every line stripped, at most one blank line in a row (it is often the only paragraph
    # break there is), none at either end: as `tidy_styled_lines`, in whole-text steps. A long
    # text goes through in pieces cut at line ends, so that its lines are never all held at once,
    # and a text that needs no stripping is kept as it is.
    if len(text) <= TIDY_CHUNK:
        lines = text.split("\n")
        stripped = [line.strip() for line in lines]
        joined = text if stripped == lines else "\n".join(stripped)
        del lines, stripped
    else:
        pieces, start, changed = [], 0, False
        while start <= len(text):
            cut = text.find("\n", start + TIDY_CHUNK)
            end = len(text) if cut == -1 else cut
            chunk = text[start:end]
            lines = chunk.split("\n")
            stripped = [line.strip() for line in lines]
            if stripped != lines:
                chunk, changed = "\n".join(stripped), True
            pieces.append(chunk)
            del lines, stripped, chunk
            start = end + 1
        joined = "\n".join(pieces) if changed else text
        del pieces
    del text
    return _BLANK_RUN.sub("\n\n", joined).strip("\n")


TIDY_CHUNK = 1 << 20
"""Characters of a long text tidied at a time."""


def tidy_styled_lines(lines: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """`tidy_lines` over (line, style) pairs: a line's style goes where the line goes, and a
    blank line kept as a paragraph break has no style."""
    out: list[tuple[str, str]] = []
    for line, style in lines:
        line = line.strip()
        if line or (out and out[-1][0]):
            out.append((line, style if line else ""))
    while out and not out[-1][0]:
        out.pop()
    return out


def sniff_bom(data: bytes) -> str | None:
    """The encoding a byte-order mark states; it outranks any label inside the file."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


DECODE_CHUNK = 1 << 20
"""Bytes of a long file decoded at a time."""


def _utf_8_pieces(data: bytes) -> list[str] | None:
    """`_strict_utf_8` in pieces cut after line ends (a line end is never inside a character)."""
    if sniff_bom(data) or b"\x00" in data:
        return None
    pieces, start = [], 0
    try:
        while start < len(data):
            cut = data.find(b"\n", start + DECODE_CHUNK)
            end = len(data) if cut == -1 else cut + 1
            pieces.append(data[start:end].decode("utf_8"))
            start = end
    except UnicodeDecodeError:
        return None
    return pieces


def _strict_utf_8(data: bytes) -> str | None:
    """The text, if the bytes are valid UTF-8 without NULs: for Chinese text of any length
    that is proof of the encoding."""
    if b"\x00" in data:
        return None
    try:
        return data.decode("utf_8")
    except UnicodeDecodeError:
        return None


def _detect(data: bytes) -> str | None:
    if b"\x00" in data:
        return _cleanest(data, cp_isolation=list(_WIDE_UNICODE))
    # Chinese legacy encodings first, at any chaos score: on a few characters of GBK the open
    # detector finds Shift-JIS, EUC-KR or Arabic code pages cleaner, and a snippet like
    # "【打印本页】" scores above its default threshold even in the right encoding.
    chinese = _cleanest(data, cp_isolation=list(_CHINESE), threshold=1.0)
    return chinese or _cleanest(data, cp_exclusion=list(_WIDE_UNICODE))


def _cleanest(data: bytes, **limits: list[str] | float) -> str | None:
    from charset_normalizer import from_bytes  # 10-15 ms to import, and a UTF-8 report never needs it

    matches = from_bytes(data, **limits)
    best = matches.best()
    if best is None:
        return None
    cleanest = [m.encoding for m in matches if m.chaos <= best.chaos and m.coherence >= best.coherence]
    return _PREFERRED_ON_TIE if _PREFERRED_ON_TIE in cleanest else best.encoding
