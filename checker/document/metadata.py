"""What a report says of itself: title, issuer, kind, the year it covers and its publication
date, each with where it was read (the container, the page fields, the text, the signature)."""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from checker.document.chrome import ChromeFinder
from checker.document.numbers import first_named_year, parse_date
from checker.document.text import to_simplified
from checker.readers import Source
from checker.vocabulary import Vocabulary

BREADCRUMB_MARK = re.compile(r"[>»›→]")
REPORT_TITLE = re.compile(r"报告|总结|法治政府建设.{0,12}(?:情况|工作)$|依法行政.{0,8}(?:情况|工作)$|法治建设.{0,8}(?:情况|工作)$")
TOP_NUMBERING = re.compile(r"^[零〇一二三四五六七八九十]{1,3}\s*[、.]")
HEADING_YEAR_REACH = 40
BODY_PARAGRAPH = 30
FIELD_LINES = 40
FIELD_REACH = 160
# A timestamp standing with the page's fields: 2022-03-28 15:06, 2022年03月28日 15时06分.
TIMESTAMP = re.compile(r"(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)\s*\d{1,2}\s*[:时]\s*\d{2}")


@dataclass(frozen=True)
class ReportMeta:
    title: str | None = None
    title_source: str | None = None
    issuer: str | None = None
    issuer_source: str | None = None
    kind: str | None = None
    kind_source: str | None = None
    year: int | None = None
    year_source: str | None = None
    title_year: int | None = None
    body_year: int | None = None
    published: date | None = None
    published_source: str | None = None


@dataclass(frozen=True)
class Overrides:
    """What the user says of a report, which beats anything read from it."""

    year: int | None = None
    published: date | None = None
    kind: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class IssuerWords:
    vocabulary: Vocabulary

    @cached_property
    def org_suffix(self) -> str:
        return self.vocabulary.alternation("org_suffixes")

    @cached_property
    def opening(self) -> re.Pattern[str]:
        return re.compile(
            rf"^(?:\d{{4}}\s*年(?:度|以来)?\s*,?\s*)?([\u4e00-\u9fff]{{2,24}}?{self.org_suffix})"
            r"(?:在|坚持|以|认真|深入|全面|紧紧|始终|围绕|高度|把|紧扣|立足|聚焦)"
        )

    @cached_property
    def signature(self) -> re.Pattern[str]:
        return re.compile(rf"^[\u4e00-\u9fff]{{2,24}}{self.org_suffix}$")

    @cached_property
    def title_head(self) -> re.Pattern[str]:
        return re.compile(self.org_suffix + "$")

    def kind_of(self, issuer: str | None) -> str | None:
        if not issuer:
            return None
        government = self.vocabulary.pattern("government_suffixes", "{}$")
        department = self.vocabulary.pattern("department_suffixes", "{}$")
        # The longer ending decides: 片区管理局 is a government, 交通运输局 a department.
        government_match, department_match = government.search(issuer), department.search(issuer)
        if government_match and (not department_match or government_match.start() <= department_match.start()):
            return "government"
        return "department" if department_match else None


def title_line(lines: list[str], skip: set[int]) -> int | None:
    """The title stands above the body: the search ends at the first paragraph of body text, so a
    heading such as "主要负责人履行推进法治建设第一责任人职责情况" is never taken for it."""
    for index, line in enumerate(lines[:20]):
        if index not in skip and len(line) > BODY_PARAGRAPH and line.endswith(("。", ";")):
            return None
        if index in skip or not 8 <= len(line) <= 90 or BREADCRUMB_MARK.search(line) or line.endswith(("。", ":")):
            continue
        if REPORT_TITLE.search(line) and not TOP_NUMBERING.match(line):
            return index
    return None


