"""The verdicts must not depend on how a report shows its structure: every sample report and
every seed of ../shared/corpus, re-dressed by each variant of `invariance` (one line of a web
page, traditional characters, Word heading styles, Word automatic numbering, <h2>/<h3> headings),
gets the same status for every rule as its plain text.

The seeds are read at test time only, and left out where ../shared is not beside the repository.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from checker.pipeline import audit_path
from checker.ruleset import load_ruleset
from invariance import VARIANTS

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "corpus" / "seeds"
REPORTS = sorted((REPO / "samples").glob("*.txt")) + (sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else [])
CASES = [pytest.param(report, variant, id=f"{report.stem}-{variant}") for report in REPORTS for variant in VARIANTS]


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset()


@pytest.fixture(scope="module")
def plain_statuses(ruleset):
    """Statuses of the plain text, once per report for all its variants."""
    cache: dict[Path, dict[str, str]] = {}

    def of(report: Path) -> dict[str, str]:
        if report not in cache:
            cache[report] = statuses(audit_path(str(report), ruleset))
        return cache[report]
    return of


def statuses(result) -> dict[str, str]:
    return {item.id: item.status.value for item in result.results}


@pytest.mark.parametrize(("report", "variant"), CASES)
def test_same_statuses_however_the_structure_is_shown(report: Path, variant: str, tmp_path: Path,
                                                      ruleset, plain_statuses) -> None:
    if variant == "traditional":
        pytest.importorskip("opencc", reason="OpenCC (the opencc package) is not installed")
    expected = plain_statuses(report)
    got = statuses(audit_path(str(VARIANTS[variant](report, tmp_path)), ruleset))
    differing = {rule: f"{expected.get(rule)} -> {got.get(rule)}"
                 for rule in sorted(expected.keys() | got.keys()) if expected.get(rule) != got.get(rule)}
    assert not differing, f"{variant} of {report.name} changes {len(differing)} rule(s): {differing}"
