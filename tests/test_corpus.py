"""Agreement with our own variation corpus (tests/corpus/): short reports written for the project,
each labelled by reading it against the catalog before any checker ran, in the format of
../shared/corpus/gold.yaml (so `gold_eval.py --gold tests/corpus/gold-….yaml --dir
tests/corpus/reports` measures the same thing from the command line).

A false pass (more credit than the label) is the costliest error; on court-appearance-rate there
must be none. The overall floors are ratchets: raise them as the reading improves."""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pytest
import yaml

from checker.pipeline import audit_path
from checker.ruleset import load_ruleset

CORPUS = Path(__file__).resolve().parent / "corpus"
REPORTS = CORPUS / "reports"
CREDIT = {"pass": 2, "partial": 1, "fail": 0}
# gold file -> (minimum rule agreement, most false passes allowed)
FLOORS = {
    "gold-structure.yaml": (0.985, 2),
    "gold-substance.yaml": (0.99, 0),
    # Written without seeing the checker's code, rules or the other corpus files; on their first
    # run they gave 97.8% (3 false passes) and 96.5% (3 false passes).
    "gold-blind-a.yaml": (0.99, 0),
    "gold-blind-b.yaml": (0.975, 1),
    # Blind too, with ten look-alikes; its first run gave 86.9% and 45 false passes. Of the 19
    # left, 14 are a news article's reported achievements, which blind-b and structure label as
    # the text's content and this corpus as nothing of the issuer's (see the closing note).
    "gold-blind-c.yaml": (0.94, 19),
}
NO_FALSE_PASS_RULES = ("court-appearance-rate",)
"""Rules that may give no false pass on a rule-of-law report (a drafter would be told the rate is there)."""


class FalsePass(NamedTuple):
    line: str
    rule: str
    on_a_report: bool
    """False on a look-alike (its gold document-type fails)."""


def _compare(gold_file: str) -> tuple[int, int, list[str], list[FalsePass]]:
    gold = yaml.safe_load((CORPUS / gold_file).read_text(encoding="utf-8"))
    ruleset = load_ruleset()
    agree = total = 0
    misses, false_passes = [], []
    for name, entry in gold["reports"].items():
        got = {item.id: item.status.value for item in audit_path(str(REPORTS / name), ruleset).results}
        for rule_id, want in entry["expect"].items():
            total += 1
            have = got.get(rule_id, "missing")
            if have == want:
                agree += 1
                continue
            misses.append(f"{name}: {rule_id}: expected {want}, got {have}")
            if want in CREDIT and have in CREDIT and CREDIT[have] > CREDIT[want]:
                false_passes.append(FalsePass(misses[-1], rule_id, entry["expect"].get("document-type") != "fail"))
    return agree, total, misses, false_passes


@pytest.mark.parametrize("gold_file", sorted(FLOORS))
def test_corpus_agreement(gold_file: str) -> None:
    agree, total, misses, false_passes = _compare(gold_file)
    minimum, most_false_passes = FLOORS[gold_file]
    detail = "\n".join(misses)
    assert agree / total >= minimum, f"{agree}/{total} below {minimum:.0%}:\n{detail}"
    assert len(false_passes) <= most_false_passes, "\n".join(item.line for item in false_passes)
    # On a report: a look-alike's items are only for reference.
    assert not [item.line for item in false_passes if item.rule in NO_FALSE_PASS_RULES and item.on_a_report], detail


def test_every_report_is_labelled_once() -> None:
    labelled = [name for gold_file in FLOORS
                for name in yaml.safe_load((CORPUS / gold_file).read_text(encoding="utf-8"))["reports"]]
    assert len(labelled) == len(set(labelled))
    assert sorted(labelled) == sorted(path.name for path in REPORTS.glob("*.txt"))
