"""Run the examples a rule file carries (Semgrep-style rule tests), so the author of a local
rule set learns at once when a condition does not say what its examples mean."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from checker.document import Overrides, build_document
from checker.engine import evaluate_rule
from checker.models import Status
from checker.readers import Source
from checker.ruleset import RuleSet


@dataclass(frozen=True)
class ExampleOutcome:
    rule_id: str
    number: int
    """1-based position among the rule's examples of the same expected status."""
    expected: Status
    actual: Status
    text: str

    @property
    def name(self) -> str:
        return f"{self.rule_id}-{self.expected.value}-{self.number}"

    @property
    def ok(self) -> bool:
        return self.expected is self.actual


def run_examples(ruleset: RuleSet) -> Iterator[ExampleOutcome]:
    for rule in ruleset.rules:
        numbers: dict[Status, int] = {}
        for expected, example in rule.spec.examples.by_status():
            numbers[expected] = numbers.get(expected, 0) + 1
            source = Source(path=f"<{rule.spec.id} example>", text=example.text, format="txt")
            overrides = Overrides(year=example.year, published=example.published, kind=example.kind,
                                  title=example.title)
            document = build_document(source, overrides, ruleset.vocabulary)
            actual = evaluate_rule(rule, document, ruleset.scan(document.text)).status
            yield ExampleOutcome(rule.spec.id, numbers[expected], expected, actual, example.text)
