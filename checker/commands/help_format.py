"""argparse in Chinese: its own words (usage, headings, its error messages) translated, and help
wrapped by display width, where a Chinese character takes two columns of the terminal.

argparse looks its words up through the module global `argparse._` (gettext) each time it needs
one, so `in_chinese` swaps that global for the duration of a call of fzcheck's own parser
methods: every Python version gets the translation of whatever words it uses, and a program that
uses argparse beside checker.cli keeps its English. Words not in TRANSLATIONS (those of a newer
Python, or about mistakes in fzcheck's own parser definitions) stay English.

Help text is cut into lines by checker/output/cjk_wrap.py (the terminal table's Chinese line
breaking), imported only when help is printed: it needs rich, which stays unloaded on the path of
a JSON audit. The usage, laid out on every run (argparse does it to name the subcommands), is
measured here with unicodedata.
"""
from __future__ import annotations

import argparse
import re
from collections.abc import Callable
from functools import wraps
from typing import TypeVar
from unicodedata import east_asian_width

USAGE_PREFIX = "用法："

TRANSLATIONS = {
    "usage: ": USAGE_PREFIX,
    "positional arguments": "位置参数",
    "options": "选项",
    "subcommands": "子命令",
    "show this help message and exit": "显示此帮助信息并退出",
    "show program's version number and exit": "显示版本号并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s: 错误：%(message)s\n",
    "%(prog)s: warning: %(message)s\n": "%(prog)s: 警告：%(message)s\n",
    "%(heading)s:": "%(heading)s：",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "one of the arguments %s is required": "须给出其中一个参数：%s",
    "not allowed with argument %s": "不能与 %s 同时使用",
    "ignored explicit argument %r": "此选项不带值：%r",
    "expected one argument": "需要一个值",
    "expected at most one argument": "最多需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected %s argument": "需要 %s 个值",
    "expected %s arguments": "需要 %s 个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "unexpected option string: %s": "意外的选项：%s",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值：%(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的子命令 %(parser_name)r（可选：%(choices)s）",
    "can't open '%(filename)s': %(error)s": "无法打开 %(filename)s：%(error)s",
    "option '%(option)s' is deprecated": "选项 %(option)s 已弃用",
    "argument '%(argument_name)s' is deprecated": "参数 %(argument_name)s 已弃用",
    "command '%(parser_name)s' is deprecated": "子命令 %(parser_name)s 已弃用",
}
"""argparse's English (its gettext message ids, across Python 3.10 to 3.14) -> fzcheck's Chinese,
with the same %-placeholders. tests/test_help.py reads the running Python's argparse for the
words it can show a user and fails on one missing here."""


def _translate(message: str) -> str:
    return TRANSLATIONS.get(message, message)


def _translate_plural(singular: str, plural: str, count: int) -> str:
    return _translate(singular if count == 1 else plural)


Method = TypeVar("Method", bound=Callable)


def in_chinese(method: Method) -> Method:
    """`method` with argparse speaking Chinese while it runs (see the module's docstring)."""
    @wraps(method)
    def translated(*args, **kwargs):
        saved = argparse._, argparse.ngettext
        argparse._, argparse.ngettext = _translate, _translate_plural
        try:
            return method(*args, **kwargs)
        finally:
            argparse._, argparse.ngettext = saved
    return translated  # type: ignore[return-value]


# ---------------------------------------------------------------- display width and line breaking

def display_width(text: str) -> int:
    """Columns `text` takes in a terminal: two for a wide (CJK, full-width) character."""
    return sum(2 if _is_wide(char) else 1 for char in text)


def _is_wide(char: str) -> bool:
    return east_asian_width(char) in "WF"


def _entries(lines: list[str], width: int) -> list[str]:
    """Hand-laid-out lines, with the lines indented under a line too wide for `width` joined to
    it: they were its continuation, and are wrapped again with it."""
    entries: list[str] = []
    for line in lines:
        previous = entries[-1] if entries else ""
        if (entries and display_width(previous) > width and line.strip()
                and _leading(line) > _leading(previous)):
            glue = "" if _is_wide(previous[-1]) and _is_wide(line.lstrip()[0]) else " "
            entries[-1] = previous.rstrip() + glue + line.strip()
        else:
            entries.append(line)
    return entries


def _leading(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


LABEL = re.compile(r" *(?:(?:\S+ )*?\S+ {2,}|[-•*] +)?")
"""The start of a line of a hand-laid-out text that its continuation lines are indented under:
the leading spaces, then a label set off by two spaces (`  0  全部报告通过`) or a bullet."""


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """argparse's help, measured in display columns. Descriptions and epilogs keep their line
    breaks (they are laid out by hand, as tables of exit codes), and a line too long for the
    terminal goes on under its label rather than off the edge."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        from checker.output.cjk_wrap import wrap

        return wrap(" ".join(text.split()), width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        from checker.output.cjk_wrap import wrap

        lines: list[str] = []
        for entry in _entries(text.splitlines(), width):
            if display_width(entry) <= width:
                lines.append(indent + entry)
                continue
            label = LABEL.match(entry).group(0)
            if display_width(label) > width // 3:  # a double space far into a sentence is no label
                label = entry[:_leading(entry)]
            hang = " " * display_width(label)
            body = wrap(entry[len(label):], width - len(hang))
            lines.append(indent + label + body[0])
            lines.extend(indent + hang + piece for piece in body[1:])
        return "\n".join(lines) + ("\n" if text.endswith("\n") else "")

    def _format_usage(self, usage, actions, groups, prefix) -> str:
        # argparse lays the usage out counting characters. It is given a prefix of spaces as wide
        # as the Chinese one, so its continuation lines line up under the program's name; and if
        # wide characters (in a metavar) still push a line past the width, it lays the usage out
        # again narrower by as many columns as those characters add.
        # A part too long for its line even so (a narrow terminal) gets the layout argparse gives
        # a long program name: every line after the first indented only as far as the prefix.
        prefix = USAGE_PREFIX if prefix is None else prefix
        blank = " " * display_width(prefix)
        text = super()._format_usage(usage, actions, groups, blank)
        extra = display_width(text) - len(text)
        if extra and self._too_wide(text):
            self._width -= extra
            try:
                text = super()._format_usage(usage, actions, groups, blank)
            finally:
                self._width += extra
        if self._too_wide(text):
            text = _laid_out(text, self._width, blank)
        return prefix + text[len(blank):]

    def _too_wide(self, text: str) -> bool:
        return any(display_width(line) > self._width for line in text.splitlines())


def _laid_out(usage: str, width: int, indent: str) -> str:
    """The usage's parts (`[--kind {a,b}]` is one) filled into lines of `width` columns, each
    line after the first starting with `indent`."""
    parts, depth, part = [], 0, ""
    for char in " ".join(usage.split()):
        if char == " " and depth == 0:
            parts.append(part)
            part = ""
            continue
        depth += (char in "[({") - (char in "])}")
        part += char
    lines = [indent + parts[0]]
    for part in [*parts[1:], *([part] if part else [])]:
        if display_width(lines[-1]) + 1 + display_width(part) > width:
            lines.append(indent + part)
        else:
            lines[-1] += " " + part
    return "\n".join(lines) + "\n\n"
