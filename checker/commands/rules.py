"""fzcheck rules list | show ID | validate FILE | test: read the rule set the way the checker reads it."""
from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table
from rich.text import Text

from checker.commands import EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE
from checker.commands.common import add_config_options, error, output_console, ruleset_from
from checker.errors import UsageError
from checker.rule_examples import run_examples
from checker.ruleset import RuleSet, load_ruleset

HELP = "查看和校验规则集"


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


def run(args: argparse.Namespace) -> int:
    console = output_console(None)
    if args.action == "test" and args.file:
        if args.rules and args.rules != args.file and "rules" not in args.from_config:  # FILE wins over the file's
            raise UsageError(f"rules test 只检查一个规则集：{args.file} 和 --rules {args.rules} 只能给出一个")
        args.rules = args.file
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
    rule = ruleset.rule(args.rule_id)
    if rule is None:
        error(f"规则集 {ruleset.id} 中没有规则 {args.rule_id}（用 fzcheck rules list 查看）")
        return EXIT_USAGE
    _show(rule, console)
    return EXIT_OK


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
    sections = [("不适用条件", spec.not_applicable), ("达标条件", spec.pass_), ("部分达标条件", spec.partial),
                ("建议", spec.hint)]
    for label, body in sections:
        if body:
            console.print(Text.assemble("\n", (label, "bold"), "\n", body.strip()))
    examples = spec.examples.by_status()
    if examples:
        console.print(Text("\n示例", style="bold"))
        for status, example in examples:
            console.print(Text(f"  [{status.label}] {example.text.strip()}"))
