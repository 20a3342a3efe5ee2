"""fzcheck audit: one report, one scored table (or one JSON document)."""
from __future__ import annotations

import argparse
import io

from rich.console import Console

from checker.commands import EXIT_OK, EXIT_UNREADABLE
from checker.commands.common import add_report_options, error, overrides_from, ruleset_from, write_output
from checker.output.json_format import audit_json
from checker.output.table import render_audit
from checker.pipeline import audit_path
from checker.readers import ReadError

HELP = "检查一份报告，逐项打分"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="报告文件（.txt .md .docx .pdf .html），- 表示标准输入")
    parser.add_argument("--format", choices=("table", "json"), default="table", help="输出格式（默认 table）")
    parser.add_argument("--output", "-o", metavar="FILE", help="写入文件而不是标准输出")
    add_report_options(parser)


def run(args: argparse.Namespace) -> int:
    ruleset = ruleset_from(args)
    try:
        result = audit_path(args.file, ruleset, overrides_from(args))
    except ReadError as problem:
        error(str(problem))
        return EXIT_UNREADABLE
    if args.format == "json":
        write_output(audit_json(result), args.output, [args.file])
    elif args.output:
        console = Console(record=True, width=160, file=io.StringIO())
        render_audit(result, console)
        write_output(console.export_text(), args.output, [args.file])
    else:
        render_audit(result, Console(highlight=False))
    return EXIT_OK
