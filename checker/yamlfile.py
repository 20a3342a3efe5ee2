"""Reading a YAML file a user writes (a rule file, a waivers file) so that every problem is one
line naming its file, line and column: the bytes (a regular file, within a size cap, UTF-8), the
YAML with the node of every key kept (PyYAML's `compose`), and validation by pydantic models
derived from the plain dataclasses of checker.models, its errors translated from their type into
the house language and placed at the key they are about.

checker/rulefile.py and checker/waivers.py read their files through here, each naming its kind
of file (`FileKind`) for the messages; only they import this module, so yaml and pydantic are
loaded only when such a file is read.
"""
from __future__ import annotations

import dataclasses
import functools
import operator
import os
import stat
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from checker.errors import LocatedError
from checker.os_errors import explain

# libyaml when present: the pure-Python loader alone costs a third of a second per process.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
TIMESTAMP = "tag:yaml.org,2002:timestamp"

# pydantic error types, in the house language.
VALIDATION_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段（拼写错误？）",
    "string_type": "应为文字",
    "float_parsing": "应为数值",
    "float_type": "应为数值",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than_equal": "应不大于 {le}",
    "finite_number": "应为有限的数值（不能是 .inf 或 .nan）",
    "list_type": "应为列表",
    "dict_type": "应为映射（key: value）",
    "model_type": "应为映射（key: value）",
    "string_pattern_mismatch": "规则 id 应为小写字母、数字和连字符（如 court-appearance-rate）",
    "date_type": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "应为日期（YYYY-MM-DD），不带时间",
    "literal_error": "取值不在允许范围内",
    "string_too_short": "不能为空",
    "string_too_long": "过长：最多 {max_length} 个字",
}
"""Placeholders are filled from the error's context (`ctx`)."""


@dataclass(frozen=True)
class FileKind:
    """What one kind of user file is called in messages, the error its problems are raised as,
    the most it may weigh, and what it must look like (said when it is not a mapping at all)."""

    name: str
    """规则文件, 豁免文件."""
    error: type[LocatedError]
    max_bytes: int
    shape: str


# ---------------------------------------------------------------- the file's bytes and text

def read_text(path: Path, kind: FileKind) -> tuple[bytes, str]:
    """The file's bytes (a regular file of at most `kind.max_bytes`) and its text, read as UTF-8,
    with every line ending made "\\n"."""
    data = _read_bytes(path, kind)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise kind.error(str(path), 1, 1, f"无法读取{kind.name}：不是 UTF-8 编码（{error.reason}）") from None
    return data, text.replace("\r\n", "\n").replace("\r", "\n")


def _read_bytes(path: Path, kind: FileKind) -> bytes:
    try:
        # Non-blocking, so that a FIFO opens at once and is refused below instead of waiting for a writer.
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise kind.error(str(path), 1, 1, f"{kind.name}不存在") from None
    except OSError as error:
        raise kind.error(str(path), 1, 1, f"无法读取{kind.name}：{explain(error)}") from None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise kind.error(str(path), 1, 1, f"不是普通文件（文件夹、管道或设备），不能作为{kind.name}")
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(kind.max_bytes + 1)
    except OSError as error:
        raise kind.error(str(path), 1, 1, f"无法读取{kind.name}：{explain(error)}") from None
    finally:
        os.close(handle)
    if len(data) > kind.max_bytes:
        raise kind.error(str(path), 1, 1, f"{kind.name}过大（超过 {kind.max_bytes // 1024 // 1024} MB 上限）")
    return data


# ---------------------------------------------------------------- YAML with positions

class Positions:
    """Maps a key path (("rules", 3, "pass")) to the YAML node it came from."""

    def __init__(self, path: Path, root: yaml.Node | None, text: str, kind: FileKind) -> None:
        self.path = path
        self.lines = text.split("\n")
        self.nodes: dict[tuple, yaml.Node] = {}
        self._kind = kind
        if root is not None:
            self._walk(root, ())

    def _walk(self, node: yaml.Node, path: tuple) -> None:
        self.nodes[path] = node
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if path + (key.value,) in self.nodes:
                    # YAML would silently keep the last one: a second `pass:` must not hide the first.
                    raise self._kind.error(str(self.path), key.start_mark.line + 1, key.start_mark.column + 1,
                                           f"键 {key.value} 重复出现")
                self.nodes[path + (key.value, "<key>")] = key
                self._walk(value, path + (key.value,))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                self._walk(item, path + (index,))

    def at(self, path: tuple) -> tuple[int, int]:
        while path and path not in self.nodes:
            path = path[:-1]
        node = self.nodes.get(path)
        return (node.start_mark.line + 1, node.start_mark.column + 1) if node else (1, 1)

    def key_at(self, path: tuple) -> tuple[int, int]:
        return self.at(path + ("<key>",)) if path + ("<key>",) in self.nodes else self.at(path)


def read_yaml(path: Path, text: str, kind: FileKind) -> tuple[Any, Positions]:
    """The file's data and the position of each of its nodes."""
    loader = YAML_LOADER(text)
    try:
        root = loader.get_single_node()
        _refuse_aliases(path, text, root, kind)
        positions = Positions(path, root, text, kind)
        try:
            data = loader.construct_document(root) if root is not None else None
        except ValueError:  # PyYAML raises a day that does not exist (2026-02-30) bare, with no mark
            raise _bad_date(loader, positions, kind) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise kind.error(str(path), line, column, f"YAML 格式错误：{error.problem or error.context}") from None
    except yaml.reader.ReaderError as error:
        # libyaml counts bytes, the pure-Python reader characters: find the character itself.
        line, column = _line_column(text, max(text.find(chr(error.character)), 0))
        raise kind.error(str(path), line, column, f"{kind.name}含有不允许的控制字符 U+{error.character:04X}") from None
    except yaml.YAMLError as error:
        raise kind.error(str(path), 1, 1, f"YAML 格式错误：{error}") from None
    finally:
        loader.dispose()
    return data, positions


