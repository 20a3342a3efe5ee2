"""Shared fixtures: documents built from short texts, conditions evaluated on them, the bundled
rule set, and the command line run as a user runs it.

Report texts in the tests are written for the tests (never copied from the corpus); each is as
short as the behaviour it pins down allows.
"""
from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from checker.condition.compiler import compile_condition
from checker.condition.functions import Context
from checker.condition.parser import parse_condition
from checker.document import Document, Overrides, build_document
from checker.engine import audit
from checker.models import Status
from checker.readers import Source
from checker.ruleset import RuleSet, load_ruleset

REPO = Path(__file__).resolve().parents[1]
RULESET_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rulesets"


def document_from(text: str, *, year: int | None = None, published: date | None = None,
                  kind: str | None = None, title: str | None = None, path: str = "t.txt") -> Document:
    """A document built exactly as `fzcheck audit t.txt` builds one, with optional user overrides."""
    source = Source(path=path, text=text, format="txt")
    return build_document(source, Overrides(year=year, published=published, kind=kind, title=title))


def scan_terms(text: str, terms: frozenset[str]) -> dict[str, list[int]]:
    """Every start offset of every term, overlapping ones included (what RuleSet.scan returns)."""
    hits: dict[str, list[int]] = {}
    for term in terms:
        start = text.find(term)
        while start != -1:
            hits.setdefault(term, []).append(start)
            start = text.find(term, start + 1)
    return hits


def evaluate_condition(condition: str, document: Document, *, params: dict | None = None,
                       lexicon: dict[str, list[str]] | None = None, scope: str = "all") -> bool:
    params = params or {}
    compiled = compile_condition(parse_condition(condition), params, lexicon or {}, scope)
    context = Context(document, scan_terms(document.text, compiled.terms), document.scopes["all"], params)
    return compiled.evaluate(context)


@pytest.fixture(scope="session")
def make_document() -> Callable[..., Document]:
    return document_from


@pytest.fixture(scope="session")
def evaluate() -> Callable[..., bool]:
    """evaluate(condition, text_or_document, params=…, lexicon=…, scope=…, **overrides) -> bool"""

    def run(condition: str, report: str | Document, *, params: dict | None = None,
            lexicon: dict[str, list[str]] | None = None, scope: str = "all", **overrides) -> bool:
        document = report if isinstance(report, Document) else document_from(report, **overrides)
        return evaluate_condition(condition, document, params=params, lexicon=lexicon, scope=scope)
    return run


@pytest.fixture()
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rich folds cells to the terminal width; wide enough, a file name stays on one line."""
    monkeypatch.setenv("COLUMNS", "300")


@pytest.fixture(scope="module")
def in_repository() -> Iterator[None]:
    """Sample paths given relative, as a user in the repository would type them."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(REPO)
        yield


@pytest.fixture(scope="session")
def national() -> RuleSet:
    return load_ruleset()


@pytest.fixture(scope="session")
def status_of() -> Callable[..., Status]:
    """status_of(ruleset, rule_id, text, **overrides): the status the rule gives that report."""

    def run(ruleset: RuleSet, rule_id: str, text: str, **overrides) -> Status:
        result = audit(document_from(text, **overrides), ruleset)
        return next(item.status for item in result.results if item.id == rule_id)
    return run


def run_fzcheck(*args: str, stdin: str | None = None, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """`python -m checker ARGS` in a fresh process, with a wide terminal so tables do not wrap ids."""
    env = {**os.environ, "COLUMNS": "200", "PYTHONIOENCODING": "utf-8"}
    env.pop("FORCE_COLOR", None)
    return subprocess.run([sys.executable, "-m", "checker", *args], input=stdin, capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, env=env, timeout=60)


@pytest.fixture(scope="session")
def fzcheck() -> Callable[..., subprocess.CompletedProcess[str]]:
    return run_fzcheck
