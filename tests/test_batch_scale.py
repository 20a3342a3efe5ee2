"""Batch at scale (issue 9): every format the same whatever the parallelism, ranked documents
written from spilled pieces, the result cache, discovery by inode, scheduling by size.

Reports are scored with the fixture rule set (tests/conftest.py)."""
from __future__ import annotations

import io
import json
import os
import re
import sqlite3
import time
from pathlib import Path

import pytest
from conftest import PLUMBING_RULES, STRONG, WEAK, write_report
from rich.console import Console

import checker.batch as batch_module
from checker.batch import (CHUNK_BYTES, BatchReport, Entry, FileError, Spill, Tally, Work,
                           _score_chunk, _tasks, find_inputs, rankings, score_file, scored, scoring)
from checker.cli import main
from checker.commands import EXIT_OK, EXIT_USAGE
from checker.models import RuleSetRef
from checker.output import batch_table
from checker.output.batch_table import TableRows, ranking_table, summary_text
from checker.pipeline import RunSettings
from checker.result_cache import DATABASE, KEEP_FOLDERS, ResultCache

RULES = ("--rules", str(PLUMBING_RULES))
TIMESTAMP = re.compile(r"生成时间：[0-9: -]+")

pytestmark = pytest.mark.usefixtures("wide_terminal")


def run_bytes(capsysbinary, *argv: str) -> tuple[int, bytes]:
    code = main(["batch", "--quiet", *RULES, *argv])
    return code, capsysbinary.readouterr().out


