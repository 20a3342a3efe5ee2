"""Whether processes a test started are gone: shared by the tests that kill batches and converters."""
from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path


def alive(pid: int) -> bool:
    """Running, and not a zombie (a zombie has exited; it only waits for its parent to notice)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][0] != "Z"
    except OSError:
        return True


def gone_within(pids: Iterable[int], seconds: float) -> bool:
    """Whether every one of `pids` has exited before `seconds` pass (processes die a little late)."""
    pids, deadline = list(pids), time.monotonic() + seconds
    while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not any(alive(pid) for pid in pids)
