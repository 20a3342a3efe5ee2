"""Re-dress a plain-text report in ways that change how its structure is shown, not what it says.

Each variant is one function `(report, folder) -> path of the new file`; the verdicts on the
new file must equal those on the plain text. What they share: the report's lines as the text
reader gives them, and which lines are headings (`outline`).

The variants:
- one_line_page: the whole page as one line, the portal's breadcrumb, toolbar and footer inline;
- traditional: the text in traditional characters (OpenCC s2t);
- docx_heading_styles: headings without their typed number, in Word styles Heading 1 / Heading 2;
- docx_auto_numbering: headings without their typed number, numbered by Word's automatic
  numbering instead (一、 at the top level, （一） below), on otherwise plain paragraphs;
- html_h2: a portal page with top-level headings in <h2>, second-level ones in <h3>, numbers removed.
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from checker.chrome import is_chrome_line
from checker.readers.text import decode
from fixture_builders import Para, build_styled_docx, portal_page

BREADCRUMB = "首页 > 政务公开 > 法治政府建设 "
TOOLBAR = "字体：大 中 小 打印 分享 "
FOOTER = " 版权所有：某某县人民政府 网站标识码：5100000001 蜀ICP备12345678号"

_NUMERAL = "一二三四五六七八九十"
_TOP = re.compile(f"([{_NUMERAL}]+)、\\s*")
_SECOND = re.compile(f"([（(])([{_NUMERAL}]+)[）)]\\s*")
_CLOSERS = "”’」』》〉）)]】\"'"
_CLOSING_PUNCTUATION = tuple("。；！？：，、;!?:,")
_SENTENCE_END = tuple("。；！？;!?")
_SHORT = 30
_SHORTEST_TITLE = 8
# A page's own date field ("发布日期：2024-03-15", "更新时间:2021-12-31 09:20", "生成日期: | 2025-02-14").
_PAGE_DATE = re.compile(r"(?:发布|更新|生成)(?:日期|时间)\s*[：:][\s|]*(\d{4}-\d{1,2}-\d{1,2})")


@dataclass(frozen=True)
class Line:
    text: str
    """The line without its typed heading number."""
    level: int | None = None
    """0 for a top-level heading (一、), 1 for a second-level one (（一）), None for body text."""
    number: int | None = None
    """The typed heading number's value, None for an unnumbered heading or body text."""


def report_lines(report: Path) -> list[str]:
    """The report's non-empty lines, as the text reader decodes and tidies them."""
    text, _ = decode(report.read_bytes(), str(report))
    return [line for line in text.split("\n") if line]


def outline(lines: list[str]) -> list[Line]:
    """Each line with its heading level and number: typed 一、 and （一） headings, and short lines
    without closing punctuation followed by body text (top level, unnumbered)."""
    out: list[Line] = []
    for index, line in enumerate(lines):
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if match := _TOP.match(line):
            out.append(Line(line[match.end():], 0, chinese_value(match.group(1))))
        elif match := _SECOND.match(line):
            out.append(Line(line[match.end():], 1, chinese_value(match.group(2))))
        elif _is_unnumbered_heading(line) and _is_body(following):
            out.append(Line(line, 0))
        else:
            out.append(Line(line))
    return out


def title_index(lines: list[str]) -> int | None:
    """The report's title line: the first line before the body text that is neither page chrome,
    a "字段：值" field, a heading nor too short to name a report. Text dumps of web pages may
    have none (their title stayed in the page), and then a re-dressed page has none either."""
    for index, line in enumerate(lines):
        if _is_body(line):
            return None
        if (len(line) >= _SHORTEST_TITLE and not re.search("[：:]", line) and not is_chrome_line(line)
                and not _TOP.match(line) and not _SECOND.match(line)):
            return index
    return None


def _is_unnumbered_heading(line: str) -> bool:
    return (
        len(line) <= _SHORT
        and not line.rstrip(_CLOSERS).endswith(_CLOSING_PUNCTUATION)
        and not re.search("[：:]", line)  # a "发布日期：…" or "来源：…" field, not a heading
        and not is_chrome_line(line)
    )


