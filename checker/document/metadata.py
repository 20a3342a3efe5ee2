"""What a report says of itself: title, issuer, kind, the year it covers, its publication date
and what kind of document it is, each with where it was read (the container, the page fields,
the text, the signature).

A saved page puts the report among the site's furniture: a breadcrumb and menus above the
title, a field table (发布机构, 发布时间, 来源) around it, a footer below the signature. The title
is the first title-shaped line above the report's text; the issuer is the unit the title, the
opening sentence or the signature names, not the website that carries the page; the date is
the page's publication field, never the date the report was drafted or signed.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import cache, cached_property

from checker.chrome import ChromeFinder
from checker.document.doctype import UNDECIDED, DoctypeWords, doctype_words, looks_like_title
from checker.document.numbers import DATE_TEXT, first_named_year, parse_date
from checker.document.outline import numbering_family
from checker.document.sections import SectionWords
from checker.document.text import to_simplified
from checker.readers import Source
from checker.screen import may_match, required_literals
from checker.vocabulary import Vocabulary, listed, default_vocabulary

BREADCRUMB_MARK = re.compile(r"[>»›→]")
REPORT_TITLE = re.compile(r"报告|总结|法治政府建设.{0,12}(?:情况|工作)$|依法行政.{0,8}(?:情况|工作)$|法治建设.{0,8}(?:情况|工作)$")
TOP_FAMILIES = ("part", "cn")
YEAR_MENTION = re.compile(r"(?:19|20)\d{2}\s*年|二[〇零][〇零一二三四五六七八九]{2}\s*年")
HEADING_YEAR_REACH = 40
TITLE_LINES = 40
TITLE_LENGTH = range(6, 101)
SPLIT_TITLE_TAIL = 16
"""A title's second line, when a layout broke it ("工作情况的报告"), is at most this long."""
BODY_PARAGRAPH = 30
"""A line this long holding a full stop is the report's text: its title stands above it."""
FIELD_LINES = 40
FOOT_LINES = 25
FIELD_LINE_LENGTH = 160
STAMP_LINE_LENGTH = 80
OPENING_LINES = 10
SIGNATURE_LINES = 6

TIME_TEXT = r"\d{1,2}\s*[:时]\s*\d{2}"
# A date and time on its own or beside the page's fields: 2023-03-20 10:15, 2022年03月28日 15时06分.
TIMESTAMP = re.compile(rf"(?<!\d)(?:{DATE_TEXT})\s*{TIME_TEXT}")
BARE_DATE = re.compile(rf"(?<!\d)(?:{DATE_TEXT})(?!\d)")
# A field name right before a date ("生成日期: ", "抓取时间: "): that field's date, not a bare one.
NAMED_BEFORE = re.compile(r"[\u4e00-\u9fff]{2,8}\s*:\s*[|\[【(]?\s*$")
# What follows a title on its line: a field, a date, a separator ("… 发布时间: 2023-03-20").
TITLE_TAIL = re.compile(rf"\s+(?:[\u4e00-\u9fff]{{2,8}}\s*:|(?:{DATE_TEXT})|[|·•]).*$")
TITLE_WRAP = re.compile(r"^=+|=+$|^【([^【】]+)】$|^《([^《》]+)》$")
TITLE_PUNCTUATION = re.compile(r"[,。;:!?]")
CJK_RUN = re.compile(r"^[\u4e00-\u9fff()]{2,40}")
UNIT_TEXT = re.compile(r"[\u4e00-\u9fff()\s]+")
BARE_PLACE = re.compile(r"(?:镇|乡|区|县|市|州|旗|盟|省|街道)$")
GOVERNED_PLACE = re.compile(r"(?:镇|乡|区|县|市|州|旗|盟|省)$")
ZONE = re.compile(r"(?:开发区|高新区|园区|新区|景区|片区|试验区|合作区)$")


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
    document_type: str = UNDECIDED
    """法治政府建设年度报告, or what the document appears to be instead (政府工作报告, 通知 …)."""
    document_type_reason: str = ""
    """Why, in one short clause (标题为“……政府信息公开工作年度报告”，文中有“……”)."""


