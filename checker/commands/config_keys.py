"""The configuration file's keys (checker/config.py finds and reads the file): the long option
names of the commands (`rules = "sichuan.yaml"`, `fail-under = 75`, `jobs = 4`). A top-level key
applies to every command that has that option; a table named for a command (`[batch]`) applies
to that command only and wins over the top level; an option given on the command line wins over
both.

The file's values become the parser's defaults, wrapped in `FromConfig`, so that after parsing
it is known which values came from the file (for `-v` and for messages), and a list option given
on the command line replaces the file's list instead of adding to it. An unknown key, a value of
the wrong type or one the option refuses is one line naming the file, the line and the key.
"""
from __future__ import annotations

import argparse
import os
import re
from datetime import date, datetime, time
from functools import cache
from typing import Any

from checker.commands.common import add_report_options, add_run_options
from checker.config import Config, ConfigError

COMMAND_KEYS = {
    "audit": ("format",),
    "batch": ("glob", "jobs", "format", "csv-layout", "rank-together", "by-rule", "no-cache", "cache-dir", "meta"),
    "precheck": ("fail-under", "fail-on", "format", "compact"),
    "serve": ("host", "port", "token", "max-upload-mb", "jobs"),
}
"""The keys of each command's own options (the shared ones come from checker.commands.common),
so that a top-level key or another command's table is checked without importing that command's
module (batch's costs 70 ms). tests/test_config.py checks them against the parsers: a new option
goes here or into PER_RUN. serve has only --rules of the shared options (it checks what is uploaded)."""
PER_RUN = frozenset({"help", "version", "config", "no-config", "output", "files-from", "resume", "baseline",
                     "title", "only-failed"})
"""Options about one run: where its output goes, what it is compared with, how one output is
titled or cut down (the commands refuse --title and --only-failed with the formats they do not
apply to, so a file that set them would break the other formats)."""
PATHS = frozenset({"rules", "meta", "cache-dir", "waivers"})
"""Keys holding a path, taken relative to the configuration file's folder."""
LISTS = frozenset({"select", "ignore", "glob"})
"""Keys that take a TOML array of strings (one string is a list of one)."""


class FromConfig:
    """A parser default that came from the configuration file. argparse leaves it in the
    namespace when the option is not on the command line, and `unwrap` then puts the value in its
    place. An append option given on the command line copies its default before adding to it:
    this copy is empty, so the command line's list replaces the file's."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __copy__(self) -> list:
        return []

    def __repr__(self) -> str:
        return f"FromConfig({self.value!r})"


def unwrap(args: argparse.Namespace) -> frozenset[str]:
    """Every FromConfig in `args` replaced by its value; the attributes so set."""
    taken = set()
    for name, value in vars(args).items():
        if isinstance(value, FromConfig):
            setattr(args, name, value.value)
            taken.add(name)
    return frozenset(taken)


def apply_config(config: Config, command: str, parser: argparse.ArgumentParser) -> None:
    """Check every key of `config` and make the values for `command`, whose (sub)command parser
    is `parser`, that parser's defaults: the top level's first, then its own table's."""
    options = _options(parser)
    originals = {action.dest: action.default for action in reversed(parser._actions)}
    tables: dict[str, dict[str, Any]] = {}
    for key, value in config.table.items():
        if key in COMMAND_KEYS and isinstance(value, dict):
            tables[key] = value
            continue
        _check_key(config, None, key, value)
        if key in options:
            _set(config, None, key, value, options[key], parser, originals)
    for name, table in tables.items():
        for key, value in table.items():
            _check_key(config, name, key, value)
            if name == command and key in options:
                _set(config, name, key, value, options[key], parser, originals)


def _options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    """The parser's options a file may set, by long name without the dashes."""
    return {string[2:]: action for action in parser._actions for string in action.option_strings
            if string.startswith("--") and string[2:] not in PER_RUN}


@cache
def shared_keys() -> frozenset[str]:
    """The keys of the options every checking command has (checker.commands.common's)."""
    parser = argparse.ArgumentParser(add_help=False)
    add_report_options(parser)
    add_run_options(parser)
    return frozenset(_options(parser))


def _known(table: str | None) -> frozenset[str]:
    if table is not None:
        return shared_keys() | frozenset(COMMAND_KEYS[table])
    return shared_keys().union(*COMMAND_KEYS.values())


