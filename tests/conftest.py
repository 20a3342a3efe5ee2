"""Shared fixtures: documents built from short texts, conditions evaluated on them, the bundled
rule set, the command line run as a user runs it, and what the plumbing tests run on: the fixture
rule set tests/fixtures/rulesets/plumbing.yaml, the fixture reports written for it and the batch
corpus built from them.

Report texts in the tests are written for the tests (never copied from the corpus); each is as
short as the behaviour it pins down allows.
"""
from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from pathlib import Path

import pytest

from checker.cache import CACHE_DIR_ENV
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
REPORT_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "reports"
PLUMBING_RULES = RULESET_FIXTURES / "plumbing.yaml"
"""The rule set of the plumbing tests: six rules that do not change when the national set does."""


def pytest_configure(config: pytest.Config) -> None:
    """Every rule-set and vocabulary cache of the run, in-process and in the processes the tests
    start (they inherit the environment), goes to a fresh folder, never the user's own: set
    before collection, which already loads rule sets."""
    os.environ[CACHE_DIR_ENV] = tempfile.mkdtemp(prefix="fzcheck-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ.pop(CACHE_DIR_ENV), ignore_errors=True)


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


@pytest.fixture(autouse=True)
def private_results(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """`fzcheck batch` keeps each report's result in the cache folder the whole run shares (see
    pytest_configure): a batch in this process gets a folder of its own for each test, so none
    sees results of another test's stand-ins. (A batch in a subprocess scores paths under its own
    test's tmp_path, which no other test's results are keyed by.)"""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setattr("checker.commands.batch.cache_dir", lambda: folder)


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


def main_in_process(*argv: str) -> tuple[int, str, str]:
    """`fzcheck ARGV` in this process: exit code (argparse's SystemExit too), stdout, stderr."""
    from checker.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as stop:
            code = stop.code
    return code, out.getvalue(), err.getvalue()


def run_fzcheck(*args: str, stdin: str | None = None, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """`python -m checker ARGS` in a fresh process, with a wide terminal so tables do not wrap ids."""
    env = {**os.environ, "COLUMNS": "200", "PYTHONIOENCODING": "utf-8"}
    env.pop("FORCE_COLOR", None)
    return subprocess.run([sys.executable, "-m", "checker", *args], input=stdin, capture_output=True,
                          text=True, encoding="utf-8", cwd=cwd, env=env, timeout=60)


@pytest.fixture(scope="session")
def fzcheck() -> Callable[..., subprocess.CompletedProcess[str]]:
    return run_fzcheck


# ---------------------------------------------------------------- the plumbing tests' fixtures
# Tests of what surrounds the rules (baseline, gate, JUnit/SARIF, exports, batch, the command
# line) run on the fixture rule set and the fixture reports, so that improving a national rule
# breaks only the tests about that rule. Pass `--rules PLUMBING_RULES` (absolute: some tests
# change the working folder) or use the `plumbing` fixture.

STRONG = "strong.txt"
"""Every rule passes: 100, 优秀."""
WEAK = "weak.txt"
"""Late (2025-04-20), no shortcomings (a blocking rule fails), court rate 90%, 普法 only: 30."""
NOT_A_REPORT = "not_a_report.txt"
"""A 政府工作报告: document-type (blocking) fails; the rest of its results mean nothing."""
PARTIALS = "partials.txt"
"""A department's report with no date: two partials, one not applicable, no fails: 75."""

P, H, F, NA = "pass", "partial", "fail", "not_applicable"
PLUMBING_VERDICTS: dict[str, dict[str, str]] = {
    STRONG: {"shortcomings-section": P, "reconsideration": P, "popularization-duty": P, "court-rate": P,
             "on-time": P, "document-type": P},
    WEAK: {"shortcomings-section": F, "reconsideration": P, "popularization-duty": H, "court-rate": F,
           "on-time": F, "document-type": P},
    NOT_A_REPORT: {"document-type": F},
    PARTIALS: {"shortcomings-section": P, "reconsideration": P, "popularization-duty": H, "court-rate": H,
               "on-time": NA, "document-type": P},
}
"""What each fixture report gets from the plumbing rule set (weights 5, 3, 4, 5, 2, 1: 20 in all)."""
PLUMBING_SCORES = {STRONG: 100.0, WEAK: 30.0, NOT_A_REPORT: 10.0, PARTIALS: 75.0}
"""weak (3 + 4/2 + 1) / 20; not_a_report: only on-time passes, 2 / 20; partials (5 + 3 + 2 + 2.5 + 1) / 18."""


def fixture_report(name: str, replacements: Sequence[tuple[str, str]] = ()) -> str:
    """A fixture report's text with some words changed; each replacement must change the text."""
    text = (REPORT_FIXTURES / name).read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, f"{old!r} not in {name}"
        text = text.replace(old, new)
    return text


def write_report(path: Path, name: str, replacements: Sequence[tuple[str, str]] = ()) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(fixture_report(name, replacements), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def plumbing() -> RuleSet:
    return load_ruleset(PLUMBING_RULES)


# The batch corpus: the fixture reports with a name, a date or a rate changed, so scores differ,
# plus the files a real shared folder holds (a broken PDF, an image, a hidden file, a Word lock
# file, a link back to the top folder). Path in the corpus -> (fixture report, replacements).
VARIANTS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "2024/strong.txt": (STRONG, []),                                                          # 100
    "2024/strong_low_rate.txt": (STRONG, [("青禾县", "青石县"), ("出庭应诉率100%", "出庭应诉率92%")]),  # 75
    "2024/strong_no_reconsideration.txt": (STRONG, [("青禾县", "松林县"), ("行政复议", "行政调解")]),  # 85
    "2024/weak.txt": (WEAK, []),                                                              # 30
    "2024/weak_on_time.txt": (WEAK, [("2025-04-20", "2025-03-20"), ("松岭区", "白沙区")]),       # 40
    "2024/weak_full_rate.txt": (WEAK, [("出庭应诉率为90%", "出庭应诉率为100%"), ("松岭区", "金沙区")]),  # 55
    "2024/work_report.txt": (NOT_A_REPORT, []),                                               # 10
    "2023/partials.txt": (PARTIALS, []),                                                      # 75
    "2023/partials_copy.txt": (PARTIALS, [("青禾县", "青湖县")]),                               # 75
    "2023/partials_no_popularization.txt": (PARTIALS, [("青禾县", "东山县"), ("普法", "宣传")]),   # 63.9
    "2023/strong_2023.txt": (STRONG, [("2024", "2023"), ("2025", "2024")]),                  # 100
    "2023/nested/weak_2023.txt": (WEAK, [("2024", "2023"), ("2025", "2024")]),               # 30
    "2022/partials_2022.md": (PARTIALS, [("2024", "2022"), ("2025", "2023")]),               # 75
    "2022/strong_2022.txt": (STRONG, [("青禾县", "青石县"), ("2024", "2022"), ("2025", "2023")]),  # 100
}
BROKEN = "2022/broken.pdf"
SCAN = "2023/scan.png"  # a report as a photo: listed, so it is an error row and not silently missing
UNREADABLE = (BROKEN, SCAN)
"""In walk order."""
SKIPPED = (".hidden.txt", ".cache/old.txt", "notes.docx.bak", "budget.xlsx", "2023/~$partials.docx")


def build_corpus(root: Path) -> Path:
    reports = root / "reports"
    for name, (report, replacements) in VARIANTS.items():
        write_report(reports / name, report, replacements)
    _write(reports / BROKEN, b"%PDF-1.7\n" + bytes(range(256)) * 8)
    _write(reports / SCAN, b"\x89PNG\r\n\x1a\n" + bytes(64))
    for name in SKIPPED:
        _write(reports / name, (REPORT_FIXTURES / STRONG).read_bytes())
    (reports / "2023" / "loop").symlink_to(reports, target_is_directory=True)
    return reports


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_corpus(tmp_path_factory.mktemp("batch"))
