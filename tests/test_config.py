"""Issue 10, item 14: the project configuration file.

`fzcheck.toml`, or `[tool.fzcheck]` in `pyproject.toml`, found from the current folder upward;
its keys are the long option names; per-command tables; the command line wins; relative paths
are the file's; unknown keys and wrong values are one line naming the file, the line and the key;
looking for it costs a cold audit nothing it does not need.

Every test works in a project folder of its own (the current folder is changed to it), so the
search upward never meets a file of the repository's.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PARTIALS, PLUMBING_RULES, REPO, REPORT_FIXTURES, STRONG, WEAK
from conftest import main_in_process as run

from checker.cli import build_parser
from checker.commands import EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE
from checker.commands.config_keys import COMMAND_KEYS, PER_RUN, _options, shared_keys



@pytest.fixture()
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project as users keep one: the rule set beside the configuration, the reports in a
    folder below it, and the user working in that folder."""
    root = tmp_path / "project"
    (root / "reports").mkdir(parents=True)
    shutil.copy(PLUMBING_RULES, root / "local.yaml")
    for name in (STRONG, WEAK, PARTIALS):
        shutil.copy(REPORT_FIXTURES / name, root / "reports" / name)
    monkeypatch.chdir(root / "reports")
    return root


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def ruleset_of(*argv: str) -> str:
    code, out, err = run("audit", STRONG, "--format", "json", *argv)
    assert code == EXIT_OK, err
    return json.loads(out)["ruleset"]["id"]


# ---------------------------------------------------------------- which file

def test_a_file_in_a_folder_above_is_found_and_its_paths_are_relative_to_it(project: Path) -> None:
    write(project / "fzcheck.toml", 'rules = "local.yaml"\n')
    assert ruleset_of() == "plumbing"


def test_the_tool_table_of_a_pyproject_is_read(project: Path) -> None:
    write(project / "pyproject.toml", '[project]\nname = "reports"\n\n[tool.fzcheck]\nrules = "local.yaml"\n')
    assert ruleset_of() == "plumbing"


def test_a_pyproject_without_the_table_does_not_stop_the_search(project: Path) -> None:
    write(project / "reports" / "pyproject.toml", '[project]\nname = "fzcheck-notes"\n[tool.black]\nline-length = 99\n')
    write(project / "fzcheck.toml", 'rules = "local.yaml"\n')
    assert ruleset_of() == "plumbing"


def test_fzcheck_toml_beats_pyproject_in_the_same_folder(project: Path) -> None:
    write(project / "pyproject.toml", '[tool.fzcheck]\nrules = "missing.yaml"\n')
    write(project / "fzcheck.toml", 'rules = "local.yaml"\n')
    assert ruleset_of() == "plumbing"


def test_the_nearest_file_wins_and_the_search_stops_there(project: Path) -> None:
    write(project / "fzcheck.toml", 'rules = "missing.yaml"\njbos = 1\n')  # never read
    write(project / "reports" / "pyproject.toml", '[tool.fzcheck]\nrules = "../local.yaml"\n')
    assert ruleset_of() == "plumbing"


def test_no_file_means_the_built_in_defaults(project: Path) -> None:
    assert ruleset_of() == "national"


