"""The progress bar of the commands that score many files (batch, rules health), on stderr.

Off when stderr is not a terminal (CI logs, tests) and with --quiet. No stdout redirection: rich
would otherwise route stdout through the stderr console while the bar is shown.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeRemainingColumn
from rich.text import Text

from checker.commands.common import stderr


@contextmanager
def progress_bar(total: int, quiet: bool) -> Iterator[Callable[[int], None]]:
    """A function to call with how many more files are scored, as they are. Without a bar it
    does nothing: a disabled rich bar still keeps its rate samples, under a lock, at every call."""
    if quiet or not stderr.is_terminal:
        yield lambda count: None
        return
    progress = Progress(TextColumn("检查报告"), BarColumn(), MofNCompleteColumn(), _RateColumn(),
                        TextColumn("剩余"), TimeRemainingColumn(), console=stderr, transient=True,
                        redirect_stdout=False, redirect_stderr=False)
    with progress:
        task = progress.add_task("", total=total)
        yield lambda count: progress.advance(task, count)


class _RateColumn(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:.1f} 份/秒" if task.speed else "— 份/秒", style="progress.data.speed")
