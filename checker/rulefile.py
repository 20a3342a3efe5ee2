"""Read a rule set from its YAML files: validate it, merge what it extends, parse every condition
and check that it compiles.

Every error names the file, line and column of the offending YAML, so a rule author never sees
a traceback: bad YAML, an unknown key, a duplicate id, a condition that does not parse or does
not type-check. The YAML is read and validated by checker/yamlfile.py, which waivers files share.
This module (with that one) is all that needs yaml, pydantic and lark; checker/ruleset.py imports
it only when the rule set is not in the cache, and only a rule set read here without an error is
ever cached.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from checker import condition, models
from checker.cache import bytes_hash
from checker.condition import ConditionError
from checker.condition.functions import SCOPE_NAMES
from checker.models import RuleOverride, RuleSetSpec, RuleSpec
from checker.resources import resource_dir
from checker.ruleset import (CONDITION_FIELDS, CompiledRule, FlatTree, RuleSetData, RuleSetError, bundled_ruleset_path,
                             flatten)
from checker.vocabulary import VOCABULARY_FILE, default_vocabulary
from checker.yamlfile import FileKind, FileModels, Positions, read_text, read_yaml, validated

MAX_RULESET_BYTES = 2 * 1024 * 1024
"""A rule file is read only up to this size: the national set is a small fraction of it."""


# ---------------------------------------------------------------- the rule-file models

FIELD_RULES: dict[str, dict[str, Any]] = {
    "id": {"pattern": r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$"},
    "weight": {"gt": 0, "allow_inf_nan": False},
    "pass_": {"alias": "pass"},
    "label": {"min_length": 1, "max_length": 6},  # two lines of three characters in a heat-map column
}
"""What a rule file must meet beyond the types of checker.models, by field name (the same in
every class that has the field)."""
FILE_MODELS = FileModels(models.Example, models.Examples, models.Messages, RuleSpec, RuleOverride, RuleSetSpec,
                         rules=FIELD_RULES)
RULE_FILE = FileKind("规则文件", RuleSetError, MAX_RULESET_BYTES, "规则文件应为一个映射，包含 id、version、title、rules 等字段")


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


Origin = dict[str, tuple[Positions, Path, int]]
"""Where each rule was written: the positions of its file, the file, its index in `rules:`."""


def _load_with_base(path: Path, seen: tuple[Path, ...], read: list[tuple[str, bytes, str]],
                    retuned: dict[str, str]) -> tuple[RuleSetSpec, Origin, list[RuleSpec]]:
    """The rule set, where each rule was written, and its rules merged over those it extends.
    (path, bytes, text) of every file it reads is added to `read`; each inherited rule whose
    parameters a set changes, with what changed, to `retuned`."""
    raw, text = read_text(path, RULE_FILE)
    read.append((str(path), raw, text))
    data, positions = read_yaml(path, text, RULE_FILE)
    spec = validated(path, data, positions, RULE_FILE, FILE_MODELS, RuleSetSpec)
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
    labelled: dict[str, str] = {}
    for rule in rules:
        if rule.label in labelled:  # the base set's labels are its own: an override gave this one
            problems.append(RuleSetError(str(path), *positions.at(("overrides", rule.id, "label")),
                                         f"简称重复：{rule.label}（规则 {labelled[rule.label]} 已使用）"))
        elif rule.label:
            labelled[rule.label] = rule.id
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


def _override(rule: RuleSpec, override: RuleOverride | None, positions: Positions,
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
    if override.label is not None:
        changes["label"] = override.label
    return dataclasses.replace(rule, **changes)


def _unknown(path: Path, positions: Positions, key: str, ids: Iterable[str], known: set[str]) -> list[RuleSetError]:
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
            conditions[field] = condition.compile(text, rule.params, lexicon, rule.scope)
        except ConditionError as error:
            line, column = _condition_position(positions, node_path, text, error.line, error.column)
            raise RuleSetError(str(path), line, column, f"规则 {rule.id} 的 {field} 条件：{error.message}", error.context) from None
        flat[field] = flatten(conditions[field].tree)
    return flat, CompiledRule(spec=rule, conditions=conditions)


def _condition_position(positions: Positions, node_path: tuple, text: str, line: int, column: int) -> tuple[int, int]:
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
