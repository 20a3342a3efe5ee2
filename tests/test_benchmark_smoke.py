"""The scale benchmark (benchmarks/bench_scale.py) still runs end to end: its --quick preset
prints every section. Speed is reported by the benchmark, never tested here."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
BENCHMARK = REPO / "benchmarks" / "bench_scale.py"
PERF_TOOLS = REPO.parent / "shared" / "tools" / "perf"
SECTION_TITLES = ("throughput:", "memory:", "cold start:", "big report:", "discovery:")


@pytest.mark.skipif(not PERF_TOOLS.is_dir(), reason=f"the perf tools are not at {PERF_TOOLS}")
def test_quick_benchmark_prints_every_section(tmp_path):
    completed = subprocess.run([sys.executable, str(BENCHMARK), "--quick"], cwd=tmp_path,
                               capture_output=True, text=True, timeout=120)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    lines = completed.stdout.splitlines()
    for title in SECTION_TITLES:
        assert any(line.startswith(title) for line in lines), f"no {title!r} section in:\n{completed.stdout}"
