"""A wheel built from a clean copy of the source ships the grammar and the bundled rule set inside
the package, and the installed code finds them there (not in a checkout next to it).

Building takes a few seconds (pip, setuptools in an isolated environment), so this stays in the
default run; it skips when no wheel can be built on this machine (no setuptools to be had).
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# What a clean checkout does not have: environments, build output, caches, version control.
NOT_SOURCE = shutil.ignore_patterns(".venv", "venv", ".git", "build", "dist", "*.egg-info", "__pycache__",
                                    ".pytest_cache", "*.pyc")
PACKAGED = ("checker/grammars/condition.lark", "checker/rules/national.yaml", "checker/web/page.html",
            "checker/web/page.css", "checker/web/page.js")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("packaging")
    source = work / "source"
    shutil.copytree(REPO, source, ignore=NOT_SOURCE)
    process = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "-w", str(work / "dist")],
        capture_output=True, text=True, timeout=300,
    )
    if process.returncode != 0:
        pytest.skip(f"cannot build a wheel here (offline without setuptools?): {process.stderr.strip()[-300:]}")
    (built,) = (work / "dist").glob("fzcheck-*.whl")
    return built


def test_wheel_contains_grammar_and_rules(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in PACKAGED:
        assert path in names, path


def test_installed_package_finds_its_resources(wheel: Path, tmp_path: Path) -> None:
    # Unpacked where the source tree is not; PYTHONPATH puts it ahead of the editable install.
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = (
        "import checker, checker.resources as r\n"
        "from checker.condition.parser import parse_condition\n"
        "from checker.ruleset import load_ruleset\n"
        "print(checker.__file__)\n"
        "print(r.resource_dir('grammars'))\n"
        "parse_condition('has(\"a\")')\n"
        "print(len(load_ruleset().rules))\n"
    )
    cache = tmp_path / "cache"
    shipped = _package_files(site)
    for run in ("compiles the rule set", "reads it from the cache"):
        process = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path,
                                 env={"PYTHONPATH": str(site), "PATH": "", "FZCHECK_CACHE_DIR": str(cache)},
                                 timeout=120)
        assert process.returncode == 0, (run, process.stderr)
        package_file, grammars, rule_count = process.stdout.split("\n")[:3]
        assert Path(package_file).is_relative_to(site)
        assert Path(grammars) == site / "checker" / "grammars"
        assert int(rule_count) >= 21
    assert list(cache.glob("ruleset-*.pickle"))
    assert _package_files(site) == shipped  # the cache is the user's folder, never the installed package


def _package_files(site: Path) -> set[Path]:
    return {path for path in (site / "checker").rglob("*") if "__pycache__" not in path.parts}
