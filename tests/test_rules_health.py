"""fzcheck rules health: its counts are batch's summary.by_rule on the same corpus, in one process or
several; it flags the rules that always give one status, never pass, look for terms no report has
or have no examples, suspicious rules first; bad input is one line and exit code 2 or 3.

The batch corpus and the fixture reports are tests/conftest.py's; the flags are tested on a rule
set written here, whose every rule is made to earn (or not) one flag on the fixture reports.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import PLUMBING_RULES, REPORT_FIXTURES, UNREADABLE

from checker.cli import main
from checker.commands import EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE

RULES = ("--rules", str(PLUMBING_RULES))
STATUSES = ("pass", "partial", "fail", "not_applicable")

pytestmark = pytest.mark.usefixtures("wide_terminal")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as stop:  # argparse's usage errors
        code = stop.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def health_json(capsys, *argv: str) -> tuple[int, dict]:
    code, out, _ = run(capsys, "rules", "health", *argv, "--format", "json")
    return code, json.loads(out)


# ---------------------------------------------------------------- the counts are batch's

@pytest.mark.parametrize("jobs", ["1", "2"])
def test_counts_are_batch_summary_by_rule(corpus: Path, capsys, jobs: str) -> None:
    batch_code, out, _ = run(capsys, "batch", "--quiet", *RULES, str(corpus), "--format", "json", "--jobs", "1",
                             "--no-cache")
    summary = json.loads(out)["summary"]
    code, health = health_json(capsys, str(corpus), *RULES, "--jobs", jobs)
    assert code == batch_code == EXIT_UNREADABLE  # the broken PDF and the scan
    assert {rule["id"]: rule["counts"] for rule in health["rules"]} == {
        rule["id"]: {status: rule[status] for status in STATUSES} for rule in summary["by_rule"]}
    assert (health["reports"], health["not_reports"]) == (summary["reports"], summary["not_reports"])
    assert sorted(Path(error["file"]).relative_to(corpus).as_posix() for error in health["errors"]) == sorted(UNREADABLE)



def test_glob_chooses_the_files_as_batch_glob_does(corpus: Path, capsys) -> None:
    _, out, _ = run(capsys, "batch", "--quiet", *RULES, str(corpus), "--glob", "*.txt", "--format", "json", "--no-cache")
    summary = json.loads(out)["summary"]
    code, health = health_json(capsys, str(corpus), *RULES, "--glob", "*.txt", "--quiet")
    assert code == EXIT_OK and health["errors"] == []  # the broken PDF and the scan are left out
    assert {rule["id"]: rule["counts"] for rule in health["rules"]} == {
        rule["id"]: {status: rule[status] for status in STATUSES} for rule in summary["by_rule"]}

def test_unreadable_files_are_one_line_each_on_stderr(corpus: Path, capsys) -> None:
    code, out, err = run(capsys, "rules", "health", str(corpus), *RULES)
    assert code == EXIT_UNREADABLE
    assert len(err.strip().splitlines()) == len(UNREADABLE) and "Traceback" not in err
    assert "测试用规则集" in out  # the table is still written, of the files that were read


# ---------------------------------------------------------------- the flags

FLAGGED = """\
id: health-check
version: "1"
title: 规则健康测试
report_rule: document-type
lexicon:
  courts: [出庭应诉, 出庭旁听甲]
  unused: [没有规则用的词]
rules:
  - id: quiet-rule
    title: 没有示例
    group: 测试
    basis: 测试
    weight: 1
    messages: {fail: 未见}
    hint: 补写。
    pass: has("谁执法谁普法")
    partial: has(@courts)
  - id: never-found
    title: 找不到的词
    group: 测试
    basis: 测试
    weight: 1
    messages: {fail: 未见}
    hint: 补写。
    pass: has("从未出现的词乙")
    examples:
      pass: [从未出现的词乙。]
      fail: [别的。]
  - id: always-found
    title: 总能找到
    group: 测试
    basis: 测试
    weight: 1
    messages: {fail: 未见}
    hint: 补写。
    pass: has("法治政府")
    examples:
      pass: [法治政府。]
      fail: [别的。]
  - id: never-passes
    title: 从不达标
    group: 测试
    basis: 测试
    weight: 1
    messages: {fail: 未见}
    hint: 补写。
    pass: has("普法") and not has("普法")
    partial: has("谁执法谁普法")
    examples:
      partial: [谁执法谁普法。]
      fail: [别的。]
  - id: document-type
    title: 是报告
    group: 测试
    basis: 测试
    weight: 1
    messages: {fail: 未见}
    hint: 补写。
    pass: contains(title, "法治政府") and contains(title, "报告")
    examples:
      pass: [青禾县2024年法治政府建设情况报告]
      fail: [2025年青禾县人民政府工作报告]
