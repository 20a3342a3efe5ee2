"""fzcheck batch: walking, parallel scoring, ranking, error rows, exit codes, --by-rule.

The corpus (tests/conftest.py) is built from the fixture reports at test time, with a name, a
date or a rate changed so scores differ, plus the files a real shared folder holds. Reports are
scored with the fixture rule set, so the expected scores are the fixture set's, not the
national set's.
"""
from __future__ import annotations

import json
import multiprocessing
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import BROKEN, PLUMBING_RULES, PLUMBING_SCORES, REPORT_FIXTURES, STRONG, UNREADABLE, VARIANTS, WEAK
from conftest import build_corpus  # noqa: F401 - test_html_screenshot.py imports it from here

from checker.batch import FileError, Tally, Work, _score_chunk, find_inputs, rank, score_file, scored, scoring
from checker.cli import main
from checker.commands import EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE
from checker.models import Status
from checker.ruleset import load_ruleset

RULES = ("--rules", str(PLUMBING_RULES))

pytestmark = pytest.mark.usefixtures("wide_terminal")


@pytest.fixture()
def ruleset(plumbing):
    return plumbing


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["batch", "--quiet", *RULES, *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def batch_json(capsys, *argv: str) -> tuple[int, dict]:
    code, out, _ = run_cli(capsys, "--format", "json", *argv)
    return code, json.loads(out)


# ---------------------------------------------------------------- walking

def test_walk_finds_supported_files_in_sorted_order_and_skips_the_rest(corpus: Path) -> None:
    inputs = find_inputs([str(corpus)])
    relative = [Path(path).relative_to(corpus).as_posix() for path in inputs.files]
    assert sorted(relative) == sorted([*VARIANTS, *UNREADABLE])
    assert inputs.errors == []


def test_walk_order_is_depth_first_and_sorted(corpus: Path) -> None:
    relative = [Path(path).relative_to(corpus).as_posix() for path in find_inputs([str(corpus)]).files]
    assert relative[:4] == ["2022/broken.pdf", "2022/partials_2022.md", "2022/strong_2022.txt", "2023/partials.txt"]
    assert relative.index("2023/strong_2023.txt") < relative.index("2023/nested/weak_2023.txt")


def test_glob_matches_name_or_relative_path(corpus: Path) -> None:
    by_name = find_inputs([str(corpus)], ["*weak*"]).files
    assert sorted(Path(path).name for path in by_name) == [
        "weak.txt", "weak_2023.txt", "weak_full_rate.txt", "weak_on_time.txt"]
    by_path = find_inputs([str(corpus)], ["2023/*.txt"]).files
    assert {Path(path).relative_to(corpus).as_posix() for path in by_path} == {
        name for name in VARIANTS if name.startswith("2023/")}


def test_a_file_reached_twice_counts_once_and_named_files_are_kept(corpus: Path) -> None:
    hidden = corpus / ".hidden.txt"
    inputs = find_inputs([str(corpus), str(corpus / "2024" / "strong.txt"), str(hidden)])
    assert len(inputs.files) == len(VARIANTS) + len(UNREADABLE) + 1
    assert inputs.files[-1] == str(hidden)


def test_an_unlistable_folder_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    listing = os.scandir

    def refuse(path):  # what chmod 000 does, also when the tests run as root
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(locked))
        return listing(path)

    monkeypatch.setattr(os, "scandir", refuse)
    inputs = find_inputs([str(tmp_path)])
    assert [(error.file, error.error) for error in inputs.errors] == [(str(locked), "无法读取目录：没有权限 / Permission denied")]


# ---------------------------------------------------------------- scoring and ranking

def test_ranking_is_identical_in_process_and_across_processes(corpus: Path, capsys) -> None:
    serial = run_cli(capsys, str(corpus), "--jobs", "1", "--by-rule")
    parallel = run_cli(capsys, str(corpus), "--jobs", "2", "--by-rule")
    assert serial == parallel
    assert serial[0] == EXIT_UNREADABLE


