"""Issue 10, items 3, 11 and 12: lists of files and folders where users give them, the conventions
of good command-line tools, and a closed pipe.

- item 3: `batch --files-from FILE|-`, `batch -` refused with the way to do it, `audit DIR` pointed
  at `batch`, `precheck DIR` checking every report under the folder as batch finds them;
- item 11: `--version`, did-you-mean for a mistyped command, an unknown option answered with that
  command's usage, `table` as the human format everywhere, `rules test FILE`, `--kind 政府|部门`,
  `--year` and `--published` refused with the right reason;
- item 12: `fzcheck … | head` ends quietly with exit code 0, in every command and format;
- item 14: the options every checking command shares: `--select`/`--ignore` (scores over the
  rules kept), `--exit-zero`, `-q`, `-v` (the configuration file itself: tests/test_config.py).

Most tests call `checker.cli.main` in this process with the fixture rule set; standard input,
start-up and closed pipes need a fresh process.
"""
from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from conftest import NOT_A_REPORT, PARTIALS, PLUMBING_RULES, REPO, REPORT_FIXTURES, STRONG, WEAK, run_fzcheck
from conftest import main_in_process as run

from checker.cli import main
from checker.commands import EXIT_CHECK_FAILED, EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE

RULES = ("--rules", str(PLUMBING_RULES))

pytestmark = pytest.mark.usefixtures("wide_terminal")



@pytest.fixture()
def reports(tmp_path: Path) -> Path:
    """A folder as users have them: reports in subfolders, a hidden file and a Word lock file."""
    folder = tmp_path / "reports"
    (folder / "区县").mkdir(parents=True)
    shutil.copy(REPORT_FIXTURES / STRONG, folder / "strong.txt")
    shutil.copy(REPORT_FIXTURES / WEAK, folder / "区县" / "weak.txt")
    shutil.copy(REPORT_FIXTURES / STRONG, folder / ".hidden.txt")
    shutil.copy(REPORT_FIXTURES / STRONG, folder / "~$draft.txt")
    return folder


def files_of(batch_document: dict) -> list[str]:
    return sorted(report["file"] for report in batch_document["reports"] + batch_document["not_reports"])


# ================================================================ item 3: lists of files and folders

def test_batch_dash_is_refused_with_the_way_to_give_a_list(tmp_path: Path) -> None:
    code, out, err = run("batch", "-", *RULES)
    assert code == EXIT_USAGE and out == ""
    assert len(err.strip().splitlines()) == 1
    assert "--files-from -" in err


def test_batch_dash_beside_other_paths_is_refused_too(reports: Path) -> None:
    code, _, err = run("batch", str(reports), "-", *RULES)
    assert code == EXIT_USAGE and "--files-from -" in err


def test_files_from_a_file_scores_each_path_as_if_given_on_the_command_line(reports: Path, tmp_path: Path) -> None:
    strong, weak = reports / "strong.txt", reports / "区县" / "weak.txt"
    listing = tmp_path / "list.txt"
    listing.write_text(f"\n  {strong}  \n\n{weak}\t\n\n", encoding="utf-8")
    code, out, _ = run("batch", "--quiet", "--format", "json", "--files-from", str(listing), *RULES)
    direct = run("batch", "--quiet", "--format", "json", str(strong), str(weak), *RULES)
    assert code == EXIT_OK
    assert files_of(json.loads(out)) == sorted([str(strong), str(weak)])
    assert json.loads(out)["reports"] == json.loads(direct[1])["reports"]


