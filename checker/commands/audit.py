"""fzcheck audit: one report, one scored table (or one JSON document).

What only some runs need (the baseline comparison, the table renderer and rich behind it) is
imported where it is used, so `audit --format json` loads no more than scoring needs.
"""
from __future__ import annotations

import argparse
import os

from checker.commands import EXIT_OK, EXIT_UNREADABLE
from checker.commands.common import add_report_options, check_output, error, output_console, ruleset_from, settings_from, write_output
from checker.errors import UsageError
from checker.output.json_format import audit_json
from checker.output.safe_text import shown_result
from checker.pipeline import STDIN, audit_path
from checker.readers import ReadError

HELP = "检查一份报告，逐项打分"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="报告文件（.txt .md .docx .pdf .html），- 表示标准输入")
    parser.add_argument("--format", choices=("table", "json"), default="table", help="输出格式（默认 table）")
    parser.add_argument("--output", "-o", metavar="FILE", help="写入文件而不是标准输出")
    parser.add_argument("--baseline", metavar="JSON",
                        help="与先前 audit 或 batch 的 JSON 结果比较得分和各项结果（按文件路径、文件名、主体+类型匹配）")
    add_report_options(parser)


def run(args: argparse.Namespace) -> int:
    if args.file != STDIN and os.path.isdir(args.file):
        raise UsageError(f"{args.file} 是文件夹；audit 检查一份报告，检查文件夹中的全部报告请用 fzcheck batch {_quoted(args.file)}")
    ruleset = ruleset_from(args)
    check_output(args.output, [args.file])
    baseline = None
    if args.baseline:
        from checker.baseline import load_baseline

        baseline = load_baseline(args.baseline)
    try:
        result = shown_result(audit_path(args.file, ruleset, settings_from(args)))
    except ReadError as problem:
        error(str(problem))
        return EXIT_UNREADABLE
    comparison = baseline.compare(result) if baseline else None
    if args.format == "json":
        write_output(audit_json(result, comparison), args.output, [args.file])
        return EXIT_OK
    from checker.output.table import render_audit

    console = output_console(args.output)
    render_audit(result, console)
    if baseline:
        from checker.output.changes import render_comparison

        render_comparison(result, comparison, console)
    if args.output:
        write_output(console.export_text(), args.output, [args.file])
    return EXIT_OK


def _quoted(path: str) -> str:
    """The path as it can be typed back into the shell."""
    import shlex  # only for this message

    return shlex.quote(path)
