"""How fzcheck scales: the figures issue 9 asks for, all measured in one run.

    .venv/bin/python benchmarks/bench_scale.py                 # everything, default sizes (minutes)
    .venv/bin/python benchmarks/bench_scale.py --quick         # tiny sizes, a few seconds (the smoke test)
    .venv/bin/python benchmarks/bench_scale.py --skip big,discovery --formats jsonl,csv
    .venv/bin/python benchmarks/bench_scale.py --keep /tmp/fzbench   # keep and reuse the generated inputs

Why: speed and memory are what decide whether a researcher can score a whole corpus, so they are
measured the way a user meets them, through the command line (`.venv/bin/fzcheck` of this
checkout), and set beside a floor written in the same language, so that a ratio measured in the
same run on the same busy machine says more than seconds do. Nothing here fails on a slow figure:
each line shows its goal and whether it is met.

What it measures (inputs are generated with ../shared/tools/perf/gen_corpus.py, MB = 2**20 bytes):
  throughput  `fzcheck batch DIR --jobs J --format F -o FILE --quiet` on --count reports, for every
              format `fzcheck batch --help` offers: seconds, reports/s, the ratio to the wall time
              that ../shared/tools/perf/floor.py reports for the same folder (read, decode, one
              Aho-Corasick pass) and the peak memory of the whole process tree; --rounds times,
              the floor and then every format in each round, medians shown (on a shared machine
              one run may take half as long again as the next);
  memory      the same batch runs on --memory-count reports (the first reports of the same corpus);
  cold start  median wall time of `fzcheck audit ONE.txt --format json` against `python -c pass`;
  big report  `fzcheck audit BIG.txt --format json` on reports concatenated to --big-mb and to a
              tenth of it, to show whether time grows linearly with size;
  discovery   `checker.batch.find_inputs([DIR])`, in this process, on --discovery-files empty .txt
              files in 100 nested folders.
Peak memory is the largest sum of VmRSS over a process and all its descendants, sampled from /proc
every 20 ms. Each fzcheck run gets an empty result cache of its own (a run scores its files, as a
first run does) while the compiled rule set is cached for all of them (as after a user's first
run); the user's own cache is left alone. Everything is written in a temporary folder removed at
the end, unless --keep.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from itertools import cycle
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PERF_TOOLS = REPO.parent / "shared" / "tools" / "perf"
VENV_BIN = REPO / ".venv" / "bin"
# The venv's interpreter and console script when the checkout has one, so that the bare
# interpreter of the cold-start comparison is the one fzcheck runs on.
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
FZCHECK = [str(VENV_BIN / "fzcheck")] if (VENV_BIN / "fzcheck").exists() else [PYTHON, "-m", "checker"]

MB = 2**20
SAMPLE_SECONDS = 0.02
SECTIONS = ("throughput", "memory", "cold", "big", "discovery")
DISCOVERY_FOLDERS = 100  # 10 × 10 nested leaf folders

# The goals of issue 9.
GOAL_REPORTS_PER_SECOND = 830
GOAL_FLOOR_RATIO = 7
AIM_FLOOR_RATIO = 5
GOAL_BATCH_MB = 150
GOAL_COLD_RATIO = 12
GOAL_COLD_MS = 200
GOAL_BIG_SECONDS = 10
GOAL_BIG_SIZE_RATIO = 5
GOAL_DISCOVERY_SECONDS = 1


@dataclass(frozen=True)
class Sizes:
    count: int
    memory_count: int
    big_mb: float
    discovery_files: int
    cold_runs: int
    rounds: int
    """Throughput rounds: the floor and every format, in turn, this many times."""


DEFAULT_SIZES = Sizes(count=4000, memory_count=10_000, big_mb=50, discovery_files=100_000, cold_runs=7, rounds=3)
QUICK_SIZES = Sizes(count=20, memory_count=20, big_mb=0.3, discovery_files=1000, cold_runs=3, rounds=1)


class CommandFailed(Exception):
    def __init__(self, command: list[str], returncode: int, stderr: str):
        last_line = (stderr.strip().splitlines() or [""])[-1]
        super().__init__(f"{Path(command[0]).name} {' '.join(command[1:3])}… exited {returncode}: {last_line}")


# --- measuring a command ----------------------------------------------------------------------


def process_parents() -> dict[int, int]:
    """Every live process's parent, from /proc/<pid>/stat (the 4th field, after the command name)."""
    parents = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                handle = os.open(f"/proc/{name}/stat", os.O_RDONLY)
                try:
                    stat = os.read(handle, 1024)
                finally:
                    os.close(handle)
            except OSError:  # the process ended while we looked
                continue
            parents[int(name)] = int(stat[stat.rindex(b")") + 2:].split(b" ", 2)[1])
    return parents


