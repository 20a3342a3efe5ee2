"""Command-line entry point: argument parsing only. Each command lives in checker.commands and
returns its exit code; user errors become one line on stderr, never a traceback.

Only the command being run is imported (a batch's process pool and progress bar are not
loaded to audit one file): imports are most of a cold start. The parser speaks Chinese and wraps
its help by display width (checker/commands/help_format.py); the project's configuration file
gives the command's defaults (checker/config.py).
"""
from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
from importlib import import_module

from checker.commands import EXIT_CHECK_FAILED, EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE
from checker.commands.common import error, note, silence_stdout, usage_error
from checker.commands.help_format import HelpFormatter, in_chinese
from checker.config import Config, find_config, read_config
from checker.errors import UsageError

COMMANDS = ("audit", "batch", "precheck", "rules", "serve")
VERSION_OPTIONS = ("--version", "-V")

EPILOG = """退出码 (exit codes):
  0  检查已完成 (checked; any score)
  1  precheck 未通过 (precheck failed: score below threshold or a blocking item not passed)
  2  用法或规则集错误 (usage or rule-file error)
  3  有输入文件无法读取 (some input could not be read)
"""


class Parser(argparse.ArgumentParser):
    """argparse in Chinese (help_format), with its errors in fzcheck's one form ("fzcheck: 错误：…",
    then the usage of the command they were made to) and a closed pipe while help is printed
    (`fzcheck -h | head -1`) ending quietly."""

    @in_chinese
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    parse_known_args = in_chinese(argparse.ArgumentParser.parse_known_args)
    format_usage = in_chinese(argparse.ArgumentParser.format_usage)
    format_help = in_chinese(argparse.ArgumentParser.format_help)
    add_subparsers = in_chinese(argparse.ArgumentParser.add_subparsers)

    def error(self, message: str) -> None:  # type: ignore[override]
        error(message)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE)

    def exit(self, status: int = 0, message: str | None = None) -> None:  # type: ignore[override]
        try:
            sys.stdout.flush()  # help and --version, before Python's own flush at exit fails on a closed pipe
        except BrokenPipeError:
            silence_stdout()
        super().exit(status, message)


