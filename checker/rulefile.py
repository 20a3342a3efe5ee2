"""Read a rule set from its YAML files: validate it, merge what it extends, parse every condition
and check that it compiles.

Every error names the file, line and column of the offending YAML, so a rule author never sees
a traceback: bad YAML, an unknown key, a duplicate id, a condition that does not parse or does
not type-check. This is the only module that needs yaml, pydantic and lark; checker/ruleset.py
imports it only when the rule set is not in the cache, and only a rule set read here without an
error is ever cached.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import operator
import os
import stat
import types
import typing
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from checker import models
from checker.cache import bytes_hash
from checker.condition.compiler import ConditionError, compile_condition
from checker.condition.functions import SCOPE_NAMES
from checker.condition.parser import ConditionSyntaxError, parse_condition
from checker.models import RuleOverride, RuleSetSpec, RuleSpec
from checker.os_errors import explain
from checker.resources import resource_dir
from checker.ruleset import (CONDITION_FIELDS, CompiledRule, FlatTree, RuleSetData, RuleSetError, bundled_ruleset_path,
                             flatten)
from checker.vocabulary import VOCABULARY_FILE, default_vocabulary

# libyaml when present: the pure-Python loader alone costs a third of a second per process.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_RULESET_BYTES = 2 * 1024 * 1024
"""A rule file is read only up to this size: the national set is a small fraction of it."""

# pydantic error types, in the house language.
VALIDATION_MESSAGES = {
    "missing": "缺少必填字段",
    "extra_forbidden": "未知字段（拼写错误？）",
    "string_type": "应为文字",
    "float_parsing": "应为数值",
    "float_type": "应为数值",
    "int_parsing": "应为整数",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "greater_than": "应大于 0",
    "finite_number": "应为有限的数值（不能是 .inf 或 .nan）",
    "list_type": "应为列表",
    "dict_type": "应为映射（key: value）",
    "model_type": "应为映射（key: value）",
    "string_pattern_mismatch": "规则 id 应为小写字母、数字和连字符（如 court-appearance-rate）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "literal_error": "取值不在允许范围内",
    "string_too_short": "不能为空",
    "string_too_long": "过长：最多 {max_length} 个字",
}
"""Placeholders are filled from the error's context (`ctx`)."""


# ---------------------------------------------------------------- the rule-file models

