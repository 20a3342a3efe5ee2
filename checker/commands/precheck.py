"""fzcheck precheck FILE…: the audit plus a pass/fail verdict, for a drafter before submitting and
for CI jobs and pre-commit hooks, which act on the exit code and read a machine format."""
from __future__ import annotations

import argparse
import json
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from checker.commands import EXIT_CHECK_FAILED, EXIT_OK, EXIT_UNREADABLE
from checker.commands.common import (OUTPUT_WIDTH, add_report_options, add_run_options, check_output, error, note,
                                     output_console, ruleset_from, settings_from, silence_stdout, waivers_from,
                                     write_output)
from checker.commands.formats import PRECHECK, add_format_option
from checker.errors import UsageError
from checker.gate import DEFAULT_FAIL_UNDER, Checked, GatePolicy, Outcome, Verdict, blocking_mark, headline, judge
from checker.models import AuditResult, RuleResult, Status
from checker.output.labels import verdict_label, waiver_text
from checker.output.json_format import error_dict, report_dict
from checker.output.safe_text import shown_name, shown_result
from checker.pipeline import STDIN, RunSettings, audit_path
from checker.readers import SUPPORTED_SUFFIXES, ReadError
from checker.ruleset import RuleSet
from checker.waivers import Waivers

if TYPE_CHECKING:  # rich, the table and the JUnit and SARIF writers are imported by the formats that use them
    from rich.console import Console
    from rich.text import Text

HELP = "提交前检查：逐份打分并给出通过或不通过的结论（可用于 CI 和 pre-commit）"

EPILOG = f"""通过条件（全部满足才算通过）:
  - 得分不低于 --fail-under（默认 {DEFAULT_FAIL_UNDER:g}）
  - 规则集中标为必备（blocking）的检查项全部达标：部分达标也不算达标，不适用不影响结论
  - 加 --fail-on partial 时没有未达标或部分达标项；加 --fail-on fail 时没有未达标项
  - --waivers 豁免的检查项不计入得分，也不影响以上各条（结论中列出豁免了哪些项）

退出码 (exit codes):
  0  全部报告通过 (every report passed)
  1  有报告未通过 (some report failed the gate)
  2  用法或规则集错误 (usage or rule-file error)
  3  有输入文件无法读取 (some input could not be read)
     3 优先于 1：没读到的报告不能算通过。其余文件照常检查和输出。
     (3 wins over 1: an unread report is not a passing one; the other files are still checked.)

--compact 每个未达标或部分达标项一行，格式 FILE:LINE: [RULE-ID] 说明，最后一行是结论（PASS 或 FAIL）；
没有引文的检查项（整份报告缺某部分）记在第 1 行；豁免的项也各一行，写明豁免理由。
"""

FAIL_ON = {"partial": Status.PARTIAL, "fail": Status.FAIL}
VERDICT_STYLES = {True: "bold green", False: "bold red"}
FILE_LEVEL_LINE = 1  # where a finding with no quoted line goes, as pylint puts module messages


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="PATH",
                        help="报告文件（.txt .md .docx .pdf .html），- 表示标准输入；也可以是文件夹，"
                             "检查其中的全部报告（像 batch 一样递归查找）")
    parser.add_argument("--fail-under", type=_score, default=DEFAULT_FAIL_UNDER, metavar="SCORE",
                        help=f"得分低于此值即不通过（0–100，默认 {DEFAULT_FAIL_UNDER:g}）")
    parser.add_argument("--fail-on", choices=tuple(FAIL_ON),
                        help="partial：有未达标或部分达标项即不通过；fail：有未达标项即不通过")
    # Both write `format` and the last one given wins, so a pre-commit hook's default --compact
    # can be overridden by a --format in the user's own args.
    add_format_option(parser, PRECHECK, note="。table 为检查表、修改建议和结论")
    parser.add_argument("--compact", dest="format", action="store_const", const="compact",
                        help="同 --format compact：未达标和部分达标项每项一行，不出表格（适合编辑器和 pre-commit）")
    parser.add_argument("--output", "-o", metavar="FILE",
                        help=f"写入文件而不是标准输出（table 写入文件或管道时按 {OUTPUT_WIDTH} 列排版，设置 COLUMNS 可改变）")
    parser.add_argument("--only-failed", action="store_true", dest="only_failed",
                        help="table 只列出未达标和部分达标的检查项（总分、各项计数和结论不变）")
    add_report_options(parser)
    add_run_options(parser)


def _score(text: str) -> float:
    try:
        value = float(text)
        if 0 <= value <= 100:
            return value
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"应为 0 到 100 之间的分数：{text}")


def run(args: argparse.Namespace) -> int:
    if args.only_failed and args.format not in ("table", "compact"):  # compact lists only those anyway
        raise UsageError(f"--only-failed 只用于 --format table，不用于 {args.format}")
    ruleset = ruleset_from(args)
    waivers = waivers_from(args, ruleset)
    files, unlisted = _reports(args.files, args.quiet)
    note(args, f"检查 {len(files)} 个文件" + (f"，{len(unlisted)} 个文件夹无法列出" if unlisted else ""))
    args.files = files
    check_output(args.output, files)
    policy = GatePolicy(fail_under=args.fail_under, fail_on=FAIL_ON.get(args.fail_on))
    outcome = _check(files, ruleset, settings_from(args), policy, waivers, unlisted)
    code = EXIT_UNREADABLE if outcome.unreadable else EXIT_OK if outcome.passed else EXIT_CHECK_FAILED
    try:
        WRITERS[args.format](outcome, ruleset, args)
    except BrokenPipeError:
        # `precheck … | head`: the reader stopped reading, but the verdict stands: a failing or
        # unread report must not turn into exit code 0 because the output was cut short.
        silence_stdout()
    return code


