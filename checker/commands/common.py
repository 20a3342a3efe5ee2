"""What several commands share: the report options, loading the rule set, messages on stderr and
writing output files without ever leaving a half-written one.

rich is imported only when something is printed through it (an error, a table): a JSON audit
never needs its 25 ms.
"""
from __future__ import annotations

import argparse
import errno
import io
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from checker.document import Overrides
from checker.errors import UsageError
from checker.os_errors import explain
from checker.output.safe_text import shown_name
from checker.pipeline import RunSettings
from checker.readers import ReadLimits
from checker.ruleset import RuleSet, UnknownRuleError, load_ruleset
from checker.waivers import NO_WAIVERS, Waivers

if TYPE_CHECKING:
    from rich.console import Console

DEFAULT_LIMITS = ReadLimits()
MB = 1_000_000


def add_report_options(parser: argparse.ArgumentParser, fill_in: bool = False) -> None:
    """`fill_in` (batch): --year, --published and --kind fill in only what a report does not state,
    instead of overriding it (audit, precheck: the user knows the file)."""
    given = "（只用于报告本身未写明的报告，不覆盖报告中识别出的值；逐个文件指定用 --meta）" if fill_in else "（覆盖自动识别）"
    parser.add_argument("--rules", metavar="FILE", help="使用其他规则集文件（默认：内置全国规则集）")
    parser.add_argument("--year", type=parse_year, metavar="YYYY", help=f"报告所属年度，四位数年份{given}")
    parser.add_argument("--published", type=parse_date, metavar="YYYY-MM-DD", help=f"发布日期{given}")
    parser.add_argument("--kind", type=parse_kind, metavar="{government,department,政府,部门}",
                        help=f"报告主体类型：government 或 政府，department 或 部门{given}")
    limits = parser.add_argument_group("读取上限（真实报告远低于这些值；超过的文件记为一条错误）")
    limits.add_argument("--max-pages", type=_positive(int), default=DEFAULT_LIMITS.max_pages, metavar="N",
                        help=f"PDF 页数上限（默认 {DEFAULT_LIMITS.max_pages}）")
    limits.add_argument("--max-file-mb", type=_positive(float), default=DEFAULT_LIMITS.max_bytes / MB, metavar="MB",
                        help=f"Word/PDF 文件大小上限（默认 {DEFAULT_LIMITS.max_bytes // MB} MB）")
    limits.add_argument("--max-text", type=_positive(int), default=DEFAULT_LIMITS.max_text, metavar="N",
                        help=f"一个文件的文字字数上限，也是文本和网页文件的字节上限（默认 {DEFAULT_LIMITS.max_text:,}）")
    limits.add_argument("--max-read-seconds", type=_positive(float), default=DEFAULT_LIMITS.max_seconds, metavar="S",
                        help=f"读取一个文件的时间上限（默认 {DEFAULT_LIMITS.max_seconds:g} 秒）")


def add_glob_option(parser: argparse.ArgumentParser) -> None:
    """batch and rules health: which of the files found are read."""
    parser.add_argument("--glob", action="append", metavar="PATTERN",
                        help="只检查文件名或相对路径匹配的文件，如 '*2024*'、'区县/*.pdf'（可多次使用；不限制直接列出的文件）")


def add_run_options(parser: argparse.ArgumentParser) -> None:
    """What every checking command shares beyond the report: which rules, the exit code, how much
    is said on stderr, and the configuration file (checker/config.py)."""
    parser.add_argument("--select", type=rule_ids, metavar="RULE_ID,...",
                        help="只检查这些规则（逗号分隔的规则编号，见 fzcheck rules list）；得分只按所选规则计算")
    parser.add_argument("--ignore", type=rule_ids, metavar="RULE_ID,...",
                        help="不检查这些规则（逗号分隔）；可与 --select 同用")
    parser.add_argument("--waivers", metavar="FILE",
                        help="豁免文件（YAML）：对哪些报告（文件名、报告主体或年度）免查哪条规则，写明理由、批准单位和有效期。"
                             "豁免的检查项显示为“豁免”和原结论，不计入得分，不影响 precheck 的结论；"
                             "文件中有过期的豁免时退出码为 2（写法见 docs/dsl.md）")
    parser.add_argument("--exit-zero", action="store_true",
                        help="有报告未通过或有文件无法读取时也以 0 退出（用法、配置、规则集和输出错误仍为 2）")
    talk = parser.add_mutually_exclusive_group()
    talk.add_argument("--quiet", "-q", action="store_true", help="标准错误上只显示错误（不显示进度条、提示和汇总）")
    talk.add_argument("--verbose", "-v", action="store_true",
                      help="在标准错误上说明所用的配置文件、规则集（路径和摘要）、文件数和用时")
    add_config_options(parser)