def test_json_reports_are_ranked_by_kind_then_score_then_path(corpus: Path, capsys) -> None:
    _, document = batch_json(capsys, str(corpus), "--jobs", "2")
    rankings = document["summary"]["rankings"]
    kinds = {report["file"]: report["report"]["kind"] for report in document["reports"]}
    assert [ranking["kind"] for ranking in rankings] == sorted({*kinds.values()}, key=["government", "department", None].index)
    assert [report["file"] for report in document["reports"]] == [item["file"] for ranking in rankings for item in ranking["ranks"]]
    for ranking in rankings:
        keys = [(-item["score"], item["file"]) for item in ranking["ranks"]]
        assert keys == sorted(keys) and {kinds[item["file"]] for item in ranking["ranks"]} == {ranking["kind"]}
        assert ranking["ranks"][0]["rank"] == 1 and ranking["reports"] == len(ranking["ranks"])
        assert ranking["mean_score"] == round(sum(item["score"] for item in ranking["ranks"]) / len(ranking["ranks"]), 1)
    assert [report["file"] for report in document["not_reports"]] == [str(corpus / "2024/work_report.txt")]
    assert len(document["reports"]) == len(VARIANTS) - 1
    scores = {Path(report["file"]).relative_to(corpus).as_posix(): report["score"]
              for report in document["reports"] + document["not_reports"]}
    assert scores["2024/strong.txt"] == PLUMBING_SCORES[STRONG] == 100.0
    assert scores["2024/strong_low_rate.txt"] == 75.0  # court-rate (weight 5 of 20) fails at 92%
    assert scores["2024/weak.txt"] == PLUMBING_SCORES[WEAK] == 30.0
    assert scores["2024/weak_on_time.txt"] == 40.0  # on-time (weight 2) passes: published before 1 April
    assert scores["2023/partials_no_popularization.txt"] == 63.9  # on-time does not apply: out of 18


def _unchanged(outcome):
    """A `Work.finish` that hands the outcome on as it is (module level, so it pickles)."""
    return outcome, None


def test_leaving_early_stops_the_workers(corpus: Path, ruleset) -> None:
    files = find_inputs([str(corpus)]).files
    with pytest.raises(RuntimeError), scoring(files, ruleset, Work(_unchanged), jobs=2) as batch:
        next(batch.results())
        raise RuntimeError("the reader went away")
    deadline = time.monotonic() + 10  # a terminated worker takes a moment to be reaped
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert multiprocessing.active_children() == []


def test_equal_scores_share_a_rank() -> None:
    reports = [(30.0, "weak.txt"), (100.0, "z.txt"), (100.0, "strong.txt")]
    ranked = rank(reports)
    assert [(item.rank, reports[item.index][1]) for item in ranked] == [(1, "strong.txt"), (1, "z.txt"), (3, "weak.txt")]


def test_a_broken_file_is_one_error_row_and_the_batch_goes_on(corpus: Path, capsys) -> None:
    code, document = batch_json(capsys, str(corpus))
    assert code == EXIT_UNREADABLE
    assert [error["file"] for error in document["errors"]] == [str(corpus / name) for name in UNREADABLE]
    assert all("\n" not in error["error"] for error in document["errors"])
    assert "不支持的文件类型 .png" in document["errors"][1]["error"]
    assert (document["summary"]["reports"], document["summary"]["not_reports"]) == (len(VARIANTS) - 1, 1)
    assert document["summary"]["errors"] == len(UNREADABLE)
    assert document["summary"]["files"] == len(VARIANTS) + len(UNREADABLE)