class _Version(argparse.Action):
    """--version: the version checker/__init__.py states (pyproject.toml reads it from there)."""

    def __init__(self, option_strings: list[str], dest: str = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        from checker import __version__

        sys.stdout.write(f"fzcheck {__version__}\n")
        parser.exit()


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser for `argv` (default sys.argv): with every command, or, when `argv` starts with
    one, with that command alone, which parses and reports errors the same way (and with none for
    --version or an unknown command, which need no command's module)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in COMMANDS:
        chosen: tuple[str, ...] = (argv[0],)
    elif argv[:1] and (argv[0] in VERSION_OPTIONS or not argv[0].startswith("-")):
        chosen = ()
    else:
        chosen = COMMANDS
    parser = Parser(
        prog="fzcheck",
        description="法治政府建设年度报告合规检查 (compliance checklist for annual rule-of-law government reports)",
        epilog=EPILOG,
    )
    parser.add_argument(*VERSION_OPTIONS, action=_Version, help="显示版本号并退出")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in chosen:
        module = import_module(f"checker.commands.{name}")
        sub = commands.add_parser(name, help=module.HELP, description=module.HELP,
                                  epilog=getattr(module, "EPILOG", EPILOG))
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    started = time.perf_counter()
    previous = _on_stop_signals()
    try:
        args = _parse(build_parser(argv), argv)
        code = args.run(args)
        sys.stdout.flush()  # a closed pipe is found here, not in Python's flush at exit
        note(args, f"用时 {time.perf_counter() - started:.2f} 秒，退出码 {code}")
        if code in (EXIT_CHECK_FAILED, EXIT_UNREADABLE) and getattr(args, "exit_zero", False):
            return EXIT_OK  # what was found is in the output; only fzcheck failing to run is not 0
        return code
    except UsageError as problem:
        usage_error(problem)
        return EXIT_USAGE
    except KeyboardInterrupt:
        error("已中断")
        return 128 + _stopped_by.get("signal", signal.SIGINT)
    except BrokenPipeError:
        # `fzcheck … | head`: the reader has all it wanted. What is still buffered goes to
        # /dev/null, so that neither this nor Python's flush at exit raises again.
        silence_stdout()
        return EXIT_OK
    finally:
        if not _stopped_by:  # once stopped, further signals stay ignored until the process ends
            for number, handler in previous.items():
                signal.signal(number, handler)


def _parse(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    """parse_args, with a mistyped command answered by the nearest one, an unknown option by the
    usage of the command it was given to (argparse would show the top-level usage), and the
    configuration file's values where the command line gives none."""
    if argv and not argv[0].startswith("-") and argv[0] not in COMMANDS:
        parser.error(_unknown_command(argv[0]))
    named = _named(parser, argv)
    config = _config(argv) if "--config" in named._option_string_actions else None
    if config is not None:
        from checker.commands.config_keys import apply_config, unwrap  # only with a file

        apply_config(config, argv[0], named)
    args, extras = parser.parse_known_args(argv)
    if extras:
        _innermost(parser, args).error(f"无法识别的参数：{' '.join(extras)}")
    args.config_used, args.from_config = config, unwrap(args) if config is not None else frozenset()
    if getattr(args, "quiet", False) and getattr(args, "verbose", False):
        # One from the file, the other typed (argparse refuses both typed): the command line wins.
        setattr(args, "quiet" if "quiet" in args.from_config else "verbose", False)
    if config is not None:
        taken = "、".join(sorted(name.replace("_", "-") for name in args.from_config)) or "无"
        note(args, f"配置文件：{config.path}（取自其中的选项：{taken}）")
    elif "--config" in named._option_string_actions:
        note(args, "配置文件：不使用（--no-config）" if args.no_config
             else "配置文件：无（从当前目录向上没有 fzcheck.toml，也没有含 [tool.fzcheck] 的 pyproject.toml）")
    return args


def _config(argv: list[str]) -> Config | None:
    """The configuration `argv` asks for: the file --config names, none with --no-config or -h
    (help needs none, and a broken file must not hide it), else the one found upward from the
    current folder (checker/config.py)."""
    chosen = _Lookahead.read(argv)
    if chosen is not None:
        if chosen.help or chosen.no_config:
            return None
        if chosen.config is not None:
            return read_config(chosen.config, named=True)
    return find_config(os.getcwd())


class _Lookahead(Parser):
    """--config, --no-config and -h, read before the command's parser is given the file's values,
    the way that parser will read them (abbreviations, `--config=FILE` and `--` included)."""

    class Unclear(Exception):
        """What the real parser will report."""

    @classmethod
    def read(cls, argv: list[str]) -> argparse.Namespace | None:
        lookahead = cls(add_help=False)
        lookahead.add_argument("-h", "--help", action="store_true")
        lookahead.add_argument("--config")
        lookahead.add_argument("--no-config", action="store_true")
        try:
            return lookahead.parse_known_args(argv)[0]
        except cls.Unclear:
            return None

    def error(self, message: str) -> None:  # type: ignore[override]
        raise self.Unclear(message)


def _named(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.ArgumentParser:
    """The (sub)command parser the leading words of `argv` name: `rules show ID` -> show's."""
    for word in argv:
        choices = next((action.choices for action in parser._actions
                        if isinstance(action, argparse._SubParsersAction)), {})
        if word not in choices:
            return parser
        parser = choices[word]
    return parser


def _unknown_command(name: str) -> str:
    import difflib  # only for a mistyped command

    close = difflib.get_close_matches(name.lower(), COMMANDS, n=1, cutoff=0.6)
    if close:
        return f"未知命令 {name}，是否要用 {close[0]}？"
    return f"未知命令 {name}（可用的命令：{'、'.join(COMMANDS)}）"


def _innermost(parser: argparse.ArgumentParser, args: argparse.Namespace) -> argparse.ArgumentParser:
    """The (sub)command parser the arguments reached: `fzcheck rules validate` -> validate's."""
    while True:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction) and getattr(args, action.dest, None) in action.choices:
                parser = action.choices[getattr(args, action.dest)]
                break
        else:
            return parser


_stopped_by: dict[str, int] = {}


def _on_stop_signals() -> dict[int, object]:
    """Ctrl-C and SIGTERM unwind the command (so temporary files are removed and workers ended),
    and a second one while that cleanup runs is ignored rather than breaking it."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {number: signal.signal(number, _stop) for number in (signal.SIGINT, signal.SIGTERM)}


def _stop(number: int, frame: object) -> None:
    _stopped_by["signal"] = number
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
