"""Agreement with the hand-labelled real reports of ../shared/corpus (gold.yaml), through the
command line exactly as the gold tool runs it. Skipped where the shared folder is not checked out
beside the repository."""
from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD_TOOL = SHARED / "tools" / "gold_eval.py"
MINIMUM_AGREEMENT = 0.95


@pytest.mark.skipif(not GOLD_TOOL.is_file(), reason=f"{GOLD_TOOL} not found (no ../shared beside the repository)")
def test_gold_agreement() -> None:
    command = f"{shlex.quote(sys.executable)} -m checker audit {{file}} --format json"
    process = subprocess.run(
        [sys.executable, str(GOLD_TOOL), "--cmd", command, "--min", str(MINIMUM_AGREEMENT)],
        capture_output=True, text=True, encoding="utf-8", cwd=REPO, timeout=600,
    )
    assert process.returncode == 0, process.stdout[-4000:] + process.stderr[-2000:]