def _check_key(config: Config, table: str | None, key: str, value: Any) -> None:
    if key in _known(table):
        return
    if key in PER_RUN:
        raise _fault(config, table, key, f"{key} 只用于一次运行，不能写在配置文件中（请在命令行上给出 --{key}）")
    if table is None and key in COMMAND_KEYS:
        raise _fault(config, table, key, f"{key} 应为表（[{key}]），其中是只用于 {key} 命令的选项")
    owners = [command for command, keys in COMMAND_KEYS.items() if key in keys]
    if owners:
        raise _fault(config, table, key, f"{table} 命令没有 --{key} 选项（它属于 {'、'.join(owners)}）")
    import difflib  # only for a mistyped key

    candidates = sorted(_known(table) | (set(COMMAND_KEYS) if table is None else set()))
    close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.6)
    what = f"表 [{key}]" if isinstance(value, dict) else f"配置项 {key}"
    if close:
        hint = f"[{close[0]}]" if close[0] in COMMAND_KEYS else close[0]
        raise _fault(config, table, key, f"未知的{what}（是否要用 {hint}？）")
    raise _fault(config, table, key, f"未知的{what}（配置项是各命令的长选项名，如 rules、fail-under、jobs）")


_UNSET = object()


def _set(config: Config, table: str | None, key: str, value: Any, action: argparse.Action,
         parser: argparse.ArgumentParser, originals: dict[str, Any]) -> None:
    converted = _value(config, table, key, value, action)
    if converted is _UNSET:  # a flag set to false: as if the file did not name it
        converted = originals[action.dest]
    for other in parser._actions:  # --compact shares --format's attribute, and sets it too
        if other.dest == action.dest:
            other.default = FromConfig(converted)


def _value(config: Config, table: str | None, key: str, value: Any, action: argparse.Action) -> Any:
    """`value` as the command line would have given it, or a ConfigError."""
    def fault(message: str) -> ConfigError:
        return _fault(config, table, key, f"{_shown_key(config, table, key)}：{message}")

    if action.nargs == 0:
        if not isinstance(value, bool):
            raise fault(f"应为 true 或 false，而不是 {_toml(value)}")
        return action.const if value else _UNSET
    if key in LISTS:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise fault(f"应为字符串列表，如 [\"a\", \"b\"]，而不是 {_toml(value)}")
        if isinstance(action, argparse._AppendAction):
            return [_converted(fault, action, item) for item in items]
        return _converted(fault, action, ",".join(items))
    if isinstance(value, (bool, list, dict, time, datetime)):
        raise fault(f"不能是 {_toml(value)}")
    text = value.isoformat() if isinstance(value, date) else str(value)
    if key in PATHS and isinstance(value, str):
        text = os.path.join(config.folder, os.path.expanduser(text))
    converted = _converted(fault, action, text)
    if isinstance(converted, (int, float)) and isinstance(value, str):
        raise fault(f"应为数字，不加引号：{key} = {value}")
    if isinstance(converted, str) and not isinstance(value, str):
        raise fault(f"应为加引号的字符串：{key} = \"{value}\"")
    return converted


def _converted(fault, action: argparse.Action, text: str) -> Any:
    try:
        result = action.type(text) if callable(action.type) else text
    except (argparse.ArgumentTypeError, ValueError, TypeError) as problem:
        raise fault(str(problem)) from None
    if action.choices is not None and result not in action.choices:
        raise fault(f"应为 {'、'.join(map(str, action.choices))} 之一，而不是 {text}")
    return result


def _toml(value: Any) -> str:
    """How the user wrote a value, roughly, for a message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "表"
    if isinstance(value, list):
        return "列表"
    return repr(value) if isinstance(value, str) else str(value)


def _shown_key(config: Config, table: str | None, key: str) -> str:
    """The key as the file spells it: `jobs`, `[batch] jobs`, `[tool.fzcheck] jobs`."""
    where = (*config.where, *((table,) if table else ()))
    return f"[{'.'.join(where)}] {key}" if where else key


def _fault(config: Config, table: str | None, key: str, message: str) -> ConfigError:
    line = _line_of(config, table, key)
    return ConfigError(f"{config.path}:{line}: {message}" if line else f"{config.path}：{message}")


HEADER = re.compile(r"\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")


def located(config: Config, command: str, key: str) -> str:
    """`file:line: key` for a message about a value the file gave `command` (from its own table,
    which wins, or the top level)."""
    table = command if isinstance(config.table.get(command), dict) and key in config.table[command] else None
    line = _line_of(config, table, key)
    shown = _shown_key(config, table, key)
    return f"{config.path}:{line}: {shown}" if line else f"{config.path}：{shown}"


def _line_of(config: Config, table: str | None, key: str) -> int | None:
    """The line that sets `key` in the table, or is the header of the table `key` (tomllib keeps
    no positions): the first `key =` under the table's header; None when not found so (a dotted
    key, an inline table)."""
    wanted = (*config.where, *((table,) if table else ()))
    current: tuple[str, ...] = ()
    assignment = re.compile(rf"\s*[\"']?{re.escape(key)}[\"']?\s*=")
    for number, line in enumerate(config.text.splitlines(), 1):
        header = HEADER.match(line)
        if header:
            current = tuple(part.strip().strip("\"'") for part in header[1].split("."))
            if current == (*wanted, key):
                return number
        elif current == wanted and assignment.match(line):
            return number
    return None
