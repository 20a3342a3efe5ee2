"""Many reports at once: find the inputs, score them across processes, rank and tally them.

Nothing here prints. Each file is scored and then *finished* in the process that scored it: a
`finish` function given by the caller turns its outcome into a small record (what the tally and
the ranking need) and the output the chosen format writes for it. The parent receives only those,
in input order whatever the number of processes, so it does no more than write and tally: it
shares the machine's cores with the workers, and every millisecond it spends per report is taken
from them. Ranked documents keep each report's output in a `Spill` until the ranking is known, so
memory stays flat whatever the corpus.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import tempfile
import threading
import time
import traceback
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from fnmatch import fnmatch
from typing import IO, Any, NamedTuple

from checker.baseline import Comparison
from checker.document import Overrides
from checker.models import AuditResult, RuleSetRef, Status
from checker.os_errors import explain
from checker.pipeline import RunSettings, audit_path
from checker.readers import SUPPORTED_SUFFIXES, UNREADABLE_REPORT_SUFFIXES, ReadError
from checker.result_cache import ResultCache
from checker.ruleset import RuleSet, load_ruleset
from checker.scoring import GRADES

POOL_THRESHOLD = 32
"""Below this many files the default is one process: starting workers (0.1-0.6 s, see
`_start_method`) costs more than scoring a few dozen text reports (~5 ms each)."""
CHUNK_BYTES = 256 * 1024
"""Input bytes per task: about 20 text reports, ~0.1 s of work, which hides the inter-process round
trip, keeps the progress bar moving and lets the other worker go on past one large file."""
FILE_BYTES = 4096
"""What a file weighs in a task beyond its size: reading and scoring any file has a fixed cost."""
MAX_CHUNK = 64
"""Files per task at most, however small they are."""
CHUNKS_IN_FLIGHT = 4
"""Tasks queued per worker: enough that none waits for the parent, few enough to keep memory flat."""
REORDER_WINDOW = 2048
"""Files that may be scored ahead of the oldest unfinished one. Results are handed on in input
order, so while one large file is read the others' results wait here (the other worker goes on
for ~5 s); a report's output is bounded (evidence is quoted in short excerpts, ~20 KB), so this
bounds the parent's memory too (~40 MB at worst)."""


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


# ---------------------------------------------------------------- finding the inputs

@dataclass(frozen=True)
class Inputs:
    files: list[str]
    errors: list[FileError]
    """Folders that could not be listed."""
    sizes: list[int] = field(default_factory=list)
    """Bytes of each file (0 when it cannot be stat'ed), to share the work out by size."""
    identities: frozenset[object] = frozenset()
    """Each file's (device, inode), or its real path when it cannot be stat'ed."""

    def include(self, path: str) -> bool:
        """Whether `path` is one of the inputs, however it is named (link, other spelling)."""
        return _facts(path)[0] in self.identities


def find_inputs(paths: Sequence[str], patterns: Sequence[str] = ()) -> Inputs:
    """Folders are walked; any other argument is taken as a file, so a missing or unsupported
    file named on the command line becomes an error row instead of vanishing. Each file counts
    once however many arguments reach it (by device and inode: one stat per file, where a real
    path costs one per component)."""
    files: list[str] = []
    sizes: list[int] = []
    errors: list[FileError] = []
    seen: set[object] = set()
    for argument in paths:
        found = _walk(argument, patterns, errors) if os.path.isdir(argument) else [(argument, None)]
        for path, entry in found:
            identity, size = _facts(path, entry)
            if identity not in seen:
                seen.add(identity)
                files.append(path)
                sizes.append(size)
    return Inputs(files, errors, sizes, frozenset(seen))


def _facts(path: str, entry: os.DirEntry | None = None) -> tuple[object, int]:
    """A file's identity, its device and inode (its real path when it cannot be stat'ed: missing,
    or a link to nothing, which the reader then reports), and its size."""
    try:
        facts = entry.stat() if entry is not None else os.stat(path)
    except OSError:
        return os.path.realpath(path), 0
    return (facts.st_dev, facts.st_ino), facts.st_size


