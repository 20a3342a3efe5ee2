"""Load a rule set from YAML, validate it, and compile every condition once.

Every error names the file, line and column of the offending YAML, so a rule author never sees
a traceback: bad YAML, an unknown key, a duplicate id, a condition that does not parse or does
not type-check.
"""
from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ahocorasick
import yaml
from pydantic import ValidationError

from checker.condition.compiler import CompiledCondition, ConditionError, compile_condition
from checker.condition.parser import ConditionSyntaxError, parse_condition
from checker.models import RuleOverride, RuleSetSpec, RuleSpec
from checker.resources import resource_dir
from checker.vocabulary import VOCABULARY_FILE, Vocabulary, default_vocabulary

DEFAULT_RULESET = "national"
# libyaml when present: the pure-Python loader alone costs a third of a second per process.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
CONDITION_FIELDS = ("not_applicable", "pass", "partial")
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
}


class RuleSetError(Exception):
    """A rule file problem, rendered as `file:line:col: message` (plus the condition and a caret)."""

    def __init__(self, path: str, line: int, column: int, message: str, context: str | None = None) -> None:
        self.path, self.line, self.column, self.message, self.context = path, line, column, message, context
        super().__init__(f"{path}:{line}:{column}: {message}")


@dataclass(frozen=True)
class CompiledRule:
    spec: RuleSpec
    """The rule as it applies: a local set's overrides are already merged in."""
    conditions: dict[str, CompiledCondition]

    @property
    def params(self) -> dict[str, Any]:
        return self.spec.params

    @property
    def weight(self) -> float:
        return self.spec.weight

    @property
    def blocking(self) -> bool:
        return self.spec.blocking


@dataclass
class RuleSet:
    id: str
    version: str
    title: str
    rules: list[CompiledRule]
    path: str
    vocabulary: Vocabulary = field(default_factory=default_vocabulary)
    """The words reports are read with: the bundled vocabulary with the rule set's additions."""
    digest: str = ""
    """sha256 of every file the set was built from (itself, the sets it extends, the vocabulary):
    a result keyed by it is stale as soon as any of them changes."""

    def __post_init__(self) -> None:
        # One automaton for every term of every rule: a text is scanned once, whatever the rule count.
        self._automaton = ahocorasick.Automaton()
        terms = {term for rule in self.rules for condition in rule.conditions.values() for term in condition.terms}
        for term in terms:
            self._automaton.add_word(term, term)
        if terms:
            self._automaton.make_automaton()
        self._has_terms = bool(terms)

    def scan(self, text: str) -> dict[str, list[int]]:
        """Start offsets of every term occurrence, overlapping ones included."""
        hits: dict[str, list[int]] = {}
        if self._has_terms:
            for end, term in self._automaton.iter(text):
                hits.setdefault(term, []).append(end - len(term) + 1)
        return hits

    def rule(self, rule_id: str) -> CompiledRule | None:
        return next((rule for rule in self.rules if rule.spec.id == rule_id), None)


def bundled_ruleset_path(name: str = DEFAULT_RULESET) -> Path:
    return resource_dir("rules") / f"{name}.yaml"


def load_ruleset(path: str | Path | None = None) -> RuleSet:
    path = Path(path) if path else bundled_ruleset_path()
    read: list[str] = []
    spec, origin, rules = _load_with_base(path, seen=(), read=read)
    compiled = [_compile_rule(rule, spec, origin) for rule in rules]
    vocabulary = default_vocabulary().extended(spec.vocabulary) if spec.vocabulary else default_vocabulary()
    return RuleSet(spec.id, spec.version, spec.title, compiled, str(path), vocabulary, _digest(read))


def _digest(texts: list[str]) -> str:
    content = hashlib.sha256()
    for text in texts:
        content.update(text.encode() + b"\0")
    content.update((resource_dir("rules") / VOCABULARY_FILE).read_bytes())
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


