"""Start-up (issue 9, item 5): a cold `fzcheck audit FILE --format json` loads only what scoring
needs, and the compiled rule set comes from the user's cache folder when its files are unchanged.

The cache is checked as a user meets it: every test has its own cache folder, and the processes
it starts get it through FZCHECK_CACHE_DIR.
"""
from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PLUMBING_RULES, REPO, RULESET_FIXTURES

from checker import cache
from checker.cache import CACHE_DIR_ENV, NO_CACHE_ENV, cache_dir
from checker.condition.ast import children
from checker.condition.parser import parse_condition
from checker.models import AuditResult, Counts, Evidence, ReportInfo, RuleResult, RuleSetRef, SourceInfo, Status
from checker.ruleset import RuleSetError, flatten, load_ruleset, unflatten

SAMPLE = REPO / "samples" / "yunxi_county_2024.txt"
NOT_ON_THE_AUDIT_PATH = (
    "pydantic", "yaml", "lark", "rich", "multiprocessing", "concurrent.futures", "importlib.metadata",
    "charset_normalizer", "checker.batch", "checker.commands.batch", "checker.gate", "checker.baseline",
    "checker.output.html_format", "checker.output.table", "checker.rulefile", "checker.condition.parser",
    "checker.web", "starlette", "uvicorn", "multipart", "python_multipart", "anyio",
)
"""What `audit --format json` of a UTF-8 report with a cached rule set must not import."""


@pytest.fixture()
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_DIR_ENV, str(folder))
    return folder


def python(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Python code in a fresh process (nothing imported yet), with this test's cache folder."""
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, encoding="utf-8",
                          cwd=REPO, env={**os.environ, "PYTHONIOENCODING": "utf-8"}, timeout=60)


AUDIT_AND_LIST_MODULES = """
import contextlib, io, json, sys
from checker.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "output": out.getvalue(), "modules": sorted(sys.modules)}))
"""


def audit_in_fresh_process(*args: str) -> dict:
    process = python(AUDIT_AND_LIST_MODULES, "audit", *args)
    assert process.returncode == 0, process.stderr
    return json.loads(process.stdout)