def page_fields(lines: list[str], chrome: ChromeFinder) -> dict[str, str]:
    """The page-information fields at the top and the foot of a page (first value of each)."""
    fields: dict[str, str] = {}
    for line in lines[:FIELD_LINES] + lines[-FIELD_LINES // 4:]:
        line = line[:FIELD_REACH]  # a field line may run on into body text on a joined page
        for match in chrome.fields.finditer(line):
            fields.setdefault(match.group(1), match.group(2).strip(" |"))
        if "时间戳" not in fields and (stamp := TIMESTAMP.search(line)):
            fields["时间戳"] = stamp.group(1)
    return fields


def read_metadata(source: Source, lines: list[str], fields: dict[str, str], title_index: int | None,
                  overrides: Overrides, words: IssuerWords) -> ReportMeta:
    title, title_source = _pick(
        (overrides.title, "user"),
        (_clean(source.title), "meta"),
        (fields.get("标题") or fields.get("名称"), "text"),
        (lines[title_index] if title_index is not None else None, "text"),
    )
    title_year = first_named_year(title) if title else None
    body_year = _body_year(lines, title_index, words)
    year, year_source = _pick((overrides.year, "user"), (title_year, "title"), (body_year, "body"))
    issuer, issuer_source = _pick(
        (_issuer_from_title(title, words) if title else None, "title"),
        (fields.get("发布机构"), "text"),
        (_issuer_from_opening(lines, title_index, words), "text"),
        (_issuer_from_signature(lines, words), "signature"),
        (fields.get("文章来源") or fields.get("信息来源") or fields.get("来源"), "text"),
    )
    kind, kind_source = _pick((overrides.kind, "user"), (words.kind_of(issuer), "issuer"))
    vocabulary_fields = words.vocabulary.words["published_fields"]
    published, published_source = _pick(
        (overrides.published, "user"),
        (source.published, "meta"),
        (next((found for key in (*vocabulary_fields, "时间戳") if key in fields and (found := parse_date(fields[key]))), None), "text"),
        (_signature_date(lines), "signature"),
    )
    return ReportMeta(title, title_source, issuer, issuer_source, kind, kind_source, year, year_source,
                      title_year, body_year, published, published_source)


def _pick(*candidates):
    """The first candidate with a value, with the name of where it came from."""
    return next(((value, origin) for value, origin in candidates if value), (None, None))


def _clean(text: str | None) -> str | None:
    return to_simplified(unicodedata.normalize("NFKC", text)).strip() if text else None


def _body_year(lines: list[str], title_index: int | None, words: IssuerWords) -> int | None:
    """The year the body is about: the one its top headings name most, else the opening's first."""
    start = (title_index + 1) if title_index is not None else 0
    plans = words.vocabulary.pattern("plans_heading_strong")
    weak_plans = words.vocabulary.pattern("plans_heading_weak")
    heading_years = Counter(
        year for line in lines[start:]
        if TOP_NUMBERING.match(line) and not plans.search(line[:HEADING_YEAR_REACH])
        and not weak_plans.search(line[:HEADING_YEAR_REACH])
        and (year := first_named_year(line[:HEADING_YEAR_REACH]))
    )
    if heading_years:
        return heading_years.most_common(1)[0][0]
    for line in lines[start:start + 8]:
        if len(line) > 30 and (year := first_named_year(line[:60])):
            return year
    return None


def _issuer_from_title(title: str, words: IssuerWords) -> str | None:
    title = re.sub(r"^(?:关于)?(?:(?:19|20)\d{2}\s*年度?)?", "", title)
    head = re.split(r"关于|(?:19|20)\d{2}\s*年|二[〇零][〇零一二三四五六七八九]{2}年|法治政府|法治建设|依法行政|工作报告|年度报告|[(]", title,
                    maxsplit=1)[0].strip()
    return head if len(head) >= 2 and words.title_head.search(head) else None


def _issuer_from_opening(lines: list[str], title_index: int | None, words: IssuerWords) -> str | None:
    start = (title_index + 1) if title_index is not None else 0
    for line in lines[start:start + 10]:
        if match := words.opening.match(line):
            return match.group(1)
    return None


def _issuer_from_signature(lines: list[str], words: IssuerWords) -> str | None:
    tail = [line for line in lines if line][-6:]
    return next((line for line in reversed(tail) if words.signature.match(line)), None)


def _signature_date(lines: list[str]) -> date | None:
    """A date standing alone on one of the last lines: the date the report was signed."""
    tail = [line for line in lines if line][-6:]
    for line in reversed(tail):
        if len(line) <= 16 and ":" not in line and (found := parse_date(line)):
            return found
    return None