def test_table_shows_the_error_row_and_the_summary_line(corpus: Path, capsys) -> None:
    code, out, err = run_cli(capsys, str(corpus / "2024"), str(corpus / BROKEN))
    assert code == EXIT_UNREADABLE
    assert "错误" in out and "broken.pdf" in out
    assert f"共 {len(os.listdir(corpus / '2024')) - 1} 份报告" in out  # work_report.txt is listed apart
    assert "另有 1 份不是法治政府建设年度报告，不计入" in out
    assert "1 个文件无法检查" in out
    assert err == ""


def test_table_shows_file_names_as_written(tmp_path: Path, capsys) -> None:
    name = tmp_path / "报告[red]终稿.txt"  # rich markup, if it were taken as such
    name.write_bytes((REPORT_FIXTURES / STRONG).read_bytes())
    _, out, _ = run_cli(capsys, str(name))
    assert str(name) in out


def test_every_file_read_exits_zero(corpus: Path, capsys) -> None:
    code, out, _ = run_cli(capsys, str(corpus / "2024"), "--jobs", "2")
    assert code == EXIT_OK
    assert out.index("strong.txt") < out.index("weak.txt")  # 100 before 30


def test_a_missing_path_is_an_error_row(corpus: Path, capsys) -> None:
    code, document = batch_json(capsys, str(corpus / "2024" / "strong.txt"), str(corpus / "nowhere"))
    assert code == EXIT_UNREADABLE
    assert document["errors"][0]["file"] == str(corpus / "nowhere")
    assert len(document["reports"]) == 1


def test_an_empty_folder_exits_zero_with_a_note(tmp_path: Path, capsys) -> None:
    code = main(["batch", str(tmp_path)])
    captured = capsys.readouterr()
    assert code == EXIT_OK
    assert captured.out == ""
    assert "没有找到可检查的文件" in captured.err


def test_no_path_at_all_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["batch"])
    assert stop.value.code == EXIT_USAGE


@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(jobs: str, capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["batch", "--jobs", jobs, str(REPORT_FIXTURES)])
    assert stop.value.code == EXIT_USAGE
    assert "应为正整数" in capsys.readouterr().err


def test_a_bad_rule_file_stops_before_any_work(corpus: Path, tmp_path: Path, capsys) -> None:
    rules = tmp_path / "bad.yaml"
    rules.write_text("id: bad\nversion: 1\ntitle: x\nrules: [\n", encoding="utf-8")
    assert main(["batch", str(corpus), "--rules", str(rules)]) == EXIT_USAGE
    assert "bad.yaml" in capsys.readouterr().err