"""


@pytest.fixture()
def flagged(tmp_path: Path) -> str:
    path = tmp_path / "health.yaml"
    path.write_text(FLAGGED, encoding="utf-8")
    return str(path)


def test_each_kind_of_suspicious_rule_is_flagged_worst_first(flagged: str, capsys) -> None:
    code, health = health_json(capsys, str(REPORT_FIXTURES), "--rules", flagged, "--min-reports", "3")
    assert code == EXIT_OK
    assert (health["reports"], health["not_reports"]) == (3, 1)
    flags = {rule["id"]: [flag["code"] for flag in rule["flags"]] for rule in health["rules"]}
    assert flags == {
        "never-found": ["always-fail", "unmatched-terms"],
        "never-passes": ["never-passes"],
        "always-found": ["always-pass"],
        "quiet-rule": ["no-examples"],
        "document-type": [],  # the report rule passes every report counted, by definition
    }
    assert [rule["id"] for rule in health["rules"]] == list(flags)
    never_found = health["rules"][0]
    assert never_found["unmatched_terms"] == ["从未出现的词乙"]
    assert never_found["counts"] == {"pass": 0, "partial": 0, "fail": 3, "not_applicable": 0}
    assert "全部 3 份报告都未达标" in never_found["flags"][0]["message"]
    lexicon = {item["name"]: item for item in health["lexicon"]}
    assert (lexicon["courts"]["unmatched"], lexicon["courts"]["rules"]) == (["出庭旁听甲"], ["quiet-rule"])
    assert (lexicon["unused"]["unmatched"], lexicon["unused"]["rules"]) == (["没有规则用的词"], [])


def test_too_few_reports_say_nothing_of_always_the_same(flagged: str, capsys) -> None:
    _, health = health_json(capsys, str(REPORT_FIXTURES), "--rules", flagged)  # 3 reports, default 10
    assert health["min_reports"] == 10
    assert {flag["code"] for rule in health["rules"] for flag in rule["flags"]} == {"unmatched-terms", "no-examples"}


def test_the_table_explains_each_flag_in_chinese(flagged: str, capsys) -> None:
    code, out, err = run(capsys, "rules", "health", str(REPORT_FIXTURES), "--rules", flagged, "--min-reports", "3")
    assert (code, err) == (EXIT_OK, "")
    assert "规则健康测试（health-check 1）：3 份报告，另有 1 份不是法治政府建设年度报告，未计入；5 条规则中 4 条有问题" in out
    for message in ("全部 3 份报告都未达标", "条件中写的词语在全部报告中都没有出现：从未出现的词乙", "3 份报告中没有一份达标",
                    "全部 3 份报告都达标", "没有示例", "@unused", "没有规则使用", "出庭旁听甲"):
        assert message in out
    assert out.index("never-found") < out.index("never-passes") < out.index("always-found") < out.index("quiet-rule")


# ---------------------------------------------------------------- bad input

def test_an_empty_folder_is_one_line_and_exit_2(tmp_path: Path, capsys) -> None:
    code, out, err = run(capsys, "rules", "health", str(tmp_path), *RULES)
    assert (code, out) == (EXIT_USAGE, "")
    assert err.strip().splitlines() == [f"fzcheck: 错误：{tmp_path} 中没有找到可检查的报告（支持 .txt .md .docx .doc .wps .pdf "
                                        ".ofd .html .htm）"]


def test_a_missing_folder_is_one_line_and_exit_3(tmp_path: Path, capsys) -> None:
    code, out, err = run(capsys, "rules", "health", str(tmp_path / "missing"), *RULES)
    assert (code, out) == (EXIT_UNREADABLE, "")
    assert len(err.strip().splitlines()) == 1 and "missing" in err and "不存在" in err


def test_a_folder_of_documents_that_are_not_reports_is_one_line(tmp_path: Path, capsys) -> None:
    (tmp_path / "work_report.txt").write_text((REPORT_FIXTURES / "not_a_report.txt").read_text(encoding="utf-8"),
                                              encoding="utf-8")
    code, out, err = run(capsys, "rules", "health", str(tmp_path), *RULES)
    assert (code, out) == (EXIT_OK, "")
    assert err.strip().splitlines() == ["fzcheck: 错误：没有一份可统计的法治政府建设年度报告：找到的文件都不是法治政府建设年度报告"]


def test_min_reports_must_be_a_positive_number(capsys) -> None:
    code, out, err = run(capsys, "rules", "health", str(REPORT_FIXTURES), "--min-reports", "0")
    assert (code, out) == (EXIT_USAGE, "")
    assert "应为正整数：0" in err
