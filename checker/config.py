"""The project configuration file: `fzcheck.toml`, or the `[tool.fzcheck]` table of a
`pyproject.toml`, found from the current folder upward (the first folder that has one wins, and
fzcheck.toml beats pyproject.toml in the same folder; a pyproject.toml without the table is
passed over), or named with --config (checker/cli.py reads --config, --no-config and -h first).
This module finds and reads it; what its keys mean is checker/commands/config_keys.py, loaded
only when a file is found.

Looking costs two stat calls per folder up to the root, and a read of any pyproject.toml on the
way; TOML is parsed (tomllib, or tomli before Python 3.11) only when a file is found.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any

from checker.errors import UsageError
from checker.os_errors import explain

CONFIG_FILE = "fzcheck.toml"
PYPROJECT = "pyproject.toml"
TOOL_TABLE = ("tool", "fzcheck")
"""Where in a pyproject.toml fzcheck's table is."""
TOOL_HEADER = re.compile(rb'^[ \t]*\[[ \t]*"?tool"?[ \t]*\.[ \t]*"?fzcheck"?[ \t]*[\].]', re.MULTILINE)
"""A `[tool.fzcheck]` (or `[tool.fzcheck.batch]`) header: a pyproject.toml without one is passed
over without parsing it."""


class ConfigError(UsageError):
    """A configuration file that cannot be used: `file:line: message`, or `file：message` when
    no line can be told."""


@dataclass(frozen=True)
class Config:
    path: str
    """Absolute."""
    table: dict[str, Any]
    """fzcheck's table: the whole fzcheck.toml, or [tool.fzcheck]."""
    text: str
    """The file's text, to find the line of a key."""
    where: tuple[str, ...] = ()
    """The table's name in the file: () for fzcheck.toml, TOOL_TABLE for a pyproject.toml."""

    @property
    def folder(self) -> str:
        return os.path.dirname(self.path)


# ---------------------------------------------------------------- finding and reading

def find_config(folder: str) -> Config | None:
    """The configuration in `folder` or the nearest folder above it that has one."""
    folder = os.path.abspath(folder)
    while True:
        candidate = os.path.join(folder, CONFIG_FILE)
        if os.path.isfile(candidate):
            return read_config(candidate)
        candidate = os.path.join(folder, PYPROJECT)
        if os.path.isfile(candidate) and _has_tool_table(candidate):
            found = read_config(candidate)
            if found is not None:
                return found
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _has_tool_table(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return TOOL_HEADER.search(handle.read()) is not None
    except OSError:
        return False  # an unreadable pyproject.toml of some other project is not fzcheck's concern


def read_config(path: str, named: bool = False) -> Config | None:
    """The file at `path`; a pyproject.toml without [tool.fzcheck] is None, or an error when the
    user `named` it."""
    path = os.path.abspath(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as problem:
        raise ConfigError(f"{path}：无法读取配置文件：{explain(problem)}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = data.count(b"\n", 0, problem.start) + 1
        raise ConfigError(f"{path}:{line}: 配置文件应为 UTF-8 文本") from None
    document = _parse_toml(path, text)
    if os.path.basename(path) != PYPROJECT:
        return Config(path, document, text)
    tool = document.get(TOOL_TABLE[0])
    table = tool.get(TOOL_TABLE[1]) if isinstance(tool, dict) else None
    if table is None:
        if named:
            raise ConfigError(f"{path}：其中没有 [tool.fzcheck] 表")
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{path}：tool.fzcheck 应为表（[tool.fzcheck]）")
    return Config(path, table, text, TOOL_TABLE)


def _parse_toml(path: str, text: str) -> dict[str, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as problem:
        message = str(problem)
        position = re.search(r" \(at line (\d+), column (\d+)\)", message)
        if position is None:
            raise ConfigError(f"{path}：不是有效的 TOML：{message}") from None
        reason = message[:position.start()] + message[position.end():]
        raise ConfigError(f"{path}:{position[1]}:{position[2]}: 不是有效的 TOML：{reason}") from None