@dataclass(frozen=True)
class Overrides:
    """What the user says of a report. Given as overrides, it beats anything read from it (audit
    --year, batch --meta); given as defaults, it fills in only what the report does not state
    (batch --year): see `read_metadata`. Either way its source is "user"."""

    year: int | None = None
    published: date | None = None
    kind: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class IssuerWords:
    """The metadata words of a vocabulary, compiled once: units, kinds, date fields, titles."""

    vocabulary: Vocabulary

    @cached_property
    def sections(self) -> SectionWords:
        return SectionWords(self.vocabulary)

    @cached_property
    def org_suffix(self) -> str:
        return self.vocabulary.alternation("org_suffixes")

    @cached_property
    def opening(self) -> re.Pattern[str]:
        """The unit an opening sentence starts with: "2022年,柳湾街道办事处在…"."""
        leads, verbs = self.vocabulary.alternation("issuer_opening_leads"), self.vocabulary.alternation("issuer_opening_verbs")
        return re.compile(rf"^(?:{leads}\s*,?\s*){{0,2}}([\u4e00-\u9fff]{{2,24}}?{self.org_suffix}){verbs}")

    @cached_property
    def formula(self) -> re.Pattern[str]:
        """The unit an opening formula names: "现将东江市林业局2022年度…情况报告如下"."""
        ends = self.vocabulary.alternation("title_issuer_ends")
        return re.compile(rf"现将(?:(?:19|20)\d{{2}}\s*年度?)?([\u4e00-\u9fff]{{2,30}}?{self.org_suffix})(?={ends})")

    @cached_property
    def signature(self) -> re.Pattern[str]:
        return re.compile(rf"^[\u4e00-\u9fff()\s]{{1,40}}{self.org_suffix}$")

    @cached_property
    def title_head(self) -> re.Pattern[str]:
        return re.compile(self.org_suffix + "$")

    title_issuer_end = listed("title_issuer_ends")
    title_not = listed("title_not")
    not_issuer = listed("not_issuer_endings", "{}$")
    site_tail = listed("site_tails", "{}$")

    @cached_property
    def expansions(self) -> frozenset[str]:
        return frozenset(self.vocabulary.words["issuer_expansions"])

    @cached_property
    def published_field(self) -> re.Pattern[str]:
        """A publication-date field and its date; not a name inside a longer word (生成日期)."""
        names = "|".join(f"(?:{name})" for name in self.vocabulary.words["published_fields"])
        prefixes = self.vocabulary.alternation("published_field_prefixes")
        return re.compile(rf"(?<![\u4e00-\u9fff]){prefixes}?({names})\s*:?\s*[|\[【(]?\s*({DATE_TEXT})")

    @cached_property
    def published_field_needs(self) -> tuple[str, ...] | None:
        return required_literals(self.published_field.pattern)

    beside_date = listed("beside_date_fields", r"{}\s*:")

    @cached_property
    def doctype(self) -> DoctypeWords:
        return doctype_words(self.vocabulary)

    def field_rank(self, name: str) -> int:
        return next(rank for rank, field in enumerate(self.vocabulary.words["published_fields"]) if re.fullmatch(field, name))

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

    def kind_from_text(self, text: str) -> str | None:
        """The kind a report without a named unit gives itself: 我局 … or 我镇 …, whichever it says more."""
        government = len(self.vocabulary.pattern("government_self").findall(text))
        department = len(self.vocabulary.pattern("department_self").findall(text))
        if government == department:
            return None
        return "government" if government > department else "department"


def title_line(lines: list[str], skip: set[int], words: IssuerWords | None = None) -> int | None:
    """The line holding the title: title-shaped, above the report's first paragraph; one with a
    year, a 关于 or a unit before one without (a column name "法治政府建设年度报告" above it)."""
    words = words or _default_words()
    candidates = []
    for index, line in enumerate(lines[:TITLE_LINES]):
        if index in skip:
            continue
        family = numbering_family(line)
        if len(line) >= BODY_PARAGRAPH and "。" in line or family and family[0] != "bracket":
            break  # the title stands above the text and its first numbered heading (【…】 may wrap a title)
        text = title_at(lines, index, skip, words)
        if text and _titled(text, words):
            candidates.append((index, text))
    preferred = [index for index, text in candidates
                 if YEAR_MENTION.search(text) or "关于" in text or _issuer_from_title(text, words)]
    return preferred[0] if preferred else candidates[0][0] if candidates else None