@pytest.fixture(scope="module")
def baseline(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Last year's run: part of the corpus, a report worse than now, a report of another name."""
    old = tmp_path_factory.mktemp("old")
    write_report(old / "strong.txt", STRONG, [("出庭应诉率100%", "出庭应诉率92%")])
    write_report(old / "weak_renamed.txt", WEAK)
    target = old / "baseline.json"
    main(["batch", "--quiet", *RULES, "--format", "json", "-o", str(target), str(old), str(corpus / "2023")])
    return target


# ---------------------------------------------------------------- every format, whatever --jobs

@pytest.mark.parametrize("output_format", ["table", "json", "jsonl", "csv", "html"])
@pytest.mark.parametrize("options", [(), ("--by-rule",), ("--baseline", "BASELINE", "--by-rule")], ids=["", "by-rule", "baseline"])
def test_every_format_is_the_same_with_one_process_or_two(corpus, baseline, output_format, options, capsysbinary) -> None:
    argv = [str(corpus), "--no-cache", "--format", output_format,
            *(str(baseline) if option == "BASELINE" else option for option in options)]
    serial, parallel = (run_bytes(capsysbinary, *argv, "--jobs", jobs) for jobs in ("1", "2"))
    assert (serial[0], TIMESTAMP.sub("", serial[1].decode("utf-8-sig"))) == \
           (parallel[0], TIMESTAMP.sub("", parallel[1].decode("utf-8-sig")))
    assert len(serial[1]) > 1000


# ---------------------------------------------------------------- the ranked table, a chunk at a time

def _table_report(reports: list[Path], errors: list[FileError], ruleset, spill: Spill) -> BatchReport:
    rows, tally, entries = TableRows(), Tally([(rule.spec.id, rule.spec.title) for rule in ruleset.rules]), []
    for path in reports:
        result = score_file(str(path), ruleset)
        spill.append(rows(result))
        tally.add(scored(result))
        entries.append(Entry(result.score, result.file, result.report.kind, result.not_a_report is None))
    for problem in errors:
        tally.add(problem)
    ranked, apart = rankings(entries)
    return BatchReport(RuleSetRef(id=ruleset.id, version=ruleset.version), ruleset.title, ranked, apart,
                       tally.errors, tally.summary(), spill)


def _whole_table_widths(report: BatchReport, console: Console) -> list[int]:
    """The widths rich gives the columns of one table holding every row of every section."""
    whole = ranking_table(report)
    for ranking in report.rankings:
        for item in ranking.ranked:
            whole.add_row(str(item.rank), *batch_table._cells(report, item.index))
    for index in report.not_reports:
        whole.add_row("—", *batch_table._cells(report, index))
    for row in batch_table._error_rows(report):
        whole.add_row(*row)
    options = console.options
    widths = whole._calculate_column_widths(console, options.update_width(options.max_width - whole._extra_width))
    return [width - whole._get_padding_width(index) for index, width in enumerate(widths)]


@pytest.mark.parametrize("width", [60, 100, 160])
def test_the_table_printed_in_chunks_is_the_table_printed_whole(tmp_path, plumbing, width, monkeypatch) -> None:
    """The column widths come from the widest cells only, and each chunk is printed with them."""
    names = ["a.txt", "一个很长很长的文件名" * 4 + ".txt", "b" * 70 + ".txt", "c d e f g h i j k l m n o p q r s t.txt", "z.txt"]
    reports = [write_report(tmp_path / name, STRONG if index % 2 else WEAK) for index, name in enumerate(names)]
    reports.append(write_report(tmp_path / "work_report.txt", "not_a_report.txt"))
    errors = [FileError(str(tmp_path / "broken.pdf"), "PDF 文件已损坏，无法解析 / damaged PDF" * 2)]
    with Spill() as spill:
        report = _table_report(reports, errors, plumbing, spill)
        assert report.not_reports and report.rankings
        whole = Console(file=io.StringIO(), width=width)
        assert batch_table._column_widths(report, whole) == _whole_table_widths(report, whole)
        monkeypatch.setattr(batch_table, "TABLE_CHUNK", 10 ** 6)
        batch_table.render_batch(report, whole)
        monkeypatch.setattr(batch_table, "TABLE_CHUNK", 2)
        chunked = Console(file=io.StringIO(), width=width)
        batch_table.render_batch(report, chunked)
        assert chunked.file.getvalue() == whole.file.getvalue()


# ---------------------------------------------------------------- the result cache

def _cache_folder(monkeypatch, tmp_path: Path) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setattr("checker.commands.batch.cache_dir", lambda: folder)
    return folder


def _databases(cache: Path) -> list[Path]:
    return sorted(cache.rglob(DATABASE))


def _rows(database: Path) -> list[tuple[bytes, bytes]]:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT key, data FROM results").fetchall()


def test_a_rerun_takes_results_from_the_cache_and_writes_the_same_bytes(corpus, tmp_path, monkeypatch, capsysbinary) -> None:
    cache = _cache_folder(monkeypatch, tmp_path)
    for output_format in ("jsonl", "html"):
        for jobs in ("1", "2"):
            code, first = run_bytes(capsysbinary, str(corpus), "--format", output_format, "--jobs", jobs)
            scored_again = []
            real = batch_module.audit_path
            monkeypatch.setattr(batch_module, "audit_path", lambda *args: scored_again.append(args[0]) or real(*args))
            again = run_bytes(capsysbinary, str(corpus), "--format", output_format, "--jobs", "1")
            monkeypatch.setattr(batch_module, "audit_path", real)
            assert (again[0], TIMESTAMP.sub("", again[1].decode())) == (code, TIMESTAMP.sub("", first.decode()))
            # Only the unreadable files are read again: errors are never cached.
            assert sorted(Path(path).name for path in scored_again) == ["broken.pdf", "scan.png"]
    (database,) = _databases(cache)
    reports = len(find_inputs([str(corpus)]).files) - 2
    assert len(_rows(database)) == reports
    assert all(path.stat().st_mode & 0o077 == 0 for path in [*cache.rglob("*")] if path.is_file())


def _scored_once(tmp_path: Path, monkeypatch, capsys) -> tuple[Path, str, Path]:
    """A report batch-scored into an empty cache: the report, the output, the cache's database."""
    cache = _cache_folder(monkeypatch, tmp_path)
    report = write_report(tmp_path / "in" / "report.txt", STRONG)
    main(["batch", "-q", *RULES, "--format", "jsonl", str(report)])
    (database,) = _databases(cache)
    return report, capsys.readouterr().out, database


def test_a_damaged_entry_is_scored_again_and_replaced(tmp_path, monkeypatch, capsys) -> None:
    report, fresh, database = _scored_once(tmp_path, monkeypatch, capsys)
    ((key, data),) = _rows(database)
    for damage in (b"", b"not a cache entry", data[:-20]):
        with sqlite3.connect(database) as connection:
            connection.execute("UPDATE results SET data = ? WHERE key = ?", (damage, key))
        assert main(["batch", "-q", *RULES, "--format", "jsonl", str(report)]) == EXIT_OK
        assert capsys.readouterr() == (fresh, "")
        assert _rows(database) == [(key, data)]


def test_a_damaged_database_is_started_afresh(tmp_path, monkeypatch, capsys) -> None:
    report, fresh, database = _scored_once(tmp_path, monkeypatch, capsys)
    for sibling in database.parent.glob(DATABASE + "-*"):  # the write-ahead log, where there is one
        sibling.unlink()
    database.write_bytes(b"this is not an SQLite database" * 200)
    assert main(["batch", "-q", *RULES, "--format", "jsonl", str(report)]) == EXIT_OK
    assert capsys.readouterr() == (fresh, "")
    assert len(_rows(database)) == 1


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path, monkeypatch, capsys) -> None:
    cache = _cache_folder(monkeypatch, tmp_path)
    cache.mkdir()
    (cache / "results").write_text("a file where the results folder should be")
    report = write_report(tmp_path / "in" / "report.txt", STRONG)
    assert main(["batch", "-q", *RULES, "--format", "jsonl", str(report)]) == EXIT_OK
    assert json.loads(capsys.readouterr().out)["score"] == 100