def process_tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, parent in process_parents().items():
        children.setdefault(parent, []).append(pid)
    tree, pending = [], [root]
    while pending:
        pid = pending.pop()
        tree.append(pid)
        pending.extend(children.get(pid, ()))
    return tree


def resident_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0  # ended, or a zombie (no VmRSS line)


class PeakTreeMemory:
    """Samples the summed resident memory of a process and all its descendants in a thread."""

    def __init__(self, root: int):
        self.root = root
        self.peak_kb = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._done.is_set():
            self.peak_kb = max(self.peak_kb, sum(resident_kb(pid) for pid in process_tree(self.root)))
            self._done.wait(SAMPLE_SECONDS)

    def stop(self) -> float:
        """The peak in MB."""
        self._done.set()
        self._thread.join()
        return self.peak_kb * 1024 / MB


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_mb: float
    stderr: str


def measure(command: list[str], env: dict[str, str] | None = None) -> Measured:
    """Wall time and peak process-tree memory of a command that must succeed (stdout discarded)."""
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr, env=env)
        memory = PeakTreeMemory(process.pid)
        returncode = process.wait()
        seconds = time.perf_counter() - started
        peak_mb = memory.stop()
        stderr.seek(0)
        text = stderr.read().decode("utf-8", errors="replace")
    if returncode != 0:
        raise CommandFailed(command, returncode, text)
    return Measured(seconds, peak_mb, text)


def wall_seconds(command: list[str], env: dict[str, str] | None = None) -> float:
    """Wall time of a command that must succeed, without sampling its memory."""
    started = time.perf_counter()
    completed = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        raise CommandFailed(command, completed.returncode, completed.stderr.decode("utf-8", errors="replace"))
    return seconds


def run_quietly(command: list[str], env: dict[str, str] | None = None) -> str:
    completed = subprocess.run(command, capture_output=True, text=True, env=env)
    if completed.returncode != 0:
        raise CommandFailed(command, completed.returncode, completed.stderr)
    return completed.stdout


# --- the generated inputs ---------------------------------------------------------------------


def build_once(target: Path, build: Callable[[Path], None]) -> Path:
    """`target`, built by `build(path)` unless a kept workspace already has it; a build that was
    interrupted never passes for a finished one."""
    if not target.exists():
        partial = target.with_name(target.name + ".partial")
        if partial.is_dir():
            shutil.rmtree(partial)
        build(partial)
        partial.rename(target)
    return target


