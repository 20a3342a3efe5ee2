"""Batches under faults (issue 8, items 3, 4, 6): a killed worker, an interrupted run and its
--resume, SIGTERM of the batch, a double Ctrl-C, a parent killed outright."""
from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import PLUMBING_RULES, REPORT_FIXTURES, STRONG, write_report
from processes import gone_within

import checker.batch as batch_module
from checker.batch import _score_chunk
from checker.cli import main
from checker.commands import EXIT_OK, EXIT_UNREADABLE

RULES = ("--rules", str(PLUMBING_RULES))
VICTIM = "victim.txt"


def _corpus(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = (REPORT_FIXTURES / STRONG).read_bytes()
    for index in range(count):
        (folder / f"r{index:04d}.txt").write_bytes(text)
    return folder


def _kill_on_victim(paths):
    """Stands in for checker.batch._score_chunk in forked workers: the victim kills its worker
    always, or only the first time when a `.once` marker exists beside it."""
    for path in paths:
        if path.endswith(VICTIM):
            marker = Path(path + ".once")
            if not marker.exists() or marker.read_text() == "":
                if marker.exists():
                    marker.write_text("died")
                os.kill(os.getpid(), signal.SIGKILL)
    return _score_chunk(paths)


@pytest.fixture()
def killing_worker(monkeypatch):
    if batch_module._start_method() != "fork":
        pytest.skip("the stand-in for a dying worker reaches the workers only through fork")
    monkeypatch.setattr(batch_module, "_score_chunk", _kill_on_victim)


def _batch_json(capsys, *argv: str) -> tuple[int, dict]:
    code = main(["batch", "--quiet", *RULES, "--format", "json", *argv])
    return code, json.loads(capsys.readouterr().out)


def test_a_killed_worker_costs_only_the_file_it_was_reading(tmp_path, killing_worker, capsys) -> None:
    folder = _corpus(tmp_path / "c", 60)
    (folder / VICTIM).write_bytes((REPORT_FIXTURES / STRONG).read_bytes())
    code, result = _batch_json(capsys, "--jobs", "2", str(folder))
    assert code == EXIT_UNREADABLE
    assert result["errors"] == [{"file": str(folder / VICTIM), "error": batch_module.WORKER_LOST}]
    assert len(result["reports"]) == 60


def test_a_worker_that_dies_once_is_retried_and_nothing_is_lost(tmp_path, killing_worker, capsys) -> None:
    folder = _corpus(tmp_path / "c", 60)
    (folder / VICTIM).write_bytes((REPORT_FIXTURES / STRONG).read_bytes())
    Path(f"{folder / VICTIM}.once").write_text("")
    code, result = _batch_json(capsys, "--jobs", "2", str(folder))
    assert code == EXIT_OK, result["errors"]
    assert len(result["reports"]) == 61


# ---------------------------------------------------------------- signals, in a real process

def _start(tmp_path: Path, count: int, *argv: str) -> tuple[subprocess.Popen, Path]:
    folder = _corpus(tmp_path / "c", count)
    target = tmp_path / "out.jsonl"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONFAULTHANDLER": "1"}
    process = subprocess.Popen([sys.executable, "-m", "checker", "batch", *RULES, str(folder), "--format", "jsonl",
                                "-o", str(target), *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, encoding="utf-8", env=env, cwd=tmp_path)
    return process, target


def _wait_for_lines(tmp_path: Path, process: subprocess.Popen) -> None:
    """Until the batch has written some reports to its temporary file."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        for part in tmp_path.glob(".out.jsonl.*.part"):
            with contextlib.suppress(FileNotFoundError):
                if part.stat().st_size > 2000:
                    return
        time.sleep(0.02)
    pytest.fail("the batch wrote nothing")


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


pytestmark_linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@pytestmark_linux
def test_an_interrupted_jsonl_batch_keeps_its_lines_and_resume_finishes_it(tmp_path) -> None:
    process, target = _start(tmp_path, 1500, "--jobs", "2")
    try:
        _wait_for_lines(tmp_path, process)
        process.send_signal(signal.SIGINT)
        process.send_signal(signal.SIGINT)  # a second Ctrl-C while it cleans up
        try:
            _, err = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGABRT)
            print(process.communicate(timeout=20)[1][-5000:])
            raise
    finally:
        process.kill()
    partial = Path(f"{target}.partial")
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert str(partial) in err and not list(tmp_path.glob(".out.jsonl.*"))
    kept = [json.loads(line) for line in partial.read_text(encoding="utf-8").splitlines()[:-1]]
    assert kept and all(line["score"] == 100 for line in kept)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", "checker", "batch", *RULES, str(tmp_path / "c"), "--format", "jsonl",
                           "-o", str(target), "--resume", "--jobs", "2"], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=120)
    assert done.returncode == EXIT_OK, done.stderr
    files = [json.loads(line)["file"] for line in target.read_text(encoding="utf-8").splitlines()]
    assert sorted(files) == sorted(str(path) for path in (tmp_path / "c").iterdir()) and len(set(files)) == 1500
    assert not partial.exists()
    assert f"跳过输出中已有的 {len(kept)}" in done.stderr or f"跳过输出中已有的 {len(kept) + 1}" in done.stderr


@pytestmark_linux
def test_sigterm_leaves_no_temporary_file_and_no_worker(tmp_path) -> None:
    process, target = _start(tmp_path, 1500, "--jobs", "2", "--quiet")
    try:
        _wait_for_lines(tmp_path, process)
        workers = _children(process.pid)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 128 + signal.SIGTERM
    assert "Traceback" not in err, err
    assert not list(tmp_path.glob(".out.jsonl.*")) and not target.exists()
    assert workers and gone_within(workers, 10)


@pytestmark_linux
def test_workers_exit_when_the_parent_is_killed_outright(tmp_path) -> None:
    process, _ = _start(tmp_path, 1500, "--jobs", "2", "--quiet")
    try:
        _wait_for_lines(tmp_path, process)
        workers = _children(process.pid)
        process.kill()
        process.communicate(timeout=30)
    finally:
        process.kill()
    assert workers and gone_within(workers, 10)


def test_resume_scores_again_the_lines_another_rule_set_scored(tmp_path, capsys) -> None:
    folder = tmp_path / "reports"
    for name in ("a.txt", "b.txt"):
        write_report(folder / name, STRONG)
    target = tmp_path / "out.jsonl"
    assert main(["batch", *RULES, str(folder), "--format", "jsonl", "-o", str(target)]) == EXIT_OK
    lines = target.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["ruleset"]["sha256"] = "0" * 64  # as if scored before a rule changed
    first["score"] = -1.0
    target.write_text(json.dumps(first, ensure_ascii=False) + "\n" + lines[1] + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["batch", *RULES, str(folder), "--format", "jsonl", "-o", str(target), "--resume"]) == EXIT_OK
    assert "跳过输出中已有的 1 份报告；1 份是用其他规则集或其他 fzcheck 版本评出的，重新检查" in capsys.readouterr().err
    rescored = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert sorted(item["file"] for item in rescored) == sorted(str(folder / name) for name in ("a.txt", "b.txt"))
    assert all(item["score"] == 100 for item in rescored)
