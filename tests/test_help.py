"""Issue 10, item 13: help and messages in Chinese throughout.

- argparse's own words (usage, headings, its error messages) come out in Chinese, and only inside
  fzcheck's parsers;
- help is wrapped by display width (a Chinese character takes two columns): no line of any
  command's help is wider than the terminal, and Chinese lines never start with closing
  punctuation (the line breaking itself is checker/output/cjk_wrap.py's, tested in test_table.py);
- every error is one line in the house style (`fzcheck: 错误：…`), argparse's followed by the
  usage of the command it was made to;
- OS errors are explained in Chinese, from one table (checker/os_errors.py).
"""
from __future__ import annotations

import argparse
import ast
import errno
import re
import unicodedata
from pathlib import Path

import pytest
from conftest import PLUMBING_RULES, REPORT_FIXTURES, STRONG
from conftest import main_in_process as run

from checker.commands import EXIT_OK, EXIT_USAGE
from checker.commands.common import OutputError, check_output
from checker.commands.help_format import TRANSLATIONS
from checker.os_errors import PHRASES, explain
from checker.readers import ReadError, read_source

RULES = ("--rules", str(PLUMBING_RULES))
REPORT = str(REPORT_FIXTURES / STRONG)

HELPS = [["-h"], ["audit", "-h"], ["batch", "-h"], ["precheck", "-h"], ["rules", "-h"], ["rules", "list", "-h"],
         ["rules", "show", "-h"], ["rules", "validate", "-h"], ["rules", "test", "-h"]]
HELP_IDS = [" ".join(argv[:-1]) or "fzcheck" for argv in HELPS]

ARGPARSE_ENGLISH = re.compile(r"usage:|positional arguments|options:|show this help|error:|invalid choice|"
                              r"the following arguments|unrecognized arguments|expected one argument|not allowed with|"
                              r"ambiguous option|invalid \w+ value")
"""argparse's words, which must never reach a user of fzcheck."""

PROGRAMMER_MESSAGES = {
    "%r is not callable", "'required' is an invalid argument for positionals", ".__call__() not defined",
    'argument "-" with mode %r', "cannot have multiple subparser arguments",
    "cannot merge actions - two groups are named %r",
    "conflicting option string: %s", "conflicting option strings: %s", "conflicting subparser alias: %s",
    "conflicting subparser: %s", "dest= is required for options like %r", "invalid conflict_resolution value: %r",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    "mutually exclusive arguments must be optional",
}
"""argparse's messages about mistakes in a program's parser definitions (and FileType, which
fzcheck does not use): a user of fzcheck never sees them, so they stay untranslated."""



def columns(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)


# ---------------------------------------------------------------- argparse's words, in Chinese

def test_every_message_argparse_can_show_a_user_is_translated() -> None:
    # Read from the running Python's argparse, so a newer Python's new words fail here, not in front of a user.
    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    words = {argument.value for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext")
             for argument in node.args if isinstance(argument, ast.Constant) and isinstance(argument.value, str)}
    assert words - PROGRAMMER_MESSAGES - set(TRANSLATIONS) == set()


@pytest.mark.parametrize("english", sorted(TRANSLATIONS))
def test_a_translation_keeps_the_placeholders(english: str) -> None:
    placeholders = re.compile(r"%\(\w+\)[sr]|%[sr]")
    assert sorted(placeholders.findall(TRANSLATIONS[english])) == sorted(placeholders.findall(english))