class Workspace:
    """The inputs and outputs of one run, in one folder; each input is made on first use."""

    def __init__(self, root: Path, corpus_count: int, seed: int):
        self.root = root
        self.corpus_count = corpus_count
        self.seed = seed

    @cached_property
    def corpus(self) -> Path:
        def generate(folder: Path) -> None:
            progress(f"generating {self.corpus_count} reports (seed {self.seed})")
            run_quietly([PYTHON, str(PERF_TOOLS / "gen_corpus.py"), str(folder), str(self.corpus_count),
                         "--seed", str(self.seed)])
        return build_once(self.root / f"corpus-{self.corpus_count}-seed{self.seed}", generate)

    @cached_property
    def corpus_files(self) -> list[Path]:
        """In generation order: gen_corpus numbers reports with zero-padded indices."""
        return sorted(self.corpus.rglob("*.txt"))

    def reports(self, count: int) -> Path:
        """A folder of the corpus's first `count` reports (hard links, the corpus's layout)."""
        if count == len(self.corpus_files):
            return self.corpus

        def link(folder: Path) -> None:
            for source in self.corpus_files[:count]:
                target = folder / source.relative_to(self.corpus)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.link(source, target)
        return build_once(self.root / f"{self.corpus.name}-first{count}", link)

    def big_report(self, megabytes: float) -> Path:
        """One .txt of corpus reports concatenated (cycling through them) to at least `megabytes`."""
        def concatenate(path: Path) -> None:
            written = 0
            with open(path, "wb") as big:
                for source in cycle(self.corpus_files):
                    written += big.write(source.read_bytes())
                    if written >= megabytes * MB:
                        break
        return build_once(self.root / f"big-{megabytes:g}MB-from-{self.corpus.name}.txt", concatenate)

    def empty_tree(self, files: int) -> Path:
        """`files` empty .txt files spread over DISCOVERY_FOLDERS folders two levels deep."""
        def create(top: Path) -> None:
            for index in range(files):
                folder = top / f"region{index % 10}" / f"county{index // 10 % 10}"
                folder.mkdir(parents=True, exist_ok=True)
                os.close(os.open(folder / f"report{index:06d}.txt", os.O_CREAT | os.O_WRONLY, 0o644))
        return build_once(self.root / f"empty-{files}", create)

    @contextmanager
    def fzcheck_environment(self) -> Iterator[dict[str, str]]:
        """The environment of one fzcheck run. Its result cache is a new empty folder, so every
        file is scored, never recalled from an earlier run; the compiled rule set is cached in one
        folder for all runs, filled before the first timed one, as on a machine where fzcheck has
        run before. The user's own cache is neither read nor written."""
        with self._empty_cache_home() as home:
            yield cache_environment(home, self.rule_set_cache)

    @cached_property
    def rule_set_cache(self) -> Path:
        folder = self.root / "caches" / "rule-set"
        progress("filling the rule-set cache (one untimed audit)")
        with self._empty_cache_home() as home:
            run_quietly([*FZCHECK, "audit", str(self.corpus_files[0]), "--format", "json"],
                        cache_environment(home, folder))
        return folder

    @contextmanager
    def _empty_cache_home(self) -> Iterator[str]:
        caches = self.root / "caches"
        caches.mkdir(exist_ok=True)
        with tempfile.TemporaryDirectory(dir=caches, prefix="run-") as home:
            yield home

    def output(self, name: str) -> Path:
        folder = self.root / "outputs"
        folder.mkdir(exist_ok=True)
        return folder / name


def cache_environment(home: str, rule_set_folder: Path) -> dict[str, str]:
    """fzcheck's caches: the run's own empty `home` (batch runs get it as --cache-dir for their
    results), the compiled rule set in $FZCHECK_CACHE_DIR."""
    return {**os.environ, "XDG_CACHE_HOME": home, "FZCHECK_CACHE_DIR": str(rule_set_folder)}


def folder_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*.txt")) / MB


# --- the report -------------------------------------------------------------------------------


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failures: int = 0

    def failed(self, label: str, error: Exception) -> None:
        self.rows.append([label, *["-"] * (len(self.columns) - 2), f"FAILED: {error}"])
        self.failures += 1

    def render(self) -> str:
        widths = [max(len(row[i]) for row in [self.columns, *self.rows]) for i in range(len(self.columns))]

        def line(cells: list[str]) -> str:
            # first column (the label) and last (the verdict) left-aligned, figures right-aligned
            inner = [cell.rjust(width) for cell, width in zip(cells[1:-1], widths[1:-1])]
            return "  " + "  ".join([cells[0].ljust(widths[0]), *inner, cells[-1]]).rstrip()
        return "\n".join([self.title, line(self.columns), *map(line, self.rows), *("  " + note for note in self.notes)])


