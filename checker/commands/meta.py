"""batch --meta FILE: what the user knows of each file (its year, publication date, kind), read
from a CSV with a header row, which beats what the report states, as `audit --year` does for one.

    file,year,published,kind
    东江市/司法局.txt,2023,2024-03-20,部门

Columns (any order, Chinese names accepted): file (文件), year (年度), published (发布日期), kind
(类型: government/department/政府/部门); an empty cell gives nothing. The CSV is UTF-8, with or
without a BOM (what Excel's "CSV UTF-8" writes). A file is named as given to batch (relative to
the current folder) or relative to the CSV's own folder. A row that cannot be used (a file not
among the inputs, a bad year, date or kind) is refused with its line before anything is scored.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
from collections.abc import Sequence
from pathlib import Path

from checker.commands.common import parse_date, parse_kind, parse_year
from checker.document import Overrides
from checker.errors import UsageError
from checker.os_errors import explain

COLUMNS = {"file": "file", "文件": "file", "year": "year", "年度": "year",
           "published": "published", "发布日期": "published", "kind": "kind", "类型": "kind"}
PARSERS = {"year": parse_year, "published": parse_date, "kind": parse_kind}


def read_meta(source: str, files: Sequence[str]) -> dict[str, Overrides]:
    """Each listed file's given facts, by its path in `files` (the batch's inputs)."""
    def fault(line: int | None, message: str) -> UsageError:
        return UsageError(f"--meta {source}：" + (f"第 {line} 行：" if line else "") + message)

    try:
        data = Path(source).read_bytes()
    except IsADirectoryError:
        raise fault(None, "这是文件夹，不是 CSV 文件") from None
    except OSError as problem:
        raise fault(None, f"无法读取：{explain(problem)}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        raise fault(data.count(b"\n", 0, problem.start) + 1, "不是 UTF-8 文本（请在 Excel 中另存为“CSV UTF-8”）") from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as problem:
        raise fault(reader.line_num, f"不是有效的 CSV：{problem}") from None
    rows = [(line, row) for line, row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise fault(None, "文件为空；第一行应为列名 file,year,published,kind")
    header_line, header = rows[0]
    columns = []
    for name in header:
        column = COLUMNS.get(name.strip().lower())
        if column is None:
            raise fault(header_line, f"未知的列名“{name.strip()}”；可用的列：file year published kind（或 文件 年度 发布日期 类型）")
        if column in columns:
            raise fault(header_line, f"列“{name.strip()}”重复")
        columns.append(column)
    if "file" not in columns:
        raise fault(header_line, "缺少 file 列（第一行应为列名，如 file,year,published,kind）")

    find = _Finder(files, os.path.dirname(source))
    given: dict[str, Overrides] = {}
    rows_of: dict[str, int] = {}
    for line, row in rows[1:]:
        if len(row) > len(columns):
            raise fault(line, f"有 {len(row)} 列，多于列名的 {len(columns)} 列")
        cells = {column: cell.strip() for column, cell in zip(columns, row)}
        name = cells.pop("file", "")
        if not name:
            raise fault(line, "file 列为空")
        values = {}
        for column, cell in cells.items():
            if cell:
                try:
                    values[column] = PARSERS[column](cell)
                except argparse.ArgumentTypeError as problem:
                    raise fault(line, f"{column}：{problem}") from None
        path = find(name)
        if path is None:
            raise fault(line, f"{name} 不在要检查的文件中（路径相对于当前目录或 CSV 所在目录）")
        if path in rows_of:
            raise fault(line, f"{name} 与第 {rows_of[path]} 行是同一文件")
        rows_of[path] = line
        if values:
            given[path] = Overrides(**values)
    return given


class _Finder:
    """An input by the name a row gives it: as typed (from the current folder), else from the CSV's
    folder; by its normalised absolute path, else by its real path (a link, another spelling)."""

    def __init__(self, files: Sequence[str], folder: str) -> None:
        self._files, self._folder = files, folder
        self._by_path = {os.path.normpath(os.path.abspath(path)): path for path in reversed(files)}
        self._by_real: dict[str, str] | None = None

    def __call__(self, name: str) -> str | None:
        candidates = [name] if os.path.isabs(name) else [name, os.path.join(self._folder, name)]
        for candidate in candidates:
            if (path := self._by_path.get(os.path.normpath(os.path.abspath(candidate)))) is not None:
                return path
        if self._by_real is None:
            self._by_real = {os.path.realpath(path): path for path in reversed(self._files)}
        return next((path for candidate in candidates
                     if (path := self._by_real.get(os.path.realpath(candidate))) is not None), None)