@pytest.mark.parametrize("argv", HELPS, ids=HELP_IDS)
def test_help_is_in_chinese(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, _ = run(*argv)
    assert code == EXIT_OK
    assert out.startswith("用法：fzcheck")
    assert ARGPARSE_ENGLISH.search(out) is None
    assert "显示此帮助信息并退出" in out and "选项:" in out


def test_the_translation_is_only_for_fzchecks_parsers() -> None:
    run("audit", "--bogus")
    other = argparse.ArgumentParser(prog="other")
    assert other.format_usage().startswith("usage: other")
    assert argparse._("usage: ") == "usage: "


# ---------------------------------------------------------------- wrapped by display width

@pytest.mark.parametrize("width", ["80", "60", "120"])
@pytest.mark.parametrize("argv", HELPS, ids=HELP_IDS)
def test_no_help_line_is_wider_than_the_terminal(argv: list[str], width: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", width)
    _, out, _ = run(*argv)
    wide = [line for line in out.splitlines() if columns(line) > int(width)]
    assert wide == []


@pytest.mark.parametrize("argv", HELPS, ids=HELP_IDS)
def test_no_help_line_starts_with_closing_punctuation(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    _, out, _ = run(*argv)
    starts = [line for line in out.splitlines() if line.strip() and line.strip()[0] in "，。、；：？！）》」』】"]
    assert starts == []


def test_continuation_lines_of_a_wrapped_epilog_line_go_under_its_label(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    _, out, _ = run("batch", "-h")
    lines = out.splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith("  3  "))
    assert lines[start + 1].startswith("     ") and not lines[start + 1].startswith("      ")


def test_the_usage_lines_up_under_the_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    _, out, _ = run("precheck", "-h")
    first, second = out.splitlines()[:2]
    assert first.startswith("用法：fzcheck precheck [")
    assert columns(second) - len(second.lstrip()) == columns("用法：fzcheck precheck ")  # under the first option


# ---------------------------------------------------------------- one house style for every error

@pytest.mark.parametrize("argv, command, words", [
    (["audit", REPORT, "--bogus"], "audit", "无法识别的参数：--bogus"),
    (["audit", REPORT, "--format", "yaml"], "audit", "参数 --format：无效的选择：'yaml'（可选："),
    (["batch", "--jobs"], "batch", "参数 --jobs/-j：需要一个值"),
    (["batch", "--jobs", "two", "x"], "batch", "参数 --jobs/-j：应为正整数：two"),
    (["precheck"], "precheck", "缺少必需的参数：PATH"),
    (["precheck", REPORT, "-q", "-v"], "precheck", "不能与 --quiet/-q 同时使用"),
    (["audit", REPORT, "--max"], "audit", "选项 --max 不明确，可能是"),
    (["rules", "show"], "rules show", "缺少必需的参数：ID"),
    (["rules", "frob"], "rules", "无效的选择：'frob'"),
    ([], "", "缺少必需的参数：COMMAND"),
], ids=["unknown-option", "invalid-choice", "no-value", "bad-value", "required", "exclusive", "ambiguous",
        "rules-show", "rules-action", "no-command"])
def test_an_argparse_error_is_one_house_style_line_then_that_commands_usage(argv: list[str], command: str,
                                                                            words: str) -> None:
    code, out, err = run(*argv)
    first, *usage = err.splitlines()
    assert code == EXIT_USAGE and out == ""
    assert first.startswith("fzcheck: 错误：") and words in first
    assert usage[0].startswith(f"用法：fzcheck {command}".rstrip())
    assert ARGPARSE_ENGLISH.search(err) is None


def test_a_usage_error_of_a_command_is_the_same_one_line(tmp_path: Path) -> None:
    code, _, err = run("audit", str(tmp_path), *RULES)
    assert code == EXIT_USAGE and len(err.splitlines()) == 1 and err.startswith("fzcheck: 错误：")


# ---------------------------------------------------------------- OS errors, in Chinese

@pytest.mark.parametrize("number, phrase", [
    (errno.EACCES, "没有权限"), (errno.ENOSPC, "磁盘已满"), (errno.EROFS, "文件系统是只读的"),
    (errno.ENOENT, "文件或文件夹不存在"), (errno.EISDIR, "这是文件夹，不是文件"), (errno.ENOTDIR, "路径中有一段不是文件夹"),
])
def test_an_os_error_is_explained_in_chinese_then_in_the_systems_words(number: int, phrase: str) -> None:
    import os

    assert explain(OSError(number, os.strerror(number))) == f"{phrase} / {os.strerror(number)}"


def test_an_os_error_not_in_the_table_keeps_the_systems_words() -> None:
    unlisted = next(number for number in range(1, 200) if number not in PHRASES)
    assert explain(OSError(unlisted, "Something odd")) == "Something odd"
    assert explain(OSError("no errno at all")) == "no errno at all"


@pytest.mark.parametrize("under, reason", [
    ("out.json", "已有同名的文件或文件夹 / File exists"),
    ("sub/out.json", "路径中有一段不是文件夹 / Not a directory"),
], ids=["folder-is-a-file", "file-on-the-way"])
def test_an_output_that_cannot_be_written_says_why_in_chinese(tmp_path: Path, under: str, reason: str) -> None:
    blocker = tmp_path / "a-file"  # the output's folder would be this file: refused however privileged
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(OutputError, match=f"无法写入：{reason}"):
        check_output(str(blocker / under), [])


def test_a_report_that_cannot_be_read_says_why_in_chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "locked.txt"
    path.write_text("报告", encoding="utf-8")

    def refuse(self: Path) -> bytes:
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)  # what chmod 000 does, also when the tests run as root
    with pytest.raises(ReadError, match="无法读取文件：没有权限 / Permission denied"):
        read_source(path)


def test_a_command_that_cannot_write_its_output_says_why_in_one_chinese_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    target = blocker / "out.json"
    code, out, err = run("audit", REPORT, "--format", "json", "-o", str(target), *RULES)
    assert (code, out) == (EXIT_USAGE, "")
    assert err == f"fzcheck: 错误：{target}：无法写入：已有同名的文件或文件夹 / File exists\n"


def test_a_list_of_files_that_cannot_be_read_says_why_in_chinese(tmp_path: Path) -> None:
    code, _, err = run("batch", "--files-from", str(tmp_path / "list.txt"), *RULES)
    assert code == EXIT_USAGE
    assert err == f"fzcheck: 错误：--files-from {tmp_path / 'list.txt'}：无法读取：文件或文件夹不存在 / No such file or directory\n"