def _is_body(line: str) -> bool:
    return bool(line) and not is_chrome_line(line) and (len(line) > _SHORT or line.rstrip(_CLOSERS).endswith(_SENTENCE_END))


def chinese_value(numeral: str) -> int:
    """一 … 九十九 as a number."""
    tens, _, units = numeral.rpartition("十")
    if "十" not in numeral:
        return _NUMERAL.index(numeral) + 1
    return (_NUMERAL.index(tens) + 1 if tens else 1) * 10 + (_NUMERAL.index(units) + 1 if units else 0)


# --- the variants ----------------------------------------------------------------------------


def one_line_page(report: Path, folder: Path) -> Path:
    lines = report_lines(report)
    title = title_index(lines)
    head, tail = (lines[:title + 1], lines[title + 1:]) if title is not None else ([], lines)
    page = BREADCRUMB + "".join(line + " " for line in head) + TOOLBAR + " ".join(tail) + FOOTER
    target = folder / f"{report.stem}.txt"
    target.write_text(page, encoding="utf-8")
    return target


def traditional(report: Path, folder: Path) -> Path:
    import opencc  # the caller skips when it is missing

    text, _ = decode(report.read_bytes(), str(report))
    target = folder / f"{report.stem}.txt"
    target.write_text(opencc.OpenCC("s2t").convert(text), encoding="utf-8")
    return target


def docx_heading_styles(report: Path, folder: Path) -> Path:
    paragraphs = [Para(line.text, style=None if line.level is None else f"Heading {line.level + 1}")
                  for line in outline(report_lines(report))]
    return build_styled_docx(folder / f"{report.stem}.docx", paragraphs)


def docx_auto_numbering(report: Path, folder: Path) -> Path:
    typed = report_lines(report)
    lines = outline(typed)
    # The typed second-level brackets, full-width （一） or half-width (一), whichever the report uses most.
    brackets = [match.group(1) for line in typed if (match := _SECOND.match(line))]
    second = "(%2)" if brackets.count("(") > brackets.count("（") else "（%2）"
    levels = (("chineseCounting", "%1、"), ("chineseCounting", second))
    paragraphs = [
        Para(line.text) if line.number is None else Para(line.text, level=line.level, start=start)
        for line, start in zip(lines, _restarts(lines))
    ]
    return build_styled_docx(folder / f"{report.stem}.docx", paragraphs, levels)


def _restarts(lines: list[Line]) -> list[int | None]:
    """Per line, where Word's numbering must restart for it to show the typed number: None where
    it counts on by itself. Word counts each level on from 1 and starts a level again when a
    higher one advances; a list restarted at some level counts every other level afresh."""
    counters: dict[int, int] = {}
    out: list[int | None] = []
    for line in lines:
        if line.number is None or line.level is None:
            out.append(None)
            continue
        restart = line.number != counters.get(line.level, 0) + 1
        if restart:
            counters = {}
        out.append(line.number if restart else None)
        counters = {level: value for level, value in counters.items() if level < line.level}
        counters[line.level] = line.number
    return out


def html_h2(report: Path, folder: Path) -> Path:
    """The title, where the report has one, in <h1> and in the page's <title> and <meta>; the
    page's date in <meta> too, as the reader drops the toolbar lines that state it in a text dump."""
    typed = report_lines(report)
    lines = outline(typed)
    title = title_index(typed)
    tags = {None: "p", 0: "h2", 1: "h3"}
    article = "".join(
        f"<{tag}>{html.escape(line.text)}</{tag}>"
        for index, line in enumerate(lines)
        for tag in ["h1" if index == title else tags[line.level]]
    )
    date = next((match.group(1) for line in typed if (match := _PAGE_DATE.search(line))), "")
    title_text = typed[title] if title is not None else ""
    page = portal_page(article, title=title_text, pub_date=date, page_title=None if title_text else "")
    target = folder / f"{report.stem}.html"
    target.write_text(page, encoding="utf-8")
    return target


VARIANTS: dict[str, Callable[[Path, Path], Path]] = {
    "one_line_page": one_line_page,
    "traditional": traditional,
    "docx_heading_styles": docx_heading_styles,
    "docx_auto_numbering": docx_auto_numbering,
    "html_h2": html_h2,
}
