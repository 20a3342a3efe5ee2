"""fzcheck audit: one report, one scored table (or one JSON document).

What only some runs need (the baseline comparison, the table renderer and rich behind it, the
Word and HTML writers and python-docx) is imported where it is used, so `audit --format json`
loads no more than scoring needs.
"""
from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from checker.commands import EXIT_OK, EXIT_UNREADABLE
from checker.commands.common import (OUTPUT_WIDTH, add_report_options, add_run_options, check_output, error, note,
                                     open_output, output_console, ruleset_from, settings_from, waivers_from,
                                     write_output)
from checker.commands.formats import AUDIT, add_format_option, refuse_terminal
from checker.errors import UsageError
from checker.models import AuditResult
from checker.output.json_format import audit_json
from checker.output.safe_text import shown_result
from checker.pipeline import STDIN, audit_path
from checker.readers import ReadError

if TYPE_CHECKING:  # the comparison code is loaded only with --baseline
    from checker.baseline import Comparison

HELP = "检查一份报告，逐项打分"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="报告文件（.txt .md .docx .pdf .html），- 表示标准输入")
    add_format_option(parser, AUDIT)
    parser.add_argument("--output", "-o", metavar="FILE",
                        help=f"写入文件而不是标准输出（table 写入文件或管道时按 {OUTPUT_WIDTH} 列排版，设置 COLUMNS 可改变）")
    parser.add_argument("--only-failed", action="store_true", dest="only_failed",
                        help="table 只列出未达标和部分达标的检查项（总分和各项计数不变）")
    parser.add_argument("--title", metavar="TEXT", help="--format html 页面的标题（默认：《报告标题》审查意见）")
    parser.add_argument("--baseline", metavar="JSON",
                        help="与先前 audit 或 batch 的 JSON 结果比较得分和各项结果（按文件路径、文件名、主体+类型匹配）")
    add_report_options(parser)
    add_run_options(parser)


def run(args: argparse.Namespace) -> int:
    if args.file != STDIN and os.path.isdir(args.file):
        raise UsageError(f"{args.file} 是文件夹；audit 检查一份报告，检查文件夹中的全部报告请用 fzcheck batch {_quoted(args.file)}")
    if args.title is not None and args.format != "html":
        raise UsageError("--title 只用于 --format html")
    if args.only_failed and args.format != "table":
        raise UsageError("--only-failed 只用于 --format table")
    refuse_terminal(args.format, args.output)
    ruleset = ruleset_from(args)
    waivers = waivers_from(args, ruleset)
    check_output(args.output, [args.file])
    baseline = None
    if args.baseline:
        from checker.baseline import load_baseline

        baseline = load_baseline(args.baseline)
    note(args, f"检查 1 个文件：{args.file}")
    try:
        result = shown_result(waivers.apply(audit_path(args.file, ruleset, settings_from(args))))
    except ReadError as problem:
        error(str(problem))
        return EXIT_UNREADABLE
    comparison = baseline.compare(result) if baseline else None
    WRITERS[args.format](result, comparison, args)
    return EXIT_OK


def _json(result: AuditResult, comparison: Comparison | None, args: argparse.Namespace) -> None:
    write_output(audit_json(result, comparison), args.output, [args.file])


def _html(result: AuditResult, comparison: Comparison | None, args: argparse.Namespace) -> None:
    from checker.output.report_html import report_html

    write_output(report_html(result, comparison, args.title), args.output, [args.file])


def _docx(result: AuditResult, comparison: Comparison | None, args: argparse.Namespace) -> None:
    from checker.output.docx_format import audit_docx

    _write_bytes(audit_docx(result, comparison), args.output)


def _table(result: AuditResult, comparison: Comparison | None, args: argparse.Namespace) -> None:
    from checker.output.table import render_audit

    console = output_console(args.output)
    render_audit(result, console, args.only_failed)
    if args.baseline:
        from checker.output.changes import render_comparison

        render_comparison(result, comparison, console)
    if args.output:
        write_output(console.export_text(), args.output, [args.file])


WRITERS = {"table": _table, "json": _json, "html": _html, "docx": _docx}
"""How each format of `formats.formats_of(AUDIT)` is written (tests/test_formats.py holds them equal)."""


def _write_bytes(data: bytes, destination: str | None) -> None:
    """Binary output through open_output: a hidden temporary file renamed over the target, or
    written through (a pipe, /dev/null, stdout when it is not a terminal)."""
    with open_output(destination) as stream:
        stream.flush()
        stream.buffer.write(data)
        stream.buffer.flush()


def _quoted(path: str) -> str:
    """The path as it can be typed back into the shell."""
    import shlex  # only for this message

    return shlex.quote(path)