def loaded(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return [module for module in modules if any(module == name or module.startswith(name + ".") for name in names)]


def entries(folder: Path, name: str = "ruleset") -> list[Path]:
    return sorted(folder.glob(f"{name}-*.pickle"))


# ---------------------------------------------------------------- what a cold audit imports

def test_a_cached_audit_imports_neither_pydantic_yaml_lark_nor_the_batch_machinery(own_cache) -> None:
    first = audit_in_fresh_process(str(SAMPLE), "--format", "json")
    assert {"pydantic", "yaml", "lark"} <= set(first["modules"])  # the first run compiles and caches
    assert entries(own_cache) and entries(own_cache, "vocabulary")
    second = audit_in_fresh_process(str(SAMPLE), "--format", "json")
    assert loaded(second["modules"], NOT_ON_THE_AUDIT_PATH) == []
    assert second["output"] == first["output"]


def test_the_table_still_renders_with_rich_imported_on_demand(own_cache) -> None:
    table = audit_in_fresh_process(str(SAMPLE))
    assert "rich" in table["modules"] and "法治政府建设年度报告检查" in table["output"]
    assert loaded(table["modules"], ("multiprocessing", "checker.batch", "checker.gate", "checker.baseline")) == []


def test_a_local_rule_set_is_cached_too(own_cache) -> None:
    rules = str(RULESET_FIXTURES / "local_example.yaml")
    first = audit_in_fresh_process(str(SAMPLE), "--format", "json", "--rules", rules)
    second = audit_in_fresh_process(str(SAMPLE), "--format", "json", "--rules", rules)
    assert loaded(second["modules"], ("pydantic", "yaml", "lark")) == []
    assert second["output"] == first["output"]


# ---------------------------------------------------------------- the cached rule set is the rule set

def comparable(ruleset) -> tuple:
    return (ruleset.id, ruleset.version, ruleset.title, ruleset.path, ruleset.digest, ruleset.vocabulary.words,
            [(rule.spec, sorted(rule.conditions), {name: c.terms for name, c in rule.conditions.items()})
             for rule in ruleset.rules])


@pytest.mark.parametrize("path", [None, PLUMBING_RULES, RULESET_FIXTURES / "local_example.yaml",
                                  RULESET_FIXTURES / "local_vocabulary.yaml"],
                         ids=["national", "plumbing", "local", "vocabulary"])
def test_a_cached_rule_set_equals_a_compiled_one(own_cache, monkeypatch, path) -> None:
    built = load_ruleset(path)
    assert entries(own_cache)
    cached = load_ruleset(path)
    monkeypatch.setenv(NO_CACHE_ENV, "1")
    assert comparable(cached) == comparable(built) == comparable(load_ruleset(path))


def test_condition_trees_are_cached_flat_at_any_depth(own_cache, tmp_path) -> None:
    chain = " and ".join(['has("甲")'] * 300) + " or " + 'within(work, count(["乙", "丙"]) >= $n)'
    path = tmp_path / "r.yaml"
    path.write_text((RULESET_FIXTURES / "good_minimal.yaml").read_text(encoding="utf-8")
                    .replace("pass: count(@advisers) >= $minimum", f"pass: '{chain.replace('$n', '$minimum')}'"),
                    encoding="utf-8")
    built = load_ruleset(path)
    assert entries(own_cache)  # a chain 300 deep pickles only in its flat form
    assert comparable(load_ruleset(path)) == comparable(built)
    tree = parse_condition(chain)
    again = unflatten(pickle.loads(pickle.dumps(flatten(tree))))
    assert again == tree and positions(again) == positions(tree)


def positions(tree) -> list[tuple[int, int]]:
    found, stack = [], [tree]
    while stack:
        node = stack.pop()
        found.append(node.pos)
        stack.extend(children(node))
    return found


def test_a_rule_set_without_additions_reads_with_the_shared_vocabulary(own_cache) -> None:
    load_ruleset()
    from checker.vocabulary import default_vocabulary

    assert load_ruleset().vocabulary is default_vocabulary()  # documents cache their readings per vocabulary


# ---------------------------------------------------------------- a cache that cannot be trusted is not used

def test_a_corrupt_or_truncated_entry_is_ignored_and_rebuilt(own_cache) -> None:
    expected = comparable(load_ruleset(PLUMBING_RULES))
    (entry,) = entries(own_cache)
    good = entry.read_bytes()
    for damage in (b"", b"not a pickle", good[: len(good) // 2], pickle.dumps(("sources", "value")),
                   pickle.dumps([("/nonexistent", "0" * 64)]), pickle.dumps(([], "not a rule set"))):
        entry.write_bytes(damage)
        assert comparable(load_ruleset(PLUMBING_RULES)) == expected
        assert len(entry.read_bytes()) == len(good)  # written again, whole


def test_an_entry_is_stale_when_any_file_it_was_built_from_changes(own_cache, tmp_path) -> None:
    base = tmp_path / "province.yaml"
    base.write_text((RULESET_FIXTURES / "plumbing.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    local = tmp_path / "county.yaml"
    local.write_text('id: county\nversion: "1"\ntitle: 县\nextends: province.yaml\n', encoding="utf-8")
    assert load_ruleset(local).rule("shortcomings-section").weight == 5
    base.write_text(base.read_text(encoding="utf-8").replace("weight: 5", "weight: 7", 1), encoding="utf-8")
    assert load_ruleset(local).rule("shortcomings-section").weight == 7  # the base changed, not the file named
    local.write_text(local.read_text(encoding="utf-8").replace('"1"', '"2"'), encoding="utf-8")
    assert load_ruleset(local).version == "2"
    assert len(entries(own_cache)) == 1  # one entry per rule file, replaced when stale


def test_a_rule_file_broken_after_it_was_cached_is_reported_as_before(own_cache, tmp_path, monkeypatch) -> None:
    path = tmp_path / "r.yaml"
    path.write_text((RULESET_FIXTURES / "good_minimal.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    load_ruleset(path)
    broken = (RULESET_FIXTURES / "bad_condition_quoted.yaml").read_text(encoding="utf-8")
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(RuleSetError) as cached_before:
        load_ruleset(path)
    monkeypatch.setenv(NO_CACHE_ENV, "1")
    with pytest.raises(RuleSetError) as uncached:
        load_ruleset(path)
    assert (str(cached_before.value), cached_before.value.context) == (str(uncached.value), uncached.value.context)


def test_a_rule_file_replaced_by_a_pipe_is_refused_not_waited_on(own_cache, tmp_path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text((RULESET_FIXTURES / "good_minimal.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    load_ruleset(path)
    path.unlink()
    os.mkfifo(path)
    with pytest.raises(RuleSetError, match="不是普通文件"):
        load_ruleset(path)


# ---------------------------------------------------------------- where the cache is, and without one

def test_no_cache_folder_that_can_be_made_means_no_cache(tmp_path, monkeypatch) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv(CACHE_DIR_ENV, str(blocked / "cache"))  # under a file: mkdir fails however privileged
    assert len(load_ruleset(PLUMBING_RULES).rules) == len(load_ruleset(PLUMBING_RULES).rules) > 0
    assert [path.name for path in tmp_path.iterdir()] == ["a-file"]


def test_the_cache_can_be_turned_off(own_cache, monkeypatch) -> None:
    monkeypatch.setenv(NO_CACHE_ENV, "1")
    assert cache_dir() is None
    load_ruleset(PLUMBING_RULES)
    assert not own_cache.exists()


def test_writes_leave_no_temporary_file(own_cache) -> None:
    load_ruleset(PLUMBING_RULES)
    load_ruleset(RULESET_FIXTURES / "local_example.yaml")
    assert sorted(path.suffix for path in own_cache.iterdir()) == [".pickle"] * 2
    assert oct(own_cache.stat().st_mode & 0o777) == oct(0o700)  # private, as the user's other caches are


def test_the_default_folder_is_the_users_cache_folder(monkeypatch, tmp_path) -> None:
    monkeypatch.delenv(CACHE_DIR_ENV, raising=False)
    monkeypatch.delenv(NO_CACHE_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "fzcheck"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")  # not absolute: ignored, as the XDG spec says
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_dir() == tmp_path / "home" / ".cache" / "fzcheck"


def test_an_entry_is_keyed_by_the_code_that_builds_it(own_cache, monkeypatch) -> None:
    load_ruleset(PLUMBING_RULES)
    (before,) = entries(own_cache)
    monkeypatch.setattr(cache, "_fingerprint", lambda: b"another fzcheck or another Python")
    load_ruleset(PLUMBING_RULES)
    assert len(entries(own_cache)) == 2 and before in entries(own_cache)


# ---------------------------------------------------------------- the result models

def test_results_are_plain_frozen_slotted_and_write_the_json_they_always_wrote() -> None:
    from datetime import date

    result = AuditResult(
        file="a.txt", ruleset=RuleSetRef(id="national", version="1"),
        report=ReportInfo(title="标题", issuer=None, kind="government", year=2024, published=date(2025, 3, 1),
                          published_source="text", source=SourceInfo(format="txt", encoding="utf_8")),
        score=87.5, grade="良好", counts=Counts(pass_=1, partial=1),
        results=[RuleResult(id="r", title="规则", group="组", status=Status.PARTIAL, weight=2.0, score=1.0,
                            blocking=False, basis="依据", message="部分", hint="补充",
                            evidence=[Evidence(line=3, text="引文", statement="promise")])],
    )
    assert not hasattr(result, "__dict__")
    with pytest.raises(AttributeError):
        result.score = 100  # type: ignore[misc]
    data = result.to_json_dict()
    assert list(data) == ["file", "ruleset", "report", "score", "grade", "counts", "results", "not_a_report", "fzcheck"]
    assert data["ruleset"] == {"id": "national", "version": "1", "sha256": ""}
    assert list(data["report"]) == ["title", "title_source", "issuer", "issuer_source", "kind", "kind_source", "year",
                                    "year_source", "published", "published_source", "source"]
    assert data["report"]["published"] == "2025-03-01"
    assert data["counts"] == {"pass": 1, "partial": 1, "fail": 0, "not_applicable": 0, "waived": 0}
    assert data["results"][0]["status"] == "partial" and type(data["results"][0]["status"]) is str
    assert data["results"][0]["waiver"] is None
    assert data["results"][0]["evidence"] == [
        {"line": 3, "text": "引文", "section": None, "page": None, "statement": "promise"}]
    assert json.loads(json.dumps(data)) == data


def test_a_value_that_cannot_be_pickled_leaves_no_entry_and_no_error(own_cache, monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise pickle.PicklingError("cannot pickle this on this Python")

    monkeypatch.setattr(cache.pickle, "dump", refuse)
    ruleset = load_ruleset(PLUMBING_RULES)
    assert ruleset.rules
    assert not [path for path in own_cache.rglob("*") if path.is_file()]