FIELD_RULES: dict[str, dict[str, Any]] = {
    "id": {"pattern": r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"},
    "weight": {"gt": 0, "allow_inf_nan": False},
    "pass_": {"alias": "pass"},
    "label": {"min_length": 1, "max_length": 6},  # two lines of three characters in a heat-map column
}
"""What a rule file must meet beyond the types of checker.models, by field name (the same in
every class that has the field)."""
FILE_CONFIG = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
"""Unknown keys are refused so that a typo cannot silently disable a rule."""


def _file_models(*plain: type) -> dict[type, type[BaseModel]]:
    """A pydantic model for each dataclass of checker.models (dependencies first), with its
    fields, types, defaults and FIELD_RULES, nested dataclasses replaced by their models."""
    made: dict[type, type[BaseModel]] = {}
    for kind in plain:
        hints = typing.get_type_hints(kind)
        fields = {item.name: (_file_type(hints[item.name], made), _field_info(item))
                  for item in dataclasses.fields(kind)}
        made[kind] = create_model(kind.__name__, __config__=FILE_CONFIG, **fields)
    return made


def _file_type(annotation: Any, made: dict[type, type[BaseModel]]) -> Any:
    if annotation in made:
        return made[annotation]
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if not args or origin is Literal:
        return annotation
    parts = tuple(_file_type(arg, made) for arg in args)
    if origin in (typing.Union, types.UnionType):
        return functools.reduce(operator.or_, parts)
    return origin[parts]


def _field_info(item: dataclasses.Field) -> Any:
    default: dict[str, Any] = {}
    if item.default is not dataclasses.MISSING:
        default["default"] = item.default
    elif item.default_factory is not dataclasses.MISSING:
        default["default_factory"] = item.default_factory
    return Field(**default, **FIELD_RULES.get(item.name, {}))


FILE_MODELS = _file_models(models.Example, models.Examples, models.Messages, RuleSpec, RuleOverride, RuleSetSpec)
PLAIN = {model: kind for kind, model in FILE_MODELS.items()}


def _plain(value: Any) -> Any:
    """The validated rule file as the dataclasses of checker.models."""
    kind = PLAIN.get(type(value))
    if kind is not None:
        return kind(**{name: _plain(getattr(value, name)) for name in type(value).model_fields})
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


# ---------------------------------------------------------------- reading a rule set

def read_ruleset(path: Path) -> tuple[RuleSetData, list[CompiledRule], list[tuple[str, str]]]:
    """The rule set at `path`, its compiled rules, and (path, sha256) of every file it was read
    from, for the cache. Raises RuleSetError."""
    read: list[tuple[str, bytes, str]] = []
    retuned: dict[str, str] = {}
    spec, origin, rules = _load_with_base(path, seen=(), read=read, retuned=retuned)
    checked, problems = [], []
    for rule in rules:
        try:
            checked.append(_read_rule(rule, spec.lexicon, origin))
        except RuleSetError as error:
            problems += error.problems
    if problems:
        raise RuleSetError.every(problems)
    vocabulary_file = resource_dir("rules") / VOCABULARY_FILE
    vocabulary_bytes = vocabulary_file.read_bytes()
    data = RuleSetData(spec.id, spec.version, spec.title, [(rule.spec, flat) for flat, rule in checked],
                       spec.lexicon, spec.vocabulary, _digest([text for _, _, text in read], vocabulary_bytes),
                       spec.report_rule, retuned)
    sources = [(os.path.abspath(name), bytes_hash(raw)) for name, raw, _ in read]
    sources.append((str(vocabulary_file), bytes_hash(vocabulary_bytes)))
    return data, [rule for _, rule in checked], sources


def _digest(texts: list[str], vocabulary: bytes) -> str:
    content = hashlib.sha256()
    for text in texts:
        content.update(text.encode() + b"\0")
    content.update(vocabulary)
    return content.hexdigest()


# ---------------------------------------------------------------- reading YAML with positions

class _Positions:
    """Maps a key path (("rules", 3, "pass")) to the YAML node it came from."""

    def __init__(self, path: Path, root: yaml.Node | None, text: str) -> None:
        self.path = path
        self.lines = text.split("\n")
        self.nodes: dict[tuple, yaml.Node] = {}
        if root is not None:
            self._walk(root, ())

    def _walk(self, node: yaml.Node, path: tuple) -> None:
        self.nodes[path] = node
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if path + (key.value,) in self.nodes:
                    # YAML would silently keep the last one: a second `pass:` must not hide the first.
                    raise RuleSetError(str(self.path), key.start_mark.line + 1, key.start_mark.column + 1,
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


def _read_bytes(path: Path) -> bytes:
    """The rule file's bytes: a regular file of at most MAX_RULESET_BYTES."""
    try:
        # Non-blocking, so that a FIFO opens at once and is refused below instead of waiting for a writer.
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise RuleSetError(str(path), 1, 1, "规则文件不存在") from None
    except OSError as error:
        raise RuleSetError(str(path), 1, 1, f"无法读取规则文件：{explain(error)}") from None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise RuleSetError(str(path), 1, 1, "不是普通文件（文件夹、管道或设备），不能作为规则文件")
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(MAX_RULESET_BYTES + 1)
    except OSError as error:
        raise RuleSetError(str(path), 1, 1, f"无法读取规则文件：{explain(error)}") from None
    finally:
        os.close(handle)
    if len(data) > MAX_RULESET_BYTES:
        raise RuleSetError(str(path), 1, 1, f"规则文件过大（超过 {MAX_RULESET_BYTES // 1024 // 1024} MB 上限）")
    return data


def _decoded(path: Path, data: bytes) -> str:
    """The rule file's text, read as UTF-8, with every line ending made "\\n"."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RuleSetError(str(path), 1, 1, f"无法读取规则文件：不是 UTF-8 编码（{error.reason}）") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_yaml(path: Path, text: str) -> tuple[Any, _Positions]:
    loader = YAML_LOADER(text)
    try:
        root = loader.get_single_node()
        _refuse_aliases(path, text, root)
        data = loader.construct_document(root) if root is not None else None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise RuleSetError(str(path), line, column, f"YAML 格式错误：{error.problem or error.context}") from None
    except yaml.reader.ReaderError as error:
        # libyaml counts bytes, the pure-Python reader characters: find the character itself.
        line, column = _line_column(text, max(text.find(chr(error.character)), 0))
        raise RuleSetError(str(path), line, column, f"规则文件含有不允许的控制字符 U+{error.character:04X}") from None
    except yaml.YAMLError as error:
        raise RuleSetError(str(path), 1, 1, f"YAML 格式错误：{error}") from None
    finally:
        loader.dispose()
    return data, _Positions(path, root, text)


def _refuse_aliases(path: Path, text: str, root: yaml.Node | None) -> None:
    """A YAML alias (*name) makes a node appear twice; nested ones blow a few hundred bytes up into
    gigabytes. Rule files need none: the first is an error, found before anything is expanded."""
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
    raise RuleSetError(str(path), line, column, "规则文件不支持 YAML 别名（*name）和合并键（<<）：请把内容直接写出")


def _line_column(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _validate(path: Path, data: Any, positions: _Positions) -> RuleSetSpec:
    if not isinstance(data, dict):
        raise RuleSetError(str(path), 1, 1, "规则文件应为一个映射，包含 id、version、title、rules 等字段")
    try:
        return _plain(FILE_MODELS[RuleSetSpec].model_validate(data))
    except ValidationError as error:
        raise RuleSetError.every(_validation_problems(path, error, positions)) from None


def _validation_problems(path: Path, error: ValidationError, positions: _Positions) -> list[RuleSetError]:
    """Each of pydantic's errors at its key; a misspelt key also makes the real key "missing",
    which is left out: the typo is the root cause, and reported."""
    found = [(tuple(part for part in item["loc"] if not (isinstance(part, str) and part in ("str", "Example"))), item)
             for item in error.errors()]
    misspelt = {loc[:-1] for loc, item in found if item["type"] == "extra_forbidden"}
    problems = []
    for loc, item in found:
        if item["type"] == "missing" and loc[:-1] in misspelt:
            continue
        where = positions.key_at(loc) if item["type"] == "extra_forbidden" else positions.at(loc)
        template = VALIDATION_MESSAGES.get(item["type"])
        message = template.format_map(item.get("ctx", {})) if template else item["msg"]
        problems.append(RuleSetError(str(path), *where, f"{'.'.join(map(str, loc))}: {message}"))
    return problems


Origin = dict[str, tuple[_Positions, Path, int]]
"""Where each rule was written: the positions of its file, the file, its index in `rules:`."""


def _load_with_base(path: Path, seen: tuple[Path, ...], read: list[tuple[str, bytes, str]],
                    retuned: dict[str, str]) -> tuple[RuleSetSpec, Origin, list[RuleSpec]]:
    """The rule set, where each rule was written, and its rules merged over those it extends.
    (path, bytes, text) of every file it reads is added to `read`; each inherited rule whose
    parameters a set changes, with what changed, to `retuned`."""
    raw = _read_bytes(path)
    text = _decoded(path, raw)
    read.append((str(path), raw, text))
    data, positions = _read_yaml(path, text)
    spec = _validate(path, data, positions)
    origin = {rule.id: (positions, path, index) for index, rule in enumerate(spec.rules)}
    rules: list[RuleSpec] = []
    lexicon: dict[str, list[str]] = {}
    vocabulary: dict[str, list[str]] = {}
    problems: list[RuleSetError] = []
    """What is wrong in this file, all reported together at the end (its base's come first, alone)."""
    if spec.extends:
        base_path = _resolve_base(spec.extends, path)
        if not base_path.is_file():
            raise RuleSetError(str(path), *positions.at(("extends",)), f"找不到被继承的规则集：{spec.extends}")
        if base_path.resolve() in seen:
            raise RuleSetError(str(path), *positions.at(("extends",)), f"extends 形成循环：{spec.extends}")
        base, base_origin, base_rules = _load_with_base(base_path, seen + (path.resolve(),), read, retuned)
        lexicon.update(base.lexicon)
        vocabulary = {name: list(words) for name, words in base.vocabulary.items()}
        origin = base_origin | origin
        known = {rule.id for rule in base_rules}
        problems += _unknown(path, positions, "disable", spec.disable, known)
        problems += _unknown(path, positions, "overrides", spec.overrides, known)
        rules = [_override(rule, spec.overrides.get(rule.id), positions, problems, retuned)
                 for rule in base_rules if rule.id not in spec.disable]
    else:
        problems += [RuleSetError(str(path), *positions.key_at((key,)), f"{key} 只能和 extends 一起使用")
                     for key in ("overrides", "disable") if getattr(spec, key)]
    lexicon.update(spec.lexicon)
    known_lists = default_vocabulary().words
    for name, words in spec.vocabulary.items():
        if name not in known_lists:
            problems.append(RuleSetError(str(path), *positions.key_at(("vocabulary", name)),
                                         f"vocabulary.{name}: 未知词表（可用：{'、'.join(sorted(known_lists))}）"))
        vocabulary[name] = vocabulary.get(name, []) + list(words)
    seen_ids = {rule.id for rule in rules}
    # Two columns under one short label could not be told apart without hovering.
    labelled = {rule.label: rule.id for rule in rules if rule.label}
    for index, rule in enumerate(spec.rules):
        if rule.id in seen_ids:
            problems.append(RuleSetError(str(path), *positions.at(("rules", index, "id")), f"规则 id 重复：{rule.id}"))
            continue
        if rule.label in labelled:
            problems.append(RuleSetError(str(path), *positions.at(("rules", index, "label")),
                                         f"简称重复：{rule.label}（规则 {labelled[rule.label]} 已使用）"))
        seen_ids.add(rule.id)
        if rule.label:
            labelled[rule.label] = rule.id
        rules.append(rule)
    report_rule = spec.report_rule
    if report_rule is not None and report_rule not in seen_ids:
        problems.append(RuleSetError(str(path), *positions.at(("report_rule",)),
                                     f"report_rule 指向不存在的规则：{report_rule}"))
    if report_rule is None and spec.extends:  # inherited, unless the rule itself was disabled
        report_rule = base.report_rule if base.report_rule in seen_ids else None
    if problems:
        raise RuleSetError.every(problems)
    return dataclasses.replace(spec, lexicon=lexicon, vocabulary=vocabulary, report_rule=report_rule), origin, rules


def _override(rule: RuleSpec, override: RuleOverride | None, positions: _Positions,
              problems: list[RuleSetError], retuned: dict[str, str]) -> RuleSpec:
    if override is None:
        return rule
    changed = [f"{name} {rule.params[name]} → {value}" for name, value in override.params.items()
               if name in rule.params and rule.params[name] != value]
    if changed:  # its examples were written for the old values (see rule_examples)
        retuned[rule.id] = "，".join(filter(None, [retuned.get(rule.id), *changed]))
    for name in override.params:
        if name not in rule.params:
            where = positions.key_at(("overrides", rule.id, "params", name))
            problems.append(RuleSetError(str(positions.path), *where,
                                         f"规则 {rule.id} 没有参数 {name}（可改：{'、'.join(rule.params) or '无'}）"))
    changes: dict[str, Any] = {"params": rule.params | override.params}
    if override.weight is not None:
        changes["weight"] = override.weight
    if override.blocking is not None:
        changes["blocking"] = override.blocking
    return dataclasses.replace(rule, **changes)


def _unknown(path: Path, positions: _Positions, key: str, ids: Iterable[str], known: set[str]) -> list[RuleSetError]:
    """An error for each id of `disable` or `overrides` that the base set does not have, at the id."""
    problems = []
    for index, rule_id in enumerate(ids):
        if rule_id not in known:
            where = positions.key_at((key, rule_id)) if key == "overrides" else positions.at((key, index))
            problems.append(RuleSetError(str(path), *where, f"{key}: 被继承的规则集中没有规则 {rule_id}"))
    return problems


def _resolve_base(name: str, path: Path) -> Path:
    """`extends: national` names a bundled set; `extends: ../province.yaml` a file beside this one."""
    if name.endswith((".yaml", ".yml")):
        return path.parent / name
    return bundled_ruleset_path(name)


# ---------------------------------------------------------------- parsing and compiling conditions

def _read_rule(rule: RuleSpec, lexicon: dict[str, list[str]], origin: Origin) -> tuple[dict[str, FlatTree], CompiledRule]:
    """Each condition of the rule parsed (the flat trees, by field: what the cache keeps) and
    compiled, the first error of either kind reported in the order the fields are written."""
    positions, path, index = origin[rule.id]
    if rule.scope not in SCOPE_NAMES:  # said at `scope:`, not at the first condition that uses it
        raise RuleSetError(str(path), *positions.at(("rules", index, "scope")),
                           f"规则 {rule.id} 的 scope：未知范围 {rule.scope}（可用：{'、'.join(SCOPE_NAMES)}）")
    flat, conditions = {}, {}
    for field in CONDITION_FIELDS:
        text = getattr(rule, "pass_" if field == "pass" else field)
        if text is None:
            continue
        node_path = ("rules", index, field)
        try:
            tree = parse_condition(text)
            conditions[field] = compile_condition(tree, rule.params, lexicon, rule.scope)
        except ConditionSyntaxError as error:
            line, column = _condition_position(positions, node_path, text, error.line, error.column)
            raise RuleSetError(str(path), line, column, f"规则 {rule.id} 的 {field} 条件：{error.message}", error.context) from None
        except ConditionError as error:
            line, column = _condition_position(positions, node_path, text, error.line, error.column)
            raise RuleSetError(str(path), line, column, f"规则 {rule.id} 的 {field} 条件：{error.message}") from None
        flat[field] = flatten(tree)
    return flat, CompiledRule(spec=rule, conditions=conditions)


def _condition_position(positions: _Positions, node_path: tuple, text: str, line: int, column: int) -> tuple[int, int]:
    """Where (line, column) of the condition `text` is in the YAML file, for every style of scalar:
    one line, quoted (escapes counted as written), plain over several lines, literal `|` and
    folded `>` blocks."""
    node = positions.nodes.get(node_path)
    if node is None:
        return positions.at(node_path)
    offset = sum(len(part) + 1 for part in text.split("\n")[:line - 1]) + column - 1
    end = node.start_mark.line + 1, node.start_mark.column + 1
    for file_line, file_column, written, joint in _scalar_pieces(node, positions.lines):
        starts = _character_starts(written, node.style)
        if offset < len(starts):
            return file_line, file_column + starts[offset]
        if offset < len(starts) + joint:  # the line break or space between two lines
            return file_line, file_column + len(written)
        offset -= len(starts) + joint
        end = file_line, file_column + len(written)
    return end  # just after the value: where "something is missing" is found


def _scalar_pieces(node: yaml.Node, lines: list[str]) -> Iterator[tuple[int, int, str, int]]:
    """The file lines a scalar's value is made of, in order: (line, column where its text starts,
    the text as written, the characters that join it to the next in the value). A literal block
    keeps its line breaks; a folded block and a plain or quoted scalar join lines with a space,
    and a blank line stands for one line break in the value (the break before it is dropped)."""
    block = node.style in ("|", ">")
    first = node.start_mark.line + (1 if block else 0)
    indent = None
    for number in range(first, min(node.end_mark.line + 1, len(lines))):
        raw = lines[number]
        if block:
            indent = len(raw) - len(raw.lstrip(" ")) if indent is None and raw.strip() else indent
            start = min(indent or 0, len(raw))
        elif number == first:
            start = node.start_mark.column + (1 if node.style in ("'", '"') else 0)
        else:
            start = len(raw) - len(raw.lstrip(" "))
        piece = raw[start:] if node.style == "|" else raw[start:].rstrip()
        following = lines[number + 1] if number + 1 < len(lines) else ""
        joint = 0 if node.style != "|" and piece and not following.strip() else 1
        yield number + 1, start + 1, piece, joint


ESCAPE_LENGTHS = {"x": 4, "u": 6, "U": 10}
"""How many characters a double-quoted YAML escape takes as written (\\x41, \\u6cd5 …); others take two."""


def _character_starts(written: str, style: str | None) -> list[int]:
    """Where each character of the value starts in its text as written: `\\"` in a double-quoted
    scalar and `''` in a single-quoted one are one character written as two."""
    starts, index = [], 0
    while index < len(written):
        starts.append(index)
        if style == '"' and written[index] == "\\":
            index += ESCAPE_LENGTHS.get(written[index + 1:index + 2], 2)
        elif style == "'" and written.startswith("''", index):
            index += 2
        else:
            index += 1
    return starts


# ---------------------------------------------------------------- the rule file's JSON Schema

SCHEMA_FILE = "ruleset.schema.json"
"""Shipped in checker/schemas/, for editors: `# yaml-language-server: $schema=…` in a rule file."""


def rule_file_schema() -> dict[str, Any]:
    """The JSON Schema of a rule file, from the same pydantic models the loader validates with, so
    an editor flags the typos the loader refuses; `scope` lists the scopes there are. What only
    loading can tell (a condition's syntax, an id the base set lacks) is for `fzcheck rules validate`."""
    schema = FILE_MODELS[RuleSetSpec].model_json_schema(by_alias=True)
    schema["$defs"]["RuleSpec"]["properties"]["scope"]["enum"] = list(SCOPE_NAMES)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "urn:fzcheck:schema:ruleset",
            "title": "fzcheck rule set",
            "description": "A rule file of fzcheck (rules/national.yaml, or a local set that extends it); see docs/dsl.md.",
            **schema}