def _walk(top: str, patterns: Sequence[str], errors: list[FileError]) -> Iterator[tuple[str, os.DirEntry]]:
    """Depth first, each folder's files (sorted) before its subfolders (sorted). Hidden folders
    are skipped and a linked folder is never entered, so a link loop cannot recur."""
    pending = [(top, "")]
    while pending:
        folder, relative = pending.pop()
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as problem:
            errors.append(FileError(str(problem.filename or folder), f"无法读取目录：{explain(problem)}"))
            continue
        subfolders = []
        for entry in entries:
            name = entry.name
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if is_folder:
                if not name.startswith(".") and not entry.is_symlink():
                    subfolders.append((entry.path, f"{relative}{name}/"))
            elif _wanted(name, relative + name, patterns):
                yield entry.path, entry
        pending.extend(reversed(subfolders))


_SUFFIXES = frozenset(SUPPORTED_SUFFIXES + UNREADABLE_REPORT_SUFFIXES)


def _wanted(name: str, relative: str, patterns: Sequence[str]) -> bool:
    # "~$…" are the lock files Word and WPS leave beside an open document: never a report.
    if name.startswith((".", "~$")) or os.path.splitext(name)[1].lower() not in _SUFFIXES:
        return False
    return not patterns or any(fnmatch(relative, pattern) or fnmatch(name, pattern) for pattern in patterns)


# ---------------------------------------------------------------- scoring one file

def score_file(path: str, ruleset: RuleSet, settings: RunSettings | None = None,
               cache: ResultCache | None = None) -> Outcome:
    """`audit_path`, or the result of an earlier run from `cache` when it has one."""
    if cache is not None and (kept := cache.lookup(path, settings)) is not None:
        return kept
    try:
        result = audit_path(path, ruleset, settings)
    except ReadError as problem:
        return FileError(path, problem.reason)
    except Exception as problem:  # noqa: BLE001 - one bad file must not end a batch of thousands
        first_line = (str(problem).strip().splitlines() or [""])[0]
        return FileError(path, f"内部错误 {type(problem).__name__}: {first_line}", traceback.format_exc())
    if cache is not None:
        cache.keep(path, settings, result)
    return result


STATUSES = tuple(Status)
_STATUS_CODES = {status: code for code, status in enumerate(STATUSES)}
WAIVED = len(STATUSES)
"""The code of a waived item in `Scored.statuses`, whatever its status: every tally counts it apart."""


class Scored(NamedTuple):
    """What the parent keeps of a scored report: enough to tally and rank it."""

    file: str
    score: float
    grade: str
    statuses: bytes
    """Each rule's status, in rule-set order, as its index in STATUSES, or WAIVED."""
    delta: float | None = None
    """The score change against the baseline report it was matched with."""
    kind: str | None = None
    """government or department (what it is ranked among), or None when not known."""
    not_a_report: str | None = None
    """Why it is not a rule-of-law report (it is then listed apart, out of the ranking and the
    means), or None."""
    waivers: tuple[str, ...] = ()
    """The waivers (by their `source`) that excused an item of it, so that the parent can tell
    which waivers of the file excused nothing in the whole batch."""


def scored(result: AuditResult, comparison: Comparison | None = None) -> Scored:
    return Scored(result.file, result.score, result.grade,
                  bytes(WAIVED if item.waiver else _STATUS_CODES[item.status] for item in result.results),
                  comparison.delta if comparison is not None else None,
                  result.report.kind, result.not_a_report,
                  tuple(dict.fromkeys(item.waiver.source for item in result.results if item.waiver)))


Finished = tuple[Scored | FileError, Any]
"""A file's record (what the parent tallies and ranks) and what its format rendered for it (see `Work`)."""


