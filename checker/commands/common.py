"""What several commands share: the report options, loading the rule set, messages on stderr and
writing output files without ever leaving a half-written one."""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

from rich.console import Console

from checker.document import Overrides
from checker.ruleset import RuleSet, RuleSetError, load_ruleset

stderr = Console(stderr=True, highlight=False)


def add_report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rules", metavar="FILE", help="使用其他规则集文件（默认：内置全国规则集）")
    parser.add_argument("--year", type=int, help="报告所属年度（覆盖自动识别）")
    parser.add_argument("--published", type=_iso_date, metavar="YYYY-MM-DD", help="发布日期（覆盖自动识别）")
    parser.add_argument("--kind", choices=("government", "department"), help="报告主体类型（覆盖自动识别）")


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def overrides_from(args: argparse.Namespace) -> Overrides:
    return Overrides(year=args.year, published=args.published, kind=args.kind)


def ruleset_from(args: argparse.Namespace) -> RuleSet:
    """Raises RuleSetError, which the CLI turns into exit code 2."""
    return load_ruleset(args.rules)


def error(message: str) -> None:
    stderr.print(f"[bold red]fzcheck: 错误：[/bold red]{message}", soft_wrap=True, markup=True, highlight=False)


def rule_error(problem: RuleSetError) -> None:
    error(str(problem))
    if problem.context:
        stderr.print(problem.context, markup=False, highlight=False)


def write_output(text: str | bytes, destination: str | None, inputs: list[str] | tuple[str, ...] = ()) -> None:
    """Write to stdout, or atomically to a file (temporary file, then rename) that is not an input."""
    if destination is None or destination == "-":
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            sys.stdout.write(text if text.endswith("\n") else text + "\n")
        sys.stdout.flush()
        return
    target = Path(destination).resolve()
    if any(Path(item).resolve() == target for item in inputs if item != "-"):
        raise OutputError(f"{destination}：输出文件不能是输入文件")
    target.parent.mkdir(parents=True, exist_ok=True)
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class OutputError(Exception):
    """An output destination the command must refuse (it would overwrite an input)."""