def title_at(lines: list[str], index: int, skip: set[int], words: IssuerWords) -> str | None:
    """The title a line holds, without what the page put beside it; joined with the line above
    when a layout broke the title in two ("…关于2022年度法治政府建设" / "工作情况的报告")."""
    text = _title_text(lines[index])
    if not text or not _title_shaped(text, words):
        return None
    head = _title_text(lines[index - 1]) if index > 0 and index - 1 not in skip else None
    if (head and len(text) <= SPLIT_TITLE_TAIL and not YEAR_MENTION.search(text) and _title_shaped(head + text, words)
            and (YEAR_MENTION.search(head) or "关于" in head) and not REPORT_TITLE.search(head)):
        return head + text
    return text if len(text) in TITLE_LENGTH else None


def _title_text(line: str) -> str:
    return TITLE_WRAP.sub(lambda match: match.group(1) or match.group(2) or "", TITLE_TAIL.sub("", line).strip()).strip()


def _title_shaped(text: str, words: IssuerWords) -> bool:
    return not (BREADCRUMB_MARK.search(text) or TITLE_PUNCTUATION.search(text) or numbering_family(text)
                or words.title_not.search(text) or len(re.findall(r"\s+", text)) > 1)


def page_fields(lines: list[str], chrome: ChromeFinder) -> dict[str, str]:
    """The page-information fields at the top and the foot of a page (first value of each)."""
    fields: dict[str, str] = {}
    for line in lines[:FIELD_LINES] + lines[-FIELD_LINES // 4:]:
        if len(line) > FIELD_LINE_LENGTH or ":" not in line:  # every field is "name:"
            continue
        for match in chrome.fields.finditer(line):
            fields.setdefault(match.group(1), match.group(2).strip(" |"))
    return fields


def read_metadata(source: Source, lines: list[str], fields: dict[str, str], title_index: int | None,
                  overrides: Overrides, words: IssuerWords, chrome_lines: set[int] | frozenset[int] = frozenset(),
                  defaults: Overrides = Overrides()) -> ReportMeta:
    """`overrides` come first, `defaults` last: after everything the report states, and before
    the signature's date only, which is when it was signed, not published."""
    skip = set(chrome_lines)
    line_title = title_at(lines, title_index, skip, words) if title_index is not None else None
    field_title = next((text for key in ("标题", "名称") if (text := _title_text(fields.get(key) or ""))), None)
    meta_title = _clean(source.title)
    if meta_title and line_title and not _titled(meta_title, words):
        meta_title = None  # a file's stated title that names no document (a template's, an author's)
    title, title_source = _pick((overrides.title, "user"), (meta_title, "meta"), (field_title, "text"), (line_title, "text"))
    content = [index for index in range(len(lines)) if index not in skip and index != title_index and lines[index]]
    after_title = [index for index in content if title_index is None or index > title_index]
    body = [lines[index] for index in content]

    title_year = first_named_year(title) if title else None
    body_year = _body_year(lines, after_title, words)
    year, year_source = _pick((overrides.year, "user"), (title_year, "title"), (body_year, "body"),
                              (defaults.year, "user"))

    issuer, issuer_source = _issuer(title, lines, after_title, content, fields, words)
    kind, kind_source = _pick((overrides.kind, "user"), (words.kind_of(issuer), "issuer"))
    if kind is None:
        kind, kind_source = _pick((words.kind_from_text("\n".join(body)), "text"), (defaults.kind, "user"))
    published, published_source = _pick(
        (overrides.published, "user"),
        (source.published, "meta"),
        (_page_date(lines, words), "text"),
        (defaults.published, "user"),
        (_signature_date(lines, content), "signature"),
    )
    return ReportMeta(title, title_source, issuer, issuer_source, kind, kind_source, year, year_source,
                      title_year, body_year, published, published_source)


def _pick(*candidates):
    """The first candidate with a value, with the name of where it came from."""
    return next(((value, origin) for value, origin in candidates if value), (None, None))


def _clean(text: str | None) -> str | None:
    return to_simplified(unicodedata.normalize("NFKC", text)).strip() if text else None


def _titled(text: str, words: IssuerWords) -> bool:
    return bool(REPORT_TITLE.search(text) or looks_like_title(text, words.doctype))


@cache
def _default_words() -> IssuerWords:
    """For callers that pass no words: the bundled vocabulary's."""
    return IssuerWords(default_vocabulary())


# ------------------------------------------------------------------ year

def _body_year(lines: list[str], content: list[int], words: IssuerWords) -> int | None:
    """The year the body is about: the one its opening formula names (现将2022年度…报告如下), else
    the one its top headings name most, else the opening's first."""
    for index in content[:OPENING_LINES]:
        if (formula := words.doctype.formula.found(words.doctype.screen.read_short(lines[index]))) and (year := first_named_year(formula[0])):
            return year
    sections = words.sections  # a plans heading (2024年工作计划) names next year
    heading_years = Counter(
        year for index in content
        if _opens_top_level(line := lines[index]) and not sections.names_plans(line[:HEADING_YEAR_REACH])
        and (year := first_named_year(line[:HEADING_YEAR_REACH]))
    )
    if heading_years:
        return heading_years.most_common(1)[0][0]
    for index in content[:8]:
        if len(lines[index]) > 30 and (year := first_named_year(lines[index][:60])):
            return year
    return None


# ------------------------------------------------------------------ issuer

def _issuer(title: str | None, lines: list[str], after_title: list[int], content: list[int], fields: dict[str, str],
            words: IssuerWords) -> tuple[str | None, str | None]:
    """The unit whose report it is, by its fullest name: the one the title names, else the opening
    sentence, the signature, the 发布机构 field; the website in 来源 only when nothing else names
    one. A later source may complete the name (青川镇 -> 云溪县青川镇人民政府), never replace it."""
    found = [
        (_issuer_from_title(title, words) if title else None, "title"),
        (_issuer_from_opening(lines, after_title, words), "text"),
        (_issuer_from_signature(lines, content, words), "signature"),
        (_unit(fields.get("发布机构"), words), "text"),
    ]
    site = (_unit(fields.get("文章来源") or fields.get("信息来源") or fields.get("来源"), words), "text")
    issuer, source = _pick(*found, site)
    if issuer is None:
        return None, None
    fuller = [(name, origin) for name, origin in (*found, site) if name and _completes(name, issuer, words)]
    issuer, source = max(fuller, key=lambda item: len(item[0]), default=(issuer, source))
    return _government_of(issuer), source


def _government_of(place: str) -> str:
    """A place named alone reports through its government: 鹭岭县 -> 鹭岭县人民政府, 柳湾街道 ->
    柳湾街道办事处. A zone (高新区, 开发区) has a 管委会 by another name, so it stays as written."""
    if place.endswith("街道"):
        return place + "办事处"
    if GOVERNED_PLACE.search(place) and not ZONE.search(place):
        return place + "人民政府"
    return place


def _completes(name: str, short: str, words: IssuerWords) -> bool:
    """Whether `name` is `short` written in full: 东江市司法局 for 市司法局, 青川镇人民政府 for 青川镇."""
    if name == short or short not in name:
        return False
    return name.endswith(short) or name[name.index(short) + len(short):] in words.expansions


def _opens_top_level(line: str) -> bool:
    family = numbering_family(line)
    return family is not None and family[0] in TOP_FAMILIES


def _issuer_from_title(title: str, words: IssuerWords) -> str | None:
    title = re.sub(r"^(?:关于)?《?(?:(?:19|20)\d{2}\s*年度?|二[〇零][〇零一二三四五六七八九]{2}\s*年度?)?", "", title)
    head = words.title_issuer_end.split(title, maxsplit=1)[0].strip()
    # A unit is named by more than its kind: "政府工作报告" names no 政府.
    if len(head) >= 2 and UNIT_TEXT.fullmatch(head) and (kind := words.title_head.search(head)) and kind.start() > 0:
        return head
    # "2023年度法治政府建设工作报告(云溪县司法局)"
    tail = re.search(r"\(([\u4e00-\u9fff]{2,30})\)$", title)
    return tail.group(1) if tail and words.title_head.search(tail.group(1)) else None


def _issuer_from_opening(lines: list[str], content: list[int], words: IssuerWords) -> str | None:
    for index in content[:OPENING_LINES]:
        line = lines[index]
        if match := words.opening.match(line) or words.formula.search(line):
            return match.group(1)
    return None


def _issuer_from_signature(lines: list[str], content: list[int], words: IssuerWords) -> str | None:
    """The unit signing under the report: one of its last lines, often above the date. A bare
    place name (…县, …镇) counts only there, so a closing phrase (推进依法治县) is no signature."""
    tail = content[-SIGNATURE_LINES:]
    for position in range(len(tail) - 1, -1, -1):
        written = lines[tail[position]]
        if "。" in written:
            continue  # a sentence: a unit's name holds no 。, and no date taken out of it does
        line = BARE_DATE.sub("", written).strip()
        if not words.signature.match(line) or words.not_issuer.search(line) or numbering_family(line):
            continue
        dated = position + 1 < len(tail) and BARE_DATE.fullmatch(lines[tail[position + 1]].strip())
        if not BARE_PLACE.search(line) or dated or line != written.strip():
            return line
    return None


def _unit(value: str | None, words: IssuerWords) -> str | None:
    """A unit's name from a page field ("云溪县人民政府网 2023-03-20" -> 云溪县人民政府)."""
    run = CJK_RUN.match(value or "")
    name = words.site_tail.sub("", run.group()) if run else ""
    return name if len(name) >= 3 and words.title_head.search(name) and not words.not_issuer.search(name) else None


# ------------------------------------------------------------------ publication date

def _page_date(lines: list[str], words: IssuerWords) -> date | None:
    """The page's publication date, from the head or the foot of the page: a named field
    (发布时间: 2022年03月28日 15时06分, | 时间: 2023-02-27 微信 微博), else a bare date and time
    (2023-03-20 10:15), else a bare date beside 来源 (2023-03-20 来源: 云溪县司法局)."""
    zone = sorted(set(range(min(FIELD_LINES, len(lines)))) | set(range(max(0, len(lines) - FOOT_LINES), len(lines))))
    named, stamped, beside = [], [], []
    for index in zone:
        line = lines[index]
        if len(line) > FIELD_LINE_LENGTH:
            continue
        for match in words.published_field.finditer(line) if may_match(words.published_field_needs, line) else ():
            if found := parse_date(match.group(2)):
                named.append((words.field_rank(match.group(1)), found))
        if len(line) > STAMP_LINE_LENGTH or "。" in line:
            continue
        for match in BARE_DATE.finditer(line):
            if NAMED_BEFORE.search(line[:match.start()]) or not (found := parse_date(match.group())):
                continue
            if TIMESTAMP.match(line, match.start()):
                stamped.append(found)
            elif words.beside_date.search(line) or (len(line) - len(match.group()) <= 2 and _beside_source(lines, index, words)):
                beside.append(found)
    if named:
        return min(named, key=lambda item: item[0])[1]
    return next(iter(stamped + beside), None)


def _beside_source(lines: list[str], index: int, words: IssuerWords) -> bool:
    return any(0 <= other < len(lines) and words.beside_date.search(lines[other]) for other in (index - 1, index + 1))


def _signature_date(lines: list[str], content: list[int]) -> date | None:
    """A date standing alone on one of the last lines: the date the report was signed."""
    for index in reversed(content[-SIGNATURE_LINES:]):
        line = lines[index]
        if len(line) <= 16 and ":" not in line and (found := parse_date(line)):
            return found
    return None
