"""Many reports at once: find the inputs, score them across processes, rank and tally them.

Nothing here prints. Scoring yields results one by one, in input order whatever the number of
processes, so a caller can stream them (JSONL, CSV), drive a progress bar, or collect them for a
ranked document (table, JSON, HTML) and get the same bytes from `--jobs 1` and `--jobs 8`.
"""
from __future__ import annotations

import itertools
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import PurePath

from checker.baseline import Comparison

from checker.models import AuditResult, RuleSetRef, Status
from checker.pipeline import RunSettings, audit_path
from checker.readers import SUPPORTED_SUFFIXES, UNREADABLE_REPORT_SUFFIXES, ReadError
from checker.ruleset import RuleSet, load_ruleset
from checker.scoring import GRADES

MAX_CHUNK = 16
"""Files per task: large enough to hide the inter-process round trip (a text report takes ~5 ms),
small enough that the progress bar moves and one slow PDF does not hold back a long run."""
POOL_THRESHOLD = 32
"""Below this many files the default is one process: starting workers (0.1-0.6 s, see
`_start_method`) costs more than scoring a few dozen text reports (~5 ms each)."""
CHUNKS_IN_FLIGHT = 4
"""Tasks queued per worker: enough that none waits for the parent, few enough to keep memory flat."""


WORKER_LOST = "检查进程意外退出（内存不足？），此文件未检查 / worker process died"


@dataclass(frozen=True)
class FileError:
    """An input that produced no result: unreadable, not a report, or a bug while scoring it."""

    file: str
    error: str
    """One line for the user."""
    traceback: str | None = None
    """Set only for a bug (not a ReadError): the command shows it so the bug is not hidden."""


Outcome = AuditResult | FileError


@dataclass(frozen=True)
class Inputs:
    files: list[str]
    errors: list[FileError]
    """Folders that could not be listed."""


# ---------------------------------------------------------------- finding the inputs

def find_inputs(paths: Sequence[str], patterns: Sequence[str] = ()) -> Inputs:
    """Folders are walked; any other argument is taken as a file, so a missing or unsupported
    file named on the command line becomes an error row instead of vanishing. Each file counts
    once however many arguments reach it."""
    files: list[str] = []
    errors: list[FileError] = []
    seen: set[str] = set()
    for argument in paths:
        found = _walk(argument, patterns, errors) if os.path.isdir(argument) else [argument]
        for path in found:
            real = os.path.realpath(path)
            if real not in seen:
                seen.add(real)
                files.append(path)
    return Inputs(files, errors)


def _walk(top: str, patterns: Sequence[str], errors: list[FileError]) -> Iterator[str]:
    def unreadable(problem: OSError) -> None:
        errors.append(FileError(str(problem.filename or top), f"无法读取目录：{problem.strerror or problem}"))

    # followlinks=False: a linked folder is listed but never entered, so a link loop cannot recur.
    for folder, folders, names in os.walk(top, onerror=unreadable):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(names):
            path = os.path.join(folder, name)
            if _wanted(name, PurePath(os.path.relpath(path, top)).as_posix(), patterns):
                yield path


def _wanted(name: str, relative: str, patterns: Sequence[str]) -> bool:
    # "~$…" are the lock files Word and WPS leave beside an open document: never a report.
    suffix = PurePath(name).suffix.lower()
    if name.startswith((".", "~$")) or suffix not in SUPPORTED_SUFFIXES + UNREADABLE_REPORT_SUFFIXES:
        return False
    return not patterns or any(fnmatch(relative, pattern) or fnmatch(name, pattern) for pattern in patterns)


# ---------------------------------------------------------------- scoring

def score_file(path: str, ruleset: RuleSet, settings: RunSettings | None = None) -> Outcome:
    try:
        return audit_path(path, ruleset, settings)
    except ReadError as problem:
        return FileError(path, problem.reason)
    except Exception as problem:  # noqa: BLE001 - one bad file must not end a batch of thousands
        first_line = (str(problem).strip().splitlines() or [""])[0]
        return FileError(path, f"内部错误 {type(problem).__name__}: {first_line}", traceback.format_exc())


def default_jobs(count: int) -> int:
    return 1 if count < POOL_THRESHOLD else os.cpu_count() or 1


