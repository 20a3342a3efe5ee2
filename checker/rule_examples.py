"""Run the examples a rule file carries (Semgrep-style rule tests), so the author of a local
rule set learns at once when a condition does not say what its examples mean."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from checker.document import Overrides, build_document
from checker.engine import evaluate_rule
from checker.models import Example, Examples, Status
from checker.readers import Source
from checker.ruleset import RuleSet


@dataclass(frozen=True)
class ExampleOutcome:
    rule_id: str
    number: int
    """1-based position among the rule's examples of the same expected status."""
    expected: Status
    actual: Status | None
    """None when the example was not run (see `skipped`)."""
    text: str
    skipped: str | None = None
    """Why the example was not run: it is inherited, and the local set changed the parameter it
    was written for (a threshold of 100 lowered to 95 turns a 96% example's fail into a pass)."""

    @property
    def name(self) -> str:
        return example_name(self.rule_id, self.expected, self.number)

    @property
    def ok(self) -> bool:
        return self.skipped is not None or self.expected is self.actual


def example_name(rule_id: str, status: Status, number: int) -> str:
    """court-appearance-rate-not-applicable-1: the one name of an example, in `rules test`, in
    pytest's ids (`pytest -k …`) and in docs/rules.md."""
    return f"{rule_id}-{status.value.replace('_', '-')}-{number}"


def numbered(examples: Examples) -> Iterator[tuple[int, Status, Example]]:
    """A rule's examples with their number among those of the same status (1-based)."""
    numbers: dict[Status, int] = {}
    for status, example in examples.by_status():
        numbers[status] = numbers.get(status, 0) + 1
        yield numbers[status], status, example


def run_examples(ruleset: RuleSet) -> Iterator[ExampleOutcome]:
    for rule in ruleset.rules:
        retuned = ruleset.retuned.get(rule.spec.id)
        for number, expected, example in numbered(rule.spec.examples):
            if retuned:
                yield ExampleOutcome(rule.spec.id, number, expected, None, example.text,
                                     f"继承的示例按原参数写成，本规则集改了参数（{retuned}）")
                continue
            source = Source(path=f"<{rule.spec.id} example>", text=example.text, format="txt")
            overrides = Overrides(year=example.year, published=example.published, kind=example.kind,
                                  title=example.title)
            document = build_document(source, overrides, ruleset.vocabulary)
            actual = evaluate_rule(rule, document, ruleset.scan(document.text)).status
            yield ExampleOutcome(rule.spec.id, number, expected, actual, example.text)