def verdict(misses: list[str]) -> str:
    return "meets goals" if not misses else "misses: " + ", ".join(misses)


def progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def offered_batch_formats() -> list[str]:
    """The formats `fzcheck batch --help` lists, so a new format is measured without editing this."""
    choices = re.search(r"--format \{([^}]*)\}", run_quietly([*FZCHECK, "batch", "--help"]))
    if not choices:
        raise SystemExit("cannot find the --format choices in `fzcheck batch --help`")
    return choices.group(1).split(",")


def batch_command(folder: Path, fmt: str, output: Path, jobs: int, env: dict[str, str]) -> list[str]:
    """The batch run, its result cache in the run's own empty folder (`--cache-dir`: fzcheck
    otherwise keeps results beside the compiled rule set, which every run shares)."""
    return [*FZCHECK, "batch", str(folder), "--jobs", str(jobs), "--format", fmt, "-o", str(output), "--quiet",
            "--cache-dir", env["XDG_CACHE_HOME"]]


def floor_seconds(folder: Path, jobs: int) -> tuple[float, Measured]:
    """The time floor.py reports for its own work (without interpreter start), and its run."""
    measured = measure([PYTHON, str(PERF_TOOLS / "floor.py"), str(folder), str(jobs)])
    reported = re.search(r"([\d.]+) s,", measured.stderr)
    if not reported:
        raise SystemExit(f"floor.py printed no timing: {measured.stderr!r}")
    return float(reported.group(1)), measured


def throughput_section(workspace: Workspace, count: int, formats: list[str], jobs: int, rounds: int) -> Section:
    """The floor and every format in turn, `rounds` times. On a shared machine one run can take
    half as long again as the next; a format's ratio is the median of its ratio to the floor run
    of the same round (the two ran within a minute of each other), its seconds the median run,
    its memory the largest peak."""
    folder = workspace.reports(count)
    section = Section(
        f"throughput: {count} reports ({folder_mb(folder):.1f} MB), --jobs {jobs}, median of {rounds} "
        f"round{'s' if rounds > 1 else ''}; goals >= {GOAL_REPORTS_PER_SECOND} reports/s, <= {GOAL_FLOOR_RATIO}x "
        f"floor (aim {AIM_FLOOR_RATIO}x), <= {GOAL_BATCH_MB} MB",
        ["run", "seconds", "reports/s", "x floor", "peak MB", "verdict"])
    floors: list[tuple[float, Measured]] = []
    runs: dict[str, list[tuple[Measured, float]]] = {}
    for round_number in range(1, rounds + 1):
        progress(f"throughput round {round_number}/{rounds}: floor.py")
        floor, floor_run = floor_seconds(folder, jobs)
        floors.append((floor, floor_run))
        for fmt, run in batch_runs(workspace, section, "throughput", folder, formats, jobs,
                                   f"throughput round {round_number}/{rounds}"):
            runs.setdefault(fmt, []).append((run, run.seconds / floor))
        formats = [fmt for fmt in formats if fmt in runs]  # a format that failed is not run again
    floor_times = [floor for floor, _ in floors]
    floor = statistics.median(floor_times)
    section.rows.append(["floor.py", f"{floor:.2f}", f"{count / floor:.0f}", "1.0",
                         f"{max(run.peak_mb for _, run in floors):.0f}",
                         f"(as it reports itself; whole process {statistics.median(run.seconds for _, run in floors):.2f} s)"])
    for fmt, measured in runs.items():
        seconds = statistics.median(run.seconds for run, _ in measured)
        ratio = statistics.median(ratio for _, ratio in measured)
        peak_mb = max(run.peak_mb for run, _ in measured)
        rate = count / seconds
        misses = [name for name, missed in [("reports/s", rate < GOAL_REPORTS_PER_SECOND),
                                            ("x floor", ratio > GOAL_FLOOR_RATIO),
                                            ("memory", peak_mb > GOAL_BATCH_MB)] if missed]
        section.rows.append([fmt, f"{seconds:.2f}", f"{rate:.0f}", f"{ratio:.1f}", f"{peak_mb:.0f}", verdict(misses)])
    if rounds > 1:
        spread = [f"floor {min(floor_times):.2f}-{max(floor_times):.2f} s"] + [
            f"{fmt} {min(run.seconds for run, _ in measured):.2f}-{max(run.seconds for run, _ in measured):.2f} s"
            for fmt, measured in runs.items()]
        section.notes.append("spread over the rounds: " + ", ".join(spread))
    return section