def add_config_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE",
                        help="使用这个配置文件（默认从当前目录向上查找 fzcheck.toml 或含 [tool.fzcheck] 的 pyproject.toml）")
    parser.add_argument("--no-config", action="store_true", help="不读取配置文件")


def rule_ids(text: str) -> tuple[str, ...]:
    """--select and --ignore: rule ids separated by commas (a Chinese comma too) or spaces."""
    ids = tuple(dict.fromkeys(part for part in text.replace("，", ",").replace(" ", ",").split(",") if part))
    if not ids:
        raise argparse.ArgumentTypeError(f"应为以逗号分隔的规则编号，如 court-appearance-rate,legal-advisers：{text!r}")
    return ids


def positive_integer(text: str) -> int:
    """--jobs, --min-reports: a whole number, at least 1."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"应为正整数：{text}")
    return int(text)


def _positive(kind):
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"应为正数：{text}") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"应为正数：{text}")
        return value
    return parse


KINDS = {"government": "government", "department": "department", "政府": "government", "部门": "department"}
"""What --kind accepts: the JSON's words and the Chinese ones."""


def parse_kind(text: str) -> str:
    kind = KINDS.get(text.strip().lower())
    if kind is None:
        raise argparse.ArgumentTypeError(f"应为 government（政府）或 department（部门）：{text}")
    return kind


def parse_year(text: str) -> int:
    """A four-digit year: `--year 24` is refused rather than read as the year 24."""
    text = text.strip()
    if not (len(text) == 4 and text.isascii() and text.isdigit() and text[0] != "0"):
        raise argparse.ArgumentTypeError(f"年度应为四位数年份，如 2024：{text}")
    return int(text)


def parse_date(text: str) -> date:
    """YYYY-MM-DD and a day that exists: 2024-02-30 is refused as no such day, not as a bad format."""
    text = text.strip()
    parts = text.split("-")
    if not (len(parts) == 3 and [len(part) for part in parts] == [4, 2, 2]
            and all(part.isascii() and part.isdigit() for part in parts)):
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD，如 2025-03-20：{text}")
    year, month, day = map(int, parts)
    if not 1 <= month <= 12:
        raise argparse.ArgumentTypeError(f"没有这一天：{text}（月份应为 01–12）")
    try:
        return date(year, month, day)
    except ValueError:
        from calendar import monthrange  # only to say why a date was refused

        last = monthrange(year, month)[1]
        raise argparse.ArgumentTypeError(f"没有这一天：{text}（{year} 年 {month} 月只有 {last} 天）") from None


def settings_from(args: argparse.Namespace, fill_in: bool = False) -> RunSettings:
    """`fill_in` (batch): the report options are defaults, not overrides (see `add_report_options`)."""
    limits = replace(DEFAULT_LIMITS, max_pages=args.max_pages, max_bytes=int(args.max_file_mb * MB),
                     max_text=args.max_text, max_seconds=args.max_read_seconds)
    given = Overrides(year=args.year, published=args.published, kind=args.kind)
    if fill_in:
        return RunSettings(limits=limits, defaults=given)
    return RunSettings(given, limits)


