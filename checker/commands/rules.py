"""fzcheck rules list | show ID | validate FILE | test | explain ID REPORT | health DIR: read the rule set
the way the checker reads it, and see how its rules judge reports (checker/explain.py,
checker/health.py)."""
from __future__ import annotations

import argparse
import os

from rich.console import Console
from rich.table import Table
from rich.text import Text

from checker.commands import EXIT_CHECK_FAILED, EXIT_OK, EXIT_UNREADABLE
from checker.commands.common import (add_config_options, add_glob_option, add_report_options, error, output_console,
                                     positive_integer, ruleset_from, settings_from, write_output)
from checker.commands.formats import EXPLAIN, HEALTH, add_format_option
from checker.errors import UsageError
from checker.explain import FIELD_LABELS
from checker.pipeline import STDIN
from checker.rule_examples import run_examples
from checker.ruleset import CompiledRule, RuleSet, UnknownRuleError, load_ruleset

HELP = "查看和校验规则集"
DEFAULT_MIN_REPORTS = 10
"""rules health: reports needed before a rule that gave every one of them the same status is
flagged; over three reports the same status says nothing about the rule."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="列出规则")
    listing.add_argument("--rules", metavar="FILE", help="规则集文件（默认：内置全国规则集）")
    add_config_options(listing)
    show = actions.add_parser("show", help="显示一条规则：依据、条件、示例")
    show.add_argument("rule_id", metavar="ID")
    show.add_argument("--rules", metavar="FILE", help="规则集文件（默认：内置全国规则集）")
    add_config_options(show)
    validate = actions.add_parser("validate", help="校验规则集文件（有错时退出码 2）")
    validate.add_argument("file", metavar="FILE")
    test = actions.add_parser("test", help="运行规则中的示例，核对每条示例的结果（有不符时退出码 1）")
    test.add_argument("file", nargs="?", metavar="FILE", help="规则集文件（同 --rules；默认：内置全国规则集）")
    test.add_argument("--rules", metavar="FILE", help="规则集文件（默认：内置全国规则集）")
    add_config_options(test)
    explain = actions.add_parser("explain", help="说明一条规则为什么给一份报告这个结论：每个条件及其各部分是否成立、匹配到的原文")
    explain.add_argument("rule_id", metavar="ID")
    explain.add_argument("file", metavar="REPORT", help="报告文件（.txt .md .docx .pdf .html），- 表示标准输入")
    add_format_option(explain, EXPLAIN, note="。table 为终端中的缩进树")
    add_report_options(explain)
    add_config_options(explain)
    health = actions.add_parser("health", help="在一批报告上统计每条规则的结果，找出总是同一结果、词语从未出现、没有示例的规则")
    health.add_argument("paths", nargs="+", metavar="DIR", help="报告所在的文件夹（递归查找，同 batch）或报告文件")
    add_glob_option(health)
    health.add_argument("--quiet", "-q", action="store_true", help="不显示进度条")
    add_format_option(health, HEALTH, note="。table 中可疑的规则在前")
    health.add_argument("--jobs", "-j", type=positive_integer, metavar="N",
                        help="并行进程数（默认：CPU 核数，文件少时为 1；1 表示在本进程内逐个检查）")
    health.add_argument("--min-reports", type=positive_integer, default=DEFAULT_MIN_REPORTS, metavar="N",
                        help=f"至少有这么多份报告时，才标出对每份报告都给出同一结果的规则（默认 {DEFAULT_MIN_REPORTS}）")
    add_report_options(health, fill_in=True)
    add_config_options(health)


def run(args: argparse.Namespace) -> int:
    console = output_console(None)
    if args.action == "test" and args.file:
        if args.rules and args.rules != args.file and "rules" not in args.from_config:  # FILE wins over the file's
            raise UsageError(f"rules test 只检查一个规则集：{args.file} 和 --rules {args.rules} 只能给出一个")
        args.rules = args.file
    if args.action == "explain":
        return _explain(args)
    if args.action == "health":
        return _health(args)
    if args.action == "validate":
        ruleset = load_ruleset(args.file)
        console.print(f"[green]✓[/green] {args.file}：规则集 {ruleset.id} {ruleset.version}，{len(ruleset.rules)} 条规则，全部有效")
        return EXIT_OK
    ruleset = ruleset_from(args)
    if args.action == "test":
        return _test(ruleset, console)
    if args.action == "list":
        console.print(_listing(ruleset))
        return EXIT_OK
    _show(_rule(ruleset, args.rule_id), console)
    return EXIT_OK


def _rule(ruleset: RuleSet, rule_id: str) -> CompiledRule:
    """The rule, or an UnknownRuleError naming the nearest id (exit code 2)."""
    rule = ruleset.rule(rule_id)
    if rule is None:
        raise UnknownRuleError(ruleset, rule_id)
    return rule


def _explain(args: argparse.Namespace) -> int:
    from checker.explain import explain_rule, explanation_json, read_document, render_explanation
    from checker.readers import ReadError

    ruleset = ruleset_from(args)
    rule = _rule(ruleset, args.rule_id)
    if args.file != STDIN and os.path.isdir(args.file):
        raise UsageError(f"{args.file} 是文件夹；rules explain 说明一份报告的结论，"
                         "看一条规则在一批报告上的表现请用 fzcheck rules health")
    try:
        document = read_document(args.file, ruleset, settings_from(args))
    except ReadError as problem:
        error(str(problem))
        return EXIT_UNREADABLE
    explanation = explain_rule(rule, document, ruleset.scan(document.text))
    if args.format == "json":
        write_output(explanation_json(explanation), None)
    else:
        render_explanation(explanation, output_console(None))
    return EXIT_OK


def _health(args: argparse.Namespace) -> int:
    from checker.batch import default_jobs, find_inputs
    from checker.commands.progress import progress_bar  # rich's progress bar: only for a survey
    from checker.health import health_json, render_health, survey
    from checker.readers import SUPPORTED_SUFFIXES

    ruleset = ruleset_from(args)
    inputs = find_inputs(args.paths, args.glob or ())
    if not inputs.files and not inputs.errors:
        raise UsageError(f"{'、'.join(args.paths)} 中没有找到可检查的报告（支持 {' '.join(SUPPORTED_SUFFIXES)}）")
    with progress_bar(len(inputs.files), args.quiet) as advance:
        health = survey(inputs.files, ruleset, settings_from(args, fill_in=True), args.jobs or default_jobs(len(inputs.files)),
                        args.min_reports, inputs.sizes, inputs.errors, advance)
    for problem in health.errors:
        error(f"{problem.file}：{problem.error}")
    if args.format == "json":
        write_output(health_json(health), None)
    elif health.reports:
        render_health(health, output_console(None))
    elif not health.errors:  # each error has had its line
        error("没有一份可统计的法治政府建设年度报告：找到的文件都不是法治政府建设年度报告")
    return EXIT_UNREADABLE if health.errors else EXIT_OK


def _test(ruleset: RuleSet, console: Console) -> int:
    outcomes = list(run_examples(ruleset))
    wrong = [outcome for outcome in outcomes if not outcome.ok]
    skipped = [outcome for outcome in outcomes if outcome.skipped]
    for outcome in wrong:
        console.print(f"[red]✗[/red] {outcome.name}：应为{outcome.expected.label}，实际{outcome.actual.label}")
        console.print(f"    {outcome.text.strip()}", markup=False)
    for rule_id, reason in dict.fromkeys((outcome.rule_id, outcome.skipped) for outcome in skipped):
        count = sum(outcome.rule_id == rule_id for outcome in skipped)
        console.print(f"跳过 {rule_id} 的 {count} 个示例：{reason}", markup=False, soft_wrap=True)
    tally = f"{len(outcomes) - len(wrong) - len(skipped)} passed, {len(wrong)} failed"
    console.print(tally + (f", {len(skipped)} skipped" if skipped else ""), markup=False)
    return EXIT_CHECK_FAILED if wrong else EXIT_OK


def _listing(ruleset: RuleSet) -> Table:
    table = Table(title=f"{ruleset.title}（{ruleset.id} {ruleset.version}）")
    table.add_column("ID", no_wrap=True)  # an id is what people copy: never cut it
    for column in ("检查项", "类别", "权重", "必备"):
        table.add_column(column, overflow="fold")
    for rule in ruleset.rules:
        table.add_row(rule.spec.id, rule.spec.title, rule.spec.group, f"{rule.weight:g}", "是" if rule.blocking else "")
    return table


def _show(rule, console: Console) -> None:
    """Rule text goes out as plain Text: conditions are full of [lists] that markup would eat."""
    spec = rule.spec
    console.print(Text.assemble((spec.title, "bold"), "  ", (spec.id, "dim")))
    console.print(Text(f"类别：{spec.group}    权重：{rule.weight:g}    必备：{'是' if rule.blocking else '否'}    范围：{spec.scope}"))
    console.print(Text(f"依据：{spec.basis}"))
    if rule.params:
        console.print(Text("参数：" + "，".join(f"{key} = {value}" for key, value in rule.params.items())))
    sections = [(FIELD_LABELS["not_applicable"], spec.not_applicable), (FIELD_LABELS["pass"], spec.pass_),
                (FIELD_LABELS["partial"], spec.partial), ("建议", spec.hint)]
    for label, body in sections:
        if body:
            console.print(Text.assemble("\n", (label, "bold"), "\n", body.strip()))
    examples = spec.examples.by_status()
    if examples:
        console.print(Text("\n示例", style="bold"))
        for status, example in examples:
            console.print(Text(f"  [{status.label}] {example.text.strip()}"))