def test_files_from_walks_a_listed_folder_and_adds_to_the_paths_given(reports: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.txt"
    shutil.copy(REPORT_FIXTURES / NOT_A_REPORT, other)
    listing = tmp_path / "list.txt"
    listing.write_text(f"{reports}\n", encoding="utf-8")
    code, out, _ = run("batch", "--quiet", "--format", "json", str(other), "--files-from", str(listing), *RULES)
    assert code == EXIT_OK
    assert files_of(json.loads(out)) == sorted([str(other), str(reports / "strong.txt"),
                                                str(reports / "区县" / "weak.txt")])


def test_a_listed_path_that_does_not_exist_is_an_error_row(reports: Path, tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text(f"{reports / 'strong.txt'}\n{tmp_path / 'gone.txt'}\n", encoding="utf-8")
    code, out, _ = run("batch", "--quiet", "--format", "json", "--files-from", str(listing), *RULES)
    document = json.loads(out)
    assert code == EXIT_UNREADABLE
    assert [error["file"] for error in document["errors"]] == [str(tmp_path / "gone.txt")]
    assert files_of(document) == [str(reports / "strong.txt")]


def test_files_from_standard_input_is_what_ls_piped_in_gives(reports: Path) -> None:
    # The user's pipe: `ls *.txt | fzcheck batch --files-from -`, relative names, from the folder.
    process = run_fzcheck("batch", "--files-from", "-", "--format", "jsonl", *RULES,
                          stdin="strong.txt\n.hidden.txt\n", cwd=reports)
    assert process.returncode == EXIT_OK, process.stderr
    lines = [json.loads(line) for line in process.stdout.splitlines()]
    assert [line["file"] for line in lines] == ["strong.txt", ".hidden.txt"]  # listed files are always checked
    assert lines[0]["score"] == 100


def test_a_list_written_with_a_bom_and_windows_line_ends_is_read(reports: Path, tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_bytes(f"\ufeff{reports / 'strong.txt'}\r\n{reports / '区县' / 'weak.txt'}\r\n".encode())
    code, out, _ = run("batch", "--quiet", "--format", "json", "--files-from", str(listing), *RULES)
    assert code == EXIT_OK and len(json.loads(out)["reports"]) == 2


def test_a_list_that_is_not_utf8_is_refused_with_its_line(tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_bytes("strong.txt\n区县\\weak.txt\n".encode("gbk"))
    code, out, err = run("batch", "--files-from", str(listing), *RULES)
    assert code == EXIT_USAGE and out == ""
    assert "UTF-8" in err and "第 2 行" in err and str(listing) in err


@pytest.mark.parametrize("content, expected", [
    ("strong.txt\n-\n", "第 2 行是 -"),
    ("strong.txt\x00weak.txt\n", "NUL"),
], ids=["dash", "nul"])
def test_a_list_line_that_cannot_be_a_path_is_refused(tmp_path: Path, content: str, expected: str) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text(content, encoding="utf-8")
    code, _, err = run("batch", "--files-from", str(listing), *RULES)
    assert code == EXIT_USAGE and expected in err


def test_a_list_that_cannot_be_read_is_a_usage_error(tmp_path: Path) -> None:
    code, _, err = run("batch", "--files-from", str(tmp_path / "nowhere.txt"), *RULES)
    assert code == EXIT_USAGE and "nowhere.txt" in err
    code, _, err = run("batch", "--files-from", str(tmp_path), *RULES)
    assert code == EXIT_USAGE and "文件夹" in err


def test_an_empty_list_is_an_empty_batch(tmp_path: Path) -> None:
    listing = tmp_path / "list.txt"
    listing.write_text("\n  \n", encoding="utf-8")
    code, out, err = run("batch", "--files-from", str(listing), *RULES)
    assert code == EXIT_OK and out == "" and "没有找到可检查的文件" in err


def test_batch_without_paths_or_a_list_shows_its_usage() -> None:
    code, _, err = run("batch", *RULES)
    assert code == EXIT_USAGE
    first, *usage = err.splitlines()
    assert first.startswith("fzcheck: 错误：") and "--files-from" in first
    assert usage[0].startswith("用法：fzcheck batch")


def test_batch_help_describes_files_from() -> None:
    code, out, _ = run("batch", "--help")
    assert code == EXIT_OK and "--files-from FILE" in out and "UTF-8" in out


def test_audit_of_a_folder_says_to_use_batch(reports: Path) -> None:
    code, out, err = run("audit", str(reports), *RULES)
    assert code == EXIT_USAGE and out == ""
    assert len(err.strip().splitlines()) == 1
    assert f"fzcheck batch {reports}" in err


def test_precheck_of_a_folder_checks_every_report_under_it_as_batch_finds_them(reports: Path) -> None:
    code, out, _ = run("precheck", str(reports), "--format", "json", *RULES)
    data = json.loads(out)
    assert code == EXIT_CHECK_FAILED  # weak.txt fails the gate
    found = [str(reports / "strong.txt"), str(reports / "区县" / "weak.txt")]  # no hidden file, no lock file
    assert [verdict["file"] for verdict in data["verdicts"]] == found
    assert [verdict["passed"] for verdict in data["verdicts"]] == [True, False]


def test_precheck_takes_folders_and_files_together(reports: Path, tmp_path: Path) -> None:
    single = tmp_path / "single.txt"
    shutil.copy(REPORT_FIXTURES / STRONG, single)
    code, out, _ = run("precheck", str(single), str(reports / "区县"), "--compact", *RULES)
    verdicts = [line for line in out.splitlines() if line.startswith(("PASS", "FAIL"))]
    assert code == EXIT_CHECK_FAILED
    assert verdicts[0].startswith(f"PASS: {single}：") and verdicts[1].startswith(f"FAIL: {reports / '区县' / 'weak.txt'}：")
    assert verdicts[-1] == "FAIL: 共 2 份报告，1 份未通过"


def test_precheck_of_a_folder_with_a_report_it_cannot_read_exits_3(reports: Path) -> None:
    (reports / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))  # listed as batch lists it, then unreadable
    code, out, err = run("precheck", str(reports), "--compact", *RULES)
    assert code == EXIT_UNREADABLE and "scan.png" in err
    assert out.splitlines()[-1].startswith("FAIL: 共 3 份报告")


def test_precheck_of_an_empty_folder_says_so(tmp_path: Path) -> None:
    code, out, err = run("precheck", str(tmp_path), *RULES)
    assert code == EXIT_OK
    assert "没有可检查的报告" in err
    assert out.splitlines()[-1].startswith("PASS: 共 0 份报告")  # the last line is still the verdict


# ================================================================ item 11: conventions

@pytest.mark.parametrize("option", ["--version", "-V"])
def test_version(option: str) -> None:
    code, out, _ = run(option)
    assert code == EXIT_OK
    assert out == f"fzcheck {version('fzcheck')}\n"
    assert re.fullmatch(r"fzcheck \d+\.\d+\.\d+\S*\n", out)


def test_version_in_a_fresh_process_loads_no_command() -> None:
    code = ("import sys; from checker.cli import main\n"
            "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
            "from checker.cli import COMMANDS\n"
            "print(sorted(m for m in sys.modules if m in {f'checker.commands.{name}' for name in COMMANDS}))")
    process = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert process.stdout.splitlines()[-1] == "[]", process.stderr


def test_a_cold_audit_still_does_not_look_up_the_version() -> None:
    # What --version needs (importlib.metadata) is imported only when asked: the audit path stays lean.
    code = ("import sys, contextlib, io; from checker.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    main(['audit', {str(REPORT_FIXTURES / STRONG)!r}, '--format', 'json', '--rules', {str(PLUMBING_RULES)!r}])\n"
            "print('importlib.metadata' in sys.modules, 'difflib' in sys.modules)")
    process = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert process.stdout.splitlines()[-1] == "False False", process.stderr


@pytest.mark.parametrize("typed, suggestion", [("audt", "audit"), ("bach", "batch"), ("prechek", "precheck"),
                                               ("rule", "rules"), ("AUDIT", "audit")])
def test_a_mistyped_command_gets_the_nearest_one(typed: str, suggestion: str) -> None:
    code, out, err = run(typed, "x.txt")
    assert code == EXIT_USAGE and out == ""
    assert f"未知命令 {typed}，是否要用 {suggestion}？" in err


def test_a_command_like_none_lists_the_commands() -> None:
    code, _, err = run("xyzzy")
    assert code == EXIT_USAGE
    assert "未知命令 xyzzy" in err and "audit、batch、precheck、rules" in err and "是否要用" not in err


@pytest.mark.parametrize("argv, usage", [
    (["audit", "x.txt", "--bogus"], "用法：fzcheck audit"),
    (["batch", "--bogus", "x"], "用法：fzcheck batch"),
    (["precheck", "x.txt", "--frmat", "json"], "用法：fzcheck precheck"),
    (["rules", "validate", "r.yaml", "--bogus"], "用法：fzcheck rules validate"),
    (["rules", "list", "--bogus"], "用法：fzcheck rules list"),
], ids=["audit", "batch", "precheck", "rules-validate", "rules-list"])
def test_an_unknown_option_shows_that_commands_usage(argv: list[str], usage: str) -> None:
    code, out, err = run(*argv)
    first, *rest = err.splitlines()
    assert code == EXIT_USAGE and out == ""
    assert first.startswith("fzcheck: 错误：无法识别的参数：") and ("--bogus" in first or "--frmat" in first)
    assert rest[0].startswith(usage)


def test_a_stray_positional_argument_is_named_under_the_commands_usage() -> None:
    code, _, err = run("audit", "a.txt", "b.txt")
    first, usage, *_ = err.splitlines()
    assert code == EXIT_USAGE and "b.txt" in first and usage.startswith("用法：fzcheck audit")


@pytest.mark.parametrize("command", ["audit", "batch", "precheck"])
def test_table_is_the_human_format_and_the_default_in_every_command(command: str) -> None:
    _, out, _ = run(command, "--help")
    formats = re.search(r"--format \{([^}]*)\}", out).group(1).split(",")
    assert formats[0] == "table"
    assert "text" not in formats  # an old name still works but is not offered
    assert "默认 table" in " ".join(out.split())


def test_precheck_format_text_is_still_table(tmp_path: Path) -> None:
    report = str(REPORT_FIXTURES / WEAK)
    table = run("precheck", report, "--format", "table", *RULES)
    assert table == run("precheck", report, "--format", "text", *RULES) == run("precheck", report, *RULES)
    assert table[0] == EXIT_CHECK_FAILED and "修改建议" in table[1]


def test_rules_test_takes_the_file_like_validate() -> None:
    positional = run("rules", "test", str(PLUMBING_RULES))
    assert positional == run("rules", "test", "--rules", str(PLUMBING_RULES))
    assert positional[0] == EXIT_OK and " passed, 0 failed" in positional[1]
    assert positional[1] != run("rules", "test")[1]  # not the national set's examples


def test_rules_test_with_a_file_and_another_rules_is_refused(tmp_path: Path) -> None:
    code, _, err = run("rules", "test", str(PLUMBING_RULES), "--rules", str(tmp_path / "other.yaml"))
    assert code == EXIT_USAGE and "只能给出一个" in err


@pytest.mark.parametrize("typed, kind", [("政府", "government"), ("部门", "department"),
                                         ("government", "government"), ("department", "department")])
def test_kind_in_chinese_or_english(typed: str, kind: str) -> None:
    code, out, _ = run("audit", str(REPORT_FIXTURES / STRONG), "--format", "json", "--kind", typed, *RULES)
    assert code == EXIT_OK
    assert json.loads(out)["report"]["kind"] == kind


def test_an_unknown_kind_names_both_spellings() -> None:
    code, _, err = run("audit", str(REPORT_FIXTURES / STRONG), "--kind", "县政府", *RULES)
    assert code == EXIT_USAGE and "government（政府）" in err and "department（部门）" in err


@pytest.mark.parametrize("command", ["audit", "batch", "precheck"])
@pytest.mark.parametrize("year", ["24", "202", "20245", "0024", "二〇二四", "２０２４", "2024.0", "-2024"])
def test_a_year_must_have_four_digits(command: str, year: str) -> None:
    code, _, err = run(command, str(REPORT_FIXTURES / STRONG), "--year", year, *RULES)
    assert code == EXIT_USAGE
    assert "四位数年份" in err


def test_a_four_digit_year_is_used() -> None:
    code, out, _ = run("audit", str(REPORT_FIXTURES / STRONG), "--format", "json", "--year", "2023", *RULES)
    assert code == EXIT_OK and json.loads(out)["report"]["year"] == 2023


@pytest.mark.parametrize("published, reason", [
    ("2024-02-30", "2024 年 2 月只有 29 天"),
    ("2023-02-29", "2023 年 2 月只有 28 天"),
    ("2025-04-31", "2025 年 4 月只有 30 天"),
    ("2025-13-01", "月份应为 01–12"),
    ("2025-00-10", "月份应为 01–12"),
    ("2025-03-00", "2025 年 3 月只有 31 天"),
])
def test_a_date_that_does_not_exist_is_refused_as_such(published: str, reason: str) -> None:
    code, _, err = run("audit", str(REPORT_FIXTURES / STRONG), "--published", published, *RULES)
    assert code == EXIT_USAGE
    assert f"没有这一天：{published}" in err and reason in err


@pytest.mark.parametrize("published", ["2025/03/20", "20250320", "2025-3-20", "March 2025", "2025-W12-1"])
def test_a_date_in_another_form_is_refused_for_its_form(published: str) -> None:
    code, _, err = run("audit", str(REPORT_FIXTURES / STRONG), "--published", published, *RULES)
    assert code == EXIT_USAGE
    assert "YYYY-MM-DD" in err and "没有这一天" not in err


def test_a_date_that_exists_is_used() -> None:
    code, out, _ = run("audit", str(REPORT_FIXTURES / STRONG), "--format", "json", "--published", "2024-02-29", *RULES)
    assert code == EXIT_OK and json.loads(out)["report"]["published"] == "2024-02-29"


# ================================================================ item 12: a closed pipe

def closed_pipe(*argv: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """`fzcheck ARGV | head -0`, made certain: the reading end is closed before fzcheck starts, so
    its first write to stdout fails however little it writes."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run([sys.executable, "-m", "checker", *argv], stdout=write, stderr=subprocess.PIPE,
                              text=True, encoding="utf-8", cwd=cwd, timeout=120,
                              env={**os.environ, "COLUMNS": "100", "PYTHONIOENCODING": "utf-8"})
    finally:
        os.close(write)


STRONG_PATH = str(REPORT_FIXTURES / STRONG)
WEAK_PATH = str(REPORT_FIXTURES / WEAK)


PLUMBING = str(PLUMBING_RULES)


@pytest.mark.parametrize("argv", [
    ["audit", STRONG_PATH, "--rules", PLUMBING],
    ["audit", STRONG_PATH, "--format", "json", "--rules", PLUMBING],
    ["audit", STRONG_PATH, "-o", "/dev/stdout", "--rules", PLUMBING],
    ["precheck", STRONG_PATH, "--rules", PLUMBING],
    ["precheck", STRONG_PATH, "--compact", "--rules", PLUMBING],
    ["precheck", STRONG_PATH, "--format", "junit", "--rules", PLUMBING],
    ["precheck", STRONG_PATH, "--format", "sarif", "--rules", PLUMBING],
    ["precheck", STRONG_PATH, "--format", "json", "--rules", PLUMBING],
    ["rules", "list", "--rules", PLUMBING],
    ["rules", "show", "court-rate", "--rules", PLUMBING],
    ["rules", "validate", PLUMBING],
    ["rules", "test", PLUMBING],
    ["--help"],
    ["audit", "--help"],
    ["--version"],
], ids=lambda argv: " ".join(arg for arg in argv if "/" not in arg))
def test_a_closed_pipe_ends_quietly_with_exit_code_0(argv: list[str]) -> None:
    process = closed_pipe(*argv)
    assert (process.returncode, process.stderr) == (EXIT_OK, "")


@pytest.fixture(scope="module")
def many_reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pipe")
    for number in range(40):
        shutil.copy(REPORT_FIXTURES / (STRONG if number % 2 else WEAK), folder / f"r{number:02}.txt")
    return folder


@pytest.mark.parametrize("output_format", ["table", "json", "html", "jsonl", "csv"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_closed_pipe_ends_a_batch_quietly_with_exit_code_0(many_reports: Path, output_format: str, jobs: str) -> None:
    process = closed_pipe("batch", str(many_reports), "--format", output_format, "--jobs", jobs, "--no-cache", *RULES)
    assert (process.returncode, process.stderr) == (EXIT_OK, "")


def test_a_closed_pipe_ends_a_batch_written_through_dev_stdout_quietly(many_reports: Path) -> None:
    process = closed_pipe("batch", str(many_reports), "--format", "csv", "-o", "/dev/stdout", "--no-cache", *RULES)
    assert (process.returncode, process.stderr) == (EXIT_OK, "")


def test_what_head_reads_is_the_start_of_the_output(many_reports: Path) -> None:
    # `fzcheck batch DIR | head -1`, as a user types it: one line read, then the pipe closed.
    command = [sys.executable, "-m", "checker", "batch", str(many_reports), "--format", "jsonl", "--no-cache", *RULES]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO) as process:
        first = process.stdout.readline()
        process.stdout.close()
        stderr = process.stderr.read()
        assert process.wait(timeout=120) == EXIT_OK and stderr == b""
    assert json.loads(first)["file"].endswith("r00.txt")


@pytest.mark.parametrize("argv, code", [
    ([WEAK_PATH], EXIT_CHECK_FAILED),
    ([WEAK_PATH, "--format", "json"], EXIT_CHECK_FAILED),
    ([STRONG_PATH, str(REPORT_FIXTURES / "missing.txt"), "--compact"], EXIT_UNREADABLE),
], ids=["table", "json", "unreadable"])
def test_a_closed_pipe_does_not_turn_a_failed_precheck_into_a_pass(argv: list[str], code: int) -> None:
    # The gate's verdict is known before anything is printed; a reader that stops early (a CI
    # step with `set -o pipefail`) must still see it. Quietly: nothing about the pipe on stderr.
    process = closed_pipe("precheck", *argv, *RULES)
    assert process.returncode == code
    assert "Broken pipe" not in process.stderr and "Traceback" not in process.stderr


def test_a_broken_pipe_in_process_is_exit_code_0(monkeypatch: pytest.MonkeyPatch) -> None:
    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["audit", STRONG_PATH, "--format", "json", *RULES]) == EXIT_OK


# ================================================================ item 14: options every command shares

PARTIALS_PATH = str(REPORT_FIXTURES / PARTIALS)


def audit_json(*argv: str) -> dict:
    code, out, err = run("audit", *argv, "--format", "json", *RULES)
    assert code == EXIT_OK, err
    return json.loads(out)


def test_select_scores_over_the_selected_rules_alone() -> None:
    chosen = audit_json(PARTIALS_PATH, "--select", "court-rate")
    assert [(item["id"], item["status"]) for item in chosen["results"]] == [("court-rate", "partial")]
    assert chosen["score"] == 50.0 and chosen["counts"]["partial"] == 1
    left = audit_json(PARTIALS_PATH, "--ignore", "court-rate,popularization-duty")  # the two partials left out
    assert left["score"] == 100.0


def test_select_and_ignore_together_keep_the_rule_sets_order() -> None:
    chosen = audit_json(STRONG_PATH, "--select", "on-time，court-rate reconsideration", "--ignore", "reconsideration")
    assert [item["id"] for item in chosen["results"]] == ["court-rate", "on-time"]


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_an_unknown_rule_id_is_one_line_with_the_nearest_one(option: str) -> None:
    code, out, err = run("audit", STRONG_PATH, option, "court-rate,court-rat", *RULES)
    assert code == EXIT_USAGE and out == "" and len(err.splitlines()) == 1
    assert err.startswith(f"fzcheck: 错误：{option}：规则集 plumbing 中没有规则 court-rat（是否要用 court-rate？）")


def test_a_selection_that_leaves_no_rule_is_refused() -> None:
    code, _, err = run("audit", STRONG_PATH, "--select", "court-rate", "--ignore", "court-rate", *RULES)
    assert code == EXIT_USAGE and "没有剩下任何规则" in err


def test_a_selection_has_its_own_digest_and_all_rules_are_the_whole_set() -> None:
    whole = audit_json(STRONG_PATH)["ruleset"]["sha256"]
    every = ",".join(item["id"] for item in audit_json(STRONG_PATH)["results"])
    some = audit_json(STRONG_PATH, "--select", "court-rate")["ruleset"]["sha256"]
    assert audit_json(STRONG_PATH, "--select", every)["ruleset"]["sha256"] == whole
    assert some != whole and re.fullmatch(r"[0-9a-f]{64}", some)
    assert audit_json(STRONG_PATH, "--select", "court-rate")["ruleset"]["sha256"] == some


def test_a_batch_scores_the_selection_in_every_worker_and_keeps_its_own_cache(reports: Path, tmp_path: Path) -> None:
    def batch(*argv: str) -> dict:
        code, out, err = run("batch", str(reports), "--format", "json", "--cache-dir", str(tmp_path / "cache"),
                             *argv, *RULES)
        assert code == EXIT_OK, err
        return json.loads(out)
    whole = batch("--jobs", "1")
    alone, pooled = (batch("--ignore", "shortcomings-section", "--jobs", jobs) for jobs in ("1", "2"))
    assert alone == pooled  # the workers kept the same rules and stamped the same digest
    assert {len(report["results"]) for report in alone["reports"]} == {len(whole["reports"][0]["results"]) - 1}
    assert batch("--jobs", "1") == whole  # the cached results of the selection were not taken for the whole set's


def test_leaving_out_a_blocking_rule_or_the_report_rule_leaves_out_what_it_decides() -> None:
    assert run("precheck", WEAK_PATH, "--compact", *RULES)[0] == EXIT_CHECK_FAILED
    assert run("precheck", WEAK_PATH, "--compact", "--select", "reconsideration", *RULES)[0] == EXIT_OK
    not_a_report = str(REPORT_FIXTURES / NOT_A_REPORT)
    assert audit_json(not_a_report)["not_a_report"]
    assert audit_json(not_a_report, "--ignore", "document-type")["not_a_report"] is None


@pytest.mark.parametrize("argv, without", [
    (["precheck", WEAK_PATH, "--compact"], EXIT_CHECK_FAILED),
    (["precheck", STRONG_PATH, str(REPORT_FIXTURES / "missing.txt"), "--compact"], EXIT_UNREADABLE),
    (["audit", str(REPORT_FIXTURES / "missing.txt")], EXIT_UNREADABLE),
    (["batch", str(REPORT_FIXTURES / "missing.txt"), "--format", "json"], EXIT_UNREADABLE),
], ids=["failed-gate", "unreadable-in-precheck", "unreadable-in-audit", "unreadable-in-batch"])
def test_exit_zero_turns_what_was_found_into_0(argv: list[str], without: int) -> None:
    assert run(*argv, *RULES)[0] == without
    code, out, err = run(*argv, "--exit-zero", *RULES)
    assert code == EXIT_OK
    assert run(*argv, *RULES)[1:] == (out, err)  # the same output and messages, only the exit code differs


def test_exit_zero_keeps_2_for_what_stops_fzcheck_itself(tmp_path: Path) -> None:
    assert run("audit", STRONG_PATH, "--exit-zero", "--select", "nothing-like-it", *RULES)[0] == EXIT_USAGE
    assert run("audit", STRONG_PATH, "--exit-zero", "--rules", str(tmp_path / "none.yaml"))[0] == EXIT_USAGE
    assert run("audit", str(tmp_path), "--exit-zero", *RULES)[0] == EXIT_USAGE


def test_quiet_leaves_only_errors_on_stderr(tmp_path: Path) -> None:
    assert "没有可检查的报告" in run("precheck", str(tmp_path), *RULES)[2]
    code, out, err = run("precheck", str(tmp_path), "-q", *RULES)
    assert (code, err) == (EXIT_OK, "") and out.startswith("PASS")
    assert run("precheck", str(REPORT_FIXTURES / "missing.txt"), "--quiet", *RULES)[2].startswith("fzcheck: 错误：")
    assert run("audit", STRONG_PATH, "-q", "--format", "json", *RULES)[2] == ""


def test_verbose_says_the_rule_set_its_digest_the_files_and_the_time(reports: Path) -> None:
    code, out, err = run("batch", str(reports), "--format", "json", "-v", "--no-cache", *RULES)
    digest = json.loads(out)["reports"][0]["ruleset"]["sha256"]
    assert code == EXIT_OK
    assert f"fzcheck: 规则集：{PLUMBING_RULES}（plumbing 1.0，6 条规则，sha256 {digest[:16]}）" in err
    assert "fzcheck: 找到 2 个文件" in err
    assert re.search(r"fzcheck: 用时 \d+\.\d\d 秒，退出码 0", err)
    quiet = run("batch", str(reports), "--format", "json", "--no-cache", *RULES)
    assert quiet[1] == out  # stdout carries the same document


@pytest.mark.parametrize("command", ["audit", "batch", "precheck"])
def test_every_checking_command_has_the_shared_options(command: str) -> None:
    _, out, _ = run(command, "--help")
    for option in ("--select RULE_ID,...", "--ignore RULE_ID,...", "--exit-zero", "--quiet, -q", "--verbose, -v",
                   "--config FILE", "--no-config"):
        assert option in out, option
