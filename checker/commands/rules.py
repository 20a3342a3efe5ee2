"""fzcheck rules list | show ID | validate FILE | test: read the rule set the way the checker reads it."""
from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table

from checker.commands import EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE
from checker.commands.common import error, ruleset_from
from checker.models import Status
from checker.rule_examples import run_examples
from checker.ruleset import RuleSet, load_ruleset

HELP = "查看和校验规则集"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="列出规则")
    listing.add_argument("--rules", metavar="FILE", help="规则集文件（默认：内置全国规则集）")
    show = actions.add_parser("show", help="显示一条规则：依据、条件、示例")
    show.add_argument("rule_id", metavar="ID")
    show.add_argument("--rules", metavar="FILE", help="规则集文件（默认：内置全国规则集）")
    validate = actions.add_parser("validate", help="校验规则集文件（有错时退出码 2）")
    validate.add_argument("file", metavar="FILE")
    test = actions.add_parser("test", help="运行规则中的示例，核对每条示例的结果（有不符时退出码 1）")
    test.add_argument("--rules", metavar="FILE", help="规则集文件（默认：内置全国规则集）")


def run(args: argparse.Namespace) -> int:
    console = Console(highlight=False)
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
    for outcome in wrong:
        console.print(f"[red]✗[/red] {outcome.name}：应为{outcome.expected.label}，实际{outcome.actual.label}")
        console.print(f"    {outcome.text.strip()}", markup=False)
    console.print(f"{len(outcomes) - len(wrong)} passed, {len(wrong)} failed", markup=False)
    return EXIT_CHECK_FAILED if wrong else EXIT_OK


def _listing(ruleset: RuleSet) -> Table:
    table = Table(title=f"{ruleset.title}（{ruleset.id} {ruleset.version}）")
    for column in ("ID", "检查项", "类别", "权重", "必备"):
        table.add_column(column)
    for rule in ruleset.rules:
        table.add_row(rule.spec.id, rule.spec.title, rule.spec.group, f"{rule.weight:g}", "是" if rule.blocking else "")
    return table


def _show(rule, console: Console) -> None:
    spec = rule.spec
    console.print(f"[bold]{spec.title}[/bold]  [dim]{spec.id}[/dim]")
    console.print(f"类别：{spec.group}    权重：{rule.weight:g}    必备：{'是' if rule.blocking else '否'}    范围：{spec.scope}")
    console.print(f"依据：{spec.basis}")
    if rule.params:
        console.print("参数：" + "，".join(f"{key} = {value}" for key, value in rule.params.items()))
    for field, label in (("not_applicable", "不适用条件"), ("pass_", "达标条件"), ("partial", "部分达标条件")):
        condition = getattr(spec, field)
        if condition:
            console.print(f"\n[bold]{label}[/bold]\n{condition.strip()}", markup=True, highlight=False)
    console.print(f"\n[bold]建议[/bold]\n{spec.hint}")
    examples = spec.examples.by_status()
    if examples:
        console.print("\n[bold]示例[/bold]")
        for status, example in examples:
            console.print(f"  [{Status(status).label}] {example.text.strip()}", markup=False)
