"""checker/pipeline.py: one file from path to result, within the run's limits."""
from __future__ import annotations

import time
from dataclasses import replace

import pytest

import checker.pipeline as pipeline
from checker.pipeline import RunSettings, audit_path
from checker.readers import ReadError, ReadLimits
from checker.ruleset import load_ruleset
from conftest import PLUMBING_RULES, REPORT_FIXTURES, STRONG


def test_a_file_that_takes_too_long_is_stopped(monkeypatch) -> None:
    real_build = pipeline.build_document

    def stuck(*args, **kwargs):
        time.sleep(5)
        return real_build(*args, **kwargs)

    monkeypatch.setattr(pipeline, "build_document", stuck)
    settings = RunSettings(limits=replace(ReadLimits(), max_seconds=0.3))
    started = time.monotonic()
    with pytest.raises(ReadError, match="秒上限"):
        audit_path(str(REPORT_FIXTURES / STRONG), load_ruleset(PLUMBING_RULES), settings)
    assert time.monotonic() - started < 2


def test_the_timer_is_off_after_a_file(monkeypatch) -> None:
    settings = RunSettings(limits=replace(ReadLimits(), max_seconds=0.3))
    audit_path(str(REPORT_FIXTURES / STRONG), load_ruleset(PLUMBING_RULES), settings)
    time.sleep(0.5)  # a timer left running would raise here