def ruleset_from(args: argparse.Namespace) -> RuleSet:
    """The rule set --rules names, with only the rules --select and --ignore leave (`rules list`
    and the like have neither). Raises RuleSetError or UsageError, exit code 2."""
    ruleset = load_ruleset(args.rules)
    select, ignore = getattr(args, "select", None), getattr(args, "ignore", None) or ()
    if select is not None or ignore:
        try:
            ruleset = ruleset.subset(select, ignore)
        except UnknownRuleError as problem:
            option = "select" if problem.rule_id in (select or ()) else "ignore"
            raise UsageError(f"{given_as(args, option)}：{problem}") from None
    note(args, f"规则集：{ruleset.path}（{ruleset.id} {ruleset.version}，{len(ruleset.rules)} 条规则，"
               f"sha256 {ruleset.digest[:16]}）")
    return ruleset


def waivers_from(args: argparse.Namespace, ruleset: RuleSet) -> Waivers:
    """The waivers --waivers names, checked against every rule of the set in use, before --select
    and --ignore (a project's waivers file serves a run of a few rules too), or none. Raises
    WaiverError, exit code 2."""
    if args.waivers is None:
        return NO_WAIVERS
    from checker.waiverfile import load_waivers  # yaml and pydantic: only for a waivers file

    waivers = load_waivers(args.waivers, load_ruleset(ruleset.path) if ruleset.selected is not None else ruleset)
    note(args, f"豁免文件：{args.waivers}（{len(waivers.entries)} 条豁免）")
    return waivers


def given_as(args: argparse.Namespace, option: str) -> str:
    """Where the value of `option` came from, for a message: `--select`, or `file:line: select`."""
    if option in args.from_config:
        from checker.commands.config_keys import located

        return located(args.config_used, args.command, option.replace("_", "-"))
    return f"--{option.replace('_', '-')}"


def note(args: argparse.Namespace, message: str) -> None:
    """A line on stderr for -v (commands without -v have no `verbose`)."""
    if getattr(args, "verbose", False):
        from rich.text import Text

        _stderr().print(Text.assemble(("fzcheck: ", "dim"), shown_name(message)), soft_wrap=True, highlight=False)


def __getattr__(name: str) -> Console:
    """`stderr`, the console for messages, made on first use (PEP 562)."""
    if name == "stderr":
        return _stderr()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@cache
def _stderr() -> Console:
    return console(stderr=True, highlight=False)


def console(**options: object) -> Console:
    """A rich Console whose closed pipe is a BrokenPipeError for the CLI to handle (rich's own
    handling exits with code 1, before fzcheck's handler is reached)."""
    return _console_class()(**options)


@cache
def _console_class() -> type[Console]:
    from rich.console import Console

    class PipeConsole(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True  # nothing more is written through this console
            raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))

    return PipeConsole


def silence_stdout() -> None:
    """After a BrokenPipeError on stdout (`fzcheck … | head`): point stdout at /dev/null, so that
    what is still buffered, and the flush when Python exits, go nowhere instead of raising again
    (what the Python documentation recommends, see the note on SIGPIPE in the `signal` docs)."""
    try:
        descriptor = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # replaced by a StringIO, or closed
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, descriptor)
    finally:
        os.close(devnull)


def error(message: str) -> None:
    """One line on stderr; the message is plain text (file names may hold "[...]")."""
    from rich.text import Text

    _stderr().print(Text.assemble(("fzcheck: 错误：", "bold red"), shown_name(message)), soft_wrap=True, highlight=False)


def usage_error(problem: UsageError) -> None:
    """Each problem it carries (a rule file's are reported all at once), on its own line."""
    for each in getattr(problem, "problems", (problem,)):
        error(str(each))
        if each.context:
            _stderr().print(each.context, markup=False, highlight=False)




OUTPUT_WIDTH = 80
"""The width of what is printed for a reader where there is no terminal to measure: `-o FILE`,
`> FILE`, `| less`, a CI log. One number, so that a redirect and -o write the same file whatever
terminal they ran in, and a narrow one, which every viewer shows without wrapping and which the
audit's stacked layout is made for. COLUMNS, when set, is used instead."""


def output_console(destination: str | None) -> Console:
    """The terminal at its width, or stdout that is not a terminal, or a recording console whose
    text `write_output` then puts in the file, at `output_width()`."""
    if destination is None or destination == "-":
        if sys.stdout.isatty():
            return console(highlight=False)  # rich measures the terminal (or reads COLUMNS)
        return console(highlight=False, width=output_width())
    return console(record=True, width=output_width(), file=io.StringIO())