def test_what_a_result_depends_on_is_in_its_key(tmp_path, monkeypatch, capsys) -> None:
    cache = _cache_folder(monkeypatch, tmp_path)
    report = write_report(tmp_path / "report.txt", STRONG)

    def score(*options: str) -> dict:
        main(["batch", "-q", *RULES, "--format", "jsonl", str(report), *options])
        return json.loads(capsys.readouterr().out)

    assert score()["score"] == 100
    assert score("--year", "2020")["report"]["year"] == 2024  # another setting (which fills in only a year not stated)
    write_report(report, STRONG, [("出庭应诉率100%", "出庭应诉率92%")])
    assert score()["score"] == 75  # another content
    assert score("--no-cache")["score"] == 75
    databases = _databases(cache)
    assert len(databases) == 2  # two settings, two folders
    assert sorted(len(_rows(database)) for database in databases) == [1, 2]


def test_no_cache_writes_nothing(corpus, tmp_path, monkeypatch, capsys) -> None:
    cache = _cache_folder(monkeypatch, tmp_path)
    main(["batch", "-q", *RULES, "--no-cache", str(corpus / "2024")])
    assert not cache.exists()


def test_cache_dir_chooses_the_folder(tmp_path, capsys) -> None:
    report = write_report(tmp_path / "report.txt", STRONG)
    main(["batch", "-q", *RULES, "--cache-dir", str(tmp_path / "mine"), str(report)])
    assert [path.name for path in (tmp_path / "mine").iterdir()] == ["results"]
    assert len(_databases(tmp_path / "mine" / "results")) == 1


def test_only_the_most_recently_used_folders_are_kept(tmp_path, plumbing) -> None:
    root = tmp_path / "results"
    old = [root / f"{index:032x}" for index in range(KEEP_FOLDERS + 2)]
    for age, folder in enumerate(old):
        folder.mkdir(parents=True)
        os.utime(folder, (1_000_000 - age, 1_000_000 - age))
    (root / "not-ours").mkdir()
    cache = ResultCache(root, plumbing, RunSettings())
    cache.prune()
    assert sorted(path.name for path in root.iterdir()) == sorted(
        [cache.folder.name, "not-ours", *(folder.name for folder in old[:KEEP_FOLDERS - 1])])


# ---------------------------------------------------------------- discovery and the output check