@contextmanager
def scoring(files: Sequence[str], ruleset: RuleSet, settings: RunSettings | None,
            jobs: int) -> Iterator[Iterator[Outcome]]:
    """One outcome per file, in the order of `files`. `jobs` 1 scores in this process.

    Otherwise the workers start on entry, before the caller starts anything else (a progress
    bar's thread, see `_start_method`), and leaving the block stops them, however it is left.
    """
    workers = min(jobs, len(files))
    if workers <= 1:
        yield (score_file(path, ruleset, settings) for path in files)
        return
    size = max(1, min(MAX_CHUNK, len(files) // (workers * CHUNKS_IN_FLIGHT)))
    chunks = (files[start:start + size] for start in range(0, len(files), size))
    pools = _Pools(ruleset.path, settings)
    try:
        main = pools.start(workers)
        pending = deque((chunk, main.submit(_score_chunk, chunk))
                        for chunk in itertools.islice(chunks, workers * CHUNKS_IN_FLIGHT))
        yield _in_order(pools, main, workers, pending, chunks)
    except BaseException:
        pools.stop_now()
        raise
    pools.shutdown()


class _Pools:
    """The worker pools of one batch: the main one, replaced when a worker dies, and the
    one-worker pools that rescore what it lost file by file."""

    def __init__(self, rules_path: str, settings: RunSettings | None) -> None:
        self._initargs = (rules_path, settings)
        self._live: list[ProcessPoolExecutor] = []

    def start(self, workers: int) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(_start_method()),
                                   initializer=_start_worker, initargs=self._initargs)
        self._live.append(pool)
        return pool

    def retire(self, pool: ProcessPoolExecutor) -> None:
        self._live.remove(pool)
        _stop_now(pool)

    def stop_now(self) -> None:
        for pool in self._live:
            _stop_now(pool)

    def shutdown(self) -> None:
        for pool in self._live:
            pool.shutdown(wait=True)


def _stop_now(pool: ProcessPoolExecutor) -> None:
    """Ctrl-C, a closed pipe or a failure downstream: end the workers instead of letting them
    finish their queued tasks. A graceful shutdown interrupted by a second Ctrl-C would leave them
    waiting for work forever, and the interpreter waiting for them at exit."""
    processes = list((pool._processes or {}).values())  # no public way before terminate_workers() in 3.14
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()


def _start_method() -> str:
    """fork when it is safe: workers inherit the imported modules, ~0.1 s to a first result
    against ~0.6 s for a forkserver whose workers import fzcheck again. Forking a process that
    runs other threads can deadlock the child, and macOS frameworks do not survive a fork."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and sys.platform != "darwin" and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _in_order(pools: _Pools, main: ProcessPoolExecutor, workers: int, pending: deque[tuple[Sequence[str], Future[list[Outcome]]]],
              chunks: Iterator[Sequence[str]]) -> Iterator[Outcome]:
    # A bounded window of tasks, refilled as the oldest completes: memory stays flat on 100,000
    # files, and results come back in input order whatever finishes first.
    while pending:
        chunk, task = pending.popleft()
        try:
            outcomes = task.result()
        except BrokenProcessPool:
            # A worker killed outright (out of memory, a crash in C code) breaks the whole pool and
            # every task in flight. A new pool takes the chunks not yet sent; what was in flight is
            # rescored one file at a time, so the file that kills its worker again is the only loss.
            lost = [path for files in [chunk, *(waiting for waiting, _ in pending)] for path in files]
            pools.retire(main)
            main = pools.start(workers)
            pending = deque((following, main.submit(_score_chunk, following))
                            for following in itertools.islice(chunks, workers * CHUNKS_IN_FLIGHT))
            yield from _one_by_one(pools, lost)
            continue
        following = next(chunks, None)
        if following is not None:
            pending.append((following, main.submit(_score_chunk, following)))
        yield from outcomes


ATTEMPTS = 2
"""A file whose worker dies is tried once more in a fresh worker before it becomes an error row."""


def _one_by_one(pools: _Pools, paths: Sequence[str]) -> Iterator[Outcome]:
    single = pools.start(1)
    try:
        for path in paths:
            for _ in range(ATTEMPTS):
                try:
                    yield from single.submit(_score_chunk, [path]).result()
                    break
                except BrokenProcessPool:
                    pools.retire(single)
                    single = pools.start(1)
            else:
                yield FileError(path, WORKER_LOST)
    finally:
        pools.retire(single)


# A worker's rule set, loaded once by the pool initializer: a compiled rule set holds closures
# and an Aho-Corasick automaton, so it cannot be pickled and sent with every task.
_worker_state: tuple[RuleSet, RunSettings | None] | None = None


def _start_worker(rules_path: str, settings: RunSettings | None) -> None:
    # Ctrl-C reaches the whole process group; the parent alone handles it and cancels the rest.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler (checker.cli): terminate() ends it
    threading.Thread(target=_exit_with, args=(os.getppid(),), daemon=True).start()
    global _worker_state
    _worker_state = (load_ruleset(rules_path), settings)


PARENT_CHECK = 0.5
"""Seconds between a worker's checks that the batch it works for still runs."""


def _exit_with(parent: int) -> None:
    """A parent killed outright (SIGKILL, OOM) cannot stop its workers: each stops itself once it
    is orphaned (its parent, the batch or its fork server, changes), instead of waiting for work
    that will never come."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK)
    os._exit(1)


def _score_chunk(paths: Sequence[str]) -> list[Outcome]:
    assert _worker_state is not None, "worker started without its initializer"
    ruleset, settings = _worker_state
    return [score_file(path, ruleset, settings) for path in paths]


# ---------------------------------------------------------------- ranking and tallying

@dataclass(frozen=True)
class Ranked:
    rank: int
    result: AuditResult
    comparison: Comparison | None = None


@dataclass(frozen=True)
class RuleTally:
    id: str
    title: str
    counts: dict[Status, int]
    """Every status, zeros included."""


@dataclass(frozen=True)
class Summary:
    files: int
    reports: int
    errors: int
    mean_score: float | None
    grades: dict[str, int]
    """Every grade, best first, zeros included, so tables and charts have fixed columns."""
    by_rule: list[RuleTally]
    """Most-missed requirement first: by 未达标, then 部分达标, then rule-set order."""
    compared: int = 0
    """Reports matched with a baseline report."""
    mean_delta: float | None = None


@dataclass
class Tally:
    """Running totals, so a streamed batch of any size is summarised without keeping its results."""

    reports: int = 0
    score_total: float = 0.0
    grades: Counter[str] = field(default_factory=Counter)
    rules: dict[str, tuple[str, Counter[Status]]] = field(default_factory=dict)
    errors: list[FileError] = field(default_factory=list)
    compared: int = 0
    delta_total: float = 0.0

    def add(self, outcome: Outcome, comparison: Comparison | None = None) -> None:
        if isinstance(outcome, FileError):
            self.errors.append(outcome)
            return
        self.reports += 1
        self.score_total += outcome.score
        self.grades[outcome.grade] += 1
        for item in outcome.results:
            self.rules.setdefault(item.id, (item.title, Counter()))[1][item.status] += 1
        if comparison is not None:
            self.compared += 1
            self.delta_total += comparison.delta

    def summary(self) -> Summary:
        order = {rule_id: index for index, rule_id in enumerate(self.rules)}
        by_rule = [RuleTally(rule_id, title, {status: counts[status] for status in Status})
                   for rule_id, (title, counts) in self.rules.items()]
        by_rule.sort(key=lambda rule: (-rule.counts[Status.FAIL], -rule.counts[Status.PARTIAL], order[rule.id]))
        return Summary(
            files=self.reports + len(self.errors),
            reports=self.reports,
            errors=len(self.errors),
            mean_score=round(self.score_total / self.reports, 1) if self.reports else None,
            grades={label: self.grades[label] for _, label in GRADES},
            by_rule=by_rule,
            compared=self.compared,
            mean_delta=round(self.delta_total / self.compared, 1) if self.compared else None,
        )


@dataclass(frozen=True)
class BatchReport:
    """Everything a ranked document (table, JSON, HTML) shows, decided before any rendering."""

    ruleset: RuleSetRef
    ruleset_title: str
    ranked: list[Ranked]
    errors: list[FileError]
    summary: Summary
    baseline: str | None = None
    """The baseline file compared with, if any (its reports may have matched none of these)."""


def rank(scored: Iterable[tuple[AuditResult, Comparison | None]]) -> list[Ranked]:
    """Best score first, then by path; equal scores share a rank (1, 2, 2, 4)."""
    ordered = sorted(scored, key=lambda pair: (-pair[0].score, pair[0].file))
    ranked: list[Ranked] = []
    for position, (result, comparison) in enumerate(ordered, start=1):
        tied = ranked and ranked[-1].result.score == result.score
        ranked.append(Ranked(ranked[-1].rank if tied else position, result, comparison))
    return ranked