def output_width() -> int:
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else OUTPUT_WIDTH


def check_output(destination: str | None, inputs: Sequence[str]) -> None:
    """Refuse an output that is a folder, one of the inputs, or cannot be created; called before
    any work is done, so a long batch cannot fail at its very last step."""
    if destination is None or destination == "-" or _written_through(destination):
        return
    target = Path(destination).resolve()
    if target.is_dir():
        raise OutputError(f"{destination}：这是目录，请给出输出文件名")
    if any(item != "-" and Path(item).resolve() == target for item in inputs):
        raise OutputError(f"{destination}：输出文件不能是输入文件")
    try:  # what open_output will do at the end, tried now
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, probe = _temporary_beside(target)
        os.close(handle)
        os.unlink(probe)
    except OSError as problem:
        raise _cannot_write(destination, problem) from None


def _temporary_beside(target: Path) -> tuple[int, str]:
    """A hidden file in the target's folder, to be renamed over it (same file system)."""
    import tempfile  # 3 ms: only when writing a file

    return tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)


def _written_through(destination: str) -> bool:
    """A device, a FIFO, /dev/stdout or a process substitution: written to, never replaced."""
    try:
        return not stat.S_ISREG(os.stat(destination).st_mode) and not stat.S_ISDIR(os.stat(destination).st_mode)
    except OSError:
        return False


def _cannot_write(destination: str, problem: OSError) -> OutputError:
    return OutputError(f"{destination}：无法写入：{explain(problem)}")


def partial_path(destination: str) -> Path:
    """Where an interrupted streamed run keeps what it wrote (see open_output)."""
    return Path(f"{Path(destination).resolve()}.partial")


@contextmanager
def open_output(destination: str | None, encoding: str = "utf-8", keep_partial: bool = False) -> Iterator[TextIO]:
    """stdout as it comes, a device or FIFO written through, or a hidden temporary file beside the
    target renamed over it at the end, so a failed run never leaves a half-written file or a
    damaged earlier one. With `keep_partial` (streamed formats), an interrupted run keeps what it
    wrote as TARGET.partial and says so. A failed write is an OutputError, never a traceback."""
    if destination is None or destination == "-":
        sys.stdout.flush()
        stream = io.TextIOWrapper(sys.stdout.buffer, encoding=encoding, newline="")
        try:
            yield stream
            stream.flush()
        except BrokenPipeError:
            silence_stdout()  # so that detaching, which flushes, does not raise again
            raise
        finally:
            with suppress(BrokenPipeError):
                stream.detach()  # leave sys.stdout open
        return
    if _written_through(destination):
        try:
            with open(destination, "w", encoding=encoding, newline="") as stream:
                yield stream
        except BrokenPipeError:
            raise
        except OSError as problem:
            raise _cannot_write(destination, problem) from None
        return
    target = Path(destination).resolve()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = _temporary_beside(target)
    except OSError as problem:
        raise _cannot_write(destination, problem) from None
    try:
        with open(handle, "w", encoding=encoding, newline="") as stream:
            yield stream
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it owner-only; give it the usual mode
        os.replace(temporary, target)
    except OSError as problem:
        Path(temporary).unlink(missing_ok=True)
        raise _cannot_write(destination, problem) from None
    except BaseException:
        if keep_partial and os.path.getsize(temporary):
            kept = partial_path(destination)
            os.chmod(temporary, 0o666 & ~_umask())
            os.replace(temporary, kept)
            error(f"已中断；已写出的结果保存在 {kept}（用 --resume -o {destination} 继续）")
        else:
            Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def write_output(text: str, destination: str | None, inputs: Sequence[str] = ()) -> None:
    check_output(destination, inputs)
    text = text if text.endswith("\n") else text + "\n"
    if destination is None or destination == "-":
        # Through sys.stdout itself, not its byte buffer (open_output's way, which a streamed CSV
        # needs for its BOM), so a caller that redirected stdout to a StringIO still gets the text.
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    with open_output(destination) as stream:
        stream.write(text)


class OutputError(UsageError):
    """An output destination the command must refuse (it would overwrite an input)."""
