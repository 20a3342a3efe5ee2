#!/usr/bin/env python3
"""Write docs/rules.md, the rule reference, from a rule file (default rules/national.yaml), and
the function reference of docs/dsl.md from checker/condition/functions.py.

The rule file is the one place a rule's id, title, basis, weight, conditions, messages, hint and
examples are written, and each function's docstring the one place its documentation is: the
pages are generated from them, exactly as the checker reads them, and tests/test_docs.py fails
when a page is out of date.

    python scripts/gen_rule_docs.py            # rewrite docs/rules.md and docs/dsl.md's functions
    python scripts/gen_rule_docs.py --check    # exit 1 if either is out of date
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_RULES = REPO / "rules" / "national.yaml"
DEFAULT_OUTPUT = REPO / "docs" / "rules.md"
DSL_PAGE = REPO / "docs" / "dsl.md"
FUNCTIONS_START = ("<!-- The functions below are generated from their docstrings in checker/condition/functions.py "
                   "by scripts/gen_rule_docs.py: edit them there. -->")
FUNCTIONS_END = "<!-- end of the generated functions -->"

if __package__ in (None, ""):  # run as a script from a checkout without installing
    sys.path.insert(0, str(REPO))

from checker.condition.functions import FUNCTIONS  # noqa: E402
from checker.models import Example, Status  # noqa: E402
from checker.rule_examples import example_name, numbered  # noqa: E402
from checker.ruleset import CompiledRule, RuleSet, load_ruleset  # noqa: E402

CONDITION_FIELDS = (("not_applicable", Status.NOT_APPLICABLE), ("pass_", Status.PASS), ("partial", Status.PARTIAL))
MESSAGE_FIELDS = (("pass_", Status.PASS), ("partial", Status.PARTIAL), ("fail", Status.FAIL),
                  ("not_applicable", Status.NOT_APPLICABLE))


def render(ruleset: RuleSet, source: str) -> str:
    """The whole page, as a string: the same rule set always gives the same bytes."""
    out = [
        f"<!-- Generated from {source} by scripts/gen_rule_docs.py: do not edit by hand. Edit the rule file, "
        "then run `python scripts/gen_rule_docs.py`. -->",
        "",
        f"# {ruleset.title}",
        "",
        f"Rule set `{ruleset.id}`, version `{ruleset.version}`, read from `{source}`: {len(ruleset.rules)} rules. "
        "Conditions are written in the condition language ([dsl.md](dsl.md)); they are tried in the order "
        "不适用 (not_applicable), 达标 (pass), 部分达标 (partial), and a rule none of them holds for is 未达标 (fail). "
        "Score = 100 × Σ(weight × credit) / Σ(weight of the applicable rules), with 达标 1, 部分达标 ½, 未达标 0; "
        "必备 (blocking) items are the ones `fzcheck precheck` requires; 简称 (label) is what the batch "
        "page's heat-map heads the item's column with.",
        "",
        "| id | 检查项 | 简称 | 类别 | 权重 | 必备 |",
        "|---|---|---|---|---|---|",
    ]
    for rule in ruleset.rules:
        spec = rule.spec
        out.append(f"| [`{spec.id}`](#{spec.id}) | {_cell(spec.title)} | {_cell(spec.label or '')} | {_cell(spec.group)} | "
                   f"{rule.weight:g} | {'是' if rule.blocking else ''} |")
    group = None
    for rule in ruleset.rules:
        if rule.spec.group != group:
            group = rule.spec.group
            out += ["", f"## {group}"]
        out += _rule_section(rule)
    lexicon = ruleset.lexicon
    if lexicon:
        out += ["", "## 词表 (lexicon)", "",
                "The term lists conditions name with `@name`.", "",
                "| name | terms |", "|---|---|"]
        for name, terms in lexicon.items():
            out.append(f"| `@{name}` | {_cell('、'.join(terms))} |")
    return "\n".join(out) + "\n"


def _rule_section(rule: CompiledRule) -> list[str]:
    spec = rule.spec
    out = [
        "",
        f'<a id="{spec.id}"></a>',
        "",
        f"### `{spec.id}` {spec.title}",
        "",
        f"- 类别 (group): {spec.group}",
        f"- 权重 (weight): {rule.weight:g}",
        f"- 必备 (blocking): {'是' if rule.blocking else '否'}",
        f"- 范围 (scope): `{spec.scope}`",
    ]
    if rule.params:
        out.append("- 参数 (params): " + ", ".join(f"`${key}` = {value}" for key, value in rule.params.items()))
    out += [f"- 依据 (basis): {spec.basis}", ""]
    for field, status in CONDITION_FIELDS:
        condition = getattr(spec, field)
        if condition:
            out += [f"{status.label} ({status.value}):", "", "```condition", condition.strip(), "```", ""]
    out += ["| 结果 | 说明 |", "|---|---|"]
    for field, status in MESSAGE_FIELDS:
        message = getattr(spec.messages, field)
        if message:
            out.append(f"| {status.label} | {_cell(message)} |")
    out += ["", f"建议 (hint): {spec.hint}"]
    examples = spec.examples.by_status()
    if examples:
        # Numbered per status as the tests name them: `pytest -k court-appearance-rate-pass-1`.
        out += ["", "示例 (examples):", "", "| 示例 | 应为 | 文本 |", "|---|---|---|"]
        for number, status, example in numbered(spec.examples):
            name = example_name(spec.id, status, number)
            out.append(f"| `{name}` | {status.label} | {_cell(example.text.strip())}{_facts(example)} |")
    return out


def _facts(example: Example) -> str:
    facts = [f"{name} {value}" for name in ("year", "published", "kind", "title")
             if (value := getattr(example, name)) is not None]
    return f"<br>（报告信息：{'，'.join(facts)}）" if facts else ""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(REPO).as_posix()
    except ValueError:
        return path.name


def generate(rules_path: Path = DEFAULT_RULES) -> str:
    ruleset = load_ruleset(rules_path)
    return render(ruleset, _display(rules_path))


def with_functions(page: str) -> str:
    """docs/dsl.md with its function reference, between the two markers, made from FUNCTIONS."""
    before, rest = page.split(FUNCTIONS_START + "\n", 1)
    after = rest.split(FUNCTIONS_END, 1)[1]
    sections = "".join(f"### `{item.signature}`\n\n{item.doc}\n\n" for item in FUNCTIONS.values())
    return f"{before}{FUNCTIONS_START}\n\n{sections}{FUNCTIONS_END}{after}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=Path, default=DEFAULT_RULES, help="rule file (default: rules/national.yaml)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="page to write (default: docs/rules.md)")
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 if the page is out of date")
    args = parser.parse_args(argv)
    dsl = DSL_PAGE.read_text(encoding="utf-8")
    stale = 0
    for output, page, current in ((args.output, generate(args.rules), _read(args.output)),
                                  (DSL_PAGE, with_functions(dsl), dsl)):
        if current == page:
            continue
        if args.check:
            print(f"{_display(output)} is out of date: run python scripts/gen_rule_docs.py", file=sys.stderr)
            stale = 1
            continue
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(page, encoding="utf-8")
        print(f"wrote {_display(output)}", file=sys.stderr)
    return stale


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.exists() else None


if __name__ == "__main__":
    sys.exit(main())
