"""Command-line entry point: argument parsing only. Each command lives in checker.commands and
returns its exit code; user errors become one line on stderr, never a traceback.

Only the command being run is imported (a batch's process pool and progress bar are not
loaded to audit one file): imports are most of a cold start.
"""
from __future__ import annotations

import argparse
import signal
import sys
import threading
from importlib import import_module

from checker.commands import EXIT_USAGE
from checker.commands.common import error, usage_error
from checker.errors import UsageError

COMMANDS = ("audit", "batch", "precheck", "rules")

EPILOG = """退出码 (exit codes):
  0  检查已完成 (checked; any score)
  1  precheck 未通过 (precheck failed: score below threshold or a blocking item not passed)
  2  用法或规则集错误 (usage or rule-file error)
  3  有输入文件无法读取 (some input could not be read)
"""


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser for `argv` (default sys.argv): with every command, or, when `argv` starts with
    one, with that command alone, which parses and reports errors the same way."""
    argv = sys.argv[1:] if argv is None else argv
    chosen = argv[:1] if argv and argv[0] in COMMANDS else COMMANDS
    parser = argparse.ArgumentParser(
        prog="fzcheck",
        description="法治政府建设年度报告合规检查 (compliance checklist for annual rule-of-law government reports)",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in chosen:
        module = import_module(f"checker.commands.{name}")
        sub = commands.add_parser(name, help=module.HELP, description=module.HELP,
                                  epilog=getattr(module, "EPILOG", EPILOG),
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser(argv).parse_args(argv)
    previous = _on_stop_signals()
    try:
        return args.run(args)
    except UsageError as problem:
        usage_error(problem)
        return EXIT_USAGE
    except KeyboardInterrupt:
        error("已中断")
        return 128 + _stopped_by.get("signal", signal.SIGINT)
    except BrokenPipeError:
        return 0
    finally:
        if not _stopped_by:  # once stopped, further signals stay ignored until the process ends
            for number, handler in previous.items():
                signal.signal(number, handler)


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
