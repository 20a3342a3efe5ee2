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
from collections.abc import Callable
from dataclasses import fields, is_dataclass, replace
from functools import cache
from typing import TYPE_CHECKING, TypeVar, get_args, get_origin, get_type_hints

from checker.models import AuditResult, attributes

if TYPE_CHECKING:  # a single audit never loads the batch machinery
    from checker.batch import FileError

# C0 controls except tab and newline, DEL, C1 controls, lone surrogates, and the two non-characters
# XML 1.0 forbids. File names escape tab and newline too: a name is always one line.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_UNSAFE_NAME = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

T = TypeVar("T")


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


def shown_result(result: AuditResult) -> AuditResult:
    """The result with every text escaped as `shown` (the file name as `shown_name`); the same
    object when there is nothing to escape, which is nearly always, and is found by one search
    over all its texts."""
    texts: list[str | None] = []
    _gather_texts(result, texts)
    if not _UNSAFE_NAME.search(result.file) and not _UNSAFE.search("\n".join(filter(None, texts))):
        return result
    return replace(_cleaned(result), file=shown_name(result.file))


def _gather_texts(value: object, texts: list[str | None]) -> None:
    """Every text field (or None) of a result and of the results in it, as `_plan` finds them."""
    own, parts, lists = _plan(type(value))
    texts.extend(own(value))
    for part in parts(value):
        if part is not None:
            _gather_texts(part, texts)
    for items in lists(value):
        for item in items:
            _gather_texts(item, texts)


@cache
def _plan(kind: type) -> tuple[Callable[[object], tuple], Callable[[object], tuple], Callable[[object], tuple]]:
    """Getters of a result class's text fields, its result fields (a result, or a result or
    None) and its lists of results, from the field types, so that checking a result walks no
    number, status or date."""
    hints = get_type_hints(kind)
    texts, parts, lists = [], [], []
    for name in kind.__dataclass_fields__:
        hint = hints[name]
        if hint is str or str in get_args(hint):
            texts.append(name)
        elif get_origin(hint) is list:
            if is_dataclass(get_args(hint)[0]):
                lists.append(name)
        elif is_dataclass(hint) or any(is_dataclass(arg) for arg in get_args(hint)):
            parts.append(name)
    return attributes(texts), attributes(parts), attributes(lists)


def _cleaned(value: T) -> T:
    """`value` with every text in it escaped (the rare case: `shown_result` looked first)."""
    if type(value) is str:  # noqa: E721 - not the str-based enums (Status), which are safe
        return shown(value)
    if isinstance(value, list):
        return [_cleaned(item) for item in value]
    if is_dataclass(value):
        return replace(value, **{item.name: _cleaned(getattr(value, item.name)) for item in fields(value)})
    return value


def shown_outcome(outcome: AuditResult | FileError) -> AuditResult | FileError:
    if isinstance(outcome, AuditResult):
        return shown_result(outcome)
    return replace(outcome, file=shown_name(outcome.file), error=shown_name(outcome.error),
                   traceback=outcome.traceback and shown(outcome.traceback))