def _read_text(path: Path) -> str:
    """The rule file's text: a regular file of at most MAX_RULESET_BYTES, read as UTF-8."""
    try:
        # Non-blocking, so that a FIFO opens at once and is refused below instead of waiting for a writer.
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise RuleSetError(str(path), 1, 1, "规则文件不存在") from None
    except OSError as error:
        raise RuleSetError(str(path), 1, 1, f"无法读取规则文件：{error.strerror or error}") from None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise RuleSetError(str(path), 1, 1, "不是普通文件（文件夹、管道或设备），不能作为规则文件")
        with os.fdopen(handle, "rb", closefd=False) as stream:
            data = stream.read(MAX_RULESET_BYTES + 1)
    except OSError as error:
        raise RuleSetError(str(path), 1, 1, f"无法读取规则文件：{error.strerror or error}") from None
    finally:
        os.close(handle)
    if len(data) > MAX_RULESET_BYTES:
        raise RuleSetError(str(path), 1, 1, f"规则文件过大（超过 {MAX_RULESET_BYTES // 1024 // 1024} MB 上限）")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RuleSetError(str(path), 1, 1, f"无法读取规则文件：不是 UTF-8 编码（{error.reason}）") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _read_yaml(path: Path) -> tuple[Any, _Positions]:
    text = _read_text(path)
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
        return RuleSetSpec.model_validate(data)
    except ValidationError as error:
        # A misspelt key also makes the real key "missing": report the typo, the root cause.
        first = min(error.errors(), key=lambda item: item["type"] != "extra_forbidden")
        loc = tuple(part for part in first["loc"] if not (isinstance(part, str) and part in ("str", "Example")))
        where = positions.key_at(loc) if first["type"] == "extra_forbidden" else positions.at(loc)
        field = ".".join(str(part) for part in loc)
        message = VALIDATION_MESSAGES.get(first["type"], first["msg"])
        raise RuleSetError(str(path), *where, f"{field}: {message}") from None


def _load_with_base(path: Path, seen: tuple[Path, ...], read: list[str]) -> tuple[RuleSetSpec, dict[str, tuple[_Positions, Path, int]], list[RuleSpec]]:
    """The rule set, where each rule was written, and its rules merged over those it extends.
    The text of every file it reads is added to `read`."""
    data, positions = _read_yaml(path)
    read.append("\n".join(positions.lines))
    spec = _validate(path, data, positions)
    origin = {rule.id: (positions, path, index) for index, rule in enumerate(spec.rules)}
    rules: list[RuleSpec] = []
    lexicon: dict[str, list[str]] = {}
    vocabulary: dict[str, list[str]] = {}
    if spec.extends:
        base_path = _resolve_base(spec.extends, path)
        if not base_path.is_file():
            raise RuleSetError(str(path), *positions.at(("extends",)), f"找不到被继承的规则集：{spec.extends}")
        if base_path.resolve() in seen:
            raise RuleSetError(str(path), *positions.at(("extends",)), f"extends 形成循环：{spec.extends}")
        base, base_origin, base_rules = _load_with_base(base_path, seen + (path.resolve(),), read)
        lexicon.update(base.lexicon)
        vocabulary = {name: list(words) for name, words in base.vocabulary.items()}
        origin = base_origin | origin
        _check_known(path, positions, "disable", spec.disable, {rule.id for rule in base_rules})
        _check_known(path, positions, "overrides", spec.overrides, {rule.id for rule in base_rules})
        rules = [_override(rule, spec.overrides.get(rule.id), positions)
                 for rule in base_rules if rule.id not in spec.disable]
    else:
        for key in ("overrides", "disable"):
            if getattr(spec, key):
                raise RuleSetError(str(path), *positions.key_at((key,)), f"{key} 只能和 extends 一起使用")
    lexicon.update(spec.lexicon)
    known_lists = default_vocabulary().words
    for name, words in spec.vocabulary.items():
        if name not in known_lists:
            raise RuleSetError(str(path), *positions.key_at(("vocabulary", name)),
                               f"vocabulary.{name}: 未知词表（可用：{'、'.join(sorted(known_lists))}）")
        vocabulary[name] = vocabulary.get(name, []) + list(words)
    seen_ids = {rule.id for rule in rules}
    for index, rule in enumerate(spec.rules):
        if rule.id in seen_ids:
            raise RuleSetError(str(path), *positions.at(("rules", index, "id")), f"规则 id 重复：{rule.id}")
        seen_ids.add(rule.id)
        rules.append(rule)
    merged = spec.model_copy(update={"lexicon": lexicon, "vocabulary": vocabulary})
    return merged, origin, rules