def batch_runs(workspace: Workspace, section: Section, label: str, folder: Path, formats: list[str],
               jobs: int, stage: str | None = None) -> Iterator[tuple[str, Measured]]:
    """Each format's batch run over `folder`, each with its own empty result cache; a command
    that fails becomes a FAILED row of `section` and the others still run."""
    for fmt in formats:
        try:
            with workspace.fzcheck_environment() as env:
                progress(f"{stage or label}: batch --format {fmt}")
                yield fmt, measure(batch_command(folder, fmt, workspace.output(f"{label}.{fmt}"), jobs, env), env)
        except CommandFailed as error:
            section.failed(fmt, error)


def memory_section(workspace: Workspace, count: int, formats: list[str], jobs: int) -> Section:
    folder = workspace.reports(count)
    section = Section(f"memory: {count} reports ({folder_mb(folder):.1f} MB), --jobs {jobs}; goal <= {GOAL_BATCH_MB} MB",
                      ["format", "seconds", "reports/s", "peak MB", "verdict"])
    for fmt, run in batch_runs(workspace, section, "memory", folder, formats, jobs):
        section.rows.append([fmt, f"{run.seconds:.2f}", f"{count / run.seconds:.0f}", f"{run.peak_mb:.0f}",
                             verdict(["memory"] if run.peak_mb > GOAL_BATCH_MB else [])])
    return section


def cold_start_section(workspace: Workspace, runs: int) -> Section:
    section = Section(f"cold start: median of {runs} runs; goals <= {GOAL_COLD_MS} ms, <= {GOAL_COLD_RATIO}x python",
                      ["command", "ms", "x python", "verdict"])
    one_report = workspace.corpus_files[0]
    progress("cold start: python -c pass")
    bare = statistics.median(wall_seconds([PYTHON, "-c", "pass"]) for _ in range(runs))
    section.rows.append([f"{Path(PYTHON).name} -c pass", f"{bare * 1000:.0f}", "1.0", ""])
    progress("cold start: fzcheck audit")

    def timed_audit() -> float:
        with workspace.fzcheck_environment() as env:
            return wall_seconds([*FZCHECK, "audit", str(one_report), "--format", "json"], env)
    try:
        audit = statistics.median(timed_audit() for _ in range(runs))
    except CommandFailed as error:
        section.failed("fzcheck audit ONE.txt --format json", error)
        return section
    ratio = audit / bare
    misses = [name for name, missed in [("ms", audit * 1000 > GOAL_COLD_MS), ("x python", ratio > GOAL_COLD_RATIO)]
              if missed]
    section.rows.append(["fzcheck audit ONE.txt --format json", f"{audit * 1000:.0f}", f"{ratio:.1f}", verdict(misses)])
    return section


