"""How fast `fzcheck batch` scores a corpus, in one process and across all cores.

    .venv/bin/python benchmarks/bench_batch.py --count 200

Generates --count reports from samples/*.txt in a temporary folder (each with its own name, and
some with a paragraph dropped, so no two are the same text), then runs the batch command
in-process, as `fzcheck batch DIR --format jsonl --output FILE` would, once with --jobs 1 and
once with --jobs = CPU count. Times include starting the workers and loading the rule set in
each, which is what a user waits for.
"""
from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
# The issuer of each sample, replaced so every generated report names its own.
ISSUERS = {"yunxi": "云溪县", "linchuan": "临川区", "baihu": "白鹭湾区"}


def generate(folder: Path, count: int, seed: int = 7) -> None:
    chance = random.Random(seed)
    samples = sorted(SAMPLES.glob("*.txt"))
    for index in range(count):
        sample = samples[index % len(samples)]
        text = sample.read_text(encoding="utf-8")
        issuer = next((name for key, name in ISSUERS.items() if sample.name.startswith(key)), None)
        if issuer:
            text = text.replace(issuer, f"第{index}{issuer[-1]}")
        lines = text.splitlines()
        if chance.random() < 0.5 and len(lines) > 10:
            del lines[chance.randrange(5, len(lines))]
        subfolder = folder / f"group{index % 10}"
        subfolder.mkdir(exist_ok=True)
        (subfolder / f"report{index:05d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def time_batch(folder: Path, output: Path, jobs: int) -> float:
    from checker.cli import main

    started = time.perf_counter()
    code = main(["batch", str(folder), "--quiet", "--format", "jsonl", "--output", str(output), "--jobs", str(jobs)])
    elapsed = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"batch exited with {code}")
    return elapsed


def run(count: int) -> None:
    started = time.perf_counter()
    from checker.cli import main  # noqa: F401 - timed: what every process pays before any work
    from checker.ruleset import load_ruleset
    print(f"import fzcheck:  {time.perf_counter() - started:.3f} s")
    for attempt in ("first", "second"):
        started = time.perf_counter()
        load_ruleset()
        print(f"rule set load:   {time.perf_counter() - started:.3f} s ({attempt} in this process)")
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="fzcheck-bench-") as temporary:
        folder = Path(temporary) / "reports"
        folder.mkdir()
        generate(folder, count)
        for jobs in sorted({1, cores}):
            elapsed = time_batch(folder, Path(temporary) / f"out-{jobs}.jsonl", jobs)
            print(f"--jobs {jobs}: {count} reports in {elapsed:.2f} s = {count / elapsed:.1f} reports/s")


if __name__ == "__main__":  # the worker processes import this module: generate nothing there
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=200, help="reports to generate (default 200)")
    run(parser.parse_args().count)