def test_config_names_the_file_and_no_config_ignores_any(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(PLUMBING_RULES, elsewhere / "other.yaml")
    named = write(elsewhere / "settings.toml", 'rules = "other.yaml"\n')
    write(project / "fzcheck.toml", 'rules = "missing.yaml"\n')
    assert ruleset_of("--config", str(named)) == "plumbing"  # relative to the named file, not the current folder
    assert ruleset_of("--config=" + str(named)) == "plumbing"
    assert ruleset_of("--no-config") == "national"


def test_a_named_pyproject_without_the_table_is_an_error(project: Path) -> None:
    named = write(project / "pyproject.toml", '[project]\nname = "x"\n')
    code, _, err = run("audit", STRONG, "--config", str(named))
    assert code == EXIT_USAGE and "[tool.fzcheck]" in err and str(named) in err


def test_help_needs_no_configuration(project: Path) -> None:
    write(project / "fzcheck.toml", "jobs = = 2\n")
    assert run("batch", "-h")[0] == EXIT_OK
    assert run("audit", STRONG, "--no-config", "--format", "json")[0] == EXIT_OK


def test_verbose_says_which_file_was_used(project: Path) -> None:
    write(project / "fzcheck.toml", 'rules = "local.yaml"\n')
    _, _, err = run("audit", STRONG, "--format", "json", "-v")
    assert f"fzcheck: 配置文件：{project / 'fzcheck.toml'}（取自其中的选项：rules）" in err
    _, _, err = run("audit", STRONG, "--format", "json", "-v", "--no-config")
    assert "配置文件：不使用（--no-config）" in err


def test_rules_list_shows_the_projects_rule_set(project: Path) -> None:
    write(project / "fzcheck.toml", 'rules = "local.yaml"\n')
    code, out, _ = run("rules", "list")
    assert code == EXIT_OK and "court-rate" in out
    code, out, _ = run("rules", "test", str(PLUMBING_RULES))  # the file named beats the file's rules
    assert code == EXIT_OK and " passed, 0 failed" in out


# ---------------------------------------------------------------- which value wins

def test_the_file_sets_what_the_command_line_does_not(project: Path) -> None:
    write(project / "fzcheck.toml", 'rules = "local.yaml"\nfail-under = 80\n')
    assert run("precheck", PARTIALS)[0] == EXIT_CHECK_FAILED  # 75 < 80
    assert run("precheck", PARTIALS, "--fail-under", "70")[0] == EXIT_OK


def test_a_commands_table_beats_the_top_level(project: Path) -> None:
    write(project / "fzcheck.toml", 'rules = "local.yaml"\nfail-under = 80\n\n[precheck]\nfail-under = 70\n')
    assert run("precheck", PARTIALS)[0] == EXIT_OK


def test_another_commands_table_does_not_apply(project: Path) -> None:
    write(project / "fzcheck.toml", 'rules = "local.yaml"\n\n[batch]\nformat = "json"\n')
    code, out, _ = run("audit", STRONG)
    assert code == EXIT_OK and not out.startswith("{")  # audit's table, not batch's JSON


def test_a_flag_in_the_file(project: Path) -> None:
    write(project / "fzcheck.toml", 'rules = "local.yaml"\n[precheck]\ncompact = true\n')
    _, out, _ = run("precheck", PARTIALS)
    assert out.splitlines()[0].startswith(f"{PARTIALS}:")  # file:line: [rule-id] …
    _, out, _ = run("precheck", PARTIALS, "--format", "json")
    assert json.loads(out)["passed"] is True


def test_a_list_on_the_command_line_replaces_the_files(project: Path) -> None:
    write(project / "fzcheck.toml", 'rules = "local.yaml"\n[batch]\nglob = ["strong*"]\nno-cache = true\n')
    def files(*argv: str) -> list[str]:
        code, out, err = run("batch", ".", "--format", "json", *argv)
        assert code == EXIT_OK, err
        document = json.loads(out)
        return sorted(Path(report["file"]).name for report in document["reports"] + document["not_reports"])
    assert files() == [STRONG]
    assert files("--glob", "weak*") == [WEAK]


def test_a_date_and_a_kind_as_toml_writes_them(project: Path) -> None:
    write(project / "fzcheck.toml", 'rules = "local.yaml"\npublished = 2025-03-20\nkind = "部门"\nyear = 2024\n')
    _, out, _ = run("audit", STRONG, "--format", "json")
    report = json.loads(out)["report"]
    assert (report["published"], report["kind"], report["year"]) == ("2025-03-20", "department", 2024)


def test_quiet_in_the_file_gives_way_to_verbose_on_the_command_line(project: Path) -> None:
    write(project / "fzcheck.toml", 'rules = "local.yaml"\nquiet = true\n')
    _, _, err = run("audit", STRONG, "--format", "json", "-v")
    assert "配置文件：" in err


def test_select_from_the_file(project: Path) -> None:
    write(project / "fzcheck.toml", 'rules = "local.yaml"\nselect = ["court-rate", "on-time"]\n')
    _, out, _ = run("audit", STRONG, "--format", "json")
    assert [result["id"] for result in json.loads(out)["results"]] == ["court-rate", "on-time"]


# ---------------------------------------------------------------- one line for what is wrong

@pytest.mark.parametrize("text, command, expected", [
    ("jbos = 2\n", "batch", ":1: 未知的配置项 jbos（是否要用 jobs？）"),
    ("rules = 'local.yaml'\n\n[bach]\njobs = 2\n", "audit", ":3: 未知的表 [bach]（是否要用 [batch]？）"),
    ("[audit]\njobs = 2\n", "audit", ":2: audit 命令没有 --jobs 选项（它属于 batch、serve）"),
    ("jobs = \"2\"\n", "batch", ":1: jobs：应为数字，不加引号"),
    ("[batch]\njobs = 0\n", "batch", ":2: [batch] jobs：应为正整数：0"),
    ("fail-under = 101\n", "precheck", ":1: fail-under：应为 0 到 100 之间的分数"),
    ("fail-on = \"always\"\n", "precheck", ":1: fail-on：应为 partial、fail 之一，而不是 always"),
    ("rules = 3\n", "audit", ":1: rules：应为加引号的字符串"),
    ("quiet = \"yes\"\n", "audit", ":1: quiet：应为 true 或 false"),
    ("select = 3\n", "audit", ":1: select：应为字符串列表"),
    ("year = 24\n", "audit", ":1: year：年度应为四位数年份"),
    ("output = \"x.json\"\n", "audit", ":1: output 只用于一次运行，不能写在配置文件中"),
    ("batch = 2\n", "audit", ":1: batch 应为表（[batch]）"),
    ("rules = \"local.yaml\"\nselect = \"court-rat\"\n", "audit",
     ":2: select：规则集 plumbing 中没有规则 court-rat（是否要用 court-rate？）"),
    ("jobs = = 2\n", "audit", ":1:8: 不是有效的 TOML："),
], ids=["unknown-key", "unknown-table", "other-commands-key", "quoted-number", "refused-value", "out-of-range",
        "bad-choice", "number-for-path", "not-a-boolean", "not-a-list", "bad-year", "per-run", "table-as-value",
        "unknown-rule", "toml-syntax"])
def test_what_is_wrong_is_one_line_naming_the_file_line_and_key(project: Path, text: str, command: str,
                                                                 expected: str) -> None:
    path = write(project / "fzcheck.toml", text)
    code, out, err = run(command, STRONG, "--format", "json")
    assert code == EXIT_USAGE and out == ""
    assert err.startswith(f"fzcheck: 错误：{path}{expected}") and len(err.splitlines()) == 1


def test_a_key_of_the_pyproject_table_is_named_with_its_table(project: Path) -> None:
    path = write(project / "pyproject.toml", '[project]\nname = "x"\n\n[tool.fzcheck.batch]\njobs = -1\n')
    code, _, err = run("batch", ".")
    assert code == EXIT_USAGE and f"{path}:5: [tool.fzcheck.batch] jobs：应为正整数：-1" in err


def test_a_file_that_is_not_utf8_is_refused_with_its_line(project: Path) -> None:
    path = project / "fzcheck.toml"
    path.write_bytes("rules = 'local.yaml'\n# 说明\n".encode("gbk"))
    code, _, err = run("audit", STRONG)
    assert code == EXIT_USAGE and f"{path}:2: 配置文件应为 UTF-8 文本" in err


# ---------------------------------------------------------------- the keys are the commands' options

def test_the_keys_of_each_command_are_its_options() -> None:
    # COMMAND_KEYS lets a key be checked without importing the command that has it: it must list
    # exactly each command's own options (a new option goes there, or into PER_RUN).
    parser = build_parser([])
    commands = next(action for action in parser._actions if hasattr(action, "choices") and action.choices).choices
    for name, keys in COMMAND_KEYS.items():
        assert set(_options(commands[name])) - shared_keys() == set(keys), name
        if name != "serve":  # it checks uploads: of the shared options, only --rules applies
            assert shared_keys() <= set(_options(commands[name])), name
    for action in ("list", "show", "test"):
        rules = next(item for item in commands["rules"]._actions if hasattr(item, "choices") and item.choices)
        assert set(_options(rules.choices[action])) <= shared_keys()
    assert not PER_RUN & shared_keys()


# ---------------------------------------------------------------- the cost of looking

LOADED = """
import contextlib, io, json, sys
from checker.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def fresh(cwd: Path, *argv: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.run([sys.executable, "-c", LOADED, *argv], capture_output=True, text=True, cwd=cwd,
                             env=env, timeout=60)
    assert process.returncode == 0, process.stderr
    return json.loads(process.stdout)


def test_without_a_file_nothing_of_the_configuration_is_loaded(project: Path) -> None:
    loaded = fresh(project / "reports", "audit", STRONG, "--format", "json", "--rules", str(PLUMBING_RULES))
    assert not {"tomllib", "tomli", "checker.commands.config_keys"} & set(loaded["modules"])
    write(project / "fzcheck.toml", 'rules = "local.yaml"\n')
    loaded = fresh(project / "reports", "audit", STRONG, "--format", "json")
    toml = "tomllib" if sys.version_info >= (3, 11) else "tomli"
    assert {toml, "checker.commands.config_keys"} <= set(loaded["modules"])


def test_the_readmes_example_is_a_working_configuration(project: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    example = readme.split("```toml\n# fzcheck.toml\n", 1)[1].split("```", 1)[0]
    (project / "rules").mkdir()
    shutil.copy(REPO / "rules" / "national.yaml", project / "rules" / "sichuan.yaml")
    write(project / "fzcheck.toml", example)
    code, _, err = run("batch", ".", "--no-cache", "-v", "-o", "scores.csv")
    table = (project / "reports" / "scores.csv").read_text(encoding="utf-8-sig")
    assert code == EXIT_OK, err
    assert table.startswith("file,")  # [batch] format = "csv"
    assert "xi-rule-of-law-thought" not in table and "court-appearance-rate" in table
    assert f"{project / 'rules' / 'sichuan.yaml'}" in err