def _override(rule: RuleSpec, override: RuleOverride | None, positions: _Positions) -> RuleSpec:
    if override is None:
        return rule
    for name in override.params:
        if name not in rule.params:
            where = positions.key_at(("overrides", rule.id, "params", name))
            raise RuleSetError(str(positions.path), *where, f"规则 {rule.id} 没有参数 {name}（可改：{'、'.join(rule.params) or '无'}）")
    changes: dict[str, Any] = {"params": rule.params | override.params}
    if override.weight is not None:
        changes["weight"] = override.weight
    if override.blocking is not None:
        changes["blocking"] = override.blocking
    return rule.model_copy(update=changes)


def _check_known(path: Path, positions: _Positions, key: str, ids: Iterable[str], known: set[str]) -> None:
    for rule_id in ids:
        if rule_id not in known:
            where = positions.key_at((key, rule_id)) if key == "overrides" else positions.at((key,))
            raise RuleSetError(str(path), *where, f"{key}: 被继承的规则集中没有规则 {rule_id}")


def _resolve_base(name: str, path: Path) -> Path:
    """`extends: national` names a bundled set; `extends: ../province.yaml` a file beside this one."""
    if name.endswith((".yaml", ".yml")):
        return path.parent / name
    return bundled_ruleset_path(name)


# ---------------------------------------------------------------- compiling rules

def _compile_rule(rule: RuleSpec, spec: RuleSetSpec, origin: dict) -> CompiledRule:
    positions, path, index = origin[rule.id]
    conditions = {}
    for field in CONDITION_FIELDS:
        text = getattr(rule, "pass_" if field == "pass" else field)
        if text is None:
            continue
        node_path = ("rules", index, field)
        try:
            conditions[field] = compile_condition(parse_condition(text), rule.params, spec.lexicon, rule.scope)
        except ConditionSyntaxError as error:
            line, column = _condition_position(positions, node_path, error.line, error.column)
            raise RuleSetError(str(path), line, column, f"规则 {rule.id} 的 {field} 条件：{error.message}", error.context) from None
        except ConditionError as error:
            line, column = _condition_position(positions, node_path, error.line, error.column)
            raise RuleSetError(str(path), line, column, f"规则 {rule.id} 的 {field} 条件：{error.message}") from None
    return CompiledRule(spec=rule, conditions=conditions)


def _condition_position(positions: _Positions, node_path: tuple, line: int, column: int) -> tuple[int, int]:
    """Where a position inside a condition is in the YAML file (exact for one-line and `|` scalars)."""
    node = positions.nodes.get(node_path)
    if node is None:
        return positions.at(node_path)
    start_line, start_column = node.start_mark.line + 1, node.start_mark.column + 1
    if node.style == "|":
        # The block starts on the line after the indicator; its indentation is that of the first line.
        following = node.start_mark.line + 1
        first = positions.lines[following] if following < len(positions.lines) else ""
        indent = len(first) - len(first.lstrip(" "))
        return start_line + line, indent + column
    quote = 1 if node.style in ("'", '"') else 0
    return (start_line, start_column + quote + column - 1) if line == 1 else (start_line + line - 1, column)
