"""Text taken from inputs, made safe to show in every format.

A report, its evidence and its file name are other people's bytes: an ESC or BEL in them would
drive the terminal (set its title, clear the screen), a character XML 1.0 forbids breaks a JUnit
file, and a file name that is not UTF-8 (a GBK zip unpacked on Linux; Python carries its bytes as
lone surrogates) cannot be encoded at all. Each such character is shown as a visible escape
(`\\x1b`, `\\xff` for an undecodable byte, `\\ufffe`), so nothing is lost and nothing acts. Every
format gets its text through here: the commands pass each outcome through `shown_result` /
`shown_error` before any format sees it.
"""
from __future__ import annotations

import re

from checker.batch import FileError
from checker.models import AuditResult

# C0 controls except tab and newline, DEL, C1 controls, lone surrogates, and the two non-characters
# XML 1.0 forbids. File names escape tab and newline too: a name is always one line.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_UNSAFE_NAME = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte of a file name (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def shown(text: str) -> str:
    """Text with every control character (but tab and newline) and unencodable code point escaped."""
    return _UNSAFE.sub(_escape, text)


def shown_name(path: str) -> str:
    """A file name or one-line message as it is shown: `shown`, and on one line."""
    return _UNSAFE_NAME.sub(_escape, path)


def _cleaned(value: object) -> object:
    if type(value) is str:  # noqa: E721 - not the str-based enums (Status), which are safe
        return shown(value)
    if isinstance(value, dict):
        return {key: _cleaned(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    return value


def shown_result(result: AuditResult) -> AuditResult:
    """The result with every text escaped as `shown` (the file name as `shown_name`); the same
    object when there is nothing to escape, which is nearly always."""
    data = result.model_dump()
    cleaned = _cleaned(data)
    cleaned["file"] = shown_name(result.file)
    return result if cleaned == data else AuditResult.model_validate(cleaned)


def shown_outcome(outcome: AuditResult | FileError) -> AuditResult | FileError:
    if isinstance(outcome, AuditResult):
        return shown_result(outcome)
    return FileError(shown_name(outcome.file), shown_name(outcome.error),
                     outcome.traceback and shown(outcome.traceback))