def _reports(paths: list[str], quiet: bool) -> tuple[list[str], list[ReadError]]:
    """The files named, with every folder replaced by the reports under it, found as batch finds
    them (checker.batch.find_inputs), and the folders that could not be listed. `quiet` (-q): no
    note about a folder without reports."""
    if not any(path != STDIN and os.path.isdir(path) for path in paths):
        return paths, []
    from checker.batch import find_inputs  # its process pool is not loaded to check a few files

    files: list[str] = []
    unlisted: list[ReadError] = []
    for path in paths:
        if path == STDIN or not os.path.isdir(path):
            files.append(path)
            continue
        inputs = find_inputs([path])
        files += inputs.files
        unlisted += [ReadError(problem.file, problem.error) for problem in inputs.errors]
        if not inputs.files and not inputs.errors and not quiet:
            from checker.commands.common import stderr

            stderr.print(f"{shown_name(path)}：文件夹中没有可检查的报告（支持 {' '.join(SUPPORTED_SUFFIXES)}）",
                         markup=False, highlight=False, soft_wrap=True)
    return files, unlisted


def _check(files: list[str], ruleset: RuleSet, settings: RunSettings, policy: GatePolicy, waivers: Waivers,
           unlisted: Sequence[ReadError] = ()) -> Outcome:
    """Audit every file even after one cannot be read, so one bad path does not hide the rest."""
    checked: list[Checked] = []
    unreadable: list[ReadError] = []
    for problem in unlisted:
        error(str(problem))
        unreadable.append(ReadError(shown_name(problem.path), shown_name(problem.reason)))
    for path in files:
        try:
            result = shown_result(waivers.apply(audit_path(path, ruleset, settings)))
        except ReadError as problem:
            error(str(problem))
            unreadable.append(ReadError(shown_name(problem.path), shown_name(problem.reason)))
            continue
        checked.append(Checked(result, judge(result, policy)))
    return Outcome(tuple(checked), tuple(unreadable))


def _junit(outcome: Outcome, ruleset: RuleSet, args: argparse.Namespace) -> None:
    from checker.output.junit_format import junit_report

    write_output(junit_report(outcome), args.output, args.files)


def _sarif(outcome: Outcome, ruleset: RuleSet, args: argparse.Namespace) -> None:
    from checker.output.sarif_format import sarif_report

    write_output(sarif_report(outcome, ruleset), args.output, args.files)


def _json(outcome: Outcome, ruleset: RuleSet, args: argparse.Namespace) -> None:
    write_output(json.dumps({
        "reports": [report_dict(item.result) for item in outcome.checked],
        "verdicts": [item.verdict_dict() for item in outcome.checked],
        "errors": [error_dict(problem.path, problem.reason) for problem in outcome.unreadable],
        "passed": outcome.passed,
    }, ensure_ascii=False, indent=2), args.output, args.files)


# ---------------------------------------------------------------- text and compact

def _print_text(outcome: Outcome, ruleset: RuleSet, args: argparse.Namespace) -> None:
    """table: each report's table, its fixes and its verdict; compact: its one-line findings and
    its verdict (the fixes repeat the findings' hints, which a reader of one-line findings, an
    editor or a CI log, does not want twice)."""
    from checker.output.table import render_audit

    console = output_console(args.output)
    compact = args.format == "compact"
    several = len(outcome.checked) + len(outcome.unreadable) != 1  # none (an empty folder) gets the overall line too
    for item in outcome.checked:
        if compact:
            for rule in item.result.results:
                if rule.falls_short or rule.waiver:
                    _line(console, _compact_line(item.result, rule), compact)
        else:
            render_audit(item.result, console, args.only_failed)
            _print_fixes(item.verdict, console)
        prefix = f"{item.result.file}：" if several else ""
        _verdict_line(console, item.verdict.passed, prefix + item.verdict.why)
    if several or outcome.unreadable:
        _verdict_line(console, outcome.passed, outcome.why)
    if args.output:
        write_output(console.export_text(), args.output, args.files)


def _compact_line(result: AuditResult, rule: RuleResult) -> str:
    """`file:line: [rule-id] message`, the shape editors' and CI log parsers already match; a
    waived item says so first and why last."""
    line = rule.evidence[0].line if rule.evidence else FILE_LEVEL_LINE
    excused = f"；{waiver_text(rule.waiver)}" if rule.waiver else ""
    return f"{result.file}:{line}: [{rule.id}] {verdict_label(rule)}{blocking_mark(rule)}：{rule.message}{excused}"


def _print_fixes(verdict: Verdict, console: Console) -> None:
    if not verdict.fixes:
        return
    _line(console, "修改建议（按可挽回的分数排序）：", one_line=False)
    from checker.output.table import wrapped

    for fix in verdict.fixes:  # each fix's lines hang under its first, as the audit's items do
        console.print(wrapped(fix.summary, console.width, indent=2, hanging=4))


def _verdict_line(console: Console, passed: bool, why: str) -> None:
    from rich.text import Text

    _line(console, Text(headline(passed, why), style=VERDICT_STYLES[passed]), one_line=True)


def _line(console: Console, text: str | Text, one_line: bool) -> None:
    # A line a program reads (compact findings, the verdict) must stay one physical line however
    # narrow the terminal or pipe; markup is off because messages contain [rule-id] brackets.
    console.print(text, markup=False, highlight=False, soft_wrap=one_line)


WRITERS = {"table": _print_text, "compact": _print_text, "json": _json, "junit": _junit, "sarif": _sarif}
"""How each format of `formats.formats_of(PRECHECK)` is written (tests/test_formats.py holds them equal)."""