def test_an_unexpected_exception_is_an_error_row_with_its_type(ruleset, monkeypatch) -> None:
    def explode(*_args, **_kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("checker.batch.audit_path", explode)
    outcome = score_file(str(REPORT_FIXTURES / STRONG), ruleset)
    assert isinstance(outcome, FileError)
    assert "ZeroDivisionError" in outcome.error
    assert outcome.traceback and "explode" in outcome.traceback


def test_a_bug_is_shown_with_its_traceback(corpus: Path, capsys, monkeypatch) -> None:
    monkeypatch.setattr("checker.batch.audit_path", lambda *_: 1 / 0)
    code, out, err = run_cli(capsys, str(corpus / "2024" / "strong.txt"))
    assert code == EXIT_UNREADABLE
    assert "ZeroDivisionError" in out
    assert "Traceback" in err


# ---------------------------------------------------------------- --by-rule

def test_by_rule_counts_add_up_to_the_reports(corpus: Path, capsys) -> None:
    _, document = batch_json(capsys, str(corpus))
    by_rule = document["summary"]["by_rule"]
    assert sorted(rule["id"] for rule in by_rule) == sorted(rule.spec.id for rule in load_ruleset(PLUMBING_RULES).rules)
    for rule in by_rule:  # the work report is listed apart: it is not counted
        assert sum(rule[status.value] for status in Status) == len(VARIANTS) - 1
    misses = [(-rule["fail"], -rule["partial"]) for rule in by_rule]
    assert misses == sorted(misses)
    # court-rate: 100% in the four strong variants and weak_full_rate, no rate in the four partials
    # variants; 92% or 90% in the others.
    court = next(rule for rule in by_rule if rule["id"] == "court-rate")
    assert (court["pass"], court["partial"], court["fail"], court["not_applicable"]) == (5, 4, 4, 0)


def test_by_rule_table_lists_the_most_missed_rule_first(corpus: Path, capsys) -> None:
    _, document = batch_json(capsys, str(corpus))
    first = document["summary"]["by_rule"][0]
    code, out, _ = run_cli(capsys, str(corpus), "--by-rule")
    assert code == EXIT_UNREADABLE
    table = out[out.index("各检查项达标情况"):]
    assert table.index(first["id"]) < min(table.index(rule["id"]) for rule in document["summary"]["by_rule"][1:])


def test_tally_grades_and_mean(ruleset) -> None:
    tally = Tally([(rule.spec.id, rule.spec.title) for rule in ruleset.rules])
    for name in (STRONG, WEAK):
        tally.add(scored(score_file(str(REPORT_FIXTURES / name), ruleset)))
    tally.add(FileError("x.pdf", "坏文件"))
    summary = tally.summary()
    assert (summary.files, summary.reports, summary.errors) == (3, 2, 1)
    assert summary.mean_score == (100 + 30) / 2
    assert summary.grades == {"优秀": 1, "良好": 0, "合格": 0, "不合格": 1}


# ---------------------------------------------------------------- end to end

def test_end_to_end_stdout_carries_only_the_format(corpus: Path) -> None:
    fzcheck = Path(sys.executable).parent / "fzcheck"
    command = [str(fzcheck)] if fzcheck.exists() else [sys.executable, "-m", "checker"]
    done = subprocess.run([*command, "batch", str(corpus / "2024"), "--format", "jsonl", "--jobs", "2", *RULES],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == EXIT_OK, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["file"] for line in lines] == find_inputs([str(corpus / "2024")]).files
    assert "共 6 份报告" in done.stderr and "另有 1 份不是法治政府建设年度报告" in done.stderr


def _crash_on_strong(paths):
    """Stands in for checker.batch._score_chunk in forked workers (module level, so it pickles)."""
    if any(path.endswith("/strong.txt") for path in paths):
        os._exit(1)  # what the kernel's OOM killer does to a worker
    return _score_chunk(paths)


def test_a_worker_that_dies_turns_what_it_had_not_scored_into_error_rows(corpus: Path, monkeypatch, capsys) -> None:
    import checker.batch as batch_module

    if batch_module._start_method() != "fork":
        pytest.skip("the stand-in for a crashing worker reaches the workers only through fork")
    monkeypatch.setattr(batch_module, "_score_chunk", _crash_on_strong)
    code, result = batch_json(capsys, "--jobs", "2", str(corpus))
    assert code == EXIT_UNREADABLE
    lost = [item for item in result["errors"] if item["error"] == batch_module.WORKER_LOST]
    assert lost and any(item["file"].endswith("/strong.txt") for item in lost)
    files = find_inputs([str(corpus)], ()).files
    assert len(result["reports"]) + len(result["not_reports"]) + len(result["errors"]) >= len(files)


# ---------------------------------------------------------------- rankings apart (issue 10, item 8)

@pytest.fixture()
def mixed(tmp_path: Path) -> Path:
    """The same strong report as a government's and as a department's (by --meta), a weak one of
    each, and a 政府工作报告: who is ranked with whom is then decided by kind alone."""
    for name, fixture in (("gov_strong.txt", STRONG), ("gov_weak.txt", WEAK), ("dept_strong.txt", STRONG),
                          ("dept_weak.txt", WEAK), ("work_report.txt", "not_a_report.txt")):
        (tmp_path / name).write_bytes((REPORT_FIXTURES / fixture).read_bytes())
    (tmp_path / "meta.csv").write_text("file,kind\ngov_strong.txt,政府\ngov_weak.txt,政府\n"
                                       "dept_strong.txt,部门\ndept_weak.txt,部门\nwork_report.txt,政府\n", encoding="utf-8")
    return tmp_path


def test_governments_and_departments_are_ranked_apart_and_not_reports_listed_apart(mixed: Path, capsys) -> None:
    _, document = batch_json(capsys, str(mixed), "--meta", str(mixed / "meta.csv"))
    rankings = {ranking["kind"]: [(item["rank"], Path(item["file"]).name) for item in ranking["ranks"]]
                for ranking in document["summary"]["rankings"]}
    assert rankings == {"government": [(1, "gov_strong.txt"), (2, "gov_weak.txt")],
                        "department": [(1, "dept_strong.txt"), (2, "dept_weak.txt")]}
    apart = document["not_reports"]
    assert [Path(item["file"]).name for item in apart] == ["work_report.txt"] and apart[0]["not_a_report"]
    summary = document["summary"]
    assert (summary["reports"], summary["not_reports"], summary["files"]) == (4, 1, 5)
    assert summary["mean_score"] == (PLUMBING_SCORES[STRONG] + PLUMBING_SCORES[WEAK]) / 2  # the work report is out
    assert sum(summary["grades"].values()) == 4


def test_rank_together_gives_one_ranking_and_still_lists_not_reports_apart(mixed: Path, capsys) -> None:
    _, document = batch_json(capsys, str(mixed), "--meta", str(mixed / "meta.csv"), "--rank-together")
    (ranking,) = document["summary"]["rankings"]
    assert ranking["kind"] == "all" and [item["rank"] for item in ranking["ranks"]] == [1, 1, 3, 3]
    assert len(document["not_reports"]) == 1


def test_the_table_has_a_ranking_per_kind_and_says_why_a_document_is_apart(mixed: Path, capsys) -> None:
    _, out, _ = run_cli(capsys, str(mixed), "--meta", str(mixed / "meta.csv"))
    government, department, apart = (out.index(title) for title in ("政府：2 份", "部门：2 份", "不是法治政府建设年度报告（另列"))
    assert government < department < apart
    reason = load_ruleset(PLUMBING_RULES).rule("document-type").spec.messages.fail
    assert reason[:8] in out[apart:] and "另有 1 份不是法治政府建设年度报告，不计入" in out


def test_the_html_page_has_a_ranking_per_kind_and_a_section_for_every_document(mixed: Path, capsys) -> None:
    _, out, _ = run_cli(capsys, str(mixed), "--meta", str(mixed / "meta.csv"), "--format", "html")
    headings = re.findall(r"<h2>([^<]*)</h2>", out)
    assert [heading.split("：")[0] for heading in headings if heading.startswith(("排名", "不是"))] == [
        "排名 · 政府", "排名 · 部门", "不是法治政府建设年度报告（另列，不参与排名和平均分）"]
    marks = re.findall(r'<details id="report-\d+"><summary>([^\u3000]*)\u3000', out)
    assert marks == ["政府 #1", "政府 #2", "部门 #1", "部门 #2", "另列"]
    assert out.count('class="cell ') == 4 * len(load_ruleset(PLUMBING_RULES).rules)  # the work report is not in it


def test_the_table_has_a_kind_column_only_when_governments_and_departments_are_ranked_together(mixed: Path,
                                                                                             capsys) -> None:
    apart = run_cli(capsys, str(mixed), "--meta", str(mixed / "meta.csv"))[1]
    together = run_cli(capsys, str(mixed), "--meta", str(mixed / "meta.csv"), "--rank-together")[1]
    header = re.compile(r"┃ 排名 ┃.*┃")
    assert all("类型" not in line for line in header.findall(apart))  # each ranking's title names its kind
    assert "全部报告：4 份" in together and all("类型" in line for line in header.findall(together))