@dataclass(frozen=True)
class Work:
    """What happens to every file of a batch after it is found, in whichever process scores it.

    `finish` runs where the file was scored and must pickle (a module-level class or function),
    since workers that are not forked receive it that way."""

    finish: Callable[[Outcome], Finished]
    settings: RunSettings | None = None
    cache: ResultCache | None = None
    per_file: Mapping[str, Overrides] = field(default_factory=dict)
    """Facts given for one file (batch --meta), by its path as found: they beat what it states."""

    def __call__(self, path: str, ruleset: RuleSet) -> Finished:
        return self.finish(score_file(path, ruleset, self.settings_for(path), self.cache))

    def flush(self) -> None:
        """Write what the cache kept of the files scored so far (after every task)."""
        if self.cache is not None:
            self.cache.flush()

    def settings_for(self, path: str) -> RunSettings | None:
        given = self.per_file.get(path)
        if given is None:
            return self.settings
        return replace(self.settings or RunSettings(), overrides=given)


# ---------------------------------------------------------------- scoring a batch

def default_jobs(count: int) -> int:
    return 1 if count < POOL_THRESHOLD else os.cpu_count() or 1


class Batch:
    """The files of one batch, being scored: `results` yields each file's `Finished`, in the
    order of the files, and calls `done(n)` as soon as n more files are scored, in whatever order
    they finish, so a progress bar moves while one slow file holds back the ones after it."""

    def __init__(self, files: Sequence[str], sizes: Sequence[int], ruleset: RuleSet, work: Work,
                 pools: _Pools | None, workers: int) -> None:
        self._files, self._sizes, self._ruleset, self._work = files, sizes, ruleset, work
        self._pools, self._workers = pools, workers

    def results(self, done: Callable[[int], None] = lambda count: None) -> Iterator[Finished]:
        if self._pools is None:
            try:
                for count, path in enumerate(self._files, 1):
                    finished = self._work(path, self._ruleset)
                    if count % MAX_CHUNK == 0:
                        self._work.flush()
                    done(1)
                    yield finished
            finally:
                self._work.flush()
            return
        tasks = _tasks(self._files, self._sizes, self._workers)
        yield from _Schedule(self._pools, self._workers, tasks, done, self._work.finish).run()


@contextmanager
def scoring(files: Sequence[str], ruleset: RuleSet, work: Work, jobs: int,
            sizes: Sequence[int] = ()) -> Iterator[Batch]:
    """`jobs` 1 scores in this process. Otherwise the workers start on entry, before the caller
    starts anything else (a progress bar's thread, see `_start_method`), and leaving the block
    stops them, however it is left. `sizes` (bytes per file) shares the work out by size."""
    workers = min(jobs, len(files))
    if workers <= 1:
        yield Batch(files, sizes, ruleset, work, None, 1)
        return
    pools = _Pools(ruleset.path, work, ruleset.selected)
    try:
        pools.main = pools.start(workers)
        yield Batch(files, sizes, ruleset, work, pools, workers)
    except BaseException:
        pools.stop_now()
        raise
    pools.shutdown()


class _Task(NamedTuple):
    start: int
    """Index of its first file in the batch."""
    paths: list[str]


