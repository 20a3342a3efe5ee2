"""Every output format fzcheck writes, declared once: its name, what it is, which commands write
it and how (binary: only into a file or a pipe; streamed: batch writes it report by report as
results come). Every command's --format choices and help are made from this table, and each
command maps the names it offers to its writers in one dictionary (a test holds the two equal),
so no command dispatches on a format's name in a chain of ifs."""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

from checker.errors import UsageError

AUDIT, BATCH, PRECHECK, EXPLAIN, HEALTH = "audit", "batch", "precheck", "rules explain", "rules health"


@dataclass(frozen=True)
class Format:
    name: str
    summary: str
    """What it is, for --format's help."""
    commands: tuple[str, ...]
    binary: bool = False
    """A Word or Excel file: written with -o FILE (or `-o -` into a pipe), never to a terminal."""
    streamed: bool = False
    """batch writes it as results come, in file-path order, instead of ranked at the end."""
    encoding: str = "utf-8"
    example: str = ""
    """A file name to suggest for a binary format."""


FORMATS: tuple[Format, ...] = (
    Format("table", "终端表格", (AUDIT, BATCH, PRECHECK, EXPLAIN, HEALTH)),
    Format("compact", "未达标和部分达标项每项一行 FILE:LINE: [RULE-ID] 说明（适合编辑器和 pre-commit）", (PRECHECK,)),
    Format("json", "一个 JSON 文档", (AUDIT, BATCH, PRECHECK, EXPLAIN, HEALTH)),
    Format("jsonl", "每份报告一行 JSON，边检查边写出（适合大批量）", (BATCH,), streamed=True),
    Format("csv", "CSV（UTF-8 带 BOM，Excel 可直接打开），边检查边写出", (BATCH,), streamed=True, encoding="utf-8-sig"),
    Format("html", "一个可打印的自包含网页", (AUDIT, BATCH)),
    Format("xlsx", "Excel 工作簿：汇总、明细、规则、版本四张表（须用 -o 指定文件）", (BATCH,), binary=True,
           example="评分.xlsx"),
    Format("docx", "审查意见 Word 文档（须用 -o 指定文件）", (AUDIT,), binary=True, example="审查意见.docx"),
    Format("junit", "JUnit XML，供 CI 显示测试结果", (PRECHECK,)),
    Format("sarif", "SARIF 2.1.0，供代码扫描界面显示", (PRECHECK,)),
)
BY_NAME = {item.name: item for item in FORMATS}
ALIASES = {"text": "table"}
"""Earlier names still accepted, not shown in the help: `table` is the human format in every command."""


def formats_of(command: str) -> tuple[Format, ...]:
    return tuple(item for item in FORMATS if command in item.commands)


def add_format_option(parser: argparse.ArgumentParser, command: str, note: str = "") -> None:
    """--format with the command's formats as choices and each one's summary as help."""
    offered = formats_of(command)
    described = "；".join(f"{item.name}：{item.summary}" for item in offered)
    parser.add_argument("--format", type=lambda text: ALIASES.get(text, text), choices=[item.name for item in offered],
                        default="table", help=f"输出格式（默认 table）。{described}{note}")


def refuse_terminal(output_format: str, destination: str | None) -> None:
    """A binary format goes into a file (-o FILE) or a pipe or redirect (`> FILE`, `-o -`), never
    to a terminal, where it would be noise."""
    item = BY_NAME[output_format]
    if item.binary and destination in (None, "-") and sys.stdout.isatty():
        raise UsageError(f"--format {item.name} 输出的是二进制文件，不能写到终端：请用 -o 指定文件，如 -o {item.example}")