def big_report_section(workspace: Workspace, megabytes: float) -> Section:
    section = Section(f"big report: fzcheck audit BIG.txt --format json; goals <= {GOAL_BIG_SECONDS} s at "
                      f"{megabytes:g} MB, peak <= {GOAL_BIG_SIZE_RATIO}x file size",
                      ["file", "seconds", "s/MB", "peak MB", "x size", "verdict"])
    timings = {}
    for size, is_goal_size in ((megabytes / 10, False), (megabytes, True)):
        path = workspace.big_report(size)
        file_mb = path.stat().st_size / MB
        label = f"{file_mb:.1f} MB"
        progress(f"big report: {label}")
        # The default --max-text (20 million) refuses a text this large: raise it to the file's
        # size, as a user with such a file would.
        try:
            with workspace.fzcheck_environment() as env:
                run = measure([*FZCHECK, "audit", str(path), "--format", "json", "--max-text", str(path.stat().st_size)],
                              env)
        except CommandFailed as error:
            section.failed(label, error)
            continue
        timings[file_mb] = run.seconds
        size_ratio = run.peak_mb / file_mb
        misses = [name for name, missed in [("seconds", is_goal_size and run.seconds > GOAL_BIG_SECONDS),
                                            ("x size", size_ratio > GOAL_BIG_SIZE_RATIO)] if missed]
        section.rows.append([label, f"{run.seconds:.2f}", f"{run.seconds / file_mb:.2f}", f"{run.peak_mb:.0f}",
                             f"{size_ratio:.1f}", verdict(misses)])
    if len(timings) == 2:
        (small_mb, small_s), (big_mb, big_s) = sorted(timings.items())
        section.notes.append(f"{big_mb / small_mb:.1f}x the size took {big_s / small_s:.1f}x the time "
                             "(linear growth: both ratios equal)")
    return section


def discovery_section(workspace: Workspace, files: int) -> Section:
    section = Section(f"discovery: find_inputs([DIR]) in-process, {files} empty .txt in {DISCOVERY_FOLDERS} "
                      f"nested folders; goal <= {GOAL_DISCOVERY_SECONDS} s",
                      ["call", "seconds", "files found", "errors", "verdict"])
    tree = workspace.empty_tree(files)
    sys.path.insert(0, str(REPO))  # this checkout's checker, whatever is installed
    progress("discovery: find_inputs")
    try:
        from checker.batch import find_inputs

        started = time.perf_counter()
        inputs = find_inputs([str(tree)])
        seconds = time.perf_counter() - started
    except Exception as error:  # noqa: BLE001 - checker/ may be mid-edit: report it like a failed command
        section.failed("find_inputs", error)
        return section
    misses = [name for name, missed in [("seconds", seconds > GOAL_DISCOVERY_SECONDS),
                                        ("files found", len(inputs.files) != files)] if missed]
    section.rows.append(["find_inputs", f"{seconds:.3f}", str(len(inputs.files)), str(len(inputs.errors)),
                         verdict(misses)])
    return section


# --- the command line -------------------------------------------------------------------------


def parse_arguments(argv: list[str] | None) -> tuple[argparse.Namespace, Sizes]:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true",
                        help=f"tiny sizes for a smoke test: {QUICK_SIZES}")
    parser.add_argument("--count", type=int, help=f"reports for throughput (default {DEFAULT_SIZES.count})")
    parser.add_argument("--memory-count", type=int,
                        help=f"reports for the memory runs (default {DEFAULT_SIZES.memory_count})")
    parser.add_argument("--big-mb", type=float,
                        help=f"size of the big report; a tenth of it is timed too (default {DEFAULT_SIZES.big_mb})")
    parser.add_argument("--discovery-files", type=int,
                        help=f"empty files for discovery (default {DEFAULT_SIZES.discovery_files})")
    parser.add_argument("--rounds", type=int,
                        help=f"throughput rounds, the floor and every format in each (default {DEFAULT_SIZES.rounds})")
    parser.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    parser.add_argument("--jobs", type=int, default=2, help="--jobs of the batch runs and the floor (default 2)")
    parser.add_argument("--formats", help="comma list of batch formats (default: all that `fzcheck batch --help` offers)")
    parser.add_argument("--skip", default="", help=f"comma list of sections to skip: {','.join(SECTIONS)}")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="work in DIR and keep it; inputs already there (same sizes and seed) are reused")
    args = parser.parse_args(argv)
    args.skip = {name for name in args.skip.split(",") if name}
    if unknown := args.skip - set(SECTIONS):
        parser.error(f"unknown section(s) in --skip: {', '.join(sorted(unknown))}")
    preset = QUICK_SIZES if args.quick else DEFAULT_SIZES
    sizes = Sizes(count=args.count or preset.count, memory_count=args.memory_count or preset.memory_count,
                  big_mb=args.big_mb or preset.big_mb,
                  discovery_files=args.discovery_files or preset.discovery_files, cold_runs=preset.cold_runs,
                  rounds=args.rounds or preset.rounds)
    return args, sizes