def _tasks(files: Sequence[str], sizes: Sequence[int], workers: int) -> Iterator[_Task]:
    """Consecutive files of about CHUNK_BYTES each (a large file is a task of its own), smaller
    when the batch is small, so that every worker gets several."""
    weights = [size + FILE_BYTES for size in sizes] if sizes else [FILE_BYTES] * len(files)
    budget = max(1, min(CHUNK_BYTES, sum(weights) // (workers * CHUNKS_IN_FLIGHT)))
    start, weight = 0, 0
    for index, size in enumerate(weights):
        if index > start and (weight + size > budget or index - start >= MAX_CHUNK):
            yield _Task(start, list(files[start:index]))
            start, weight = index, 0
        weight += size
    if start < len(files):
        yield _Task(start, list(files[start:]))


class _Schedule:
    """Tasks sent to the pool and their results accepted as they complete; results go on in input
    order through a reorder buffer bounded by REORDER_WINDOW."""

    def __init__(self, pools: _Pools, workers: int, tasks: Iterator[_Task], done: Callable[[int], None],
                 finish: Callable[[Outcome], Finished]) -> None:
        self._pools, self._workers, self._tasks, self._done, self._finish = pools, workers, tasks, done, finish
        self._in_flight: dict[Future[list[Finished]], _Task] = {}
        self._finished: dict[int, list[Finished]] = {}
        self._next = 0
        """Index of the first file whose result has not been handed on."""
        self._waiting: _Task | None = None
        """The next task, taken from `tasks` but not sent (the window is full)."""

    def run(self) -> Iterator[Finished]:
        self._fill()
        while self._in_flight:
            ready, _ = wait(self._in_flight, return_when=FIRST_COMPLETED)
            lost = self._accept(ready)
            if lost:
                self._replace_pool(lost)
            while self._next in self._finished:
                results = self._finished.pop(self._next)
                self._next += len(results)
                yield from results
            self._fill()
        assert not self._finished and self._waiting is None, "a task was left unscored"

    def _fill(self) -> None:
        while len(self._in_flight) < self._workers * CHUNKS_IN_FLIGHT:
            task = self._waiting or next(self._tasks, None)
            if task is None:
                return
            if task.start + len(task.paths) - self._next > REORDER_WINDOW and self._in_flight:
                self._waiting = task
                return
            self._waiting = None
            self._in_flight[self._pools.main.submit(_score_chunk, task.paths)] = task

    def _accept(self, ready: Iterable[Future[list[Finished]]]) -> list[_Task]:
        """Keep the results of the tasks that completed; return those a dead worker lost."""
        lost = []
        for future in ready:
            task = self._in_flight.pop(future)
            try:
                results = future.result()
            except BrokenProcessPool:
                lost.append(task)
                continue
            self._finished[task.start] = results
            self._done(len(results))
        return lost

    def _replace_pool(self, lost: list[_Task]) -> None:
        # A worker killed outright (out of memory, a crash in C code) breaks the whole pool and
        # every task in flight. A new pool takes the tasks not yet sent; what was in flight is
        # rescored one file at a time, so the file that kills its worker again is the only loss.
        for future in list(self._in_flight):
            if future.done() and not future.cancelled() and future.exception() is None:
                self._accept([future])
            else:
                lost.append(self._in_flight.pop(future))
        self._pools.retire(self._pools.main)
        self._pools.main = self._pools.start(self._workers)
        self._fill()
        for task in sorted(lost):
            self._finished[task.start] = list(_one_by_one(self._pools, task.paths, self._done, self._finish))


class _Pools:
    """The worker pools of one batch: the main one, replaced when a worker dies, and the
    one-worker pools that rescore what it lost file by file."""

    def __init__(self, rules_path: str, work: Work, selected: tuple[str, ...] | None) -> None:
        self._initargs = (rules_path, work, selected)
        self._live: list[ProcessPoolExecutor] = []
        self._retired: list[ProcessPoolExecutor] = []
        self.main: ProcessPoolExecutor
        """The pool the batch's tasks go to."""

    def start(self, workers: int) -> ProcessPoolExecutor:
        pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(_start_method()),
                                   initializer=_start_worker, initargs=self._initargs)
        self._live.append(pool)
        return pool

    def retire(self, pool: ProcessPoolExecutor) -> None:
        self._live.remove(pool)
        self._retired.append(pool)
        _stop_now(pool)

    def stop_now(self) -> None:
        for pool in self._live:
            _stop_now(pool)

    def shutdown(self) -> None:
        """Wait for every pool, the retired ones too: a thread of theirs still running would make
        the next batch in this process start its workers without fork."""
        for pool in self._live + self._retired:
            pool.shutdown(wait=True)


def _stop_now(pool: ProcessPoolExecutor) -> None:
    """Ctrl-C, a closed pipe or a failure downstream: end the workers instead of letting them
    finish their queued tasks. A graceful shutdown interrupted by a second Ctrl-C would leave them
    waiting for work forever, and the interpreter waiting for them at exit.

    A worker ended while it sends its results leaves the pool's thread reading the rest of the
    message, and the interpreter joins that thread at exit: closing this process's end of the
    results pipe, the last one open, ends that read, and the thread is joined here."""
    # No public way to any of this before terminate_workers() in 3.14; shutdown() drops them.
    processes = list((pool._processes or {}).values())
    results, thread = pool._result_queue, pool._executor_manager_thread
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    if results is not None:
        results._writer.close()
    if thread is not None:
        thread.join(STOP_SECONDS)


STOP_SECONDS = 10
"""How long stopping a pool waits for its thread, which ends as soon as its workers have."""


def _start_method() -> str:
    """fork when it is safe: workers inherit the imported modules, ~0.1 s to a first result
    against ~0.6 s for a forkserver whose workers import fzcheck again. Forking a process that
    runs other threads can deadlock the child, and macOS frameworks do not survive a fork."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and sys.platform != "darwin" and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


ATTEMPTS = 2
"""A file whose worker dies is tried once more in a fresh worker before it becomes an error row."""


def _one_by_one(pools: _Pools, paths: Sequence[str], done: Callable[[int], None],
                finish: Callable[[Outcome], Finished]) -> Iterator[Finished]:
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
                yield finish(FileError(path, WORKER_LOST))
            done(1)
    finally:
        pools.retire(single)


# A worker's rule set, loaded once by the pool initializer: a compiled rule set holds closures
# and an Aho-Corasick automaton, so it cannot be pickled and sent with every task.
_worker_state: tuple[RuleSet, Work] | None = None


def _start_worker(rules_path: str, work: Work, selected: tuple[str, ...] | None) -> None:
    # Ctrl-C reaches the whole process group; the parent alone handles it and cancels the rest.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler (checker.cli): terminate() ends it
    threading.Thread(target=_exit_with, args=(os.getppid(),), daemon=True).start()
    global _worker_state
    _worker_state = (load_ruleset(rules_path).subset(selected), work)  # the rules --select and --ignore kept


PARENT_CHECK = 0.5
"""Seconds between a worker's checks that the batch it works for still runs."""


def _exit_with(parent: int) -> None:
    """A parent killed outright (SIGKILL, OOM) cannot stop its workers: each stops itself once it
    is orphaned (its parent, the batch or its fork server, changes), instead of waiting for work
    that will never come."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK)
    os._exit(1)


def _score_chunk(paths: Sequence[str]) -> list[Finished]:
    assert _worker_state is not None, "worker started without its initializer"
    ruleset, work = _worker_state
    finished = [work(path, ruleset) for path in paths]
    work.flush()
    return finished


# ---------------------------------------------------------------- ranking and tallying

class Ranked(NamedTuple):
    rank: int
    score: float
    index: int
    """The report's place among the scored documents, in input order (its place in the spill)."""
    file: str = ""


RANKED_KINDS: tuple[str | None, ...] = ("government", "department", None)
"""The rankings of a batch, in the order shown: governments, departments, then reports whose
kind could not be told (a county government is not measured against its own justice bureau)."""
TOGETHER = "all"
"""The kind of the one ranking of `batch --rank-together`."""


@dataclass(frozen=True)
class Ranking:
    kind: str | None
    """A RANKED_KINDS entry, or TOGETHER."""
    ranked: list[Ranked]
    """Its mean is the Summary's (`Summary.mean_of`), which tallied the same scores."""


class Entry(NamedTuple):
    """What ranking needs of a scored document: its score, file, kind and whether it is a
    rule-of-law report at all."""

    score: float
    file: str
    kind: str | None
    report: bool


def rankings(entries: Sequence[Entry], together: bool = False) -> tuple[list[Ranking], list[int]]:
    """The rankings of the reports (one per kind, or one of all), each best first, and the
    places of the documents that are not reports, by path (they are listed apart)."""
    groups: dict[str | None, list[int]] = {}
    apart: list[int] = []
    for index, entry in enumerate(entries):
        if not entry.report:
            apart.append(index)
        else:
            groups.setdefault(TOGETHER if together else entry.kind, []).append(index)
    order = (TOGETHER,) if together else RANKED_KINDS
    result = []
    for kind in order:
        members = groups.get(kind)
        if members:
            ranked = rank([(entries[index].score, entries[index].file) for index in members])
            ranked = [item._replace(index=members[item.index], file=entries[members[item.index]].file)
                      for item in ranked]
            result.append(Ranking(kind, ranked))
    apart.sort(key=lambda index: entries[index].file)
    return result, apart


@dataclass(frozen=True)
class RuleTally:
    id: str
    title: str
    counts: dict[Status, int]
    """Every status, zeros included; a waived item is not counted in its status but in `waived`."""
    index: int = 0
    """The rule's place in the rule set, which is its byte in `Scored.statuses`."""
    waived: int = 0


@dataclass(frozen=True)
class KindTally:
    kind: str | None
    reports: int
    mean_score: float | None


@dataclass(frozen=True)
class Summary:
    files: int
    reports: int
    """Rule-of-law reports: the documents ranked and averaged."""
    errors: int
    mean_score: float | None
    grades: dict[str, int]
    """Every grade, best first, zeros included, so tables and charts have fixed columns."""
    by_rule: list[RuleTally]
    """Most-missed requirement first: by 未达标, then 部分达标, then rule-set order."""
    compared: int = 0
    """Reports matched with a baseline report."""
    mean_delta: float | None = None
    not_reports: int = 0
    """Documents that are not rule-of-law reports (a 政府工作报告, a notice): scored, but out of
    the ranking, the means, the grades and the tallies by rule."""
    by_kind: list[KindTally] = field(default_factory=list)
    """The reports of each kind (RANKED_KINDS order, kinds without reports left out)."""
    waived: int = 0
    """Items a waiver excused, over the reports."""

    def mean_of(self, kind: str | None) -> float | None:
        """The mean score of a ranking's reports: those of one kind, or all of them (TOGETHER)."""
        if kind == TOGETHER:
            return self.mean_score
        return next((tally.mean_score for tally in self.by_kind if tally.kind == kind), None)


class Tally:
    """Running totals, so a streamed batch of any size is summarised without keeping its results."""

    def __init__(self, rules: Sequence[tuple[str, str]]) -> None:
        """`rules`: each rule's id and title as reports show them, in rule-set order."""
        self.rules = list(rules)
        self._counts = [[0] * (WAIVED + 1) for _ in self.rules]
        self.reports = 0
        self.score_total = 0.0
        self.grades: Counter[str] = Counter()
        self.errors: list[FileError] = []
        self.compared = 0
        self.delta_total = 0.0
        self.not_reports = 0
        self._kinds: dict[str | None, list[float]] = {kind: [0, 0.0] for kind in RANKED_KINDS}
        self.waivers_used: set[str] = set()
        """The waivers (by source) that excused an item of some document."""

    def add(self, record: Scored | FileError) -> None:
        if isinstance(record, FileError):
            self.errors.append(record)
            return
        self.waivers_used.update(record.waivers)
        if record.not_a_report is not None:
            self.not_reports += 1
            return
        self.reports += 1
        self.score_total += record.score
        self.grades[record.grade] += 1
        kind = self._kinds[record.kind if record.kind in self._kinds else None]
        kind[0] += 1
        kind[1] += record.score
        for counts, status in zip(self._counts, record.statuses):
            counts[status] += 1
        if record.delta is not None:
            self.compared += 1
            self.delta_total += record.delta

    def summary(self) -> Summary:
        by_rule = [RuleTally(rule_id, title, dict(zip(STATUSES, counts)), index, counts[WAIVED])
                   for index, ((rule_id, title), counts) in enumerate(zip(self.rules, self._counts))
                   if self.reports]
        by_rule.sort(key=lambda rule: (-rule.counts[Status.FAIL], -rule.counts[Status.PARTIAL], rule.index))
        return Summary(
            files=self.reports + self.not_reports + len(self.errors),
            reports=self.reports,
            errors=len(self.errors),
            mean_score=round(self.score_total / self.reports, 1) if self.reports else None,
            grades={label: self.grades[label] for _, label in GRADES},
            by_rule=by_rule,
            compared=self.compared,
            mean_delta=round(self.delta_total / self.compared, 1) if self.compared else None,
            not_reports=self.not_reports,
            by_kind=[KindTally(kind, int(count), round(total / count, 1))
                     for kind, (count, total) in self._kinds.items() if count],
            waived=sum(counts[WAIVED] for counts in self._counts),
        )


def rank(reports: Sequence[tuple[float, str]]) -> list[Ranked]:
    """(score, file) of each report -> best score first, then by path; equal scores share a rank
    (1, 2, 2, 4)."""
    order = sorted(range(len(reports)), key=lambda index: (-reports[index][0], reports[index][1]))
    ranked: list[Ranked] = []
    for position, index in enumerate(order, start=1):
        score = reports[index][0]
        tied = ranked and ranked[-1].score == score
        ranked.append(Ranked(ranked[-1].rank if tied else position, score, index))
    return ranked


class Spill:
    """Each report's rendered pieces, in temporary files until a ranked document is written:
    memory holds one offset per piece, whatever the corpus. Piece `part` of every report goes to
    file `part`, so a document section reads one file."""

    def __init__(self) -> None:
        self._files: list[IO[bytes]] = []
        self._ends: list[array] = []
        self._flushed = False

    def __enter__(self) -> Spill:
        return self

    def __exit__(self, *problem: object) -> None:
        for handle in self._files:
            handle.close()

    def append(self, pieces: Sequence[bytes]) -> None:
        if not self._files:  # the first report says how many pieces each has
            self._files = [tempfile.TemporaryFile(prefix="fzcheck-") for _ in pieces]
            self._ends = [array("q", [0]) for _ in pieces]
        for handle, ends, piece in zip(self._files, self._ends, pieces, strict=True):
            handle.write(piece)
            ends.append(ends[-1] + len(piece))

    def read(self, index: int, part: int = 0) -> bytes:
        handle, ends = self._reading(part), self._ends[part]
        handle.seek(ends[index])
        return handle.read(ends[index + 1] - ends[index])

    def part(self, part: int) -> bytes:
        """Piece `part` of every report, in input order, end to end."""
        handle = self._reading(part)
        handle.seek(0)
        return handle.read()

    def _reading(self, part: int) -> IO[bytes]:
        if not self._flushed:
            for handle in self._files:
                handle.flush()
            self._flushed = True
        return self._files[part]


@dataclass(frozen=True)
class BatchReport:
    """Everything a ranked document (table, JSON, HTML) shows, decided before any rendering."""

    ruleset: RuleSetRef
    ruleset_title: str
    rankings: list[Ranking]
    not_reports: list[int]
    """The spill places of the documents that are not rule-of-law reports, by path."""
    errors: list[FileError]
    summary: Summary
    reports: Spill
    """What the document's format rendered for each scored document, by `Ranked.index`."""
    baseline: str | None = None
    """The baseline file compared with, if any (its reports may have matched none of these)."""

    @property
    def ranked(self) -> list[Ranked]:
        """Every ranked report, ranking after ranking."""
        return [item for ranking in self.rankings for item in ranking.ranked]

    @property
    def scored(self) -> int:
        """Documents in the spill: the ranked reports and those listed apart."""
        return sum(len(ranking.ranked) for ranking in self.rankings) + len(self.not_reports)