def test_a_file_reached_through_links_counts_once(tmp_path) -> None:
    folder = tmp_path / "reports"
    original = write_report(folder / "a.txt", STRONG)
    os.link(original, folder / "b_hard.txt")
    (folder / "c_soft.txt").symlink_to(original)
    (folder / "d_dangling.txt").symlink_to(folder / "gone.txt")
    inputs = find_inputs([str(folder), str(original)])
    assert [Path(path).name for path in inputs.files] == ["a.txt", "d_dangling.txt"]
    assert inputs.sizes[0] == original.stat().st_size and inputs.sizes[1] == 0
    assert inputs.include(str(folder / "c_soft.txt")) and not inputs.include(str(tmp_path / "other.txt"))


@pytest.mark.parametrize("link", ["hard", "soft"])
def test_an_output_that_is_an_input_by_another_name_is_refused(tmp_path, link, capsys) -> None:
    report = write_report(tmp_path / "in" / "a.txt", STRONG)
    target = tmp_path / "out.jsonl"
    os.link(report, target) if link == "hard" else target.symlink_to(report)
    before = report.read_bytes()
    assert main(["batch", "-q", *RULES, "--format", "jsonl", "-o", str(target), str(tmp_path / "in")]) == EXIT_USAGE
    assert "输出文件不能是输入文件" in capsys.readouterr().err and report.read_bytes() == before


def test_discovery_keeps_walk_order_and_finds_many_files_quickly(tmp_path) -> None:
    for group in range(20):
        for index in range(100):
            (tmp_path / f"g{group:02d}").mkdir(exist_ok=True)
            (tmp_path / f"g{group:02d}" / f"r{index:03d}.txt").write_bytes(b"x")
    started = time.perf_counter()
    files = find_inputs([str(tmp_path)]).files
    elapsed = time.perf_counter() - started
    assert files == sorted(files) and len(files) == 2000
    print(f"2,000 files found in {elapsed * 1000:.0f} ms")  # measured, not asserted: the machine is shared


# ---------------------------------------------------------------- scheduling

def test_tasks_are_cut_by_bytes_and_a_large_file_goes_alone() -> None:
    files = [f"f{index}" for index in range(200)]
    sizes = [12_000] * 200
    sizes[50] = 50_000_000
    tasks = list(_tasks(files, sizes, workers=2))
    assert [path for task in tasks for path in task.paths] == files
    assert [task.start for task in tasks] == [sum(len(task.paths) for task in tasks[:number]) for number in range(len(tasks))]
    assert (50, ["f50"]) in tasks
    assert all(sum(sizes[files.index(path)] for path in task.paths) <= CHUNK_BYTES for task in tasks if len(task.paths) > 1)


SLOW = "slow.txt"
SLOW_SECONDS = 3


def _slow_first(paths):
    """Stands in for checker.batch._score_chunk in forked workers: the slow file takes a while."""
    if any(path.endswith(SLOW) for path in paths):
        time.sleep(SLOW_SECONDS)
    return _score_chunk(paths)


def _unchanged(outcome):
    return outcome, None


def test_one_slow_file_holds_back_neither_the_other_worker_nor_the_count(tmp_path, plumbing, monkeypatch) -> None:
    if batch_module._start_method() != "fork":
        pytest.skip("the stand-in for a slow file reaches the workers only through fork")
    monkeypatch.setattr(batch_module, "_score_chunk", _slow_first)
    files = [str(write_report(tmp_path / SLOW, STRONG))]
    files += [str(write_report(tmp_path / f"r{index:03d}.txt", WEAK)) for index in range(60)]
    counted, results = [], []
    with scoring(files, plumbing, Work(_unchanged), jobs=2, sizes=[os.path.getsize(path) for path in files]) as batch:
        for outcome, _ in batch.results(lambda count: counted.append((time.monotonic(), count))):
            if not results:
                first = time.monotonic()
            results.append(outcome.file)
    assert results == files
    assert sum(count for _, count in counted) == len(files)
    # While the slow file was read, the other worker scored the rest, and they were counted.
    before = sum(count for when, count in counted if when < first - SLOW_SECONDS / 2)
    assert before >= len(files) - batch_module.MAX_CHUNK // 4