def _bad_date(loader: Any, positions: Positions, kind: FileKind) -> LocatedError:
    """The error at the first date-like value that is no day of the calendar."""
    for node in positions.nodes.values():
        if isinstance(node, yaml.ScalarNode) and node.tag == TIMESTAMP:
            try:
                loader.construct_yaml_timestamp(node)
            except ValueError:
                return kind.error(str(positions.path), node.start_mark.line + 1, node.start_mark.column + 1,
                                  f"没有这一天：{node.value}")
    return kind.error(str(positions.path), 1, 1, "YAML 格式错误：无效的日期")


def _refuse_aliases(path: Path, text: str, root: yaml.Node | None, kind: FileKind) -> None:
    """A YAML alias (*name) makes a node appear twice; nested ones blow a few hundred bytes up into
    gigabytes. The files fzcheck reads need none: the first is an error, found before anything is
    expanded."""
    seen: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            break
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    else:
        return
    events = YAML_LOADER(text)
    try:
        while (event := events.get_event()) is not None and not isinstance(event, yaml.AliasEvent):
            pass
    finally:
        events.dispose()
    mark = event.start_mark if event is not None else None
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    raise kind.error(str(path), line, column, f"{kind.name}不支持 YAML 别名（*name）和合并键（<<）：请把内容直接写出")


def _line_column(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


# ---------------------------------------------------------------- validation

FILE_CONFIG = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
"""Unknown keys are refused so that a typo cannot silently disable a rule or widen a waiver."""


class FileModels:
    """A pydantic model for each given dataclass of checker.models (dependencies first), with its
    fields, types and defaults, and the constraints `rules` adds by field name (the same in every
    class that has the field); nested dataclasses are replaced by their models. The shape of a
    file is so written once, in checker.models."""

    def __init__(self, *plain: type, rules: dict[str, dict[str, Any]]) -> None:
        self._rules = rules
        self._made: dict[type, type[BaseModel]] = {}
        for kind in plain:
            hints = typing.get_type_hints(kind)
            fields = {item.name: (self._type(hints[item.name]), self._field(item)) for item in dataclasses.fields(kind)}
            self._made[kind] = create_model(kind.__name__, __config__=FILE_CONFIG, **fields)
        self._plain = {model: kind for kind, model in self._made.items()}

    def __getitem__(self, kind: type) -> type[BaseModel]:
        return self._made[kind]

    def validate(self, kind: type, data: Any) -> Any:
        """`data` as an instance of the dataclass `kind`; raises pydantic's ValidationError."""
        return self._to_plain(self._made[kind].model_validate(data))

    def _type(self, annotation: Any) -> Any:
        if annotation in self._made:
            return self._made[annotation]
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
        if not args or origin is Literal:
            return annotation
        parts = tuple(self._type(arg) for arg in args)
        if origin in (typing.Union, types.UnionType):
            return functools.reduce(operator.or_, parts)
        return origin[parts]

    def _field(self, item: dataclasses.Field) -> Any:
        default: dict[str, Any] = {}
        if item.default is not dataclasses.MISSING:
            default["default"] = item.default
        elif item.default_factory is not dataclasses.MISSING:
            default["default_factory"] = item.default_factory
        return Field(**default, **self._rules.get(item.name, {}))

    def _to_plain(self, value: Any) -> Any:
        kind = self._plain.get(type(value))
        if kind is not None:
            return kind(**{name: self._to_plain(getattr(value, name)) for name in type(value).model_fields})
        if isinstance(value, list):
            return [self._to_plain(item) for item in value]
        if isinstance(value, dict):
            return {key: self._to_plain(item) for key, item in value.items()}
        return value


def validated(path: Path, data: Any, positions: Positions, kind: FileKind, models: FileModels, root: type) -> Any:
    """The file's data as the dataclass `root`, or every validation error at once."""
    if not isinstance(data, dict):
        raise kind.error(str(path), 1, 1, kind.shape)
    try:
        return models.validate(root, data)
    except ValidationError as error:
        raise kind.error.every(validation_problems(path, error, positions, kind)) from None


def validation_problems(path: Path, error: ValidationError, positions: Positions, kind: FileKind) -> list[LocatedError]:
    """Each of pydantic's errors at its key; a misspelt key also makes the real key "missing",
    which is left out: the typo is the root cause, and reported."""
    found = [(error_path(item), item) for item in error.errors()]
    misspelt = {loc[:-1] for loc, item in found if item["type"] == "extra_forbidden"}
    problems = []
    for loc, item in found:
        if item["type"] == "missing" and loc[:-1] in misspelt:
            continue
        where = positions.key_at(loc) if item["type"] == "extra_forbidden" else positions.at(loc)
        template = VALIDATION_MESSAGES.get(item["type"])
        message = template.format_map(item.get("ctx", {})) if template else item["msg"]
        problems.append(kind.error(str(path), *where, f"{'.'.join(map(str, loc))}: {message}"))
    return problems


def error_path(item: Any) -> tuple:
    """The key path of one of pydantic's errors, without the names of the union members it tried
    (`str`, `Example`), which are no key of the file."""
    return tuple(part for part in item["loc"] if not (isinstance(part, str) and part in ("str", "Example")))