def sections_to_run(args: argparse.Namespace, sizes: Sizes, workspace: Workspace) -> Iterator[Callable[[], Section]]:
    formats = args.formats.split(",") if args.formats else None
    if "throughput" not in args.skip:
        yield lambda: throughput_section(workspace, sizes.count, formats or offered_batch_formats(), args.jobs,
                                         sizes.rounds)
    if "memory" not in args.skip:
        yield lambda: memory_section(workspace, sizes.memory_count, formats or offered_batch_formats(), args.jobs)
    if "cold" not in args.skip:
        yield lambda: cold_start_section(workspace, sizes.cold_runs)
    if "big" not in args.skip:
        yield lambda: big_report_section(workspace, sizes.big_mb)
    if "discovery" not in args.skip:
        yield lambda: discovery_section(workspace, sizes.discovery_files)


def header(args: argparse.Namespace) -> str:
    commit = subprocess.run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or "unknown"
    lines = [f"fzcheck scale benchmark: commit {commit} (working tree as found), {os.cpu_count()} cores, "
             f"Python {platform.python_version()}, seed {args.seed}{', --quick' if args.quick else ''}",
             f"fzcheck: {' '.join(FZCHECK)}; every run starts with an empty result cache, the compiled rule set cached"]
    if uncompiled := uncompiled_sources():
        lines.append(f"note: PYTHONDONTWRITEBYTECODE is set and {uncompiled} of checker/'s modules have no bytecode "
                     f"cached, so every fzcheck process compiles them again (a tenth of a second or more of each "
                     f"start); `python -m compileall checker` once makes the figures those of an installed copy")
    return "\n".join(lines)


def uncompiled_sources() -> int:
    """checker/'s modules without cached bytecode, when Python is told not to write it (an
    editable install is then compiled anew by every process; pip compiles an installed one)."""
    if not os.environ.get("PYTHONDONTWRITEBYTECODE"):
        return 0
    import importlib.util

    return sum(not Path(importlib.util.cache_from_source(str(source))).exists()
               for source in (REPO / "checker").rglob("*.py"))


def main(argv: list[str] | None = None) -> int:
    args, sizes = parse_arguments(argv)
    if not PERF_TOOLS.is_dir():
        raise SystemExit(f"the perf tools are not at {PERF_TOOLS} (../shared beside the repository)")
    root = args.keep or Path(tempfile.mkdtemp(prefix="fzcheck-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    corpus_count = max(sizes.count, 0 if "memory" in args.skip else sizes.memory_count)
    workspace = Workspace(root.resolve(), corpus_count, args.seed)
    try:
        sections = [run_section() for run_section in sections_to_run(args, sizes, workspace)]
    finally:
        if not args.keep:
            shutil.rmtree(root)
    print(header(args))
    for section in sections:
        print()
        print(section.render())
    return 1 if any(section.failures for section in sections) else 0


if __name__ == "__main__":  # worker processes of a pool may import this module: run nothing there
    sys.exit(main())
